"""Reads of the monitoring app, always scoped to the acting user
(``access.visible``). A record outside the user's reach raises
``DoesNotExist`` — views and the API answer 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.scope import restrict
from minzheng.monitoring.access import visible
from minzheng.monitoring.models import (
    AdvisorAssignment,
    AutoEnrolmentNotice,
    EdgeHousehold,
    ExitReview,
    ExitStatus,
    FollowUpTask,
    HardshipLabel,
    HomeVisitRecord,
    Lead,
    LeadStatus,
    MonitorRun,
    ServiceRecord,
    TaskStatus,
)
from minzheng.registry.selectors import prefetch_heads
from policy import PROGRAMS


def program_label(program: str) -> str:
    return PROGRAMS[program].label if program in PROGRAMS else program


def reasons_of(program: str, mask: int, vocabulary: dict) -> list[dict]:
    """Reason codes of a stored decision mask with the engine's Chinese texts."""
    codes = vocabulary.get(program, [])
    texts = PROGRAMS[program].reasons if program in PROGRAMS else {}
    return [{"code": code, "text": texts.get(code) or "其他理由（未登记说明）"}
            for bit, code in enumerate(codes) if mask >> bit & 1]


# --- leads ---------------------------------------------------------------------------

def leads_visible(user: User) -> QuerySet[Lead]:
    return visible(Lead.objects.all(), user)


def lead_list(user: User, *, status: str = "", program: str = "", committee: str = "",
              escalated: bool = False, today: dt.date | None = None, overdue: bool = False) -> QuerySet[Lead]:
    qs = leads_visible(user).select_related("household", "person", "committee", "street")
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    if committee:
        qs = qs.filter(committee_id=committee)
    if escalated:
        qs = qs.filter(escalated=True)
    if overdue and today:
        qs = qs.filter(status=LeadStatus.OPEN, due_on__lt=today)
    return qs.order_by("status", "due_on", "-id")


def lead_get(user: User, pk: int) -> Lead:
    return leads_visible(user).select_related("household", "person", "committee", "street", "decision_run",
                                              "application").get(pk=pk)


def lead_reasons(lead: Lead) -> list[dict]:
    return reasons_of(lead.program, lead.reason_mask, lead.decision_run.reason_vocabulary)


# --- tasks, exits, edges, notices -------------------------------------------------

def tasks_visible(user: User) -> QuerySet[FollowUpTask]:
    return visible(FollowUpTask.objects.all(), user)


def task_list(user: User, *, status: str = "", kind: str = "", escalated: bool = False) -> QuerySet[FollowUpTask]:
    qs = tasks_visible(user).select_related("person", "household", "committee")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if escalated:
        qs = qs.filter(escalated=True)
    return qs.order_by("status", "due_on", "-id")


def task_get(user: User, pk: int) -> FollowUpTask:
    return tasks_visible(user).select_related("person", "household", "committee", "street").get(pk=pk)


def exits_visible(user: User) -> QuerySet[ExitReview]:
    return visible(ExitReview.objects.all(), user)


def exit_list(user: User, *, status: str = "", program: str = "") -> QuerySet[ExitReview]:
    qs = exits_visible(user).select_related("person", "household", "committee", "enrolment", "decision_run")
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("status", "due_on", "-id")


def exit_get(user: User, pk: int) -> ExitReview:
    return exits_visible(user).select_related("person", "household", "committee", "street", "enrolment",
                                              "decision_run").get(pk=pk)


def exit_reasons(review: ExitReview) -> list[dict]:
    if review.decision_run is None or review.kind != "ineligible":
        return [{"code": review.kind.upper(), "text": review.get_kind_display()}]
    return reasons_of(review.program, review.reason_mask, review.decision_run.reason_vocabulary)


def edge_months(user: User) -> list[str]:
    return list(visible(EdgeHousehold.objects.all(), user).values_list("month", flat=True).distinct()
                .order_by("-month")[:24])


def edge_list(user: User, *, month: str = "", band: str = "", committee: str = "") -> QuerySet[EdgeHousehold]:
    if not month:
        months = edge_months(user)
        month = months[0] if months else ""
    qs = visible(EdgeHousehold.objects.filter(month=month), user).select_related("household", "committee")
    if band:
        qs = qs.filter(band=band)
    if committee:
        qs = qs.filter(committee_id=committee)
    return qs.order_by("band", "per_capita_income_fen", "household_id")


def notice_list(user: User, *, program: str = "") -> QuerySet[AutoEnrolmentNotice]:
    qs = visible(AutoEnrolmentNotice.objects.all(), user).select_related("person", "committee")
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("-id")


# --- the advisor's workspace ------------------------------------------------------------

def my_work(user: User, *, today: dt.date) -> dict:
    """Open leads and tasks in the user's reach, nearest deadline first; for
    street staff also what has been escalated to the street."""
    leads = list(prefetch_heads(lead_list(user, status=LeadStatus.OPEN), "household")[:200])
    tasks = list(prefetch_heads(task_list(user, status=TaskStatus.OPEN), "household")[:200])
    escalated = user.role in (Role.STREET, Role.BUREAU)
    return {
        "leads": leads, "tasks": tasks,
        "exits": list(prefetch_heads(exit_list(user, status=ExitStatus.OPEN), "household")[:200]) if escalated else [],
        "escalated_leads": list(prefetch_heads(lead_list(user, status=LeadStatus.OPEN, escalated=True),
                                               "household")[:200]) if escalated else [],
        "escalated_tasks": list(prefetch_heads(task_list(user, status=TaskStatus.OPEN, escalated=True),
                                               "household")[:200]) if escalated else [],
        "overdue": sum(1 for item in [*leads, *tasks] if item.due_on and item.due_on < today),
    }


