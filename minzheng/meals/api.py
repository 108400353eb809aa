"""老年人助餐: the endpoints (mounted at /api/v1/meals, ADR 0032). Scoped like
the pages: a canteen's staff see their own canteens only; anything else is
404. Money in fen; ID numbers masked."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.core.permissions import require
from minzheng.meals import selectors, services
from minzheng.meals.models import MealKind, MealSlot

router = Router(tags=["老年人助餐"], auth=STAFF_AUTH)

SlotCode = coded(MealSlot.choices, "餐次")
KindCode = coded(MealKind.choices, "用餐方式")


class MealCanteenOut(Schema):
    id: int
    name: str
    kind_label: str
    street: str = Field(description="所在街镇区划代码")
    street_name: str


class MealRecordOut(Schema):
    id: int
    canteen_id: int
    day: dt.date
    name: str
    id_number_masked: str
    slot: str
    slot_label: str
    kind: str
    kind_label: str
    subsidised: bool
    subsidy_fen: int
    reason: str = Field(description="不予补贴原因；享受补贴时为空")


class MealRecordPage(Schema):
    count: int
    results: list[MealRecordOut]


class MealCounterIn(Schema):
    id_number: str = Field(max_length=32, description="身份证号")
    name: str = Field("", max_length=64, description="姓名（可空：按身份证号取人口库姓名）")
    day: dt.date = Field(description="用餐日期（2000-01-01 起，不晚于今天）")
    slot: SlotCode
    kind: KindCode


class MealCounterOut(Schema):
    recorded: bool = Field(description="是否新登记；本餐次已登记过时为 false")
    record: MealRecordOut | None


class MealSettlementOut(Schema):
    id: int
    canteen_id: int
    canteen_name: str
    month: str
    status: str
    status_label: str
    meals: int
    subsidised_meals: int
    subsidy_fen: int
    adjustment_meals: int
    adjustment_fen: int
    adjustments: list[dict] = Field(description="以前月份补报：月份、人次、补贴人次、补贴（分）")
    anomalies: dict[str, int] = Field(description="不予补贴原因 → 人次")
    total_fen: int
    prepared_by: str
    approved_by: str


class MealQuarantineOut(Schema):
    row_number: int
    reason: str


class MealImportOut(Schema):
    id: int
    canteen_id: int
    source_label: str
    file_name: str
    rows_total: int
    rows_recorded: int
    rows_repeated: int
    rows_quarantined: int
    quarantined: list[MealQuarantineOut]


def _record(r) -> dict:
    return {"id": r.pk, "canteen_id": r.canteen_id, "day": r.day, "name": r.person.name,
            "id_number_masked": r.person.id_number_masked, "slot": r.slot, "slot_label": r.get_slot_display(),
            "kind": r.kind, "kind_label": r.get_kind_display(), "subsidised": r.subsidised,
            "subsidy_fen": r.subsidy_fen, "reason": r.reason}


def _settlement(s) -> dict:
    return {"id": s.pk, "canteen_id": s.canteen_id, "canteen_name": s.canteen.name, "month": s.month,
            "status": s.status, "status_label": s.get_status_display(), "meals": s.meals,
            "subsidised_meals": s.subsidised_meals, "subsidy_fen": s.subsidy_fen,
            "adjustment_meals": s.adjustment_meals, "adjustment_fen": s.adjustment_fen,
            "adjustments": s.adjustments, "anomalies": s.anomalies, "total_fen": s.total_fen,
            "prepared_by": s.prepared_by, "approved_by": s.approved_by}


def _viewer(request: HttpRequest) -> None:
    require(request.user, "meals.view")


@router.get("/meals/canteens", response=responses(list[MealCanteenOut]), summary="可查看的助餐点",
            operation_id="meals_canteens")
def canteens(request: HttpRequest) -> list[dict]:
    rows = call_service(lambda: (_viewer(request), selectors.canteens_visible(request.user))[1])
    return [{"id": c.pk, "name": c.name, "kind_label": c.get_kind_display(), "street": c.street_id,
             "street_name": c.street.name} for c in rows.order_by("street_id", "name")]


@router.get("/meals/records", response=responses(MealRecordPage), summary="助餐记录", operation_id="meals_records")
def records(request: HttpRequest, canteen: int | None = Query(None, ge=1, description="助餐点编号"),
            day_from: dt.date | None = Query(None, description="用餐日期起"),
            day_to: dt.date | None = Query(None, description="用餐日期止"),
            limit: Limit = 50, offset: Offset = 0) -> dict:
    def rows():
        _viewer(request)
        qs = selectors.records_visible(request.user)
        if canteen:
            selectors.canteen_get(request.user, canteen)
            qs = qs.filter(canteen_id=canteen)
        if day_from:
            qs = qs.filter(day__gte=day_from)
        if day_to:
            qs = qs.filter(day__lte=day_to)
        return qs.order_by("-day", "-id")

    qs = call_service(rows)
    return {"count": qs.count(), "results": [_record(r) for r in qs[offset: offset + limit]]}


@router.post("/meals/canteens/{canteen_id}/meals", response=responses(MealCounterOut, 201),
             summary="窗口登记一餐（每人每天补贴一餐，其余照常登记、不予补贴）", operation_id="meals_counter")
def counter(request: HttpRequest, payload: MealCounterIn, canteen_id: int = path_id("助餐点编号")) -> Status:
    record = call_service(lambda: services.meal_counter_record(
        actor=request.user, canteen_id=canteen_id, id_number=payload.id_number, name=payload.name,
        day=payload.day, slot=payload.slot, kind=payload.kind))
    return Status(201, {"recorded": record is not None, "record": _record(record) if record else None})


@router.get("/meals/imports/{import_id}", response=responses(MealImportOut), summary="一次导入及其问题行",
            operation_id="meals_import")
def import_detail(request: HttpRequest, import_id: int = path_id("导入编号")) -> dict:
    i = call_service(lambda: (_viewer(request), selectors.import_get(request.user, import_id))[1])
    return {"id": i.pk, "canteen_id": i.canteen_id, "source_label": i.get_source_display(), "file_name": i.file_name,
            "rows_total": i.rows_total, "rows_recorded": i.rows_recorded, "rows_repeated": i.rows_repeated,
            "rows_quarantined": i.rows_quarantined,
            "quarantined": [{"row_number": q.row_number, "reason": q.reason}
                            for q in selectors.import_quarantine(i)[:1000]]}


@router.get("/meals/settlements", response=responses(list[MealSettlementOut]), summary="助餐月度结算",
            operation_id="meals_settlements")
def settlements(request: HttpRequest, month: str | None = Query(None, pattern=r"^\d{4}-\d{2}$",
                                                               description="结算月份（YYYY-MM）")) -> list[dict]:
    qs = call_service(lambda: (_viewer(request), selectors.settlements_visible(request.user))[1])
    if month:
        qs = qs.filter(month=month)
    return [_settlement(s) for s in qs.order_by("-month", "canteen_id")[:500]]


@router.get("/meals/settlements/{settlement_id}", response=responses(MealSettlementOut), summary="一份助餐月度结算",
            operation_id="meals_settlement")
def settlement(request: HttpRequest, settlement_id: int = path_id("结算编号")) -> dict:
    return _settlement(call_service(lambda: (_viewer(request),
                                             selectors.settlement_get(request.user, settlement_id))[1]))


@router.post("/meals/settlements/{settlement_id}/approve", response=responses(MealSettlementOut, conflict=True),
             summary="审批助餐月度结算（结算人不能审批）", operation_id="meals_settlement_approve")
def approve(request: HttpRequest, settlement_id: int = path_id("结算编号")) -> dict:
    def run():
        selectors.settlement_get(request.user, settlement_id)
        return services.settlement_approve(actor=request.user, settlement_id=settlement_id)

    return _settlement(call_service(run))
