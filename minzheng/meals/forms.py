"""Forms of the meal assistance pages (Chinese labels and errors)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from minzheng.meals.models import MealKind, MealSlot


class CounterForm(forms.Form):
    """The counter's fast form: ID number or name → meal time and kind → saved."""

    who = forms.CharField(label="身份证号或姓名", max_length=64,
                          help_text="刷卡或输入身份证号；输入姓名时仅在本助餐点的就餐老人中查找",
                          error_messages={"required": "请输入老人的身份证号或姓名"})
    slot = forms.ChoiceField(label="餐次", choices=MealSlot.choices, initial=MealSlot.LUNCH)
    kind = forms.ChoiceField(label="用餐方式", choices=MealKind.choices, initial=MealKind.DINE_IN)
    day = forms.DateField(label="用餐日期", widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": "请填写用餐日期", "invalid": "日期格式应为 YYYY-MM-DD"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


class UploadForm(forms.Form):
    canteen = forms.TypedChoiceField(label="助餐点", coerce=int, error_messages={"required": "请选择助餐点"})
    file = forms.FileField(label="每日用餐记录文件（.csv / .xlsx / .json）",
                           error_messages={"required": "请选择要导入的文件"})

    def __init__(self, *args, canteens=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canteen"].choices = [(c.pk, c.name) for c in canteens]


class SettleForm(forms.Form):
    month = forms.RegexField(label="结算月份", regex=r"^\d{4}-\d{2}$", max_length=7,
                             widget=forms.TextInput(attrs={"placeholder": "YYYY-MM"}),
                             error_messages={"required": "请填写结算月份", "invalid": "结算月份格式应为 YYYY-MM"})


class PaymentForm(forms.Form):
    """The canteen operator's bank account for the payment (a one-off payment to an organisation)."""

    bank_name = forms.CharField(label="开户银行", max_length=64, error_messages={"required": "请填写开户银行"})
    account_number = forms.CharField(label="银行账号", max_length=40, error_messages={"required": "请填写银行账号"})
