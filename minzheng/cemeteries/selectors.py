"""Reads of the cemetery register, scoped (ADR 0025).

A street/town account sees the cemeteries of its street; district accounts
(bureau, auditor, the cemeteries' staff 公墓工作人员 whose scope is the district)
see all. Out of scope → 404 (:class:`~minzheng.core.scope.OutOfScope`).

``cemeteries(user)`` and ``cemetery_get(user, pk)`` are public interfaces (the
sweeping helper builds reservations per cemetery): keep them stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from minzheng.cemeteries.models import (
    ECO_PLOT_KINDS,
    Cemetery,
    ChecklistItem,
    ChecklistVersion,
    Evidence,
    Inspection,
    PlotKind,
    PlotStock,
    Price,
    PriceCap,
    Rectification,
    Section,
    is_eco,
)
from minzheng.cemeteries.outcome import InspectionSummary, inspection_summary
from minzheng.cemeteries.pricing import OverCap, cap_in_force, prices_over_cap
from minzheng.core.models import DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, Scope


def scoped(qs: QuerySet, user: User, *, street_field: str = "street_id") -> QuerySet:
    """``qs`` narrowed to ``user``'s jurisdiction: the district sees all, a street
    its own street, anybody else (committee, advisor, no scope) nothing."""
    scope = Scope.of(user)
    if scope.level == DivisionLevel.DISTRICT:
        return qs
    if scope.level == DivisionLevel.STREET:
        return qs.filter(**{street_field: scope.code})
    return qs.none()


def cemeteries(user: User) -> QuerySet[Cemetery]:
    """Every cemetery and columbarium ``user`` may see (``cemeteries.view``)."""
    require(user, "cemeteries.view")
    return scoped(Cemetery.objects.select_related("street"), user)


def cemetery_get(user: User, pk: int) -> Cemetery:
    """One cemetery; missing or outside the user's jurisdiction → 404."""
    try:
        return cemeteries(user).get(pk=pk)
    except Cemetery.DoesNotExist:
        raise OutOfScope("没有这个公墓或骨灰堂，或不在您的辖区内") from None


# --- counts and the eco-burial share --------------------------------------------

@dataclass(frozen=True)
class Counts:
    """Capacity, sold and used places, and the 节地生态 share (ADR 0025):
    eco places sold ÷ all places sold, and eco capacity ÷ all capacity. A
    share of nothing (no place sold, no capacity) is unknown (None), never 0."""

    capacity: int
    sold: int
    used: int
    eco_capacity: int
    eco_sold: int
    small_sold: int

    @property
    def remaining(self) -> int:
        return self.capacity - self.sold

    @property
    def eco_share_sold(self) -> Decimal | None:
        return _share(self.eco_sold, self.sold)

    @property
    def eco_share_capacity(self) -> Decimal | None:
        return _share(self.eco_capacity, self.capacity)

    @property
    def small_share_sold(self) -> Decimal | None:
        return _share(self.small_sold, self.sold)


