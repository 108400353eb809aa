"""Search-as-you-type pickers instead of typed internal numbers.

A ``PickerSelect`` is a ``<select>`` that ``static/js/app.js`` turns into a
Tom Select box querying one of the API's ``/api/v1/pick/...`` endpoints
(persons, households, committees). Only the chosen option is rendered in the
page; its label comes from a label function that is given the signed-in
user, so a number typed into the address bar for a record outside the
user's jurisdiction shows no name (the label function returns None).

Forms bind the user with ``bind_pickers(form, user)``; ``StaffListView``
does it for filter forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.urls import reverse

LabelFor = Callable[[str, Any], "str | None"]


class PickerSelect(forms.Select):
    def __init__(self, *, endpoint: str, label_for: LabelFor, placeholder: str = "",
                 preload: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.endpoint = endpoint
        self.label_for = label_for
        self.placeholder = placeholder
        self.preload = preload
        self.user: Any = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        attrs["data-picker"] = reverse("api:api-root") + self.endpoint
        if self.placeholder:
            attrs["data-placeholder"] = self.placeholder
        if self.preload:
            attrs["data-preload"] = "1"
        attrs.setdefault("class", "form-select")
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        groups: list[Any] = [(None, [self.create_option(name, "", "", False, 0)], 0)]
        for index, raw in enumerate(v for v in value if v not in (None, "")):
            label = self.label_for(str(raw), self.user) if self.user is not None else None
            if label:
                groups.append((None, [self.create_option(name, raw, label, True, index + 1)], index + 1))
        return groups


def bind_pickers(form: forms.BaseForm, user: Any) -> forms.BaseForm:
    """Give every picker of ``form`` the user whose jurisdiction its labels respect."""
    for field in form.fields.values():
        if isinstance(field.widget, PickerSelect):
            field.widget.user = user
    return form


def committee_label(value: str, user: Any) -> str | None:
    from minzheng.core.selectors import committees_search

    rows = [d for d in committees_search(user, value, limit=5) if d.code == value]
    return f"{rows[0].name}（{rows[0].parent.name}）" if rows and rows[0].parent else (rows[0].name if rows else None)


def committee_field(label: str = "居村委", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=12,
        widget=PickerSelect(endpoint="v1/pick/committees", label_for=committee_label,
                            placeholder="输入居村委名称", preload=True),
        error_messages={"required": "请选择居村委"},
    )
