"""Forms of the cemetery pages (input shape only; the rules live in services)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.cemeteries.models import (
    CemeteryKind,
    CemeteryStatus,
    ChecklistCategory,
    ItemResult,
    PlotKind,
)
from minzheng.core.form_fields import FiniteDecimalField
from minzheng.core.models import Division, DivisionLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def yuan_field(label: str, **kwargs) -> forms.DecimalField:
    """An amount in yuan, two decimals, converted to fen by the view."""
    return FiniteDecimalField(label=label, decimal_places=2, max_digits=12, min_value=Decimal("0.01"), **kwargs)


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class StreetField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        return obj.name


def street_field(**kwargs) -> StreetField:
    return StreetField(queryset=Division.objects.filter(level=DivisionLevel.STREET, active=True).order_by("code"),
                       label="所在街镇", empty_label="请选择",
                       error_messages={"required": "请选择所在街镇", "invalid_choice": "请选择本区的街镇"}, **kwargs)


class CemeteryForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CemeteryKind.choices)
    street = street_field()
    operator = forms.CharField(label="经营（管理）单位", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)
    licence_number = forms.CharField(label="批准文号", max_length=100, required=False,
                                     help_text="在营的公墓或骨灰堂必填")
    status = forms.ChoiceField(label="状态", choices=CemeteryStatus.choices)
    note = forms.CharField(label="备注", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SectionForm(forms.Form):
    name = forms.CharField(label="墓区名称", max_length=64)
    note = forms.CharField(label="备注", max_length=200, required=False)


class CapacityForm(forms.Form):
    section = forms.IntegerField(widget=forms.HiddenInput)
    plot_kind = forms.ChoiceField(label="墓穴（格位）类型", choices=PlotKind.choices)
    capacity = forms.IntegerField(label="容量（个）", min_value=0, max_value=10_000_000)


class StockRecordForm(forms.Form):
    sold = forms.IntegerField(label="售出（个）", required=False, min_value=-1_000_000, max_value=1_000_000)
    used = forms.IntegerField(label="安葬（个）", required=False, min_value=-1_000_000, max_value=1_000_000)
    reason = forms.CharField(label="更正原因（减少时必填）", max_length=200, required=False)


class PriceForm(forms.Form):
    plot_kind = forms.ChoiceField(label="墓穴（格位）类型", choices=PlotKind.choices)
    price_yuan = yuan_field("价格（元）")
    effective_from = forms.DateField(label="执行日期", widget=DATE)
    basis = forms.CharField(label="定价依据", max_length=200, required=False,
                            help_text="公益性公墓和骨灰堂必填：核定价格的文件名称和文号")


class CapForm(forms.Form):
    plot_kind = forms.ChoiceField(label="墓穴（格位）类型", choices=PlotKind.choices)
    cap_yuan = yuan_field("最高限价（元）")
    effective_from = forms.DateField(label="执行日期", widget=DATE)
    citation = forms.CharField(label="限价文件（名称和文号）", max_length=200)
    cemetery = forms.TypedChoiceField(label="适用范围", coerce=int, required=False, empty_value=None, choices=[])

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cemetery"].choices = [("", "全区经营性公墓和骨灰堂"), *((s.pk, s.name) for s in sites)]


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    inspectors = forms.CharField(label="检查人员", max_length=200, help_text="姓名，多人用顿号分隔")
    note = forms.CharField(label="检查意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RectificationForm(forms.Form):
    result = forms.TypedChoiceField(label="对应的不符合项", coerce=int, required=False, empty_value=None, choices=[])
    finding = forms.CharField(label="发现的问题", max_length=300, required=False,
                              help_text="选择了不符合项时可不填（沿用检查说明）")
    requirement = forms.CharField(label="整改要求", max_length=300, required=False)
    deadline = forms.DateField(label="整改期限", widget=DATE)
    responsible = forms.CharField(label="整改责任人", max_length=64)

    def __init__(self, *args, failed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [("", "（另行发现的问题）"), *((r.pk, r.item.text) for r in failed)]


class DoneForm(forms.Form):
    done_on = forms.DateField(label="整改完成日期", widget=DATE)
    note = forms.CharField(label="整改情况", max_length=300)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料（PDF、PNG 或 JPEG，不超过10MB）")


class ChecklistItemForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=ChecklistCategory.choices)
    text = forms.CharField(label="检查内容", max_length=300)


RESULT_CHOICES = [("", "未检查"), *ItemResult.choices]
