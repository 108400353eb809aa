"""Forms of the facility pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.care_facilities.models import FacilityKind, FacilityStatus, TargetMeasure
from minzheng.core.form_fields import FiniteDecimalField
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.pickers import committee_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE,
                           error_messages={"invalid": f"{label}格式应为YYYY-MM-DD"}, **kwargs)


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=100000,
                              help_text="未录入请留空（不是0）")


class FacilityForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=FacilityKind.choices)
    committee = committee_field("所在居村委", required=True)
    address = forms.CharField(label="地址", max_length=200, required=False)
    longitude = FiniteDecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    latitude = FiniteDecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    operator_name = forms.CharField(label="运营单位", max_length=100, required=False)
    operator_uscc = forms.CharField(label="运营单位统一社会信用代码", max_length=18, required=False)
    beds = _count("床位数")
    dementia_beds = _count("认知障碍照护床位数")
    dementia_beds_since = _date("认知障碍照护床位投用日期")
    area_m2 = FiniteDecimalField(label="面积（平方米）", max_digits=9, decimal_places=1, required=False)
    opening_hours = forms.CharField(label="开放时间", max_length=100, required=False)
    smart = forms.BooleanField(label="智慧养老院", required=False)
    smart_since = _date("建成智慧养老院日期")
    internet_hospital = forms.BooleanField(label="养老院+互联网医院", required=False)
    internet_hospital_since = _date("接入互联网医院日期")
    note = forms.CharField(label="备注", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_committee(self) -> Division:
        code = self.cleaned_data["committee"]
        committee = Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()
        if committee is None:
            raise forms.ValidationError("请选择本区的居村委")
        return committee


class FacilityNewForm(FacilityForm):
    """Registering: also the status reached so far and its dates."""

    status = forms.ChoiceField(label="状态", choices=FacilityStatus.choices, initial=FacilityStatus.PLANNED)
    planned_on = _date("列入计划日期")
    building_since = _date("开工日期")
    operating_since = _date("运营日期")
    closed_on = _date("停业日期")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=FacilityStatus.choices)
    on = forms.DateField(label="日期", widget=DATE, error_messages={"required": "请填写日期",
                                                                   "invalid": "日期格式应为YYYY-MM-DD"})


class StaffLinkForm(forms.Form):
    username = forms.CharField(label="工作人员账号", max_length=150)


class ImportForm(forms.Form):
    file = forms.FileField(label="登记表文件（.xlsx 或 .csv）", error_messages={"required": "请选择文件"})


class TargetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    measure = forms.ChoiceField(label="指标", choices=TargetMeasure.choices)
    target = forms.IntegerField(label="目标数", min_value=1, max_value=1000000)
    source = forms.CharField(label="依据（工作计划原文）", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
