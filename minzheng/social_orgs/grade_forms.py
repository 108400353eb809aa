"""Forms of the evaluation-grade pages (input shape only; the rules live in
:mod:`.grades`). Amounts typed in yuan, kept in fen."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.social_orgs.grade_models import Grade, SanctionKind
from minzheng.social_orgs.models import PartyStatus
from policy.money import parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为YYYY-MM-DD"})


DECISION_CHOICES = [*Grade.choices, ("none", "不予评定等级")]


class RoundForm(forms.Form):
    year = forms.IntegerField(label="评估年度", min_value=2000, max_value=2099)
    opens_on = _date("申报开始日期")
    closes_on = _date("申报截止日期")
    note = forms.CharField(label="说明（通知文号）", max_length=300, required=False)


class ApplyForm(forms.Form):
    round = forms.TypedChoiceField(label="评估年度", coerce=int)
    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    applied_on = _date("申报日期")


class ScoreForm(forms.Form):
    expert = forms.CharField(label="评估专家", max_length=64)
    score = forms.IntegerField(label="评分（满分1000分）", min_value=0, max_value=1000)
    scored_on = _date("评分日期")
    note = forms.CharField(label="评分意见", max_length=500, required=False)


class DecideForm(forms.Form):
    grade = forms.ChoiceField(label="评估委员会审定结果", choices=DECISION_CHOICES)
    decided_on = _date("审定日期")
    basis = forms.CharField(label="审定依据（评估委员会审定意见或公告文号）", max_length=300)
    party_status = forms.ChoiceField(label="评估时党组织建立情况（党建三同步）", choices=PartyStatus.choices)


class SanctionForm(forms.Form):
    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    kind = forms.ChoiceField(label="类别", choices=SanctionKind.choices)
    started_on = _date("开始日期")
    ended_on = _date("结束日期（未结束请留空）", required=False)
    document = forms.CharField(label="决定书或立案文号", max_length=100)
    description = forms.CharField(label="事由", max_length=500)


class SanctionEndForm(forms.Form):
    ended_on = _date("结束日期")


class RewardParameterForm(forms.Form):
    grade = forms.ChoiceField(label="评估等级", choices=Grade.choices)
    effective_from = _date("起始日期")
    amount = FiniteDecimalField(label="奖励金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                max_value=10_000_000)
    document_name = forms.CharField(label="依据文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100)

    def amount_fen(self) -> int:
        return parse_yuan(str(self.cleaned_data["amount"]))


class RewardPayForm(forms.Form):
    bank_name = forms.CharField(label="开户银行", max_length=64)
    account_number = forms.CharField(label="银行账号", max_length=34)
