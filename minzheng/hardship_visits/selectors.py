"""Reads of 探访关爱, scoped to the user's jurisdiction (committee, street,
district); outside → 404 (ADR 0034). ``visits_todo`` feeds the committee's
inbox (workbench); ``coverage_by_street`` the elderly-care dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.hardship_visits.models import (
    TargetRefresh,
    VisitCategory,
    Visitor,
    VisitRecord,
    VisitTarget,
)


def targets_visible(user: User) -> QuerySet[VisitTarget]:
    require(user, "hardship_visits.view")
    return restrict(VisitTarget.objects.select_related("person", "street", "committee", "visitor"), user)


def targets_open(user: User) -> QuerySet[VisitTarget]:
    return targets_visible(user).filter(ended_on__isnull=True)


def targets_overdue(user: User, today: dt.date) -> QuerySet[VisitTarget]:
    """Open targets whose next visit was due before ``today``."""
    return targets_open(user).filter(next_due_on__lt=today).order_by("next_due_on", "id")


def target_get(user: User, pk: int) -> VisitTarget:
    try:
        return targets_visible(user).get(pk=pk)
    except VisitTarget.DoesNotExist:
        raise OutOfScope("没有这个探访对象，或不在您的辖区内") from None


def target_visits(target: VisitTarget) -> QuerySet[VisitRecord]:
    return target.visits.select_related("visitor").order_by("-visited_on", "-id")


def visits_visible(user: User) -> QuerySet[VisitRecord]:
    require(user, "hardship_visits.view")
    return restrict(VisitRecord.objects.select_related("target__person", "visitor"), user,
                    street_field="target__street_id", committee_field="target__committee_id")


def visitors_visible(user: User) -> QuerySet[Visitor]:
    require(user, "hardship_visits.view")
    return restrict(Visitor.objects.select_related("committee", "user"), user)


def visitors_for(target: VisitTarget) -> QuerySet[Visitor]:
    return Visitor.objects.filter(committee_id=target.committee_id, active=True)


def categories() -> QuerySet[VisitCategory]:
    return VisitCategory.objects.all()


def last_refresh() -> TargetRefresh | None:
    return TargetRefresh.objects.first()


def visits_todo(user: User, *, today: dt.date) -> QuerySet[VisitTarget]:
    """The inbox's 探访关爱 section: open targets due within a week or overdue
    (``due_on`` is the next due date), oldest first."""
    return (targets_open(user).filter(next_due_on__lte=today + dt.timedelta(days=7))
            .annotate(due_on=F("next_due_on")).order_by("next_due_on", "id"))


@dataclass(frozen=True)
class StreetCoverage:
    street: Division
    targets: int
    assigned: int
    overdue: int
    visited_30d: int

    @property
    def coverage(self) -> float | None:
        """Share of the street's targets visited within their frequency (not overdue)."""
        return None if not self.targets else round(100 * (self.targets - self.overdue) / self.targets, 1)


def coverage_by_street(user: User, today: dt.date) -> list[StreetCoverage]:
    """Per street in scope: open targets, with a visitor, overdue, visited in the last 30 days."""
    qs = targets_open(user)
    since = today - dt.timedelta(days=30)
    rows = {r["street_id"]: r for r in qs.values("street_id").order_by().annotate(
        n=Count("id"), assigned=Count("id", filter=Q(visitor__isnull=False)),
        overdue=Count("id", filter=Q(next_due_on__lt=today)),
        recent=Count("id", filter=Q(last_visited_on__gte=since)))}
    streets = restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                       committee_field="children__code").distinct().order_by("code")
    return [StreetCoverage(s, rows.get(s.code, {}).get("n", 0), rows.get(s.code, {}).get("assigned", 0),
                           rows.get(s.code, {}).get("overdue", 0), rows.get(s.code, {}).get("recent", 0))
            for s in streets]


def category_counts(user: User) -> dict[int, int]:
    return dict(targets_open(user).values("categories").order_by().annotate(n=Count("id"))
                .values_list("categories", "n"))
