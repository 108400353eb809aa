"""Forms of the funeral pages (input shape only; the rules live in services).
Amounts are typed in yuan and held in fen."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from minzheng.core.bounds import day_check
from minzheng.core.form_fields import FiniteDecimalField
from minzheng.funeral.models import (
    BasicService,
    Category,
    Channel,
    HallSize,
    PaymentMethod,
    Relation,
    Unit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STAFF_CHANNELS = [(c.value, c.label) for c in (Channel.WINDOW, Channel.PHONE)]  # the online channel is 白事管家's API


def to_fen(yuan: Decimal) -> int:
    return int((yuan * 100).to_integral_value())


def yuan_field(label: str) -> FiniteDecimalField:
    return FiniteDecimalField(label=label, min_value=Decimal("0"), max_value=Decimal("1000000"), decimal_places=2,
                              max_digits=9)


class OrderForm(forms.Form):
    channel = forms.ChoiceField(label="受理渠道", choices=STAFF_CHANNELS)
    deceased_name = forms.CharField(label="逝者姓名", max_length=64)
    deceased_id_number = forms.CharField(label="逝者居民身份证号码", max_length=18, min_length=15,
                                         widget=forms.TextInput(attrs={"autocomplete": "off"}))
    death_date = forms.DateField(label="死亡日期", widget=DATE)
    contact_name = forms.CharField(label="家属联系人姓名", max_length=64)
    contact_relation = forms.ChoiceField(label="与逝者关系", choices=[("", "请选择"), *Relation.choices])
    contact_phone = forms.CharField(label="联系电话", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                                                 "inputmode": "tel"}))

    def __init__(self, *args, rows=(), **kwargs):
        """``rows``: the catalogue rows in force today (``selectors.CatalogueRow``); one quantity field each."""
        super().__init__(*args, **kwargs)
        self.item_fields: list[tuple[str, object]] = []
        for row in rows:
            item = row.item
            if item.category == Category.HALL or row.price is None:
                continue
            key = f"item_{item.pk}"
            price = row.price.price_fen
            self.fields[key] = forms.IntegerField(
                label=f"{item.name}（{price // 100}.{price % 100:02d}元/{item.get_unit_display()}）", required=False,
                min_value=1, max_value=999)
            self.item_fields.append((key, item))

    def chosen_items(self) -> list[tuple[object, int]]:
        return [(item, self.cleaned_data[key]) for key, item in self.item_fields if self.cleaned_data.get(key)]


class LineAddForm(forms.Form):
    item = forms.ChoiceField(label="服务项目")
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=999, initial=1)
    reason = forms.CharField(label="变更原因", max_length=200)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "请选择"), *((str(i.pk), str(i)) for i in items)]


class LineChangeForm(forms.Form):
    quantity = forms.IntegerField(label="新数量", min_value=1, max_value=999)
    reason = forms.CharField(label="变更原因", max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class HallBookForm(forms.Form):
    slot = forms.ChoiceField(label="告别厅和时段")
    reason = forms.CharField(label="说明", max_length=200, initial="家属预约告别仪式")

    def __init__(self, *args, free=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["slot"].choices = [("", "请选择"), *(
            (str(slot.pk), f"{hall.resource.name}（{hall.get_size_display()}） "
                           f"{timezone.localtime(slot.start):%H:%M}—{timezone.localtime(slot.end):%H:%M}")
            for hall, slot in free)]


class DayForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)

    def clean_on(self):
        """Within the platform's date span (core.bounds: 9999-12-31 would overflow the next-day link)."""
        try:
            return day_check(self.cleaned_data["on"], "日期")
        except ValidationError as err:
            raise forms.ValidationError(err.messages) from None


class PayForm(forms.Form):
    method = forms.ChoiceField(label="付款方式", choices=[("", "请选择"), *(
        (m.value, m.label) for m in PaymentMethod if m != PaymentMethod.NONE_DUE)])


class ItemForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Category.choices])
    name = forms.CharField(label="项目名称", max_length=64)
    unit = forms.ChoiceField(label="计价单位", choices=[("", "请选择"), *Unit.choices])
    basic = forms.ChoiceField(label="基本殡葬服务项目", choices=[("", "否"), *BasicService.choices], required=False)
    hall_size = forms.ChoiceField(label="告别厅规格", choices=[("", "不适用"), *HallSize.choices], required=False)
    price = yuan_field("单价（元）")
    effective_from = forms.DateField(label="价格生效日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ItemEditForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=64)
    active = forms.BooleanField(label="在售", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class PriceForm(forms.Form):
    price = yuan_field("新单价（元）")
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    note = forms.CharField(label="调价说明", max_length=200)
