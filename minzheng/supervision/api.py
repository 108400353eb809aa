"""养老机构监管（双随机、一公开）endpoints (mounted at /api/v1, ADR 0030).
Scoped like the pages: an institution's operator sees only its own inspections
and orders; anything else is 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from minzheng.core.api import STAFF_AUTH, call_service, path_id, responses
from minzheng.core.permissions import can, require
from minzheng.supervision import selectors

router = Router(tags=["养老机构监管"], auth=STAFF_AUTH)


class SupervisionPlanOut(Schema):
    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    scope_name: str = Field(description="抽查范围：全区或街镇名称")
    status: str
    status_label: str
    checklist_version: int
    seed: int | None = Field(description="随机种子；尚未抽取为空")
    snapshot_sha256: str | None = Field(description="抽取快照的SHA-256；尚未抽取为空")
    draw: dict | None = Field(description="记录的抽取结果；尚未抽取为空")


class SupervisionRecordOut(Schema):
    item_id: int
    position: int
    category_label: str
    text: str
    outcome_label: str
    note: str


class SupervisionOrderOut(Schema):
    id: int
    inspection_id: int
    facility_name: str
    issued_on: dt.date
    working_days: int
    deadline: dt.date
    status: str
    status_label: str
    overdue: bool
    escalated: bool


class SupervisionInspectionOut(Schema):
    id: int
    plan_name: str
    facility_id: int
    facility_name: str
    status_label: str
    inspected_on: dt.date | None
    records: list[SupervisionRecordOut]
    order: SupervisionOrderOut | None


def _plan(p) -> dict:
    return {"id": p.pk, "name": p.name, "period_start": p.period_start, "period_end": p.period_end,
            "scope_name": p.scope_name, "status": p.status, "status_label": p.get_status_display(),
            "checklist_version": p.checklist.version, "seed": p.seed, "snapshot_sha256": p.snapshot_sha256 or None,
            "draw": p.draw}


def _order(o, today) -> dict:
    return {"id": o.pk, "inspection_id": o.inspection_id, "facility_name": o.inspection.facility.name,
            "issued_on": o.issued_on, "working_days": o.working_days, "deadline": o.deadline, "status": o.status,
            "status_label": o.get_status_display(), "overdue": o.is_overdue(today),
            "escalated": o.escalated_at is not None}


def _reader(request: HttpRequest) -> None:
    if not can(request.user, "supervision.respond"):
        require(request.user, "supervision.view")


@router.get("/supervision/plans", response=responses(list[SupervisionPlanOut]), summary="双随机检查计划",
            operation_id="supervision_plans")
def plans(request: HttpRequest) -> list[dict]:
    require(request.user, "supervision.view")
    return [_plan(p) for p in selectors.plans_visible(request.user)]


@router.get("/supervision/plans/{plan_id}", response=responses(SupervisionPlanOut), summary="双随机检查计划详情（含抽取记录）",
            operation_id="supervision_plan")
def plan(request: HttpRequest, plan_id: int = path_id("计划编号")) -> dict:
    require(request.user, "supervision.view")
    return _plan(call_service(lambda: selectors.plan_get(request.user, plan_id)))


@router.get("/supervision/inspections/{inspection_id}", response=responses(SupervisionInspectionOut),
            summary="一家机构的检查（逐项结果和整改通知）", operation_id="supervision_inspection")
def inspection(request: HttpRequest, inspection_id: int = path_id("检查编号")) -> dict:
    _reader(request)
    i = call_service(lambda: selectors.inspection_get(request.user, inspection_id))
    order = getattr(i, "order", None) if hasattr(i, "order") else None
    return {"id": i.pk, "plan_name": i.plan.name, "facility_id": i.facility_id, "facility_name": i.facility.name,
            "status_label": i.get_status_display(), "inspected_on": i.inspected_on,
            "records": [{"item_id": r.item_id, "position": r.item.position,
                         "category_label": r.item.get_category_display(), "text": r.item.text,
                         "outcome_label": r.get_outcome_display(), "note": r.note}
                        for r in i.records.select_related("item")],
            "order": _order(order, timezone.localdate()) if order else None}


@router.get("/supervision/orders", response=responses(list[SupervisionOrderOut]), summary="整改通知（本人可见范围）",
            operation_id="supervision_orders")
def orders(request: HttpRequest) -> list[dict]:
    _reader(request)
    today = timezone.localdate()
    return [_order(o, today) for o in selectors.orders_visible(request.user)]
