"""居家环境适老化改造: the endpoints (mounted at /api/v1, ADR 0034). Scoped
like the pages: another committee's or street's application is 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from minzheng.core.api import STAFF_AUTH, Limit, Offset, call_service, coded, path_id, responses
from minzheng.home_adaptations import selectors
from minzheng.home_adaptations.models import Application, Status

router = Router(tags=["居家环境适老化改造"], auth=STAFF_AUTH)

StatusCode = coded(Status.choices, "状态")


class AdaptationApplicationOut(Schema):
    id: int
    number: str
    elder_name: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    street: str
    street_name: str
    committee: str
    address: str
    status: str
    status_label: str
    applied_on: dt.date
    contractor: str | None
    accepted_on: dt.date | None
    subsidy_fen: int | None = Field(description="补贴金额（分）；尚未申请发放为空")


class AdaptationApplicationPage(Schema):
    count: int
    results: list[AdaptationApplicationOut]


class AdaptationLineOut(Schema):
    item: str
    unit: str
    quantity: int
    unit_price_fen: int
    amount_fen: int
    subsidy_percent: int | None = Field(description="补贴比例（%）；未设定为空")
    accepted: bool | None


class AdaptationApplicationDetailOut(AdaptationApplicationOut):
    lines: list[AdaptationLineOut]
    photos: int
    payment_status: str | None = Field(description="一次性补贴发放状态")


class AdaptationStreetOut(Schema):
    street: str
    street_name: str
    applied: int
    in_progress: int
    done: int


class AdaptationProgressOut(Schema):
    year: int
    target_households: int | None = Field(description="年度目标户数；未录入为空")
    target_source: str | None
    done: int
    streets: list[AdaptationStreetOut]


def _application(a: Application) -> dict:
    return {"id": a.pk, "number": a.number, "elder_name": a.elder.name, "id_number_masked": a.elder.id_number_masked,
            "street": a.street_id, "street_name": a.street.name, "committee": a.committee_id, "address": a.address,
            "status": a.status, "status_label": a.get_status_display(), "applied_on": a.applied_on,
            "contractor": a.contractor.name if a.contractor else None, "accepted_on": a.accepted_on,
            "subsidy_fen": a.subsidy_fen}


@router.get("/eldercare/adaptations/applications", response=responses(AdaptationApplicationPage),
            operation_id="home_adaptations_list", summary="适老化改造申请")
def application_list(request: HttpRequest, status: StatusCode | None = Query(None),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.applications_visible(request.user))
    if status:
        rows = rows.filter(status=status)
    return {"count": rows.count(), "results": [_application(a) for a in rows.order_by("-id")[offset: offset + limit]]}


@router.get("/eldercare/adaptations/progress/{year}", response=responses(AdaptationProgressOut),
            operation_id="home_adaptations_progress", summary="适老化改造年度进度（按街镇）")
def progress(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")) -> dict:
    rows = call_service(lambda: selectors.progress_by_street(request.user, year))
    target = selectors.year_target(year)
    return {"year": year, "target_households": target.target_households if target else None,
            "target_source": target.source if target else None, "done": sum(r.done for r in rows),
            "streets": [{"street": r.street.code, "street_name": r.street.name, "applied": r.applied,
                         "in_progress": r.in_progress, "done": r.done} for r in rows]}


@router.get("/eldercare/adaptations/applications/{application_id}", response=responses(AdaptationApplicationDetailOut),
            operation_id="home_adaptations_detail", summary="适老化改造申请详情（改造项目、照片数、补贴发放状态）")
def application_detail(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    from minzheng.home_adaptations.services import PROGRAM
    from minzheng.payments.services import one_off_status

    a = call_service(lambda: selectors.application_get(request.user, application_id))
    out = _application(a)
    payment = one_off_status(PROGRAM, a.payment_reference) if a.payment_reference else None
    out.update(lines=[{"item": line.item.name, "unit": line.item.unit, "quantity": line.quantity,
                       "unit_price_fen": line.unit_price_fen, "amount_fen": line.amount_fen,
                       "subsidy_percent": line.item.subsidy_percent, "accepted": line.accepted}
                      for line in a.lines.select_related("item")],
               photos=a.photos.count(), payment_status=payment.get_status_display() if payment else None)
    return out