def _share(part: int, whole: int) -> Decimal | None:
    """Percent with one decimal, or None when the whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)



def counts_by_cemetery(cemetery_ids: list[int] | None = None) -> dict[int, Counts]:
    """One query: the counts of every cemetery (or of ``cemetery_ids``)."""
    eco = Q(plot_kind__in=[k.value for k in ECO_PLOT_KINDS])
    rows = PlotStock.objects.all()
    if cemetery_ids is not None:
        rows = rows.filter(section__cemetery_id__in=cemetery_ids)
    agg = rows.values("section__cemetery_id").annotate(
        n_capacity=Sum("capacity"), n_sold=Sum("sold"), n_used=Sum("used"),
        n_eco_capacity=Sum("capacity", filter=eco), n_eco_sold=Sum("sold", filter=eco),
        n_small_sold=Sum("sold", filter=Q(plot_kind=PlotKind.SMALL))).order_by()
    fields = ("capacity", "sold", "used", "eco_capacity", "eco_sold", "small_sold")
    return {r["section__cemetery_id"]: Counts(*(r[f"n_{f}"] or 0 for f in fields)) for r in agg}


def counts_total(counts: Iterable[Counts]) -> Counts:
    counts = list(counts)
    return Counts(*(sum(getattr(c, f) for c in counts) for f in
                    ("capacity", "sold", "used", "eco_capacity", "eco_sold", "small_sold")))


def stocks(cemetery: Cemetery) -> QuerySet[PlotStock]:
    return PlotStock.objects.filter(section__cemetery=cemetery).select_related("section").order_by(
        "section__name", "plot_kind")


def sections(cemetery: Cemetery) -> QuerySet[Section]:
    return cemetery.sections.prefetch_related("stocks").order_by("name")


def stock_get(user: User, pk: int) -> PlotStock:
    require(user, "cemeteries.view")
    stock = scoped(PlotStock.objects.select_related("section__cemetery"), user,
                   street_field="section__cemetery__street_id").filter(pk=pk).first()
    if stock is None:
        raise OutOfScope("没有这个墓区墓穴记录")
    return stock


def section_get(user: User, pk: int) -> Section:
    require(user, "cemeteries.view")
    section = scoped(Section.objects.select_related("cemetery"), user,
                     street_field="cemetery__street_id").filter(pk=pk).first()
    if section is None:
        raise OutOfScope("没有这个墓区")
    return section


# --- prices and caps ---------------------------------------------------------------

@dataclass(frozen=True)
class PriceLine:
    plot_kind: str
    label: str
    eco: bool
    price: Price | None
    cap: PriceCap | None
    history: list[Price]

    @property
    def over_cap(self) -> bool:
        return self.price is not None and self.cap is not None and self.price.price_fen > self.cap.cap_fen


def price_lines(cemetery: Cemetery, on: dt.date) -> list[PriceLine]:
    """Per plot kind with a price or a stock: the price and cap in force on ``on``
    and the whole price history (newest first)."""
    history: dict[str, list[Price]] = {}
    for p in cemetery.prices.order_by("plot_kind", "-effective_from"):
        history.setdefault(p.plot_kind, []).append(p)
    kinds = set(history) | set(stocks(cemetery).values_list("plot_kind", flat=True))
    lines = []
    for kind in PlotKind:
        if kind.value not in kinds:
            continue
        in_force = next((p for p in history.get(kind.value, []) if p.effective_from <= on), None)
        lines.append(PriceLine(kind.value, kind.label, is_eco(kind.value), in_force,
                               cap_in_force(cemetery, kind.value, on), history.get(kind.value, [])))
    return lines


def caps(user: User) -> QuerySet[PriceCap]:
    require(user, "cemeteries.view")
    return PriceCap.objects.select_related("cemetery").order_by("plot_kind", "-effective_from", "cemetery_id")


def over_cap_report(user: User, on: dt.date) -> list[OverCap]:
    """The 经营性 cemeteries and plot kinds (in the user's scope) priced above the cap."""
    return prices_over_cap(cemeteries(user), on)


# --- the yearly inspection ------------------------------------------------------------

def inspections(user: User, year: int | None = None) -> QuerySet[Inspection]:
    require(user, "cemeteries.view")
    rows = scoped(Inspection.objects.select_related("cemetery__street", "checklist"), user,
                  street_field="cemetery__street_id")
    return rows.filter(year=year) if year else rows


def inspection_get(user: User, pk: int) -> Inspection:
    inspection = inspections(user).filter(pk=pk).first()
    if inspection is None:
        raise OutOfScope("没有这次年检，或不在您的辖区内")
    return inspection


def rectification_get(user: User, pk: int) -> Rectification:
    require(user, "cemeteries.view")
    rect = scoped(Rectification.objects.select_related("inspection__cemetery", "result__item", "verified_by"),
                  user, street_field="inspection__cemetery__street_id").filter(pk=pk).first()
    if rect is None:
        raise OutOfScope("没有这项整改，或不在您的辖区内")
    return rect


def evidence_get(user: User, pk: int) -> Evidence:
    require(user, "cemeteries.view")
    evidence = scoped(Evidence.objects.select_related("rectification__inspection__cemetery"), user,
                      street_field="rectification__inspection__cemetery__street_id").filter(pk=pk).first()
    if evidence is None:
        raise OutOfScope("没有这份佐证材料")
    return evidence


def rectifications_overdue(user: User, today: dt.date) -> QuerySet[Rectification]:
    """逾期: deadline passed, not verified (ADR 0025)."""
    require(user, "cemeteries.view")
    return scoped(Rectification.objects.filter(verified_on__isnull=True, deadline__lt=today)
                  .select_related("inspection__cemetery"), user, street_field="inspection__cemetery__street_id")


def checklist(year: int) -> ChecklistVersion | None:
    return ChecklistVersion.objects.filter(year=year).prefetch_related("items").first()


def checklist_item_get(user: User, pk: int) -> ChecklistItem:
    require(user, "cemeteries.view")
    item = ChecklistItem.objects.select_related("version").filter(pk=pk).first()
    if item is None:
        raise OutOfScope("没有这个检查项")
    return item


def summary(inspection: Inspection, today: dt.date) -> InspectionSummary:
    return inspection_summary(inspection, today)
