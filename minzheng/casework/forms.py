"""Forms of the casework pages (input parsing only; rules live in the services)."""

from __future__ import annotations

import datetime as dt

from django import forms

from minzheng.casework.models import ApprovalLevel, DocumentKind, Program, ProgramSetting
from minzheng.casework.program_settings import EDITABLE_FIELDS
from minzheng.registry.pickers import household_field


class HouseholdChoiceForm(forms.Form):
    """Step 1 of intake: the household, found by a member's name, pinyin or ID number (never its number)."""

    household = household_field("申请家庭")


class IntakeForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    program = forms.ChoiceField(label="救助项目", choices=Program.choices)
    applicant = forms.ChoiceField(label="申请人")
    note = forms.CharField(label="申请事由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document_kind = forms.ChoiceField(label="材料类型", choices=DocumentKind.choices, initial=DocumentKind.APPLICATION_FORM)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(m.person_id, f"{m.person.name}（{m.get_relation_display()}）")
                                            for m in members]


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label="收到日期", initial=dt.date.today)
    raised_by = forms.CharField(label="异议人（可匿名）", required=False, max_length=64)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionResolveForm(forms.Form):
    upheld = forms.ChoiceField(label="异议是否成立", choices=[("0", "不成立"), ("1", "成立")])
    resolution = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 2}))


class ProgramSettingForm(forms.Form):
    """One program's settings; labels are the model's (one Chinese name per field)."""

    program = forms.ChoiceField(choices=Program.choices, widget=forms.HiddenInput)
    approval_level = forms.ChoiceField(choices=ApprovalLevel.choices)
    notice_days = forms.IntegerField(min_value=1, max_value=60)
    accept_days = forms.IntegerField(min_value=1, max_value=200)
    survey_start_days = forms.IntegerField(min_value=1, max_value=200, required=False)
    street_opinion_days = forms.IntegerField(min_value=1, max_value=200, required=False)
    verify_days = forms.IntegerField(min_value=1, max_value=200)
    visit_days = forms.IntegerField(min_value=1, max_value=200)
    review_days = forms.IntegerField(min_value=1, max_value=200)
    post_days = forms.IntegerField(min_value=1, max_value=200)
    approve_days = forms.IntegerField(min_value=1, max_value=200)
    decide_days = forms.IntegerField(min_value=1, max_value=200)
    total_days = forms.IntegerField(min_value=1, max_value=400, required=False)
    extended_total_days = forms.IntegerField(min_value=1, max_value=400, required=False)
    rereview_months_able = forms.IntegerField(min_value=1, max_value=60)
    rereview_months_stable = forms.IntegerField(min_value=1, max_value=60)
    basis = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    verified = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = ProgramSetting._meta.get_field(name).verbose_name

    def clean(self):
        data = super().clean()
        return {k: v for k, v in data.items() if k == "program" or k in EDITABLE_FIELDS}


def _parse_days(text: str, label: str) -> list[tuple[dt.date, str]]:
    """Lines ``2027-01-01 元旦`` (one day per line)."""
    days = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.split(maxsplit=1)
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError as err:
            raise forms.ValidationError(f"{label}第{number}行日期“{parts[0]}”无效，应为 YYYY-MM-DD 节日名称") from err
        days.append((day, parts[1] if len(parts) > 1 else ""))
    return days


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=2100)
    source = forms.CharField(label="依据（通知文号）", max_length=200)
    holidays = forms.CharField(label="放假日期（每行：YYYY-MM-DD 节日名称，含调休形成的周末）",
                               widget=forms.Textarea(attrs={"rows": 8}))
    workdays = forms.CharField(label="调休上班日期（每行：YYYY-MM-DD 节日名称）", widget=forms.Textarea(attrs={"rows": 4}),
                               required=False)
    replace = forms.BooleanField(label="更正已录入的安排", required=False)

    def clean_holidays(self):
        return _parse_days(self.cleaned_data["holidays"], "放假日期")

    def clean_workdays(self):
        return _parse_days(self.cleaned_data["workdays"], "调休上班日期")
