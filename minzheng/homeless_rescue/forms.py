"""Forms of 流浪乞讨人员救助 (ADR 0038). Bounds are checked again by the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.homeless_rescue.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    CampaignKind,
    FinderKind,
    Outcome,
    ServiceKind,
    Sex,
    WarningKind,
    WarningLevel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class RescueForm(forms.Form):
    found_at = forms.DateTimeField(label="发现时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    street = forms.ChoiceField(label="发现街镇")
    place = forms.CharField(label="发现地点", max_length=200)
    latitude = FiniteDecimalField(label="纬度", required=False, max_digits=8, decimal_places=5,
                                  min_value=Decimal(str(LATITUDE_RANGE[0])), max_value=Decimal(str(LATITUDE_RANGE[1])))
    longitude = FiniteDecimalField(label="经度", required=False, max_digits=8, decimal_places=5,
                                   min_value=Decimal(str(LONGITUDE_RANGE[0])),
                                   max_value=Decimal(str(LONGITUDE_RANGE[1])))
    finder_kind = forms.ModelChoiceField(label="发现来源", queryset=FinderKind.objects.filter(active=True),
                                         empty_label=None)
    finder_unit = forms.CharField(label="发现单位或人员", max_length=100, required=False)
    needs = forms.CharField(label="救助需求", widget=TEXTAREA, max_length=2000)
    shift = forms.ChoiceField(label="巡查班次", required=False)
    id_number = forms.CharField(label="身份证号（已知时填写，自动匹配以往受助记录）", max_length=18, required=False)
    name = forms.CharField(label="姓名", max_length=64, required=False)
    sex = forms.ChoiceField(label="性别", choices=Sex.choices, initial=Sex.UNKNOWN)
    age_estimate = forms.IntegerField(label="估计年龄", min_value=0, max_value=120, required=False)
    description = forms.CharField(label="体貌特征（身份不明时必填）", widget=TEXTAREA, max_length=2000, required=False)
    hometown = forms.CharField(label="自述户籍地或家乡", max_length=100, required=False)

    def __init__(self, *args, streets=(), shifts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(s.code, s.name) for s in streets]
        self.fields["shift"].choices = [("", "（按发现时间自动关联）")] + [
            (str(s.pk), f"{s.campaign.name}：{s}") for s in shifts]


class ServiceForm(forms.Form):
    kind = forms.ModelChoiceField(label="服务", queryset=ServiceKind.objects.filter(active=True), empty_label=None)
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=999, initial=1)
    given_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="结果", choices=[c for c in Outcome.choices if c[0] != Outcome.IN_CARE])
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="去向或说明（返乡地、安置机构）", max_length=200, required=False)


class FollowUpForm(forms.Form):
    on = forms.DateField(label="回访日期", widget=DATE)
    note = forms.CharField(label="回访情况", max_length=500)


class IdentifyForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=18)
    name = forms.CharField(label="姓名", max_length=64, required=False)


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64, required=False)
    sex = forms.ChoiceField(label="性别", choices=Sex.choices)
    age_estimate = forms.IntegerField(label="估计年龄", min_value=0, max_value=120, required=False)
    description = forms.CharField(label="体貌特征", widget=TEXTAREA, max_length=2000, required=False)
    hometown = forms.CharField(label="自述户籍地或家乡", max_length=100, required=False)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label="并入本记录的受助人员编号", min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(label="合并依据（如：照片比对、本人确认）", max_length=200)


class UndoForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)


class WarningForm(forms.Form):
    kind = forms.ChoiceField(label="预警种类", choices=WarningKind.choices)
    level = forms.ChoiceField(label="预警级别", choices=WarningLevel.choices)
    issued_at = forms.DateTimeField(label="发布时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    issuer = forms.CharField(label="发布单位", max_length=64, initial="上海中心气象台")
    note = forms.CharField(label="说明", max_length=200, required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label="行动名称", max_length=64)
    kind = forms.ChoiceField(label="行动类型", choices=CampaignKind.choices)
    warning = forms.ChoiceField(label="触发预警")
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期（可空）", widget=DATE, required=False)

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warning"].choices = [(str(w.pk), str(w)) for w in warnings]


class CloseForm(forms.Form):
    ends_on = forms.DateField(label="结束日期", widget=DATE)


class ShiftForm(forms.Form):
    street = forms.ChoiceField(label="街镇")
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    team = forms.CharField(label="巡查人员", max_length=200)

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(s.code, s.name) for s in streets]


class ShiftReportForm(forms.Form):
    people_met = forms.IntegerField(label="发现人数", min_value=0, max_value=10_000)
    people_refused = forms.IntegerField(label="劝导后拒绝救助人数", min_value=0, max_value=10_000, initial=0)
    note = forms.CharField(label="情况说明", max_length=500, required=False)
