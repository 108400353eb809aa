"""Reads of 未成年人保护 (ADR 0036).

A case is seen only by the staff assigned to it and by the members of the
district protection office: :func:`cases_visible` is the one queryset every
page, list, export and endpoint reads cases through. Anyone else — a
committee user of the child's own committee, a bureau user who is not an
office member — gets :class:`OutOfScope` (404), exactly as for a case that
does not exist. The role check comes first (``minors.view``: 403 for the
roles that never work cases). Stations and staff are not personal case data
and are read in the user's jurisdiction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import NotPermitted, require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.minors_protection.models import (
    AssessmentDeadline,
    Case,
    CaseAssignment,
    CaseStatus,
    ConcernKind,
    Measure,
    OfficeMember,
    Station,
    StationStaff,
)

NOT_FOUND = "没有这个个案，或您无权查看"


def is_office_member(user: User) -> bool:
    """Is ``user`` a current member of the district protection office?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_minors_office_member", None)
    if cached is None:
        cached = OfficeMember.objects.filter(user=user, ended_at__isnull=True).exists()
        user._minors_office_member = cached  # type: ignore[attr-defined]
    return cached


def may_see(user: User, case: Case) -> bool:
    """The rule itself: an office member, or a current assignment to the case."""
    return is_office_member(user) or CaseAssignment.objects.filter(case=case, user=user,
                                                                   ended_at__isnull=True).exists()


def cases_visible(user: User) -> QuerySet[Case]:
    """The cases ``user`` may see: all for an office member; else those the user
    is currently assigned to (none otherwise — jurisdiction gives nothing here)."""
    require(user, "minors.view")
    rows = Case.objects.select_related("child", "street", "committee", "station")
    if is_office_member(user):
        return rows
    mine = CaseAssignment.objects.filter(user=user, ended_at__isnull=True).values("case_id")
    return rows.filter(pk__in=mine)


def case_get(user: User, pk: int) -> Case:
    try:
        return cases_visible(user).get(pk=pk)
    except Case.DoesNotExist:
        raise OutOfScope(NOT_FOUND) from None


def case_exists(pk: int) -> bool:
    """For the refused-view audit entry only (never shown to the user)."""
    return Case.objects.filter(pk=pk).exists()


def case_measures(case: Case) -> QuerySet[Measure]:
    return case.measures.order_by("taken_on", "id")


def case_assignments(case: Case) -> QuerySet[CaseAssignment]:
    return case.assignments.filter(ended_at__isnull=True).select_related("user")


def case_overdue(case: Case, now: dt.datetime | None = None) -> bool:
    """Not yet assessed and past the assessment deadline."""
    return case.status == CaseStatus.REPORTED and case.assessment_due_at < (now or timezone.now())


def assessed_late(case: Case) -> bool | None:
    """Was the assessment done after its deadline? None while not assessed."""
    if case.assessed_at is None:
        return None
    return case.assessed_at > case.assessment_due_at


def cases_overdue(user: User, now: dt.datetime | None = None) -> QuerySet[Case]:
    return cases_visible(user).filter(status=CaseStatus.REPORTED, assessment_due_at__lt=now or timezone.now())


def cases_todo(user: User) -> QuerySet[Case]:
    """The inbox's section: the cases the user may see still waiting for their
    assessment, soonest deadline first (``due_on``: the deadline's local day)."""
    return (cases_visible(user).filter(status=CaseStatus.REPORTED)
            .annotate(due_on=TruncDate("assessment_due_at")).order_by("assessment_due_at", "id"))


def assignable_users(case: Case) -> QuerySet[User]:
    """Who may be assigned: active staff accounts (bureau, street, committee) whose
    jurisdiction covers the child's committee, or active staff of the case's station."""
    station_users = StationStaff.objects.filter(station_id=case.station_id, active=True,
                                                user__isnull=False).values("user_id")
    covers = (Q(role="bureau") | Q(role="street", scope_id=case.street_id)
              | Q(role="committee", scope_id=case.committee_id) | Q(pk__in=station_users))
    return (User.objects.filter(is_active=True, role__in=("bureau", "street", "committee")).filter(covers)
            .order_by("role", "username"))


