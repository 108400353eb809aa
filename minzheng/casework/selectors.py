"""Reads of the casework app, always scoped to the acting user.

A case outside the user's jurisdiction is indistinguishable from a missing
one (``DoesNotExist``), so views and the API answer 404 for both.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from minzheng.casework.models import (
    CLOSED_STATUSES,
    Application,
    Enrolment,
    Notice,
    Objection,
    OverpaymentCase,
    Status,
)
from minzheng.casework.notices import notices_current
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.scope import Scope, restrict
from minzheng.registry.selectors import prefetch_heads
from policy import PROGRAMS


def applications_visible(user: User) -> QuerySet[Application]:
    return restrict(Application.objects.all(), user)


def _overdue_q(today: dt.date) -> Q:
    return Q(due_on__lt=today) & ~Q(status__in=CLOSED_STATUSES)


def applications_open(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.exclude(status__in=CLOSED_STATUSES)


def applications_overdue(qs: QuerySet[Application], today: dt.date) -> QuerySet[Application]:
    """Open applications whose current step is past its deadline."""
    return qs.filter(_overdue_q(today))


def application_list(user: User, *, today: dt.date, status: str = "", program: str = "",
                     overdue: bool = False, committee: str = "") -> QuerySet[Application]:
    qs = applications_visible(user).select_related("applicant", "household", "committee", "street")
    if status == "open":
        qs = applications_open(qs)
    elif status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    if committee:
        qs = qs.filter(committee_id=committee)
    if overdue:
        qs = applications_overdue(qs, today)
    return qs.order_by("-id")


def application_rows(user: User) -> QuerySet[Application]:
    """The application list's rows (scoped; heads of household fetched with the page)."""
    return prefetch_heads(applications_visible(user).select_related("applicant", "household", "committee", "street"),
                          "household").order_by("-id")


def application_counts(user: User, *, today: dt.date) -> dict:
    """Counts by status, open and overdue, in the user's scope (one query)."""
    qs = applications_visible(user)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    totals = qs.aggregate(open=Count("id", filter=~Q(status__in=CLOSED_STATUSES)),
                          overdue=Count("id", filter=_overdue_q(today)),
                          undated=Count("id", filter=~Q(status__in=CLOSED_STATUSES) & ~Q(deadline_note="")))
    return {"by_status": [{"status": s.value, "label": s.label, "n": by_status.get(s.value, 0)} for s in Status],
            **totals}


def application_get(user: User, pk: int) -> Application:
    return applications_visible(user).select_related(
        "applicant", "household", "committee", "street", "created_by").get(pk=pk)


def application_archive(application: Application) -> dict:
    """Everything of a case file: documents, steps, visits, notice, objections, letters, enrolments."""
    return {
        "documents": list(application.documents.all()),
        "steps": list(application.steps.select_related("actor")),
        "visits": list(application.visits.all()),
        "notice": Notice.objects.filter(application=application).first(),
        "objections": list(application.objections.all()),
        "letters": list(application.letters.all()),
        "enrolments": list(application.enrolments.all()),
    }


def objection_get(user: User, pk: int) -> Objection:
    return restrict(Objection.objects.all(), user).select_related("application").get(pk=pk)


# --- notices -----------------------------------------------------------------

def notice_committees(user: User, *, on: dt.date) -> list[dict]:
    """Committees in scope with the number of notices running on ``on``."""
    counts = dict(notices_current(restrict(Notice.objects.all(), user), on)
                  .values_list("committee_id").annotate(n=Count("id")).order_by())
    committees = restrict(Division.objects.filter(level=DivisionLevel.COMMITTEE, active=True), user,
                          street_field="parent_id", committee_field="code").order_by("code")
    return [{"committee": c, "running": counts.get(c.code, 0)} for c in committees]


