"""Form fields that pick a person or a household by searching, for any app's
forms (a documented port, ADR 0009): ``household_field()``, ``person_field()``.

The value is the record's internal number, which the user never sees or types.
"""

from __future__ import annotations

from typing import Any

from django import forms

from minzheng.core.pickers import PickerSelect
from minzheng.registry import selectors
from minzheng.registry.models import Household, Person


def household_label(value: str, user: Any) -> str | None:
    """'张三家 · 310117***********4 · 地址' for a household the user may see, else None."""
    try:
        household = selectors.household_get(user, int(value))
    except (ValueError, Household.DoesNotExist):
        return None
    heads = selectors.household_heads(household)
    head = heads[0].person if heads else None
    name = f"{head.name}家" if head else "无在册户主的家庭"
    return " · ".join(x for x in (name, head.id_number_masked if head else "", household.address) if x)


def person_label(value: str, user: Any) -> str | None:
    try:
        person = selectors.person_get(user, int(value))
    except (ValueError, Person.DoesNotExist):
        return None
    return f"{person.name} · {person.id_number_masked}"


def household_field(label: str = "家庭", *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=1,
        help_text=help_text or "输入任一成员的姓名、拼音首字母或身份证号查找",
        widget=PickerSelect(endpoint="v1/pick/households", label_for=household_label,
                            placeholder="输入成员姓名、拼音首字母或身份证号"),
        error_messages={"required": "请选择家庭", "invalid": "请从列表中选择家庭"},
    )


def person_field(label: str = "人员", *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=1, help_text=help_text,
        widget=PickerSelect(endpoint="v1/pick/persons", label_for=person_label,
                            placeholder="输入姓名、拼音首字母或身份证号"),
        error_messages={"required": "请选择人员", "invalid": "请从列表中选择人员"},
    )
