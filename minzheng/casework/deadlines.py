"""Deadlines of a case, in working days (``core.workdays``: holidays and
make-up working days), following the national rules where REFERENCE §15
gives them (``procedure_timings.py``, each with its article).

When a case enters a status, the deadline of the next step is computed and
stored on the application (``due_on``/``due_action``) so lists can count
overdue cases in SQL. The notice period is in calendar days (第十九条 / 特困
第十五条: 7天); the district's opinion is due ``approve_days`` working days
after it receives the file — when the notice ends, or at once when the street
disagreed (dibao 第二十条: 10; extreme poverty 第十六条: 15). The decision
letter is due ``decide_days`` after the approval opinion (a refusal: 第二十一条
/ 特困第十八条, 3). Where the rules cap the street's whole part (extreme
poverty 第十三条: investigate and give a first opinion within 15 working days
of acceptance), every street step is due no later than that cap. The overall
deadline runs from acceptance (``total_days``, dibao 第二十二条: 30), or
``extended_total_days`` (45) once the extension is recorded
(``extensions.py``); a program whose rules give no overall limit has none.
The survey start (dibao 第十五条: 3 working days) is a milestone shown on the
case (``milestones``), met by the first survey step (核对 or 入户调查).

If a deadline runs into a year whose holiday arrangement is not yet recorded,
the case still moves on: ``due_on`` stays empty and ``deadline_note`` carries
the calendar's Chinese message, until ``deadlines_refresh`` recomputes it
after the bureau records the year (``deadlines_refresh(all_open=True)``
recomputes every open case, e.g. after the rules changed: see
``manage.py casework_deadlines_recompute``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from minzheng.casework.models import CLOSED_STATUSES, Application, ProgramSetting, Status
from minzheng.casework.procedure_timings import citation
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
    due, note = _add(start, getattr(setting, field))
    if status in STREET_PHASE and setting.street_opinion_days and application.accepted_on:
        cap, cap_note = _add(application.accepted_on, setting.street_opinion_days)
        if cap is not None and due is not None:
            due = min(due, cap)
        note = note or cap_note
    return Deadline(action, due, note)


# statuses whose next step belongs to the street's investigation and first opinion
STREET_PHASE = (Status.ACCEPTED, Status.VERIFIED, Status.VISITED)


def total_days(application: Application, setting: ProgramSetting) -> int | None:
    """The overall limit in working days: 45 once extended (第二十二条), else 30; None when the rules give none."""
    if application.extended_on and setting.extended_total_days:
        return setting.extended_total_days
    return setting.total_days


def overall_deadline(setting: ProgramSetting, accepted_on: dt.date,
                     days: int | None = None) -> tuple[dt.date | None, str]:
    days = setting.total_days if days is None else days
    if days is None:
        return None, ""
    return _add(accepted_on, days)


def apply_deadline(application: Application, setting: ProgramSetting, entered_on: dt.date, *,
                   recompute_overall: bool = False) -> None:
    """Set ``due_on``/``due_action``/``deadline_note`` (caller saves)."""
    deadline = next_deadline(application, setting, entered_on)
    application.due_on, application.due_action, application.deadline_note = (
        deadline.due_on, deadline.action, deadline.note)
    if application.accepted_on and application.is_open and (
            recompute_overall or application.overall_due_on is None):
        application.overall_due_on, note = overall_deadline(setting, application.accepted_on,
                                                            total_days(application, setting))
        application.deadline_note = application.deadline_note or note


@dataclass(frozen=True)
class Milestone:
    """A deadline shown on the case with its source: the article, or the assumption mark."""

    label: str
    due_on: dt.date | None
    basis: str  # 「《…》第十五条：3个工作日」, or "" for our assumption
    met_on: dt.date | None = None
    note: str = ""


_SURVEY_STEPS = ("verify", "visit")


def milestones(application: Application, setting: ProgramSetting) -> list[Milestone]:
    """The statutory milestones of an accepted case: the survey start
    (dibao 第十五条) and the overall limit (第二十二条), with the article."""
    result = []
    if application.accepted_on and setting.survey_start_days:
        due, note = _add(application.accepted_on, setting.survey_start_days)
        first = application.steps.filter(action__in=_SURVEY_STEPS).order_by("id").first()
        result.append(Milestone("启动家庭经济状况调查", due,
                                citation(application.program, "survey_start_days", setting.survey_start_days),
                                first.acted_on if first else None, note))
    if application.accepted_on and setting.street_opinion_days:
        due, note = _add(application.accepted_on, setting.street_opinion_days)
        done = application.steps.filter(action="street_review").order_by("id").first()
        result.append(Milestone("调查并提出初审意见", due,
                                citation(application.program, "street_opinion_days", setting.street_opinion_days),
                                done.acted_on if done else None, note))
    return result


def step_days_field(application: Application) -> str:
    """The ``ProgramSetting`` field of the pending step's deadline ("" if none)."""
    status = application.status
    if status == Status.STREET_REVIEWED:
        return "post_days" if application.street_opinion else "approve_days"
    if status in STREET_PHASE and program_setting(application.program).street_opinion_days:
        return "street_opinion_days"
    entry = NEXT_STEP.get(status)
    return entry[1] if entry else ""


