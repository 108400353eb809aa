"""How verification states look on a page (ADR 0012): one badge tone per
status. Labels stay in the model choices."""

from __future__ import annotations

from django import template

from minzheng.verification.models import Status

register = template.Library()

REQUEST_TONES = {Status.AWAITING_AUTHORISATION: "yellow", Status.AUTHORISED: "blue", Status.INCOMPLETE: "yellow",
                 Status.COMPUTED: "blue", Status.ACCEPTED: "green", Status.REPORTED: "green",
                 Status.WITHDRAWN: "secondary"}


@register.filter
def request_tone(status: str) -> str:
    """Waiting on someone yellow, in progress blue, done green, withdrawn grey."""
    return REQUEST_TONES.get(status, "secondary")