def visits_for(user: User, *, household_id: int | None = None, lead: Lead | None = None,
               task: FollowUpTask | None = None) -> QuerySet[HomeVisitRecord]:
    qs = visible(HomeVisitRecord.objects.all(), user).prefetch_related("attachments")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if lead is not None:
        qs = qs.filter(lead=lead)
    if task is not None:
        qs = qs.filter(task=task)
    return qs


def visit_get(user: User, pk: int) -> HomeVisitRecord:
    return visible(HomeVisitRecord.objects.all(), user).prefetch_related("attachments").get(pk=pk)


def labels_for(user: User, *, household_id: int | None = None, active_only: bool = True) -> QuerySet[HardshipLabel]:
    qs = visible(HardshipLabel.objects.all(), user).select_related("person", "household", "committee")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if active_only:
        qs = qs.filter(removed_on__isnull=True)
    return qs


def label_get(user: User, pk: int) -> HardshipLabel:
    return visible(HardshipLabel.objects.all(), user).get(pk=pk)


def services_for(user: User, *, household_id: int | None = None) -> QuerySet[ServiceRecord]:
    qs = visible(ServiceRecord.objects.all(), user).select_related("person", "household", "committee")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


def assignments_visible(user: User) -> QuerySet[AdvisorAssignment]:
    return restrict(AdvisorAssignment.objects.filter(ended_on__isnull=True), user).select_related(
        "advisor", "committee", "street")


def committees_in_scope(user: User) -> QuerySet[Division]:
    return restrict(Division.objects.filter(level=DivisionLevel.COMMITTEE, active=True), user,
                    street_field="parent_id", committee_field="code").order_by("code")


def advisors_in_scope(user: User) -> QuerySet[User]:
    qs = User.objects.filter(role=Role.ADVISOR, is_active=True).select_related("scope")
    scope = user.scope
    if scope is None or scope.level == DivisionLevel.DISTRICT:
        return qs
    if scope.level == DivisionLevel.STREET:
        return qs.filter(Q(scope__code=scope.code) | Q(scope__parent_id=scope.code))
    return qs.filter(scope__code=scope.code)


def runs_recent(limit: int = 12) -> list[MonitorRun]:
    return list(MonitorRun.objects.select_related("decision_run")[:limit])


def run_get(pk: int) -> MonitorRun:
    return MonitorRun.objects.get(pk=pk)


def run_summary(user: User, run: MonitorRun) -> dict:
    """What a run created inside the user's reach (the stored counts are district-wide)."""
    scoped = {
        "leads": visible(Lead.objects.filter(monitor_run=run), user).count(),
        "edge_households": visible(EdgeHousehold.objects.filter(monitor_run=run), user).count(),
        "exit_reviews": visible(ExitReview.objects.filter(monitor_run=run), user).count(),
        "auto_notices": visible(AutoEnrolmentNotice.objects.filter(monitor_run=run), user).count(),
        "risk_tasks": visible(FollowUpTask.objects.filter(monitor_run=run), user).count(),
    }
    district_wide = user.role in (Role.BUREAU, Role.AUDITOR) or user.is_superuser
    return {"id": run.pk, "month": run.month, "run_on": run.run_on.isoformat(), "actor": run.actor,
            "decision_run": run.decision_run_id, "finished": run.finished_at is not None,
            "in_scope": scoped, "district_counts": run.counts if district_wide else None,
            "timings": run.timings if district_wide else None}


def covers_household(user: User, household) -> bool:
    """Whether the user's monitoring reach (advisors: their committees) includes the household."""
    from minzheng.monitoring.access import covers

    return covers(user, street_code=household.street_id, committee_code=household.committee_id)


# --- the to-do inbox (workbench) ---------------------------------------------------------

def leads_todo(user: User) -> QuerySet[Lead]:
    """Open leads for those who follow them up (advisors: their committees;
    committee and street staff: their jurisdiction), nearest deadline first."""
    from django.db.models import F

    from minzheng.core.permissions import can

    if not can(user, "monitoring.my_work"):
        return Lead.objects.none()
    return (leads_visible(user).filter(status=LeadStatus.OPEN).select_related("household", "person", "committee")
            .order_by(F("due_on").asc(nulls_last=True), "id"))


def tasks_todo(user: User) -> QuerySet[FollowUpTask]:
    """Open risk follow-up tasks, as :func:`leads_todo`."""
    from django.db.models import F

    from minzheng.core.permissions import can

    if not can(user, "monitoring.my_work"):
        return FollowUpTask.objects.none()
    return (tasks_visible(user).filter(status=TaskStatus.OPEN).select_related("household", "person", "committee")
            .order_by(F("due_on").asc(nulls_last=True), "id"))


def exits_todo(user: User) -> QuerySet[ExitReview]:
    """Open exit reviews (应退尽退核实) for street and bureau staff."""
    from django.db.models import F

    from minzheng.core.permissions import can

    if not can(user, "monitoring.manage"):
        return ExitReview.objects.none()
    return (exits_visible(user).filter(status=ExitStatus.OPEN).select_related("household", "person", "committee")
            .order_by(F("due_on").asc(nulls_last=True), "id"))
