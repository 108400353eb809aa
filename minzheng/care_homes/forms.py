"""Forms of the care institution pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.care_homes.models import BedKind, DischargeReason, IncidentKind, Post

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LEVELS = [("", "未评估")] + [(str(i), f"{i}级") for i in range(1, 7)]


class RoomForm(forms.Form):
    number = forms.CharField(label="房间号", max_length=20)
    floor = forms.CharField(label="楼层", max_length=20, required=False)
    beds = forms.IntegerField(label="床位数", min_value=1, max_value=20)
    kind = forms.ChoiceField(label="床位类型", choices=BedKind.choices)


class BedForm(forms.Form):
    kind = forms.ChoiceField(label="床位类型", choices=BedKind.choices)
    in_service = forms.BooleanField(label="在用", required=False)


def _level(value: str) -> int | None:
    return int(value) if value else None


class AdmitForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="身份证号", max_length=18)
    admitted_on = forms.DateField(label="入住日期", widget=DATE)
    bed = forms.TypedChoiceField(label="床位", required=False, coerce=int, empty_value=None)
    care_level = forms.TypedChoiceField(label="照护等级", choices=LEVELS, required=False, coerce=int,
                                        empty_value=None)
    assessed_on = forms.DateField(label="评估日期", widget=DATE, required=False)
    reassess_due_on = forms.DateField(label="评估有效期至", widget=DATE, required=False,
                                      help_text="按评估结果填写；到期前30天起在工作台提醒")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, beds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].choices = [("", "暂不安排床位")] + [(b.pk, f"{b.number}（{b.get_kind_display()}）")
                                                               for b in beds]


class AssessForm(forms.Form):
    care_level = forms.TypedChoiceField(label="照护等级", choices=LEVELS[1:], coerce=int)
    assessed_on = forms.DateField(label="评估日期", widget=DATE)
    reassess_due_on = forms.DateField(label="评估有效期至", widget=DATE, required=False)


class MoveForm(forms.Form):
    bed = forms.TypedChoiceField(label="新床位", coerce=int)

    def __init__(self, *args, beds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].choices = [(b.pk, f"{b.number}（{b.get_kind_display()}）") for b in beds]


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label="离院日期", widget=DATE)
    reason = forms.ChoiceField(label="离院原因", choices=DischargeReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class StaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    post = forms.ChoiceField(label="岗位", choices=Post.choices)
    hired_on = forms.DateField(label="入职日期", widget=DATE)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="离职日期", widget=DATE)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="事件类型", choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(label="发生时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M",
                                                                                      "%Y-%m-%d %H:%M"])
    resident = forms.TypedChoiceField(label="涉及老人", required=False, coerce=int, empty_value=None)
    description = forms.CharField(label="经过", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "不涉及具体老人")] + [
            (r.pk, f"{r.name}（{r.bed.number if r.bed else '未安排床位'}）") for r in residents]


class StepForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
    text = forms.CharField(label="处置措施", max_length=500)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="结案日期", widget=DATE)
    closure = forms.CharField(label="结案说明", max_length=500)
