"""How casework states look on a page (ADR 0012): one badge tone per status,
the Chinese name of a pending step. Labels stay where they are defined (the
model choices, ``transitions.STEP_LABELS``); this only picks colours."""

from __future__ import annotations

from django import template

from minzheng.casework.models import EnrolmentStatus, Status
from minzheng.casework.transitions import STEP_LABELS

register = template.Library()

STATUS_TONES = {
    Status.APPLIED: "blue", Status.ACCEPTED: "blue", Status.VERIFIED: "blue", Status.VISITED: "blue",
    Status.STREET_REVIEWED: "blue", Status.IN_NOTICE: "yellow", Status.APPROVAL_RECORDED: "blue",
    Status.APPROVED: "green", Status.ENROLLED: "green", Status.DENIED: "red", Status.NOT_ACCEPTED: "red",
    Status.WITHDRAWN: "secondary",
}
ENROLMENT_TONES = {EnrolmentStatus.ACTIVE: "green", EnrolmentStatus.SUSPENDED: "yellow",
                   EnrolmentStatus.TERMINATED: "secondary"}


@register.filter
def status_tone(status: str) -> str:
    """Badge tone of an application status: in progress blue, notice yellow, granted green, refused red."""
    return STATUS_TONES.get(status, "secondary")


@register.filter
def enrolment_tone(status: str) -> str:
    return ENROLMENT_TONES.get(status, "secondary")


@register.filter
def step_label(action: str) -> str:
    """The Chinese name of a step code (``due_action``); unknown codes are never shown."""
    return STEP_LABELS.get(action, "") if action else ""
