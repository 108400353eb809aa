"""Template filter: a program id as its Chinese label (the policy engine's)."""

from django import template

from minzheng.monitoring.selectors import program_label

register = template.Library()


@register.filter
def program_name(program: str) -> str:
    return program_label(program)