def committee_get(user: User, code: str) -> Division:
    """A committee in the user's scope (``Division.DoesNotExist`` otherwise)."""
    committee = Division.objects.select_related("parent").get(code=code, level=DivisionLevel.COMMITTEE)
    if not Scope.of(user).covers(street_code=committee.street_code, committee_code=committee.code):
        raise Division.DoesNotExist("对象不在您的辖区内")
    return committee


def committee_notices(user: User, committee: Division, *, on: dt.date, include_ended: bool = False):
    qs = restrict(Notice.objects.filter(committee=committee), user)
    qs = qs.filter(starts_on__lte=on) if include_ended else notices_current(qs, on)
    return (qs.select_related("application", "application__applicant")
            .annotate(objection_count=Count("application__objections")).order_by("starts_on", "id"))


# --- enrolments --------------------------------------------------------------

def enrolments_visible(user: User) -> QuerySet[Enrolment]:
    return restrict(Enrolment.objects.all(), user)


def enrolment_list(user: User, *, status: str = "", program: str = "") -> QuerySet[Enrolment]:
    qs = enrolments_visible(user).select_related("household", "person", "committee", "street", "application")
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("-id")


def enrolment_rows(user: User) -> QuerySet[Enrolment]:
    """The enrolment list's rows (scoped; heads of household fetched with the page)."""
    return prefetch_heads(enrolments_visible(user).select_related("household", "person", "committee", "street"),
                          "household").order_by("-id")


def enrolment_counts(user: User) -> dict[str, int]:
    return dict(enrolments_visible(user).values_list("status").annotate(n=Count("id")).order_by())


def enrolment_get(user: User, pk: int) -> Enrolment:
    return enrolments_visible(user).select_related("household", "person", "committee", "street",
                                                   "application").get(pk=pk)


def overpayments_visible(user: User) -> QuerySet[OverpaymentCase]:
    return restrict(OverpaymentCase.objects.all(), user).select_related("person", "committee").order_by("-id")


# --- read-only views for the payments app -------------------------------------

def payable_program_ids() -> list[str]:
    """Programs paid to their enrolments (``payment == "enrolment"`` in the
    program definition; statuses such as low_income have no monthly cash)."""
    return [p.id for p in PROGRAMS.values() if p.payment == "enrolment"]


def enrolments_for_payment(program: str, first_month: str, last_month: str) -> list[dict]:
    """Enrolments of ``program`` whose months overlap [first_month, last_month],
    as plain rows for the payments batch (unscoped: the batch is district-wide).

    Each row: id, household_id, person_id, applicant_id, street_id,
    committee_id, start_month, end_month, status, monthly_amount_fen and
    ``suspended``: list of [from_month, to_month or ""] (months without benefit,
    from the enrolment's suspension/resumption events; to_month exclusive)."""
    from minzheng.casework.models import EnrolmentEvent

    rows = list(
        Enrolment.objects.filter(program=program, start_month__lte=last_month)
        .filter(Q(end_month="") | Q(end_month__gte=first_month))
        .values("id", "household_id", "person_id", "application__applicant_id", "street_id", "committee_id",
                "start_month", "end_month", "status", "monthly_amount_fen")
    )
    suspensions: dict[int, list[list[str]]] = {}
    events = (EnrolmentEvent.objects.filter(enrolment_id__in=[r["id"] for r in rows],
                                            kind__in=("suspended", "resumed"))
              .order_by("enrolment_id", "id").values_list("enrolment_id", "kind", "effective_month"))
    for enrolment_id, kind, month in events:
        periods = suspensions.setdefault(enrolment_id, [])
        if kind == "suspended":
            periods.append([month, ""])
        elif periods and periods[-1][1] == "":
            periods[-1][1] = month
    for row in rows:
        row["applicant_id"] = row.pop("application__applicant_id")
        row["suspended"] = suspensions.get(row["id"], [])
    return rows


def enrolment_end_months(enrolment_ids: list[int]) -> dict[int, str]:
    """Last benefit month of each terminated enrolment among ``enrolment_ids``."""
    from minzheng.casework.models import EnrolmentStatus

    return dict(Enrolment.objects.filter(pk__in=enrolment_ids, status=EnrolmentStatus.TERMINATED)
                .exclude(end_month="").values_list("id", "end_month"))


