"""Forms of the sweeping pages: choices by their Chinese labels, dates and
times from the browser's pickers (ADR 0012). The forms only read the input;
every rule is checked by the services."""

from __future__ import annotations

from django import forms

from minzheng.sweeping.models import MAX_COMPANIONS, PeakKind, ProxyService


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text(label: str, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, error_messages={
        "required": f"请填写{label}", "max_length": f"{label}不能超过{max_length}个字"}, **kwargs)


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(),
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"})


def _int(label: str, lo: int, hi: int, **kwargs) -> forms.IntegerField:
    text = f"{label}应为{lo}至{hi}的整数"
    return forms.IntegerField(label=label, min_value=lo, max_value=hi, error_messages={
        "required": f"请填写{label}", "invalid": text, "min_value": text, "max_value": text}, **kwargs)


class CemeteryChoiceForm(forms.Form):
    cemetery = forms.ChoiceField(label="公墓", error_messages={"invalid_choice": "请从列表中选择公墓",
                                                              "required": "请选择公墓"})

    def __init__(self, *args, cemeteries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cemetery"].choices = [(str(c.pk), c.name) for c in cemeteries]


class AreaForm(CemeteryChoiceForm):
    name = _text("祭扫区域名称", 40)
    physical_capacity = _int("每个时段可容纳人数", 1, 30000)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="祭扫高峰", choices=PeakKind.choices,
                             error_messages={"invalid_choice": "请从列表中选择祭扫高峰"})
    title = _text("名称", 64, help_text="如：2027年清明祭扫")
    cemetery = forms.ChoiceField(label="公墓", required=False,
                                 error_messages={"invalid_choice": "请从列表中选择公墓"})
    booking_opens_at = forms.DateTimeField(label="开始预约时间", widget=DateTimeInput(), input_formats=[
        "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], error_messages={"required": "请填写开始预约时间",
                                                            "invalid": "开始预约时间格式不正确"})
    cap_percent = _int("预约上限（可容纳人数的百分比）", 1, 100, initial=100,
                       help_text="未设上限时填100；2022年清明按可容纳人数的50%控制预约")

    def __init__(self, *args, cemeteries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cemetery"].choices = [("", "全部公墓")] + [(str(c.pk), c.name) for c in cemeteries]


class DayPlanForm(forms.Form):
    date = _date("日期")
    times = forms.CharField(label="时段安排", widget=forms.Textarea(attrs={"rows": 7}),
                            error_messages={"required": "请填写时段安排"},
                            help_text="每行一个时段，如 07:00-08:30")
    note = _text("说明", 100, required=False)


class ReservationForm(forms.Form):
    name = _text("预约人姓名", 64)
    id_number = _text("预约人身份证号码", 18)
    phone = _text("联系电话", 11, help_text="11位手机号码，用于短信通知")
    companions = _int("同行人数", 0, MAX_COMPANIONS, initial=0, help_text=f"不含预约人，最多{MAX_COMPANIONS}人")


class CancelForm(forms.Form):
    reason = _text("取消原因", 200)


class GateForm(CemeteryChoiceForm):
    code = _text("预约码", 20, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                            "class": "font-monospace"}),
                 help_text="输入预约码，或用扫码枪扫描预约确认页上的二维码")


class ProxyOrderForm(CemeteryChoiceForm):
    deceased_name = _text("逝者姓名", 64)
    grave_location = _text("墓位位置", 100, help_text="如：三区12排5号")
    service_date = _date("祭扫日期")
    services = forms.MultipleChoiceField(label="服务项目", choices=ProxyService.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "请选择服务项目",
                                                         "invalid_choice": "请从列表中选择服务项目"})
    family_name = _text("家属姓名", 64)
    family_phone = _text("家属联系电话", 11)
    message = _text("家属嘱托", 500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ProxyCompleteForm(forms.Form):
    note = _text("服务记录", 500, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="服务照片（JPEG或PNG，每张不超过5 MB）", required=False)
