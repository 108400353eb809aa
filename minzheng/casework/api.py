"""Casework endpoints (mounted at /api/v1), scoped like the UI: a case outside
the token user's jurisdiction answers 404. Refusals: 403 for the wrong role
(auditors never write), 422 with Chinese messages for illegal steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.casework import enrolments as enrolment_services
from minzheng.casework import selectors, services
from minzheng.casework.actions import take_action
from minzheng.casework.deadlines import is_overdue
from minzheng.casework.models import Application, Enrolment, Objection
from minzheng.casework.notices import notice_rows
from minzheng.casework.transitions import allowed_actions
from minzheng.core.models import Division
from minzheng.core.scope import OutOfScope
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household, Person

router = Router(tags=["救助申请与审核"])


class ApplicationIn(Schema):
    household_id: int
    applicant_id: int
    program: str
    note: str = ""


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


class ApplicationDetailOut(ApplicationOut):
    steps: list[StepOut]
    next_actions: list[dict]
    letters: list[dict]
    enrolment_ids: list[int]


class ApplicationPage(Schema):
    count: int
    overdue: int
    results: list[ApplicationOut]


class TransitionIn(Schema):
    action: str
    fields: dict[str, Any] = {}


class ObjectionIn(Schema):
    content: str
    raised_by: str = ""
    received_on: dt.date | None = None


class ObjectionResolveIn(Schema):
    upheld: bool
    resolution: str


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
    reason: str
    effective_month: str


def _problem(err: ValidationError) -> Status:
    return Status(422, {"error": "不能办理", "problems": [{"message": m} for m in err.messages]})


def _call(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except OutOfScope as err:
        raise HttpError(404, "未找到该记录") from err
    except PermissionDenied as err:
        raise HttpError(403, str(err) or "无权办理") from err


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


@router.post("/applications", response={201: ApplicationDetailOut, 422: dict}, summary="录入救助申请")
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    try:
        household = registry_selectors.household_get(request.user, payload.household_id)
        applicant = registry_selectors.person_get(request.user, payload.applicant_id)
    except (Household.DoesNotExist, Person.DoesNotExist) as err:
        raise HttpError(404, "未找到该家庭或人员") from err
    try:
        application = _call(lambda: services.application_create(
            actor=request.user, household=household, applicant=applicant, program=payload.program,
            note=payload.note))
    except ValidationError as err:
        return _problem(err)
    return Status(201, _detail(request, application))


@router.get("/applications", response=ApplicationPage, summary="救助申请列表（可按状态、项目、超期筛选）")
def application_list(request: HttpRequest, status: str = "", program: str = "", overdue: bool = False,
                     limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    today = dt.date.today()
    limit = max(1, min(limit, 200))
    qs = selectors.application_list(request.user, today=today, status=status, program=program, overdue=overdue)
    counts = selectors.application_counts(request.user, today=today)
    return {"count": qs.count(), "overdue": counts["overdue"],
            "results": [_application_out(a, today) for a in qs[offset : offset + limit]]}


@router.get("/applications/{application_id}", response=ApplicationDetailOut, summary="申请详情、办理记录和可办环节")
def application_detail(request: HttpRequest, application_id: int) -> dict:
    return _detail(request, _application(request, application_id))


@router.post("/applications/{application_id}/transitions", response={200: ApplicationDetailOut, 422: dict},
             summary="办理一个环节（accept/reject/verify/visit/street_review/post_notice/approve/decide/withdraw）")
def application_transition(request: HttpRequest, application_id: int, payload: TransitionIn) -> Any:
    application = _application(request, application_id)
    try:
        _call(lambda: take_action(actor=request.user, application=application, action=payload.action,
                                  fields=payload.fields))
    except ValidationError as err:
        return _problem(err)
    return _detail(request, selectors.application_get(request.user, application_id))


def _objection_out(o: Objection) -> dict:
    return {"id": o.pk, "application_id": o.application_id, "received_on": o.received_on, "raised_by": o.raised_by,
            "content": o.content, "resolved_on": o.resolved_on, "upheld": o.upheld, "resolution": o.resolution}


@router.get("/applications/{application_id}/objections", response=list[ObjectionOut], summary="公示异议")
def objection_list(request: HttpRequest, application_id: int) -> list[dict]:
    return [_objection_out(o) for o in _application(request, application_id).objections.all()]


@router.post("/applications/{application_id}/objections", response={201: ObjectionOut, 422: dict},
             summary="登记公示异议")
def objection_create(request: HttpRequest, application_id: int, payload: ObjectionIn) -> Any:
    application = _application(request, application_id)
    try:
        objection = _call(lambda: services.objection_record(
            actor=request.user, application=application, content=payload.content, raised_by=payload.raised_by,
            received_on=payload.received_on))
    except ValidationError as err:
        return _problem(err)
    return Status(201, _objection_out(objection))


@router.post("/objections/{objection_id}/resolve", response={200: ObjectionOut, 422: dict}, summary="处理公示异议")
def objection_resolve(request: HttpRequest, objection_id: int, payload: ObjectionResolveIn) -> Any:
    try:
        objection = selectors.objection_get(request.user, objection_id)
    except Objection.DoesNotExist as err:
        raise HttpError(404, "未找到该异议") from err
    try:
        _call(lambda: services.objection_resolve(actor=request.user, objection=objection, upheld=payload.upheld,
                                                 resolution=payload.resolution))
    except ValidationError as err:
        return _problem(err)
    return _objection_out(objection)


@router.get("/notices", response=list[NoticeRowOut], summary="居村委公示名单（姓名、身份证号脱敏）")
def notice_list(request: HttpRequest, committee: str, on: dt.date | None = None) -> list[dict]:
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


@router.get("/enrolments", response=list[EnrolmentOut], summary="保障对象")
def enrolment_list(request: HttpRequest, status: str = "", program: str = "", limit: int = Query(50, ge=1),
                   offset: int = Query(0, ge=0)) -> list[dict]:
    limit = max(1, min(limit, 200))
    qs = selectors.enrolment_list(request.user, status=status, program=program)
    return [_enrolment_out(e) for e in qs[offset : offset + limit]]


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    try:
        return selectors.enrolment_get(request.user, pk)
    except Enrolment.DoesNotExist as err:
        raise HttpError(404, "未找到该保障对象") from err


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="保障对象详情")
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> dict:
    return _enrolment_out(_enrolment(request, enrolment_id))


@router.post("/enrolments/{enrolment_id}/{change}", response={200: EnrolmentOut, 422: dict},
             summary="暂停（suspend）、恢复（resume）或终止（terminate）保障")
def enrolment_change(request: HttpRequest, enrolment_id: int, change: str, payload: EnrolmentChangeIn) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    service = {"suspend": enrolment_services.enrolment_suspend, "resume": enrolment_services.enrolment_resume,
               "terminate": enrolment_services.enrolment_terminate}.get(change)
    if service is None:
        raise HttpError(404, "未知操作")
    try:
        _call(lambda: service(actor=request.user, enrolment=enrolment, reason=payload.reason,
                              effective_month=payload.effective_month))
    except ValidationError as err:
        return _problem(err)
    return _enrolment_out(enrolment)
