"""Forms of the payments pages. A program is chosen from its Chinese label
(never typed as a code) and a month from a month input (ADR 0012)."""

from __future__ import annotations

import datetime as dt

from django import forms

from minzheng.payments.labels import program_choices
from minzheng.payments.models import CheckOutcome, SamplePurpose


class MonthInput(forms.TextInput):
    """``<input type="month">``: the browser offers a month picker and sends YYYY-MM."""

    input_type = "month"


def month_field(label: str = "发放月份") -> forms.RegexField:
    return forms.RegexField(label=label, regex=r"^\d{4}-\d{2}$", widget=MonthInput(),
                            error_messages={"invalid": "请选择月份", "required": "请选择月份"})


def this_month() -> str:
    return dt.date.today().strftime("%Y-%m")


class BatchRunForm(forms.Form):
    """生成批次: a program that pays cash and a month."""

    program = forms.ChoiceField(label="救助项目", error_messages={"required": "请选择救助项目",
                                                              "invalid_choice": "请从列表中选择救助项目"})
    month = month_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"month": this_month()})
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "请选择")] + program_choices()


class ReissueForm(forms.Form):
    """生成重发批次: one of the programs with failed lines awaiting re-issue."""

    program = forms.ChoiceField(label="救助项目")
    month = month_field("重发月份")

    def __init__(self, *args, programs: list[tuple[str, str]] = (), **kwargs):
        kwargs.setdefault("initial", {"month": this_month()})
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = list(programs)


class SampleDrawForm(forms.Form):
    purpose = forms.ChoiceField(label="类型", choices=SamplePurpose.choices)
    month = month_field()
    program = forms.ChoiceField(label="救助项目", required=False)
    per_street = forms.CharField(label="每街镇抽取数", initial="10", max_length=6,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    seed = forms.CharField(label="随机种子（可空）", required=False, max_length=20,
                           help_text="留空由系统生成；填写记录中的种子可重现抽样",
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"month": this_month(), "per_street": "10"})
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "全部项目")] + program_choices()


OUTCOME_CHOICES = [(v, label) for v, label in CheckOutcome.choices if v != CheckOutcome.PENDING]
