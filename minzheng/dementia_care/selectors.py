"""Reads of 认知障碍风险筛查, scoped (committee, street, district); outside → 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.dementia_care.models import Screening, ScreeningTool, YearFigure


def screenings_visible(user: User) -> QuerySet[Screening]:
    require(user, "dementia_care.view")
    return restrict(Screening.objects.select_related("person", "street", "committee", "tool"), user)


def screening_get(user: User, pk: int) -> Screening:
    try:
        return screenings_visible(user).get(pk=pk)
    except Screening.DoesNotExist:
        raise OutOfScope("没有这条筛查记录，或不在您的辖区内") from None


def tools() -> QuerySet[ScreeningTool]:
    return ScreeningTool.objects.all()


def year_figure(year: int) -> YearFigure | None:
    return YearFigure.objects.filter(year=year).first()


@dataclass(frozen=True)
class StreetScreenings:
    street: Division
    screenings: int
    persons: int
    positive: int
    high: int
    referred: int


def counts_by_street(user: User, year: int) -> list[StreetScreenings]:
    """Per street in scope, screenings dated in ``year``: records, distinct
    persons, positive by a cited cut-off, high risk, referred."""
    qs = screenings_visible(user).filter(screened_on__year=year)
    rows = {r["street_id"]: r for r in qs.values("street_id").order_by().annotate(
        n=Count("id"), persons=Count("person_id", distinct=True), positive=Count("id", filter=Q(positive=True)),
        high=Count("id", filter=Q(risk_level="high")), referred=Count("id", filter=Q(referred_on__isnull=False)))}
    streets = restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                       committee_field="children__code").distinct().order_by("code")
    out = []
    for s in streets:
        r = rows.get(s.code, {})
        out.append(StreetScreenings(s, r.get("n", 0), r.get("persons", 0), r.get("positive", 0), r.get("high", 0),
                                    r.get("referred", 0)))
    return out
