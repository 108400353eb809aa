"""Casework endpoints (mounted at /api/v1), scoped like the UI: a case outside
the token user's jurisdiction answers 404. Refusals: 403 for the wrong role
(auditors never write), 409 for a step the case's state does not allow, 422
with Chinese messages for other illegal steps (``core.api.ApiError``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.casework import enrolments as enrolment_services
from minzheng.casework import selectors, services
from minzheng.casework.actions import take_action
from minzheng.casework.deadlines import is_overdue
from minzheng.casework.models import (
    Application,
    EnrolledProgram,
    Enrolment,
    EnrolmentStatus,
    Objection,
    Program,
)
from minzheng.casework.models import Status as ApplicationStatus
from minzheng.casework.notices import notice_rows
from minzheng.casework.transitions import TRANSITIONS, allowed_actions
from minzheng.core.api import (
    Limit,
    Month,
    Offset,
    RecordId,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.models import Division
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household, Person

router = Router(tags=["救助申请与审核"])

ProgramCode = coded(Program.choices, "救助项目")
EnrolledProgramCode = coded(EnrolledProgram.choices, "救助项目")
ApplicationStatusCode = coded([("open", "办理中（未办结的全部状态）"), *ApplicationStatus.choices], "申请状态")
EnrolmentStatusCode = coded(EnrolmentStatus.choices, "保障状态")
ActionCode = coded([(t.action, t.label) for t in TRANSITIONS.values()], "办理环节")


class ApplicationIn(Schema):
    household_id: RecordId
    applicant_id: RecordId
    program: ProgramCode
    note: str = Field("", max_length=2000)


class StepOut(Schema):
    action: str
    label: str
    to_status: str
    actor: str
    acted_on: dt.date
    was_due_on: dt.date | None
    reasons: str


class ApplicationOut(Schema):
    id: int
    number: str
    program: str
    program_label: str
    status: str
    status_label: str
    household_id: int
    applicant_id: int
    applicant_name: str
    applicant_id_number: str
    committee_code: str
    applied_on: dt.date
    due_action: str
    due_on: dt.date | None
    deadline_note: str
    overdue: bool


class NextActionOut(Schema):
    action: str
    label: str
    blocked: str = Field(description="不能办理的原因；空：可以办理")


class LetterOut(Schema):
    id: int
    number: str
    outcome: str
    issued_on: str


class ApplicationDetailOut(ApplicationOut):
    steps: list[StepOut]
    next_actions: list[NextActionOut]
    letters: list[LetterOut]
    enrolment_ids: list[int]


class ApplicationPage(Schema):
    count: int
    overdue: int
    results: list[ApplicationOut]


class TransitionIn(Schema):
    action: ActionCode
    fields: dict[str, Any] = Field({}, description=(
        "环节所需的内容：accept: note；reject: reasons；verify: verification_reference, reasons；"
        "visit: visited_on, visitors, findings；street_review: agree, reasons；post_notice: starts_on；"
        "approve: agree, reasons；decide: reasons；withdraw: reasons；extend（延长审核期限）: reasons（不少于5个字）"
        "（日期为 YYYY-MM-DD，agree 为 true/false）"))


class ObjectionIn(Schema):
    content: str = Field(max_length=4000)
    raised_by: str = Field("", max_length=200)
    received_on: dt.date | None = None


class ObjectionResolveIn(Schema):
    upheld: bool
    resolution: str = Field(max_length=4000)


class ObjectionOut(Schema):
    id: int
    application_id: int
    received_on: dt.date
    raised_by: str
    content: str
    resolved_on: dt.date | None
    upheld: bool | None
    resolution: str


class NoticeRowOut(Schema):
    application_id: int
    name: str
    id_number: str
    program: str
    household_size: int
    proposed_amount_fen: int | None
    starts_on: dt.date
    ends_on: dt.date
    objections: int


class EnrolmentOut(Schema):
    id: int
    program: str
    household_id: int | None
    person_id: int | None
    committee_code: str
    start_month: str
    end_month: str
    status: str
    status_reason: str
    source: str
    application_id: int | None
    monthly_amount_fen: int
    next_review_on: dt.date | None


class EnrolmentChangeIn(Schema):
    reason: str = Field(max_length=2000)
    effective_month: Month


class ApplicationCountsOut(Schema):
    count: int
    overdue: int


def _call(fn: Callable[[], Any]) -> Any:
    return call_service(fn)


def _application(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get(request.user, pk)
    except Application.DoesNotExist as err:
        raise HttpError(404, "未找到该申请") from err


def _application_out(a: Application, today: dt.date) -> dict:
    return {
        "id": a.pk, "number": a.number, "program": a.program, "program_label": a.get_program_display(),
        "status": a.status, "status_label": a.get_status_display(), "household_id": a.household_id,
        "applicant_id": a.applicant_id, "applicant_name": a.applicant.name,
        "applicant_id_number": a.applicant.id_number_masked, "committee_code": a.committee_id,
        "applied_on": a.applied_on, "due_action": a.due_action, "due_on": a.due_on,
        "deadline_note": a.deadline_note, "overdue": is_overdue(a, today),
    }


def _detail(request: HttpRequest, a: Application) -> dict:
    today = dt.date.today()
    archive = selectors.application_archive(a)
    return {
        **_application_out(a, today),
        "steps": [{"action": s.action, "label": s.label, "to_status": s.to_status, "actor": s.actor_name,
                   "acted_on": s.acted_on, "was_due_on": s.was_due_on, "reasons": s.reasons}
                  for s in archive["steps"]],
        "next_actions": [{"action": x.action, "label": x.label, "blocked": x.blocked}
                         for x in allowed_actions(request.user, a, today)],
        "letters": [{"id": x.pk, "number": x.number, "outcome": x.outcome, "issued_on": str(x.issued_on)}
                    for x in archive["letters"]],
        "enrolment_ids": [e.pk for e in archive["enrolments"]],
    }


@router.post("/applications", response=responses(ApplicationDetailOut, 201, conflict=True),
             summary="录入救助申请", operation_id="casework_application_create",
             description="同一家庭同一项目已有办理中的申请时返回 409。")
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    try:
        household = registry_selectors.household_get(request.user, payload.household_id)
        applicant = registry_selectors.person_get(request.user, payload.applicant_id)
    except (Household.DoesNotExist, Person.DoesNotExist) as err:
        raise HttpError(404, "未找到该家庭或人员") from err
    application = _call(lambda: services.application_create(
        actor=request.user, household=household, applicant=applicant, program=payload.program,
        note=payload.note))
    return Status(201, _detail(request, application))


@router.get("/applications", response=responses(ApplicationPage), operation_id="casework_application_list",
            summary="救助申请列表（可按状态、项目、超期筛选）")
def application_list(request: HttpRequest,
                     status: ApplicationStatusCode | None = Query(None, description="申请状态；省略：全部"),
                     program: ProgramCode | None = Query(None, description="救助项目；省略：全部"),
                     overdue: bool = Query(False, description="只看超期的"),
                     limit: Limit = 50, offset: Offset = 0) -> dict:
    today = dt.date.today()
    qs = selectors.application_list(request.user, today=today, status=status or "", program=program or "",
                                    overdue=overdue)
    counts = selectors.application_counts(request.user, today=today)
    return {"count": qs.count(), "overdue": counts["overdue"],
            "results": [_application_out(a, today) for a in qs[offset : offset + limit]]}


@router.get("/applications/{application_id}", response=responses(ApplicationDetailOut),
            operation_id="casework_application_detail", summary="申请详情、办理记录和可办环节")
def application_detail(request: HttpRequest, application_id: int = path_id("申请编号")) -> dict:
    return _detail(request, _application(request, application_id))


@router.post("/applications/{application_id}/transitions", response=responses(ApplicationDetailOut, conflict=True),
             operation_id="casework_application_transition",
             summary="办理一个环节（受理、不予受理、核对、入户调查、街镇审核、公示、审批、决定、撤回）",
             description="申请当前状态不能办理该环节时返回 409；其他不符合条件的情形返回 422。")
def application_transition(request: HttpRequest, payload: TransitionIn,
                           application_id: int = path_id("申请编号")) -> Any:
    application = _application(request, application_id)
    _call(lambda: take_action(actor=request.user, application=application, action=payload.action,
                              fields=payload.fields))
    return _detail(request, selectors.application_get(request.user, application_id))


def _objection_out(o: Objection) -> dict:
    return {"id": o.pk, "application_id": o.application_id, "received_on": o.received_on, "raised_by": o.raised_by,
            "content": o.content, "resolved_on": o.resolved_on, "upheld": o.upheld, "resolution": o.resolution}


@router.get("/applications/{application_id}/objections", response=responses(list[ObjectionOut]),
            operation_id="casework_objection_list", summary="公示异议")
def objection_list(request: HttpRequest, application_id: int = path_id("申请编号")) -> list[dict]:
    return [_objection_out(o) for o in _application(request, application_id).objections.all()]


@router.post("/applications/{application_id}/objections", response=responses(ObjectionOut, 201, conflict=True),
             operation_id="casework_objection_create", summary="登记公示异议",
             description="申请不在公示中时返回 409。")
def objection_create(request: HttpRequest, payload: ObjectionIn, application_id: int = path_id("申请编号")) -> Any:
    application = _application(request, application_id)
    objection = _call(lambda: services.objection_record(
        actor=request.user, application=application, content=payload.content, raised_by=payload.raised_by,
        received_on=payload.received_on))
    return Status(201, _objection_out(objection))


@router.post("/objections/{objection_id}/resolve", response=responses(ObjectionOut, conflict=True),
             operation_id="casework_objection_resolve", summary="处理公示异议", description="异议已处理时返回 409。")
def objection_resolve(request: HttpRequest, payload: ObjectionResolveIn,
                      objection_id: int = path_id("异议编号")) -> Any:
    try:
        objection = selectors.objection_get(request.user, objection_id)
    except Objection.DoesNotExist as err:
        raise HttpError(404, "未找到该异议") from err
    _call(lambda: services.objection_resolve(actor=request.user, objection=objection, upheld=payload.upheld,
                                             resolution=payload.resolution))
    return _objection_out(objection)


@router.get("/notices", response=responses(list[NoticeRowOut]), operation_id="casework_notice_list",
            summary="居村委公示名单（姓名、身份证号脱敏）")
def notice_list(request: HttpRequest, committee: str = Query(..., max_length=12, description="居村委代码"),
                on: dt.date | None = Query(None, description="日期；省略：今天")) -> list[dict]:
    try:
        division = selectors.committee_get(request.user, committee)
    except Division.DoesNotExist as err:
        raise HttpError(404, "未找到该居村委") from err
    rows = notice_rows(selectors.committee_notices(request.user, division, on=on or dt.date.today()))
    return [vars(r) for r in rows]


def _enrolment_out(e: Enrolment) -> dict:
    return {"id": e.pk, "program": e.program, "household_id": e.household_id, "person_id": e.person_id,
            "committee_code": e.committee_id, "start_month": e.start_month, "end_month": e.end_month,
            "status": e.status, "status_reason": e.status_reason, "source": e.source,
            "application_id": e.application_id, "monthly_amount_fen": e.monthly_amount_fen,
            "next_review_on": e.next_review_on}


@router.get("/enrolments", response=responses(list[EnrolmentOut]), operation_id="casework_enrolment_list",
            summary="保障对象")
def enrolment_list(request: HttpRequest,
                   status: EnrolmentStatusCode | None = Query(None, description="保障状态；省略：全部"),
                   program: EnrolledProgramCode | None = Query(None, description="救助项目；省略：全部"),
                   limit: Limit = 50, offset: Offset = 0) -> list[dict]:
    qs = selectors.enrolment_list(request.user, status=status or "", program=program or "")
    return [_enrolment_out(e) for e in qs[offset : offset + limit]]


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    try:
        return selectors.enrolment_get(request.user, pk)
    except Enrolment.DoesNotExist as err:
        raise HttpError(404, "未找到该保障对象") from err


@router.get("/enrolments/{enrolment_id}", response=responses(EnrolmentOut), operation_id="casework_enrolment_detail",
            summary="保障对象详情")
def enrolment_detail(request: HttpRequest, enrolment_id: int = path_id("保障对象编号")) -> dict:
    return _enrolment_out(_enrolment(request, enrolment_id))


def _enrolment_change(request: HttpRequest, enrolment_id: int, payload: EnrolmentChangeIn, service: Any) -> dict:
    enrolment = _enrolment(request, enrolment_id)
    _call(lambda: service(actor=request.user, enrolment=enrolment, reason=payload.reason,
                          effective_month=payload.effective_month))
    return _enrolment_out(enrolment)


_STATE = "保障状态不允许该操作时返回 409。"


@router.post("/enrolments/{enrolment_id}/suspend", response=responses(EnrolmentOut, conflict=True),
             operation_id="casework_enrolment_suspend", summary="暂停保障", description=_STATE)
def enrolment_suspend(request: HttpRequest, payload: EnrolmentChangeIn,
                      enrolment_id: int = path_id("保障对象编号")) -> dict:
    return _enrolment_change(request, enrolment_id, payload, enrolment_services.enrolment_suspend)


@router.post("/enrolments/{enrolment_id}/resume", response=responses(EnrolmentOut, conflict=True),
             operation_id="casework_enrolment_resume", summary="恢复保障", description=_STATE)
def enrolment_resume(request: HttpRequest, payload: EnrolmentChangeIn,
                     enrolment_id: int = path_id("保障对象编号")) -> dict:
    return _enrolment_change(request, enrolment_id, payload, enrolment_services.enrolment_resume)


@router.post("/enrolments/{enrolment_id}/terminate", response=responses(EnrolmentOut, conflict=True),
             operation_id="casework_enrolment_terminate", summary="终止保障", description=_STATE)
def enrolment_terminate(request: HttpRequest, payload: EnrolmentChangeIn,
                        enrolment_id: int = path_id("保障对象编号")) -> dict:
    return _enrolment_change(request, enrolment_id, payload, enrolment_services.enrolment_terminate)
