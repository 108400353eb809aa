"""Template filters for the department-data pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``{{ counts|get_item:kind }}`` — a dictionary value by a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def source_name(code: str) -> str:
    """A department source's Chinese name (never its code)."""
    from minzheng.feeds.catalogue import sources

    found = sources().get(code)
    return found.name if found else "未知来源"
