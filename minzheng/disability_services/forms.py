"""Forms of 残疾人服务 (ADR 0037): every number and date bounded (``core.bounds``)."""

from __future__ import annotations

from django import forms

from minzheng.core.bounds import EARLIEST_DAY, LATEST_DAY
from minzheng.core.form_fields import FiniteDecimalField
from minzheng.disability_services.models import (
    ApplicantRelation,
    DeviceCategory,
    ParameterKind,
    SiteStatus,
)
from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def day_field(label: str, *, required: bool = True) -> forms.DateField:
    return _bounded(forms.DateField(label=label, widget=DATE, required=required))


def _bounded(field: forms.DateField) -> forms.DateField:
    from django.core.validators import MaxValueValidator, MinValueValidator

    field.validators += [MinValueValidator(EARLIEST_DAY, "日期不能早于2000-01-01"),
                         MaxValueValidator(LATEST_DAY, "日期不能晚于2099-12-31")]
    return field


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return [("", "请选择")] + list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code")
                                   .values_list("code", "name"))


def yuan_field(label: str, *, required: bool = True) -> FiniteDecimalField:
    return FiniteDecimalField(label=label, min_value=0.01, max_value=100_000, decimal_places=2, required=required)


def fen(value) -> int:
    return int((value * 100).to_integral_value())


class PointForm(forms.Form):
    name = forms.CharField(label="服务点名称", max_length=100)
    street_code = forms.ChoiceField(label="街镇", choices=street_choices)
    address = forms.CharField(label="地址", max_length=200)
    operator = forms.CharField(label="租赁服务机构", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    opened_on = day_field("开始服务日期")


class RentalForm(forms.Form):
    point = forms.TypedChoiceField(label="服务点", coerce=int, choices=())
    person = person_field("租用人（残疾人）")
    device_category = forms.ChoiceField(label="辅具类别", choices=[("", "请选择"), *DeviceCategory.choices])
    device_name = forms.CharField(label="辅具名称型号", max_length=100)
    start_on = day_field("租用开始日期")
    end_on = day_field("租用结束日期", required=False)
    monthly_rent = yuan_field("月租金（元）")

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [("", "请选择"), *[(p.pk, f"{p.street.name} {p.name}") for p in points]]


class EndForm(forms.Form):
    on = day_field("日期")


class ApplyForm(forms.Form):
    applicant_relation = forms.ChoiceField(label="申请人与残疾人关系", choices=ApplicantRelation.choices)
    applicant_name = forms.CharField(label="申请人姓名（代办时填写）", max_length=64, required=False)
    applied_on = day_field("申请日期")


class RejectForm(forms.Form):
    reason = forms.CharField(label="不予补贴的原因", max_length=200)


class CitedValueForm(forms.Form):
    kind = forms.ChoiceField(label="参数", choices=ParameterKind.choices)
    effective_from = day_field("起始日期")
    value = FiniteDecimalField(label="取值（比例填百分数，上限填元）", min_value=0.01, max_value=100_000,
                               decimal_places=2)
    document_name = forms.CharField(label="依据文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ParameterKind.SHARE and data.get("value") is not None \
                and data["value"] != data["value"].to_integral_value():
            self.add_error("value", "补贴比例请填整数百分数")
        return data

    def service_value(self) -> int:
        data = self.cleaned_data
        return int(data["value"]) if data["kind"] == ParameterKind.SHARE else fen(data["value"])


class RehabSiteForm(forms.Form):
    name = forms.CharField(label="站点名称", max_length=100)
    street_code = forms.ChoiceField(label="街镇", choices=street_choices)
    address = forms.CharField(label="地址", max_length=200)
    operator = forms.CharField(label="运营机构", max_length=100, required=False)


class SiteStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=SiteStatus.choices)
    effective_on = day_field("生效日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class EnrolForm(forms.Form):
    person = person_field("服务对象")
    enrolled_on = day_field("纳入服务日期")


class ExitForm(forms.Form):
    exited_on = day_field("结束服务日期")
    reason = forms.CharField(label="结束原因", max_length=200)


class BedSiteForm(forms.Form):
    name = forms.CharField(label="机构（照护单元）名称", max_length=100)
    street_code = forms.ChoiceField(label="街镇", choices=street_choices)
    address = forms.CharField(label="地址", max_length=200)
    planned_beds = forms.IntegerField(label="计划床位数", min_value=1, max_value=10_000)


class BedOpenForm(forms.Form):
    site = forms.TypedChoiceField(label="床位点", coerce=int, choices=())
    opened_on = day_field("投用日期")
    beds = forms.IntegerField(label="投用床位数", min_value=1, max_value=10_000)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "请选择"), *[(s.pk, s.name) for s in sites]]


class CoverageTargetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    percent = forms.IntegerField(label="目标覆盖率（%）", min_value=1, max_value=100)
    source = forms.CharField(label="出处（文件名称和原文）", max_length=300)
