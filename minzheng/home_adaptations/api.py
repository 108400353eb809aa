"""居家环境适老化改造: the endpoints (mounted at /api/v1, ADR 0034). Scoped
like the pages: another committee's or street's application is 404. Every
step of the page is here too, through the same services: application,
assessment (lines from the catalogue), contractor, completion photo,
completion, acceptance, subsidy request, 不予改造 — a step the application's
state does not allow is 409, a broken rule 422 with the Chinese reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from minzheng.core.api import (
    STAFF_AUTH,
    Limit,
    Offset,
    RecordId,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.bounds import day_check, upload_check
from minzheng.core.permissions import require
from minzheng.home_adaptations import selectors, services
from minzheng.home_adaptations.models import Application, Status
from minzheng.registry.selectors import person_current_membership, person_get

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
    item_code: str = Field(description="改造项目代码")
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


def _detail(a: Application) -> dict:
    from minzheng.payments.services import one_off_status

    out = _application(a)
    payment = one_off_status(services.PROGRAM, a.payment_reference) if a.payment_reference else None
    out.update(lines=[{"item": line.item.name, "item_code": line.item.code, "unit": line.item.unit,
                       "quantity": line.quantity, "unit_price_fen": line.unit_price_fen, "amount_fen": line.amount_fen,
                       "subsidy_percent": line.item.subsidy_percent, "accepted": line.accepted}
                      for line in a.lines.select_related("item")],
               photos=a.photos.count(), payment_status=payment.get_status_display() if payment else None)
    return out


@router.get("/eldercare/adaptations/applications/{application_id}", response=responses(AdaptationApplicationDetailOut),
            operation_id="home_adaptations_detail", summary="适老化改造申请详情（改造项目、照片数、补贴发放状态）")
def application_detail(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _detail(call_service(lambda: selectors.application_get(request.user, application_id)))


# --- the catalogue and the contractors (what the steps refer to) --------------------------

class AdaptationItemOut(Schema):
    code: str
    name: str
    unit: str
    unit_price_fen: int
    price_basis: str
    subsidy_percent: int | None = Field(description="补贴比例（%）；未设定为空（参数缺失）")
    subsidy_basis: str
    active: bool


class AdaptationContractorOut(Schema):
    id: int
    name: str
    uscc: str = Field(description="统一社会信用代码")
    active: bool = Field(description="可派单")


@router.get("/eldercare/adaptations/catalogue", response=responses(list[AdaptationItemOut]),
            operation_id="home_adaptations_catalogue", summary="适老化改造项目目录（代码、单价、补贴比例）")
def catalogue(request: HttpRequest) -> list[dict]:
    call_service(lambda: require(request.user, "home_adaptations.view"))
    return [{"code": i.code, "name": i.name, "unit": i.unit, "unit_price_fen": i.unit_price_fen,
             "price_basis": i.price_basis, "subsidy_percent": i.subsidy_percent, "subsidy_basis": i.subsidy_basis,
             "active": i.active} for i in selectors.catalogue()]


@router.get("/eldercare/adaptations/contractors", response=responses(list[AdaptationContractorOut]),
            operation_id="home_adaptations_contractors", summary="适老化改造施工单位")
def contractors(request: HttpRequest) -> list[dict]:
    call_service(lambda: require(request.user, "home_adaptations.view"))
    return [{"id": c.pk, "name": c.name, "uscc": c.uscc, "active": c.active} for c in selectors.contractors()]


# --- the application's steps (the page's steps, through the same services) ---------------

ItemCode = Annotated[str, Field(min_length=1, max_length=32, description="改造项目代码（见项目目录）")]


class AdaptationApplicationIn(Schema):
    person_id: RecordId = Field(description="老年人的人员编号")
    address: str = Field(min_length=1, max_length=200, description="改造地址")
    applied_on: dt.date | None = Field(None, description="申请日期；省略：今天")


class AdaptationAssessmentLineIn(Schema):
    item: ItemCode
    quantity: int = Field(ge=1, le=99, description="数量（1–99）")


class AdaptationAssessmentIn(Schema):
    assessed_on: dt.date = Field(description="评估日期")
    assessor: str = Field(min_length=1, max_length=64, description="评估人")
    lines: list[AdaptationAssessmentLineIn] = Field(min_length=1, max_length=100,
                                                    description="需要的改造项目和数量（重新评估时整体替换）")


class AdaptationContractIn(Schema):
    contractor_id: RecordId = Field(description="施工单位编号")
    contracted_on: dt.date = Field(description="派单日期")


class AdaptationCompletionIn(Schema):
    completed_on: dt.date = Field(description="完工日期（须已上传完工照片）")


class AdaptationAcceptanceIn(Schema):
    accepted_on: dt.date = Field(description="验收日期")
    accepted_by: str = Field(min_length=1, max_length=64, description="验收人")
    accepted_items: list[ItemCode] | None = Field(None, max_length=100,
                                                  description="验收合格的改造项目代码；省略：全部合格")


class AdaptationRejectIn(Schema):
    reason: str = Field(min_length=1, max_length=200, description="不予改造的原因")


class AdaptationPhotoOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


def _step(request: HttpRequest, application_id: int, action: str, step) -> dict:
    """Run one step on a visible application: the role first (403), then the
    jurisdiction (404), then the service (409 state, 422 rule)."""
    def run():
        require(request.user, action)
        return step(selectors.application_get(request.user, application_id))

    call_service(run)
    return _detail(selectors.application_get(request.user, application_id))


@router.post("/eldercare/adaptations/applications", response=responses(AdaptationApplicationDetailOut, 201),
             operation_id="home_adaptations_apply", summary="登记适老化改造申请（每位老年人同时只有一份办理中的申请）")
def application_create(request: HttpRequest, payload: AdaptationApplicationIn) -> HttpStatus:
    def run():
        require(request.user, "home_adaptations.apply")
        elder = person_get(request.user, payload.person_id)
        membership = person_current_membership(elder)
        applied_on = day_check(payload.applied_on, "申请日期") if payload.applied_on else None
        return services.application_create(actor=request.user, elder=elder, address=payload.address,
                                           household=membership.household if membership else None,
                                           applied_on=applied_on)

    application = call_service(run)
    return HttpStatus(201, _detail(selectors.application_get(request.user, application.pk)))


@router.post("/eldercare/adaptations/applications/{application_id}/assessment",
             response=responses(AdaptationApplicationDetailOut, conflict=True), operation_id="home_adaptations_assess",
             summary="登记评估（改造项目和数量取自项目目录，单价按目录当时价格）",
             description="已申请或已评估（尚未派单）时可登记；重新评估整体替换原评估项目。")
def assessment_record(request: HttpRequest, payload: AdaptationAssessmentIn,
                      application_id: int = path_id("申请编号")) -> dict:
    def step(application: Application) -> Application:
        items = {i.code: i for i in selectors.catalogue()}
        unknown = [line.item for line in payload.lines if line.item not in items]
        if unknown:
            raise ValidationError("没有这些改造项目代码：" + "、".join(f"“{c[:32]}”" for c in unknown[:10]))
        return services.assessment_record(actor=request.user, application=application,
                                          assessed_on=day_check(payload.assessed_on, "评估日期"),
                                          assessor=payload.assessor,
                                          lines=[(items[line.item], line.quantity) for line in payload.lines])

    return _step(request, application_id, "home_adaptations.process", step)


@router.post("/eldercare/adaptations/applications/{application_id}/contractor",
             response=responses(AdaptationApplicationDetailOut, conflict=True),
             operation_id="home_adaptations_contract", summary="派单给施工单位（评估后）")
def contractor_assign(request: HttpRequest, payload: AdaptationContractIn,
                      application_id: int = path_id("申请编号")) -> dict:
    def step(application: Application) -> Application:
        contractor = selectors.contractors().get(pk=payload.contractor_id)
        return services.contractor_assign(actor=request.user, application=application, contractor=contractor,
                                          contracted_on=day_check(payload.contracted_on, "派单日期"))

    return _step(request, application_id, "home_adaptations.process", step)


@router.post("/eldercare/adaptations/applications/{application_id}/photos",
             response=responses(AdaptationPhotoOut, 201, conflict=True), operation_id="home_adaptations_photo",
             summary="上传完工照片（PNG 或 JPEG，不超过 10 MB；派单后、验收前）")
def photo_attach(request: HttpRequest, application_id: int = path_id("申请编号"),
                 photo: UploadedFile = File(..., description="完工照片（PNG 或 JPEG）")) -> HttpStatus:
    def run():
        require(request.user, "home_adaptations.process")
        application = selectors.application_get(request.user, application_id)
        upload_check(photo)
        if (photo.size or 0) > services.PHOTO_MAX_BYTES:
            raise ValidationError("单张照片不能超过10MB")
        return services.photo_attach(actor=request.user, application=application, name=photo.name or "",
                                     content=photo.read())

    saved = call_service(run)
    return HttpStatus(201, {"id": saved.pk, "original_name": saved.original_name, "content_type": saved.content_type,
                            "size": saved.size, "sha256": saved.sha256})


@router.post("/eldercare/adaptations/applications/{application_id}/completion",
             response=responses(AdaptationApplicationDetailOut, conflict=True), operation_id="home_adaptations_complete",
             summary="登记完工（派单后，须已上传完工照片）")
def completion_record(request: HttpRequest, payload: AdaptationCompletionIn,
                      application_id: int = path_id("申请编号")) -> dict:
    return _step(request, application_id, "home_adaptations.process", lambda application: services.completion_record(
        actor=request.user, application=application, completed_on=day_check(payload.completed_on, "完工日期")))


@router.post("/eldercare/adaptations/applications/{application_id}/acceptance",
             response=responses(AdaptationApplicationDetailOut, conflict=True), operation_id="home_adaptations_accept",
             summary="登记验收（合格的项目至少一项）")
def acceptance_record(request: HttpRequest, payload: AdaptationAcceptanceIn,
                      application_id: int = path_id("申请编号")) -> dict:
    def step(application: Application) -> Application:
        ids = None
        if payload.accepted_items is not None:
            lines = {line.item.code: line.pk for line in application.lines.select_related("item")}
            unknown = [c for c in payload.accepted_items if c not in lines]
            if unknown:
                raise ValidationError("这些改造项目不在本申请的评估项目中：" + "、".join(f"“{c[:32]}”" for c in unknown[:10]))
            ids = [lines[c] for c in payload.accepted_items]
        return services.acceptance_record(actor=request.user, application=application,
                                          accepted_on=day_check(payload.accepted_on, "验收日期"),
                                          accepted_by=payload.accepted_by, accepted_line_ids=ids)

    return _step(request, application_id, "home_adaptations.process", step)


@router.post("/eldercare/adaptations/applications/{application_id}/subsidy",
             response=responses(AdaptationApplicationDetailOut, conflict=True), operation_id="home_adaptations_subsidy",
             summary="申请发放改造补贴（验收后；按合格项目和目录补贴比例计算，补贴比例未设定时不予办理）")
def subsidy_request(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _step(request, application_id, "home_adaptations.subsidy", lambda application: services.subsidy_request(
        actor=request.user, application=application))


@router.post("/eldercare/adaptations/applications/{application_id}/reject",
             response=responses(AdaptationApplicationDetailOut, conflict=True), operation_id="home_adaptations_reject",
             summary="不予改造（完工前）")
def application_reject(request: HttpRequest, payload: AdaptationRejectIn,
                       application_id: int = path_id("申请编号")) -> dict:
    return _step(request, application_id, "home_adaptations.process", lambda application: services.application_reject(
        actor=request.user, application=application, reason=payload.reason))