def overpayment_cases_all(user: User) -> list[OverpaymentCase]:
    """Overpayment cases (all statuses) in the user's scope, oldest first."""
    return list(restrict(OverpaymentCase.objects.all(), user).select_related("enrolment").order_by("id"))


# --- the to-do inbox (workbench) ---------------------------------------------

def cases_todo(user: User, *, today: dt.date) -> QuerySet[Application]:
    """Open cases whose next step is the user's to take (by role, and for
    审批/决定 by the program's approving level), in scope, nearest deadline
    first (overdue first; undated last). Approval waits until the notice has
    ended and every objection is resolved."""
    from django.db.models import Exists, F, OuterRef

    from minzheng.casework.models import ApprovalLevel, Program, ProgramSetting
    from minzheng.casework.program_settings import default_setting
    from minzheng.casework.transitions import APPROVER, PERMISSIONS, TRANSITIONS
    from minzheng.core.models import Role
    from minzheng.core.permissions import can

    steps = [a for a, t in TRANSITIONS.items()
             if t.performer != APPROVER and a not in ("reject", "withdraw") and can(user, PERMISSIONS[a])]
    wanted = Q(due_action__in=steps)
    if can(user, "casework.approve"):
        levels = ({ApprovalLevel.DISTRICT, ApprovalLevel.STREET} if user.is_superuser else
                  {ApprovalLevel.DISTRICT if user.role == Role.BUREAU else ApprovalLevel.STREET})
        stored = dict(ProgramSetting.objects.values_list("program", "approval_level"))
        programs = [p for p in Program.values if stored.get(p, default_setting(p).approval_level) in levels]
        wanted |= Q(due_action__in=("approve", "decide"), program__in=programs)
    unresolved = Objection.objects.filter(application=OuterRef("pk"), resolved_on__isnull=True)
    return (applications_visible(user).exclude(status__in=CLOSED_STATUSES).filter(wanted)
            .exclude(status=Status.IN_NOTICE, notice__ends_on__gte=today)
            .exclude(Q(due_action="approve") & Exists(unresolved))
            .select_related("applicant", "household", "committee")
            .order_by(F("due_on").asc(nulls_last=True), "id"))



def objections_todo(user: User) -> QuerySet[Objection]:
    """Unresolved objections in scope, for those who resolve them (street staff)."""
    from minzheng.core.permissions import can

    if not can(user, "casework.objection_resolve"):
        return Objection.objects.none()
    return (restrict(Objection.objects.filter(resolved_on__isnull=True), user)
            .select_related("application", "application__household", "application__applicant")
            .order_by("received_on", "id"))


def step_label(action: str) -> str:
    """The Chinese name of a case step (``due_action``), e.g. 受理, 入户调查."""
    from minzheng.casework.transitions import STEP_LABELS

    return STEP_LABELS.get(action, "")


# --- extreme-poverty spot check ----------------------------------------------

def spot_check_draws(user: User) -> QuerySet:
    """Draws with at least one file in the user's jurisdiction, newest first, their files loaded."""
    from django.db.models import Prefetch

    from minzheng.casework.models import SpotCheck, SpotCheckDraw

    checks = restrict(SpotCheck.objects.all(), user)
    return (SpotCheckDraw.objects.filter(pk__in=checks.values("draw_id"))
            .prefetch_related(Prefetch("checks", queryset=checks.select_related(
                "application", "application__applicant", "committee").order_by("-drawn", "application_id")))
            .order_by("-id"))


def spot_check_get(user: User, pk: int):
    """One file of a draw in the user's jurisdiction (``DoesNotExist`` otherwise)."""
    from minzheng.casework.models import SpotCheck

    return restrict(SpotCheck.objects.select_related("application"), user).get(pk=pk)
