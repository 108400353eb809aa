"""Forms of 居家环境适老化改造 (ADR 0034)."""

from __future__ import annotations

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    elder = person_field("老年人")
    address = forms.CharField(label="改造地址", max_length=200)
    applied_on = forms.DateField(label="申请日期", widget=DATE)


class DatedForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)


class ItemForm(forms.Form):
    unit_price = FiniteDecimalField(label="单价（元）", min_value=0.01, max_value=1_000_000, decimal_places=2)
    price_basis = forms.CharField(label="价格依据", max_length=200)
    subsidy_percent = forms.IntegerField(label="补贴比例（%）", min_value=0, max_value=100, required=False)
    subsidy_basis = forms.CharField(label="补贴比例依据", max_length=200, required=False)


class ContractorForm(forms.Form):
    name = forms.CharField(label="施工单位", max_length=100)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    contact = forms.CharField(label="联系人", max_length=64, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)


class TargetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    target_households = forms.IntegerField(label="目标户数", min_value=0, max_value=100000, required=False)
    reported_done = forms.IntegerField(label="报告完成户数", min_value=0, max_value=100000, required=False)
    source = forms.CharField(label="出处（文件名称和原文）", max_length=300)
