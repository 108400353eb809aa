"""Forms of the support-fund pages (ADR 0043): input shape only, amounts in yuan
(two decimals, turned into fen here); the rules live in :mod:`.support_funds`."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.social_orgs.models import FundCall, FundKind, ReportConclusion
from policy.money import parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_YUAN = 10**10
CRITERION_LINE = re.compile(r"^(?P<name>.+?)[\s:：,，]+(?P<weight>\S+)$")


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为YYYY-MM-DD"})


def _yuan(label: str, *, minimum: int = 0) -> FiniteDecimalField:
    return FiniteDecimalField(label=label, max_digits=13, decimal_places=2, min_value=minimum, max_value=MAX_YUAN)


def fen(value: Any) -> int:
    return parse_yuan(str(value))


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """One criterion a line: its name, then its points (``项目需求与目标 30`` or ``…：30``)."""
    rows: list[tuple[str, int]] = []
    for number, line in enumerate((raw.strip() for raw in text.splitlines()), start=1):
        if not line:
            continue
        match = CRITERION_LINE.match(line)
        weight = match.group("weight") if match else ""
        if match is None or not (weight.isascii() and weight.isdigit()) or len(weight) > 3:
            raise forms.ValidationError(f"评分标准第{number}行应为“评分项目 分值”，分值为整数")
        rows.append((match.group("name").strip(), int(weight)))
    return rows


class CallForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=FundKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    title = forms.CharField(label="名称", max_length=100)
    basis = forms.CharField(label="依据（文件名称和文号）", max_length=300,
                            help_text="例如《松江区促进社会组织高质量发展扶持办法》及本次申报通知的文号")
    budget = _yuan("资金总额（元）", minimum=0)
    max_per_project = _yuan("单个项目资助上限（元）", minimum=0)
    opens_on = _date("申报开始日期")
    closes_on = _date("申报截止日期")
    first_instalment_percent = forms.IntegerField(
        label="立项时拨付比例（%）", min_value=1, max_value=100,
        help_text="立项时先拨付的比例，余款在结项报告验收合格后拨付；100表示立项时全额拨付")
    several_per_org = forms.BooleanField(label="允许同一社会组织申报多个项目", required=False)
    criteria = forms.CharField(
        label="评分标准（每行一项：评分项目 分值，合计100分）", max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="项目需求与目标 25\n实施方案与可行性 30\n组织能力 20\n预算合理性 15\n社会效益与可持续性 10")

    def clean_criteria(self) -> list[tuple[str, int]]:
        return parse_criteria(self.cleaned_data["criteria"])

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["budget_fen"] = fen(data.pop("budget"))
        data["max_per_project_fen"] = fen(data.pop("max_per_project"))
        return data


class ApplicationForm(forms.Form):
    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    project_name = forms.CharField(label="项目名称", max_length=100)
    summary = forms.CharField(label="项目简介（服务对象、内容、目标）", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    requested = _yuan("申请金额（元）", minimum=0)

    def service_values(self) -> dict[str, Any]:
        return {"project_name": self.cleaned_data["project_name"], "summary": self.cleaned_data["summary"],
                "requested_fen": fen(self.cleaned_data["requested"])}


def score_form(call: FundCall, data: Any = None) -> forms.Form:
    """A reviewer's score sheet: one whole-number field per criterion, 0 … its weight."""
    fields: dict[str, forms.Field] = {"reviewer": forms.CharField(label="评审专家姓名", max_length=64)}
    for criterion in call.criteria.all():
        fields[f"c{criterion.pk}"] = forms.IntegerField(label=f"{criterion.name}（0–{criterion.weight}分）",
                                                        min_value=0, max_value=criterion.weight)
    form_class = type("ScoreSheetForm", (forms.Form,), fields)
    return form_class(data)


def score_points(form: forms.Form) -> dict[int, int]:
    return {int(name[1:]): value for name, value in form.cleaned_data.items() if name != "reviewer"}


class DecideForm(forms.Form):
    award = forms.TypedChoiceField(label="决定", choices=[("1", "资助"), ("0", "不予资助")],
                                   coerce=lambda v: v == "1")
    amount = _yuan("资助金额（元；不予资助时不填）", minimum=0)
    on = _date("决定日期")
    reason = forms.CharField(label="决定理由（不予资助时必填）", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        amount = data.pop("amount")
        data["amount_fen"] = None if amount is None else fen(amount)
        return data


class PayForm(forms.Form):
    bank_name = forms.CharField(label="开户银行", max_length=64, required=False)
    account_number = forms.CharField(label="银行账号", max_length=40, required=False,
                                     help_text="已登记收款账户的可不填；填写则登记为新的收款账户")


class FinalReportForm(forms.Form):
    outcomes = forms.CharField(label="项目成效", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    beneficiaries = forms.IntegerField(label="服务人次", min_value=0, max_value=10_000_000)
    spent = _yuan("资金使用（元）", minimum=0)
    spending_note = forms.CharField(label="资金使用说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["spent_fen"] = fen(data.pop("spent"))
        return data


class ReportReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label="验收结论", choices=ReportConclusion.choices)
    reasons = forms.CharField(label="验收意见（不合格时必填）", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("验收日期")
