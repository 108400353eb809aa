"""Forms of the booking pages: choices by their Chinese labels, dates and
times from the browser's pickers (ADR 0012). The forms only read the input;
every rule is checked by the services."""

from __future__ import annotations

from django import forms

from minzheng.bookings.models import ResourceKind
from minzheng.core.models import Division, DivisionLevel

WEEKDAYS = [("1", "星期一"), ("2", "星期二"), ("3", "星期三"), ("4", "星期四"), ("5", "星期五"), ("6", "星期六"),
            ("7", "星期日")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(),
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"})


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, widget=TimeInput(),
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"})


def _int(label: str, lo: int, hi: int) -> forms.IntegerField:
    text = f"{label}应为{lo}至{hi}的整数"
    return forms.IntegerField(label=label, min_value=lo, max_value=hi, error_messages={
        "required": f"请填写{label}", "invalid": text, "min_value": text, "max_value": text})


class ResourceNewForm(forms.Form):
    name = forms.CharField(label="名称", max_length=64, error_messages={"required": "请填写名称"})
    kind = forms.ChoiceField(label="类型", choices=ResourceKind.choices,
                             error_messages={"invalid_choice": "请从列表中选择资源类型"})
    division = forms.ChoiceField(label="所属区划", error_messages={"invalid_choice": "请从列表中选择所属区划"})
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = list(
            Division.objects.filter(level__in=[DivisionLevel.DISTRICT, DivisionLevel.STREET], active=True)
            .order_by("code").values_list("code", "name"))

    def division_obj(self) -> Division:
        return Division.objects.get(code=self.cleaned_data["division"])


class ResourceUpdateForm(forms.Form):
    name = forms.CharField(label="名称", max_length=64, error_messages={"required": "请填写名称"})
    active = forms.BooleanField(label="启用（可接受预约）", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class TemplateForm(forms.Form):
    weekdays = forms.MultipleChoiceField(label="开放星期", choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple,
                                         initial=["1", "2", "3", "4", "5"],
                                         error_messages={"required": "请选择开放的星期"})
    day_start = _time("开始时间")
    day_end = _time("结束时间")
    slot_minutes = _int("每个时段（分钟）", 5, 480)
    capacity = _int("每个时段可约数", 1, 999)


class SpecialDayForm(forms.Form):
    date = _date("日期")
    name = forms.CharField(label="名称（如：七夕）", max_length=40, error_messages={"required": "请填写名称"})


class ClosureForm(forms.Form):
    date_from = _date("起始日期")
    date_to = _date("截止日期")
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写暂停开放原因"})


class GenerateForm(forms.Form):
    date_from = _date("起始日期")
    date_to = _date("截止日期")


class BookingForm(forms.Form):
    """Staff at the window: up to two people (both parties of a marriage registration)."""

    name_1 = forms.CharField(label="预约人姓名", max_length=64, error_messages={"required": "请填写预约人姓名"})
    id_number_1 = forms.CharField(label="预约人身份证号码", max_length=30,
                                  error_messages={"required": "请填写预约人身份证号码"})
    name_2 = forms.CharField(label="另一方姓名（如有）", max_length=64, required=False)
    id_number_2 = forms.CharField(label="另一方身份证号码（如有）", max_length=30, required=False)
    purpose = forms.CharField(label="预约事项", max_length=200, error_messages={"required": "请填写预约事项"})
    contact_phone = forms.CharField(label="联系电话（手机，用于短信通知）", max_length=20, required=False)

    def parties(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        people = [(data["name_1"], data["id_number_1"])]
        if data.get("name_2") or data.get("id_number_2"):
            people.append((data.get("name_2", ""), data.get("id_number_2", "")))
        return people


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200, error_messages={"required": "请填写取消原因"})
