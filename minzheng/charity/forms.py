"""Forms of 慈善超市 and 福利彩票 (ADR 0040). Numbers are bounded here (a huge
quantity or a year 99999 is a form error, never a 500)."""

from __future__ import annotations

from django import forms

from minzheng.charity.models import DonationKind, DonorKind, ImportMode, SupermarketStatus
from minzheng.charity.services import MAX_QUANTITY
from minzheng.core.form_fields import FiniteDecimalField
from minzheng.core.pickers import committee_field
from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupermarketForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    operator = forms.CharField(label="运营方", max_length=100)
    street = forms.ChoiceField(label="街镇")
    committee = committee_field("居村委（超市工作人员所在居村委）")
    address = forms.CharField(label="地址", max_length=200)
    opened_on = forms.DateField(label="开业日期", widget=DATE)

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(s.code, s.name) for s in streets]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=SupermarketStatus.choices)
    reason = forms.CharField(label="原因", max_length=200)


class DonationForm(forms.Form):
    kind = forms.ChoiceField(label="捐赠类型", choices=DonationKind.choices)
    donor_kind = forms.ChoiceField(label="捐赠方类型", choices=DonorKind.choices)
    donor_name = forms.CharField(label="捐赠方名称（匿名不填）", max_length=100, required=False)
    received_on = forms.DateField(label="捐赠日期", widget=DATE)
    receipt_no = forms.CharField(label="票据号", max_length=40, required=False)
    amount = FiniteDecimalField(label="金额（元，资金捐赠）", required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    item = forms.CharField(label="物品（物资捐赠）", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"list": "charity-items"}))
    unit = forms.CharField(label="单位（新物品必填）", max_length=10, required=False)
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=MAX_QUANTITY, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class DistributionForm(forms.Form):
    person = person_field("受助人")
    given_on = forms.DateField(label="发放日期", widget=DATE)
    item = forms.ChoiceField(label="物品")
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=MAX_QUANTITY)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, stock=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(s.item_id, f"{s.item.name}（库存 {s.quantity}{s.item.unit}）")
                                       for s in stock]


class ReverseForm(forms.Form):
    reason = forms.CharField(label="冲正原因", max_length=200)


class OutletForm(forms.Form):
    code = forms.CharField(label="网点编号", max_length=20)
    name = forms.CharField(label="网点名称", max_length=100)
    street = forms.ChoiceField(label="街镇")
    address = forms.CharField(label="地址", max_length=200)

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(s.code, s.name) for s in streets]


class ImportForm(forms.Form):
    file = forms.FileField(label="销售数据文件（.csv / .xlsx）")
    mode = forms.ChoiceField(label="导入方式", choices=ImportMode.choices)
    correction_reason = forms.CharField(label="更正原因（仅当以本文件更正已导入的数据时填写）", max_length=200,
                                        required=False)


class RateForm(forms.Form):
    effective_from = forms.DateField(label="起始日期", widget=DATE)
    percent = FiniteDecimalField(label="提取比例（%）", min_value=0, max_value=100, max_digits=5, decimal_places=2)
    document_name = forms.CharField(label="依据文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100)
