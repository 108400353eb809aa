"""Template filters: a program id as its Chinese label (the policy engine's),
a month ``YYYY-MM`` as ``2025年8月``."""

from django import template

from minzheng.monitoring.month_labels import month_label
from minzheng.monitoring.selectors import program_label

register = template.Library()


@register.filter
def program_name(program: str) -> str:
    return program_label(program)


@register.filter
def month_cn(month: str) -> str:
    return month_label(month)
