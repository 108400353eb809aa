"""Statutory deadlines of a case, in working days (``core.workdays``).

When a case enters a status, the deadline of the next step is computed and
stored on the application (``due_on``/``due_action``) so lists can count
overdue cases in SQL. The notice period is in calendar days; approval is due
``approve_days`` working days after the notice ends. The overall deadline
runs from acceptance (``total_days``).

If a deadline runs into a year whose holiday arrangement is not yet recorded,
the case still moves on: ``due_on`` stays empty and ``deadline_note`` carries
the calendar's Chinese message, until ``deadlines_refresh`` recomputes it
after the bureau records the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from minzheng.casework.models import CLOSED_STATUSES, Application, ProgramSetting, Status
from minzheng.casework.program_settings import program_setting
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.workdays import HolidayArrangementMissing, add_working_days

# status entered → (next action, its deadline field in ProgramSetting)
NEXT_STEP: dict[str, tuple[str, str]] = {
    Status.APPLIED: ("accept", "accept_days"),
    Status.ACCEPTED: ("verify", "verify_days"),
    Status.VERIFIED: ("visit", "visit_days"),
    Status.VISITED: ("street_review", "review_days"),
    Status.IN_NOTICE: ("approve", "approve_days"),
    Status.APPROVAL_RECORDED: ("decide", "decide_days"),
}


@dataclass(frozen=True)
class Deadline:
    action: str
    due_on: dt.date | None
    note: str = ""


def _add(start: dt.date, days: int) -> tuple[dt.date | None, str]:
    try:
        return add_working_days(start, days), ""
    except HolidayArrangementMissing as err:
        return None, err.messages[0]


def next_deadline(application: Application, setting: ProgramSetting, entered_on: dt.date) -> Deadline:
    """The deadline of the step that follows ``application.status``."""
    status = application.status
    if status in CLOSED_STATUSES or status == Status.APPROVED:
        return Deadline("", None)
    if status == Status.STREET_REVIEWED:
        if application.street_opinion:
            return Deadline("post_notice", *_add(entered_on, setting.post_days))
        return Deadline("approve", *_add(entered_on, setting.approve_days))
    action, field = NEXT_STEP[status]
    start = entered_on
    if status == Status.IN_NOTICE:
        start = application.notice.ends_on
    return Deadline(action, *_add(start, getattr(setting, field)))


def overall_deadline(setting: ProgramSetting, accepted_on: dt.date) -> tuple[dt.date | None, str]:
    return _add(accepted_on, setting.total_days)


def apply_deadline(application: Application, setting: ProgramSetting, entered_on: dt.date) -> None:
    """Set ``due_on``/``due_action``/``deadline_note`` (caller saves)."""
    deadline = next_deadline(application, setting, entered_on)
    application.due_on, application.due_action, application.deadline_note = (
        deadline.due_on, deadline.action, deadline.note)
    if application.accepted_on and application.overall_due_on is None and application.is_open:
        application.overall_due_on, note = overall_deadline(setting, application.accepted_on)
        application.deadline_note = application.deadline_note or note


def is_overdue(application: Application, today: dt.date) -> bool:
    return application.is_open and application.due_on is not None and application.due_on < today


@transaction.atomic
def deadlines_refresh(*, actor: User | str, today: dt.date | None = None) -> int:
    """Recompute the deadlines left open for want of a holiday arrangement
    (run after the bureau records a new year). Bureau staff or a system job
    (``actor`` a name) only. Returns the number fixed."""
    require(actor, "casework.deadlines_refresh", allow_job=True)
    fixed = 0
    pending = Application.objects.exclude(status__in=CLOSED_STATUSES).exclude(deadline_note="")
    for application in pending:
        last = application.steps.order_by("-id").first()
        entered_on = last.acted_on if last else application.applied_on
        setting = program_setting(application.program)
        apply_deadline(application, setting, entered_on)
        if not application.deadline_note:
            fixed += 1
        application.save(update_fields=["due_on", "due_action", "deadline_note", "overall_due_on", "updated_at"])
    audit_record(actor=actor, action="casework.deadlines_refresh", object_type="Application",
                 changes={"fixed": fixed})
    return fixed
