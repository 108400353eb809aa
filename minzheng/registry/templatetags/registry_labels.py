"""How registry records are named on a page: a household by its head's name."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from minzheng.registry.models import Household
from minzheng.registry.selectors import household_heads

register = template.Library()


@dataclass(frozen=True)
class HouseholdHead:
    title: str
    id_masked: str


@register.filter
def household_head(household: Household | None) -> HouseholdHead:
    """The head of household (户主) as a household's name. Lists prefetch the
    heads (``registry.selectors.prefetch_heads``); a detail page may ask for one."""
    if household is None:
        return HouseholdHead("—", "")
    heads = household_heads(household)
    if heads:
        person = heads[0].person
        return HouseholdHead(f"{person.name}家", person.id_number_masked)
    return HouseholdHead("无在册户主的家庭", "")


_ORIGIN_TONES = {"declared": "yellow", "verified": "green", "feed": "blue"}


@register.filter
def origin_tone(origin: str) -> str:
    """The badge colour of a fact's origin: declared (the household's word) yellow,
    verified by the economic-status check green, a department's data blue."""
    return _ORIGIN_TONES.get(origin, "secondary")