def step_basis(application: Application, setting: ProgramSetting) -> str:
    """The article of the pending step's deadline, or "" when it is our assumption."""
    field = step_days_field(application)
    return citation(application.program, field, getattr(setting, field)) if field else ""


def overall_basis(application: Application, setting: ProgramSetting) -> str:
    field = "extended_total_days" if application.extended_on and setting.extended_total_days else "total_days"
    return citation(application.program, field, getattr(setting, field))


def is_overdue(application: Application, today: dt.date) -> bool:
    return application.is_open and application.due_on is not None and application.due_on < today


MIN_EXTENSION_REASON_CHARS = 5


def extension_problem(application: Application, on: dt.date) -> str:
    """Why the overall period cannot be extended on ``on`` ("" when it can)."""
    setting = program_setting(application.program)
    if not setting.extended_total_days or not setting.total_days:
        return f"{application.get_program_display()}的审核确认无延长期限的规定"
    if application.accepted_on is None:
        return "申请尚未受理，无需延长审核期限"
    if application.extended_on is not None:
        return (f"已于{application.extended_on.year}年{application.extended_on.month}月{application.extended_on.day}日"
                "延长审核期限，只能延长一次")
    due = application.overall_due_on
    if due is not None and on > due:
        return (f"审核期限已于{due.year}年{due.month}月{due.day}日届满，届满后不能再延长；"
                "请尽快作出决定")
    return ""



# steps that do not change the status (their date is not when the status was entered)
_NON_STATUS_STEPS = ("extend",)


@transaction.atomic
def deadlines_refresh(*, actor: User | str, today: dt.date | None = None, all_open: bool = False) -> int:
    """Recompute the deadlines left open for want of a holiday arrangement
    (run after the bureau records a new year), or with ``all_open`` every
    open case's step and overall deadline (after the timings changed, e.g.
    to the national rules of REFERENCE §15). Bureau staff or a system job
    (``actor`` a name) only. Returns the number fixed (or recomputed)."""
    require(actor, "casework.deadlines_refresh", allow_job=True)
    fixed = 0
    pending = Application.objects.exclude(status__in=CLOSED_STATUSES)
    if not all_open:
        pending = pending.exclude(deadline_note="")
    for application in pending.order_by("id"):
        last = application.steps.exclude(action__in=_NON_STATUS_STEPS).order_by("-id").first()
        entered_on = last.acted_on if last else application.applied_on
        setting = program_setting(application.program)
        apply_deadline(application, setting, entered_on, recompute_overall=all_open)
        if all_open or not application.deadline_note:
            fixed += 1
        application.save(update_fields=["due_on", "due_action", "deadline_note", "overall_due_on", "updated_at"])
    audit_record(actor=actor, action="casework.deadlines_refresh", object_type="Application",
                 changes={"fixed": fixed, "all_open": all_open})
    return fixed
