"""Template filters of the care institution pages: a person's name masked
(意外事件 lists name the resident involved as 张*明), a missing figure as 无数据."""

from __future__ import annotations

from django import template

from minzheng.core.personal_data import mask_name

register = template.Library()


@register.filter
def masked_name(name: str | None) -> str:
    return mask_name(name) if name else "—"


@register.filter
def or_no_data(value) -> str:
    """``None`` → 无数据 (never 0)."""
    return "无数据" if value is None else str(value)
