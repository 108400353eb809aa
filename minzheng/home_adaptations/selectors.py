"""Reads of 居家环境适老化改造, scoped (committee, street, district); outside → 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.home_adaptations.models import (
    Application,
    CatalogueItem,
    Contractor,
    Status,
    YearTarget,
)

DONE = (Status.ACCEPTED, Status.SUBSIDISED)


def applications_visible(user: User) -> QuerySet[Application]:
    require(user, "home_adaptations.view")
    return restrict(Application.objects.select_related("elder", "street", "committee", "contractor"), user)


def application_get(user: User, pk: int) -> Application:
    try:
        return applications_visible(user).get(pk=pk)
    except Application.DoesNotExist:
        raise OutOfScope("没有这个适老化改造申请，或不在您的辖区内") from None


def catalogue(active_only: bool = False) -> QuerySet[CatalogueItem]:
    qs = CatalogueItem.objects.all()
    return qs.filter(active=True) if active_only else qs


def contractors(active_only: bool = False) -> QuerySet[Contractor]:
    qs = Contractor.objects.all()
    return qs.filter(active=True) if active_only else qs


def year_target(year: int) -> YearTarget | None:
    return YearTarget.objects.filter(year=year).first()


def year_targets() -> QuerySet[YearTarget]:
    return YearTarget.objects.all()


@dataclass(frozen=True)
class StreetProgress:
    street: Division
    applied: int
    in_progress: int
    done: int


def progress_by_street(user: User, year: int) -> list[StreetProgress]:
    """Per street in scope: applications made in ``year``, those in progress,
    and households done (accepted in ``year``: 已验收 or 已申请补贴)."""
    qs = applications_visible(user)
    applied = dict(qs.filter(applied_on__year=year).values("street_id").order_by().annotate(n=Count("id"))
                   .values_list("street_id", "n"))
    open_ = dict(qs.filter(status__in=[Status.APPLIED, Status.ASSESSED, Status.CONTRACTED, Status.COMPLETED])
                 .values("street_id").order_by().annotate(n=Count("id")).values_list("street_id", "n"))
    done = dict(qs.filter(Q(status__in=DONE), accepted_on__year=year).values("street_id").order_by()
                .annotate(n=Count("id")).values_list("street_id", "n"))
    streets = restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                       committee_field="children__code").distinct().order_by("code")
    return [StreetProgress(s, applied.get(s.code, 0), open_.get(s.code, 0), done.get(s.code, 0)) for s in streets]
