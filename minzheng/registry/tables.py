"""Registry lists as tables (sorting, paging, Excel export: ``core.lists``)."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from minzheng.core.lists import StaffTable
from minzheng.core.templatetags.minzheng_format import age_on, cn_date
from minzheng.registry.models import Household, Person
from minzheng.registry.templatetags.registry_labels import household_head

_END = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class HouseholdTable(StaffTable):
    head = tables.Column("户主", empty_values=(), orderable=False)
    street = tables.Column("街镇", accessor="street__name", order_by=("street_id",))
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    address = tables.Column("居住地址")
    member_count = tables.Column("现有成员", attrs=_END)

    class Meta(StaffTable.Meta):
        model = Household
        fields = ("head", "street", "committee", "address", "member_count")
        order_by = ("committee",)

    def render_head(self, record: Household) -> str:
        return render_to_string("cells/household.html", {"value": record})

    def value_head(self, record: Household) -> str:
        head = household_head(record)
        return f"{head.title} {head.id_masked}".strip()


class PersonTable(StaffTable):
    """人员查询: the masked ID only (the full number is revealed, audited, on the person page)."""

    name = tables.Column("姓名", order_by=("name_pinyin", "id"))
    id_number_masked = tables.Column("身份证号", orderable=False,
                                     attrs={"td": {"class": "font-monospace text-nowrap"}})
    sex = tables.Column("性别")
    birth_date = tables.Column("出生日期")
    age = tables.Column("年龄", accessor="birth_date", orderable=False, attrs=_END)
    hukou_shanghai = tables.Column("户籍")
    street = tables.Column("街镇", accessor="street__name", order_by=("street_id",))
    committee = tables.Column("居村委", accessor="committee__name", order_by=("committee_id",))
    alive = tables.Column("状态")

    class Meta(StaffTable.Meta):
        model = Person
        fields = ("name", "id_number_masked", "sex", "birth_date", "age", "hukou_shanghai", "street",
                  "committee", "alive")
        empty_text = "没有找到符合条件的人员"

    def render_name(self, record: Person) -> str:
        return format_html('<a href="{}">{}</a>', reverse("registry:person_detail", args=[record.pk]), record.name)

    def value_name(self, record: Person) -> str:
        return record.name

    def render_sex(self, record: Person) -> str:
        return record.get_sex_display()

    def render_birth_date(self, value: object) -> str:
        return cn_date(value)

    def render_age(self, value: object) -> str:
        return f"{age_on(value)}岁"

    def render_hukou_shanghai(self, value: bool) -> str:
        return "本市" if value else "外省市"

    def render_alive(self, value: bool) -> str:
        return "在世" if value else format_html('<span class="badge bg-secondary-lt">已故</span>')

    def value_alive(self, value: bool) -> str:
        return "在世" if value else "已故"