def concern_kinds(*, active_only: bool = True) -> QuerySet[ConcernKind]:
    rows = ConcernKind.objects.all()
    return rows.filter(active=True) if active_only else rows


def deadlines() -> QuerySet[AssessmentDeadline]:
    return AssessmentDeadline.objects.order_by("hours")


def office_members(user: User) -> QuerySet[OfficeMember]:
    require(user, "minors.view")
    return OfficeMember.objects.filter(ended_at__isnull=True).select_related("user").order_by("added_at")


# --- stations (not personal case data: read in the user's jurisdiction) ---------------------

def stations_visible(user: User) -> QuerySet[Station]:
    require(user, "minors.stations_view")
    return restrict(Station.objects.select_related("street"), user, street_field="street_id",
                    committee_field="street__children__code").distinct()


def station_get(user: User, pk: int) -> Station:
    try:
        return stations_visible(user).get(pk=pk)
    except Station.DoesNotExist:
        raise OutOfScope("没有这个工作站，或不在您的辖区内") from None


def station_staff(station: Station) -> QuerySet[StationStaff]:
    return station.staff.filter(active=True).select_related("user").order_by("position", "name")


# --- the office's overview: counts only, no person ----------------------------------------------

@dataclass(frozen=True)
class StreetCounts:
    street: Division
    station: bool
    reported: int
    open: int
    overdue: int
    special: int
    closed: int


@dataclass(frozen=True)
class Overview:
    year: int
    streets: list[StreetCounts]
    kinds: list[tuple[ConcernKind, int]]
    reported: int
    open: int
    overdue: int
    special: int
    special_with_plan: int
    closed: int
    stations: int


def overview(user: User, year: int, now: dt.datetime | None = None) -> Overview:
    """Counts by street and by kind for the cases reported in ``year`` (open and
    overdue: as of now, whatever the year). Office members only: others are
    refused (403) — the page names no person, but the counts are the office's."""
    require(user, "minors.view")
    if not is_office_member(user):
        # not a wrong role (the table allows it) but not a member: the office's own read, refused 403
        raise NotPermitted("minors.view", "仅限区未成年人保护办公室成员查看个案统计")
    now = now or timezone.now()
    in_year = Q(reported_at__year=year)
    rows = {r["street_id"]: r for r in Case.objects.values("street_id").order_by().annotate(
        reported=Count("id", filter=in_year),
        open=Count("id", filter=~Q(status=CaseStatus.CLOSED)),
        overdue=Count("id", filter=Q(status=CaseStatus.REPORTED, assessment_due_at__lt=now)),
        special=Count("id", filter=Q(special_protection=True) & ~Q(status=CaseStatus.CLOSED)),
        closed=Count("id", filter=Q(closed_on__year=year)))}
    stations = set(Station.objects.filter(active=True).values_list("street_id", flat=True))
    streets = Division.objects.filter(level=DivisionLevel.STREET).order_by("code")
    by_street = [StreetCounts(s, s.code in stations, *(rows.get(s.code, {}).get(k, 0) for k in
                                                      ("reported", "open", "overdue", "special", "closed")))
                 for s in streets]
    kind_counts = dict(ConcernKind.objects.filter(cases__reported_at__year=year).values("pk").order_by()
                       .annotate(n=Count("cases", distinct=True)).values_list("pk", "n"))
    kinds = [(k, kind_counts.get(k.pk, 0)) for k in ConcernKind.objects.all()]
    special = Case.objects.filter(special_protection=True).exclude(status=CaseStatus.CLOSED)
    return Overview(year=year, streets=by_street, kinds=kinds, reported=sum(s.reported for s in by_street),
                    open=sum(s.open for s in by_street), overdue=sum(s.overdue for s in by_street),
                    special=special.count(), special_with_plan=special.exclude(plan="").count(),
                    closed=sum(s.closed for s in by_street), stations=len(stations))
