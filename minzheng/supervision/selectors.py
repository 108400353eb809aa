"""Reads of the supervision records, scoped (ADR 0010, ADR 0030).

Plans: the bureau and the auditor see every plan; a street sees the plans of
its street and the district-wide ones. Inspections and orders: through the
institution — ``facilities_visible(user)`` — so an institution's operator sees
only its own, and everything else is 404 (:class:`OutOfScope`).

The public page (一公开) reads only approved plans, and only the entity's
result: institution, date, result, rectification status (no person).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.core.models import Role, User
from minzheng.core.scope import OutOfScope, Scope
from minzheng.supervision.models import (
    ChecklistVersion,
    Inspection,
    InspectionStatus,
    Inspector,
    InspectorExclusion,
    ItemOutcome,
    OrderStatus,
    Plan,
    PlanStatus,
    RectificationOrder,
)


def plans_visible(user: User) -> QuerySet[Plan]:
    queryset = Plan.objects.select_related("street", "checklist")
    if not user.is_authenticated or user.role == Role.CARE_OPERATOR and not user.is_superuser:
        return queryset.none()
    scope = Scope.of(user)
    if scope.level == "district":
        return queryset
    if scope.level == "street":
        return queryset.filter(Q(street__isnull=True) | Q(street_id=scope.code))
    return queryset.none()


def plan_get(user: User, pk: int) -> Plan:
    plan = plans_visible(user).filter(pk=pk).first()
    if plan is None:
        raise OutOfScope()
    return plan


def inspections_visible(user: User) -> QuerySet[Inspection]:
    return (Inspection.objects.select_related("plan", "facility", "facility__street", "order")
            .filter(facility__in=facilities_visible(user)))


def inspection_get(user: User, pk: int) -> Inspection:
    inspection = inspections_visible(user).filter(pk=pk).first()
    if inspection is None:
        raise OutOfScope()
    return inspection


def orders_visible(user: User) -> QuerySet[RectificationOrder]:
    return (RectificationOrder.objects.select_related("inspection", "inspection__facility",
                                                      "inspection__facility__street", "inspection__plan")
            .filter(inspection__facility__in=facilities_visible(user)))


def order_get(user: User, pk: int) -> RectificationOrder:
    order = orders_visible(user).filter(pk=pk).first()
    if order is None:
        raise OutOfScope()
    return order


def checklist_latest() -> ChecklistVersion | None:
    return ChecklistVersion.objects.order_by("-version").first()


# --- the draw's snapshot -----------------------------------------------------------

def institutions_in_scope(plan: Plan) -> QuerySet[Facility]:
    """The operating 养老院 of the plan's scope (the whole district or one street)."""
    queryset = Facility.objects.filter(kind=FacilityKind.CARE_HOME, status=FacilityStatus.OPERATING)
    if plan.street_id:
        queryset = queryset.filter(street_id=plan.street_id)
    return queryset.order_by("id")


def draw_snapshot(plan: Plan) -> dict[str, Any]:
    """The snapshot the draw runs over (ADR 0030; :mod:`.draw`)."""
    institutions = [{"id": f.pk, "name": f.name, "street": f.street_id} for f in institutions_in_scope(plan)]
    inspectors = [{"id": i.pk, "name": i.name} for i in Inspector.objects.filter(active=True).order_by("id")]
    ids = {i["id"] for i in inspectors}
    exclusions = sorted([e.inspector_id, e.facility_id] for e in InspectorExclusion.objects.all()
                        if e.inspector_id in ids)
    return {"plan": plan.pk, "scope": plan.street_id or "310117", "institutions_to_draw": plan.institutions_to_draw,
            "inspectors_per_institution": plan.inspectors_per_institution, "institutions": institutions,
            "inspectors": inspectors, "exclusions": exclusions}


# --- figures -----------------------------------------------------------------------

def open_findings_by_facility(user: User, facility_ids: list[int]) -> dict[int, int | None]:
    """云监管 column provider: items found 发现问题 in inspections whose order is
    not yet accepted (or not yet issued), per visible institution."""
    visible = set(facilities_visible(user).filter(pk__in=facility_ids).values_list("pk", flat=True))
    rows = (Inspection.objects.filter(facility_id__in=visible, status=InspectionStatus.DONE)
            .exclude(order__status=OrderStatus.ACCEPTED)
            .values("facility_id").annotate(n=Count("records", filter=Q(records__outcome=ItemOutcome.ISSUE))))
    found = {r["facility_id"]: r["n"] for r in rows}
    return {pk: found.get(pk, 0) for pk in visible}


def overdue_orders_by_facility(user: User, facility_ids: list[int], today: dt.date | None = None
                               ) -> dict[int, int]:
    """云监管 column provider: overdue rectification orders per visible institution."""
    from django.utils import timezone

    today = today or timezone.localdate()
    visible = set(facilities_visible(user).filter(pk__in=facility_ids).values_list("pk", flat=True))
    counts = Counter(RectificationOrder.objects.filter(inspection__facility_id__in=visible, deadline__lt=today)
                     .exclude(status=OrderStatus.ACCEPTED).values_list("inspection__facility_id", flat=True))
    return {pk: counts.get(pk, 0) for pk in visible}


@dataclass(frozen=True)
class PublicRow:
    plan: Plan
    facility_name: str
    street_name: str
    inspected_on: dt.date | None
    result: str
    rectification: str


def public_rows() -> list[PublicRow]:
    """一公开: per approved plan, each drawn institution's result (entity only)."""
    today_rows: list[PublicRow] = []
    inspections = (Inspection.objects.filter(plan__status=PlanStatus.APPROVED)
                   .select_related("plan", "facility", "facility__street", "order")
                   .annotate(issues=Count("records", filter=Q(records__outcome=ItemOutcome.ISSUE)))
                   .order_by("-plan__period_start", "plan_id", "facility__street_id", "facility__name"))
    for i in inspections:
        order = getattr(i, "order", None)
        if i.issues == 0:
            result, rect = "合格", "无需整改"
        else:
            result = f"发现问题{i.issues}项，责令限期整改"
            rect = "未下达" if order is None else ("已整改" if order.status == OrderStatus.ACCEPTED else "整改中")
        today_rows.append(PublicRow(i.plan, i.facility.name, i.facility.street.name, i.inspected_on, result, rect))
    return today_rows


def plan_counts(plan: Plan, today: dt.date) -> dict[str, int]:
    inspections = list(plan.inspections.select_related("order").annotate(
        issues=Count("records", filter=Q(records__outcome=ItemOutcome.ISSUE))))
    orders = [i.order for i in inspections if hasattr(i, "order")]
    return {"drawn": len(inspections), "done": sum(i.status == InspectionStatus.DONE for i in inspections),
            "with_findings": sum(i.issues > 0 for i in inspections),
            "orders": len(orders), "open": sum(o.status != OrderStatus.ACCEPTED for o in orders),
            "overdue": sum(o.is_overdue(today) for o in orders)}
