"""Forms of the caregiver pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.care_facilities.models import Facility
from minzheng.caregivers.models import CertificateLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = [("", "未持证")] + list(CertificateLevel.choices)


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE,
                           error_messages={"invalid": f"{label}格式应为YYYY-MM-DD", "required": f"请填写{label}"})


class EmployerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Facility) -> str:
        return f"{obj.name}（{obj.street.name}）"


class CaregiverForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    employer = EmployerField(queryset=Facility.objects.none(), label="工作单位", empty_label="请选择",
                             error_messages={"required": "请选择工作单位", "invalid_choice": "请选择您辖区内的设施"})
    employed_since = _date("入职日期")
    certificate_level = forms.ChoiceField(label="等级证书", choices=LEVELS, required=False)
    certificate_number = forms.CharField(label="证书编号", max_length=40, required=False)
    certificate_issued_on = _date("发证日期")
    note = forms.CharField(label="备注", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers


class CaregiverNewForm(CaregiverForm):
    id_number = forms.CharField(label="身份证号码", max_length=18)
    field_order = ["name", "id_number"]


class CaregiverEditForm(CaregiverForm):
    active = forms.BooleanField(label="在职", required=False)
    left_on = _date("离职日期")


class TrainingForm(forms.Form):
    course = forms.CharField(label="培训课程", max_length=100)
    hours = forms.IntegerField(label="学时", min_value=1, max_value=2000)
    started_on = _date("开始日期", required=True)
    ended_on = _date("结束日期", required=True)
    resulting_level = forms.ChoiceField(label="培训后取得等级", choices=[("", "无（未取得等级）")] + list(
        CertificateLevel.choices), required=False)
    certificate_number = forms.CharField(label="新证书编号", max_length=40, required=False)


class AwardForm(forms.Form):
    title = forms.CharField(label="荣誉", max_length=100, initial="最美护理员")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    awarded_by = forms.CharField(label="授予单位", max_length=100, required=False)
