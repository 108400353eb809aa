"""Forms of the funeral-subsidy pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.funeral_subsidies.models import BurialKind, GrantKind
from minzheng.registry.pickers import person_field
from policy.money import parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_YES_NO = [("", "不清楚"), ("1", "是"), ("0", "否")]


class YuanField(forms.CharField):
    """An amount typed in yuan (at most two decimals), cleaned to integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            fen = parse_yuan(text, thousands=True)  # the one money parser: plain decimals, bounded
        except ValueError as err:
            raise forms.ValidationError(f"{err}（如 980 或 650.50）") from None
        if fen <= 0:
            raise forms.ValidationError("金额应大于0")
        return fen


def _tri(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class ReceiptsForm(forms.Form):
    cost = YuanField(label="基本殡葬服务实际费用（元）",
                     help_text="遗体接运、5天以内冷藏、平板炉火化、1年以内骨灰寄存的费用合计")
    note = forms.CharField(label="票据说明", max_length=190, widget=forms.TextInput(
        attrs={"placeholder": "如：某殡仪馆 票据号 0001234"}))


class FactsForm(forms.Form):
    dingqi_dingliang = forms.ChoiceField(label="逝者是否为定期定量生活补助对象", choices=UNKNOWN_YES_NO, required=False)
    funeral_pay = forms.ChoiceField(label="逝者是否享受社会保险丧葬补助金", choices=UNKNOWN_YES_NO, required=False)
    note = forms.CharField(label="核实依据", max_length=200, widget=forms.TextInput(
        attrs={"placeholder": "如：区社保中心答复、家属提供的证明"}))

    def facts(self) -> dict:
        return {"dingqi_dingliang": _tri(self.cleaned_data["dingqi_dingliang"]),
                "funeral_pay": _tri(self.cleaned_data["funeral_pay"]), "note": self.cleaned_data["note"]}


class PayeeForm(forms.Form):
    payee = person_field("家属收款人", help_text="须为人口库中的在世人员，并已登记代发账户")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="不予补贴的原因", max_length=300, widget=forms.TextInput(
        attrs={"placeholder": "将告知家属"}))


class SettledForm(forms.Form):
    note = forms.CharField(label="结算凭证", max_length=180, widget=forms.TextInput(
        attrs={"placeholder": "如：付款凭证号"}))


class BurialForm(forms.Form):
    kind = forms.ChoiceField(label="安葬方式", choices=[("", "请选择"), *BurialKind.choices])
    burial_date = forms.DateField(label="安葬日期", widget=DATE)
    person = person_field("逝者（人口库中的人员）", required=False,
                          help_text="人口库中没有的逝者，请填写下面的姓名和身份证号")
    name = forms.CharField(label="逝者姓名", max_length=64, required=False)
    id_number = forms.CharField(label="逝者身份证号", max_length=18, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    death_date = forms.DateField(label="死亡日期", widget=DATE, required=False)
    urns = forms.IntegerField(label="骨灰数（具）", min_value=1, max_value=50, initial=1)
    payee = person_field("家属收款人", required=False, help_text="补贴发放至其代发账户；可稍后在补贴详情页选择")
    operator_name = forms.CharField(label="船舶单位／安葬单位", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") and data.get("id_number")):
            raise forms.ValidationError("请选择人口库中的逝者，或填写逝者姓名和身份证号")
        return data


class CitedValueForm(forms.Form):
    kind = forms.ChoiceField(label="补贴类别", choices=[("", "请选择"), *GrantKind.choices])
    effective_from = forms.DateField(label="起始日期", widget=DATE)
    amount = YuanField(label="金额（元）", help_text="基本殡葬服务补贴为每位逝者的最高额，其他为每具骨灰的金额")
    document_name = forms.CharField(label="依据文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "如：沪民规〔2025〕10号"}))
