"""Forms of 一键通 and the home-safety alerts (ADR 0033): devices, the call's
dispatch and arrival, a task's outcome, a rule, a feed file."""

from __future__ import annotations

from django import forms

from minzheng.core.bounds import day_check
from minzheng.elder_alerts.models import DeviceStatus, FeedKind, Outcome, Responder, SensorKind
from minzheng.registry.pickers import person_field

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _when(label: str, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DATETIME, input_formats=DATETIME_FORMATS,
                               error_messages={"invalid": "时间格式不正确", "required": f"请填写{label}"})


class CallDeviceForm(forms.Form):
    person = person_field("老人")
    number = forms.CharField(label="终端编号", max_length=32)
    installed_on = forms.DateField(label="安装日期", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="状态", choices=DeviceStatus.choices, initial=DeviceStatus.IN_USE)
    note = forms.CharField(label="备注", max_length=200, required=False)


class SensorDeviceForm(forms.Form):
    person = person_field("老人")
    kind = forms.ChoiceField(label="设备类型", choices=SensorKind.choices)
    number = forms.CharField(label="设备编号", max_length=32)
    installed_on = forms.DateField(label="安装日期", widget=forms.DateInput(attrs={"type": "date"}))
    quiet_hours = forms.IntegerField(label="无用水提醒时长（白天小时）", required=False, min_value=1, max_value=72,
                                     help_text="仅智能水表；为空时按规则默认")


class CallResponseForm(forms.Form):
    responder = forms.ChoiceField(label="派单对象", choices=[("", "未派单"), *Responder.choices], required=False)
    dispatched_at = _when("派单时间")
    arrived_at = _when("到达时间")
    resolved_at = _when("处置完成时间")


class TaskCloseForm(forms.Form):
    outcome = forms.ChoiceField(label="处置结果", choices=Outcome.choices)
    cause = forms.CharField(label="误报原因", max_length=200, required=False, help_text="结果为误报时必填")
    visited_at = _when("到场时间")
    note = forms.CharField(label="情况说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    label = forms.CharField(label="名称", max_length=100)
    enabled = forms.BooleanField(label="启用", required=False)
    hours = forms.IntegerField(label="时长（小时）", required=False, min_value=1, max_value=168)
    day_start = forms.TimeField(label="白天开始", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    day_end = forms.TimeField(label="白天结束", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    response_minutes = forms.IntegerField(label="处置时限（分钟）", min_value=1, max_value=10080)  # at most a week


class FeedForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=FeedKind.choices, error_messages={"required": "请选择数据类型"})
    file = forms.FileField(label="文件（CSV 或 JSONL）", error_messages={"required": "请选择要导入的文件"})


class ScanForm(forms.Form):
    until = forms.DateTimeField(label="扫描截止时间", input_formats=DATETIME_FORMATS, widget=DATETIME,
                                error_messages={"required": "请填写扫描截止时间", "invalid": "截止时间格式不对"})

    def clean_until(self):
        until = self.cleaned_data["until"]
        day_check(until.date(), "扫描截止时间")
        return until
