"""Monitoring endpoints (mounted at /api/v1, under /monitoring/), scoped like
the UI: a record outside the token user's reach answers 404. Refusals: 403
for the wrong role (auditors never write), 409 for a record already closed or
done, 422 with Chinese messages (``core.api.ApiError``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.casework import selectors as casework_selectors
from minzheng.core.api import (
    ID_MAX,
    JobStartedOut,
    Limit,
    Month,
    Offset,
    RecordId,
    call_service,
    coded,
    month_query,
    path_id,
    responses,
)
from minzheng.jobs.selectors import job_started
from minzheng.jobs.services import job_start
from minzheng.monitoring import selectors, services
from minzheng.monitoring.jobs import MONITORING_RUN
from minzheng.monitoring.models import (
    EdgeBand,
    ExitStatus,
    HardshipLabelKind,
    LeadOutcome,
    LeadStatus,
    ServiceKind,
    TaskKind,
    TaskStatus,
)
from minzheng.registry import selectors as registry_selectors
from policy import PROGRAMS

router = Router(tags=["动态监测"])

ProgramCode = coded([(pid, p.label) for pid, p in PROGRAMS.items()], "救助项目")
LeadStatusCode = coded(LeadStatus.choices, "线索状态")
LeadOutcomeCode = coded(LeadOutcome.choices, "跟进结果")
TaskStatusCode = coded(TaskStatus.choices, "任务状态")
TaskKindCode = coded(TaskKind.choices, "风险类型")
ExitStatusCode = coded(ExitStatus.choices, "核实状态")
EdgeBandCode = coded(EdgeBand.choices, "边缘类别")
LabelCode = coded(HardshipLabelKind.choices, "困难对象标签")
ServiceKindCode = coded(ServiceKind.choices, "服务类型")


def _page(qs, limit: int, offset: int) -> tuple[int, list]:
    return qs.count(), list(qs[offset:offset + limit])


# --- response schemas --------------------------------------------------------------------

class ReasonOut(Schema):
    code: str
    text: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str


class VisitOut(Schema):
    id: int
    household_id: int
    lead_id: int | None
    task_id: int | None
    visited_on: dt.date
    visitors: str
    findings: str
    attachments: list[AttachmentOut]


class LeadOut(Schema):
    id: int
    month: str
    program: str
    program_label: str
    household_id: int | None
    person_id: int | None
    person_name: str | None
    street: str
    committee: str
    amount_fen: int | None
    status: str
    due_on: dt.date | None
    deadline_note: str
    escalated: bool
    outcome: str
    outcome_reason: str
    closed_on: dt.date | None
    application_id: int | None


class LeadDetailOut(LeadOut):
    reasons: list[ReasonOut]
    decision_run: int | None
    visits: list[VisitOut]


class LeadPage(Schema):
    total: int
    items: list[LeadOut]


class TaskOut(Schema):
    id: int
    kind: str
    kind_label: str
    person_id: int | None
    household_id: int | None
    street: str
    committee: str
    event_date: dt.date | None
    status: str
    due_on: dt.date | None
    deadline_note: str
    escalated: bool
    result: str
    done_on: dt.date | None


class TaskPage(Schema):
    total: int
    items: list[TaskOut]


class ExitReviewOut(Schema):
    id: int
    month: str
    program: str
    enrolment_id: int | None
    household_id: int | None
    person_id: int | None
    street: str
    committee: str
    kind: str
    kind_label: str
    reasons: list[ReasonOut]
    status: str
    due_on: dt.date | None
    resolution: str
    resolved_on: dt.date | None


class ExitPage(Schema):
    total: int
    items: list[ExitReviewOut]


class EdgeHouseholdOut(Schema):
    household_id: int
    month: str
    street: str
    committee: str
    band: str
    members: int
    per_capita_income_fen: int = Field(description="人均计入收入（分）：就业人员劳动收入扣除收入豁免额后计入")
    line_fen: int
    margin_pct: float


class EdgePage(Schema):
    total: int
    items: list[EdgeHouseholdOut]


class AutoNoticeOut(Schema):
    id: int
    enrolment_id: int | None
    program: str
    person_id: int | None
    committee: str
    start_month: str
    monthly_amount_fen: int


class AutoNoticePage(Schema):
    total: int
    items: list[AutoNoticeOut]


class RunCountsOut(Schema):
    leads: int
    edge_households: int
    exit_reviews: int
    auto_notices: int
    risk_tasks: int


class MonitorRunOut(Schema):
    id: int
    month: str
    run_on: str
    actor: str
    decision_run: int | None
    finished: bool
    in_scope: RunCountsOut
    district_counts: dict[str, Any] | None = Field(description="全区新建数量（区民政局、审计督查人员）")
    timings: dict[str, Any] | None = Field(description="各步骤用时（区民政局、审计督查人员）")


class HardshipLabelOut(Schema):
    id: int
    household_id: int
    person_id: int | None
    label: str
    label_text: str
    note: str
    added_on: dt.date
    added_by: str


class LabelCreatedOut(Schema):
    id: int
    label: str
    household_id: int


class LabelRemovedOut(Schema):
    id: int
    removed_on: dt.date | None


class ServiceRecordOut(Schema):
    id: int
    household_id: int
    kind: str
    kind_label: str
    served_on: dt.date
    provider: str
    description: str


class ServiceCreatedOut(Schema):
    id: int
    kind: str
    household_id: int


def _lead_out(lead, *, detail: bool = False) -> dict:
    out = {"id": lead.pk, "month": lead.month, "program": lead.program, "program_label": selectors.program_label(lead.program),
           "household_id": lead.household_id, "person_id": lead.person_id,
           "person_name": lead.person.name if lead.person_id else None, "street": lead.street_id,
           "committee": lead.committee_id, "amount_fen": lead.amount_fen, "status": lead.status,
           "due_on": lead.due_on, "deadline_note": lead.deadline_note, "escalated": lead.escalated,
           "outcome": lead.outcome, "outcome_reason": lead.outcome_reason, "closed_on": lead.closed_on,
           "application_id": lead.application_id}
    if detail:
        out["reasons"] = selectors.lead_reasons(lead)
        out["decision_run"] = lead.decision_run_id
        out["visits"] = [_visit_out(v) for v in lead.visits.all()]
    return out


def _task_out(task) -> dict:
    return {"id": task.pk, "kind": task.kind, "kind_label": task.get_kind_display(), "person_id": task.person_id,
            "household_id": task.household_id, "street": task.street_id, "committee": task.committee_id,
            "event_date": task.event_date, "status": task.status, "due_on": task.due_on,
            "deadline_note": task.deadline_note, "escalated": task.escalated, "result": task.result,
            "done_on": task.done_on}


def _exit_out(review) -> dict:
    return {"id": review.pk, "month": review.month, "program": review.program, "enrolment_id": review.enrolment_id,
            "household_id": review.household_id, "person_id": review.person_id, "street": review.street_id,
            "committee": review.committee_id, "kind": review.kind, "kind_label": review.get_kind_display(),
            "reasons": selectors.exit_reasons(review), "status": review.status, "due_on": review.due_on,
            "resolution": review.resolution, "resolved_on": review.resolved_on}


def _visit_out(visit) -> dict:
    return {"id": visit.pk, "household_id": visit.household_id, "lead_id": visit.lead_id, "task_id": visit.task_id,
            "visited_on": visit.visited_on, "visitors": visit.visitors, "findings": visit.findings,
            "attachments": [{"id": a.pk, "name": a.original_name, "size": a.size, "sha256": a.sha256}
                            for a in visit.attachments.all()]}


# --- runs ---------------------------------------------------------------------------

class MonitorRunIn(Schema):
    month: Month
    reuse_batch: bool = Field(False, description="沿用该月已有的批量测算结果，不重新测算")


@router.post("/monitoring/runs", response=responses(JobStartedOut, 202), operation_id="monitoring_run_create",
             summary="运行动态监测（区民政局；后台作业，202）",
             description="在后台作业中运行（同一月份同时只运行一次，ADR 0017）。立即返回 202 和作业编号；"
                         "用 `status_url`（`GET /api/v1/jobs/{作业编号}`）查询进度和结果，完成后用 "
                         "`GET /api/v1/monitoring/runs` 取得运行汇总。")
def run_create(request: HttpRequest, payload: MonitorRunIn) -> Any:
    job = call_service(lambda: job_start(actor=request.user, kind=MONITORING_RUN.code,
                                         params={"month": payload.month, "reuse_batch": payload.reuse_batch}))
    return Status(202, job_started(job))


@router.get("/monitoring/runs", response=responses(list[MonitorRunOut]), operation_id="monitoring_run_list",
            summary="最近的动态监测运行（本辖区新建数量）")
def run_list(request: HttpRequest) -> list[dict]:
    return [selectors.run_summary(request.user, run) for run in selectors.runs_recent(24)]


@router.get("/monitoring/runs/{run_id}", response=responses(MonitorRunOut), operation_id="monitoring_run_detail",
            summary="一次动态监测运行的汇总")
def run_detail(request: HttpRequest, run_id: int = path_id("监测运行编号")) -> dict:
    return selectors.run_summary(request.user, call_service(lambda: selectors.run_get(run_id)))


# --- leads ----------------------------------------------------------------------------

@router.get("/monitoring/leads", response=responses(LeadPage), operation_id="monitoring_lead_list",
            summary="政策找人线索")
def lead_list(request: HttpRequest, status: LeadStatusCode | None = Query(None, description="线索状态；省略：全部"),
              program: ProgramCode | None = Query(None, description="救助项目；省略：全部"),
              escalated: bool = Query(False, description="只看已督办的"),
              limit: Limit = 50, offset: Offset = 0) -> dict:
    total, items = _page(selectors.lead_list(request.user, status=status or "", program=program or "",
                                             escalated=escalated), limit, offset)
    return {"total": total, "items": [_lead_out(lead) for lead in items]}


@router.get("/monitoring/leads/{lead_id}", response=responses(LeadDetailOut), operation_id="monitoring_lead_detail",
            summary="线索详情（测算理由、走访记录）")
def lead_detail(request: HttpRequest, lead_id: int = path_id("线索编号")) -> dict:
    return _lead_out(call_service(lambda: selectors.lead_get(request.user, lead_id)), detail=True)


class OutcomeIn(Schema):
    outcome: LeadOutcomeCode
    reason: str = Field("", max_length=2000)
    application_id: RecordId | None = None


@router.post("/monitoring/leads/{lead_id}/outcome", response=responses(LeadDetailOut, conflict=True),
             operation_id="monitoring_lead_close", summary="登记线索跟进结果并办结", description="线索已办结时返回 409。")
def lead_outcome(request: HttpRequest, payload: OutcomeIn, lead_id: int = path_id("线索编号")) -> dict:
    lead = call_service(lambda: selectors.lead_get(request.user, lead_id))
    application = None
    if payload.application_id:
        application = call_service(lambda: casework_selectors.application_get(request.user, payload.application_id))
    lead = call_service(lambda: services.lead_close(actor=request.user, lead=lead, outcome=payload.outcome,
                                                    reason=payload.reason, application=application))
    return _lead_out(lead, detail=True)


# --- tasks, visits -----------------------------------------------------------------------

@router.get("/monitoring/tasks", response=responses(TaskPage), operation_id="monitoring_task_list",
            summary="风险跟进任务")
def task_list(request: HttpRequest, status: TaskStatusCode | None = Query(None, description="任务状态；省略：全部"),
              kind: TaskKindCode | None = Query(None, description="风险类型；省略：全部"),
              escalated: bool = Query(False, description="只看已督办的"),
              limit: Limit = 50, offset: Offset = 0) -> dict:
    total, items = _page(selectors.task_list(request.user, status=status or "", kind=kind or "",
                                             escalated=escalated), limit, offset)
    return {"total": total, "items": [_task_out(t) for t in items]}


@router.get("/monitoring/tasks/{task_id}", response=responses(TaskOut), operation_id="monitoring_task_detail",
            summary="任务详情")
def task_detail(request: HttpRequest, task_id: int = path_id("任务编号")) -> dict:
    return _task_out(call_service(lambda: selectors.task_get(request.user, task_id)))


class CompleteIn(Schema):
    result: str = Field(max_length=4000, description="跟进结果")


@router.post("/monitoring/tasks/{task_id}/complete", response=responses(TaskOut, conflict=True),
             operation_id="monitoring_task_complete", summary="完成风险跟进任务", description="任务已完成时返回 409。")
def task_complete(request: HttpRequest, payload: CompleteIn, task_id: int = path_id("任务编号")) -> dict:
    task = call_service(lambda: selectors.task_get(request.user, task_id))
    return _task_out(call_service(lambda: services.task_complete(actor=request.user, task=task, result=payload.result)))


class VisitIn(Schema):
    household_id: RecordId
    visited_on: dt.date
    visitors: str = Field(max_length=500)
    findings: str = Field(max_length=4000)
    lead_id: RecordId | None = None
    task_id: RecordId | None = None


@router.post("/monitoring/visits", response=responses(VisitOut, 201), operation_id="monitoring_visit_create",
             summary="登记走访（附件请在页面上传）")
def visit_create(request: HttpRequest, payload: VisitIn) -> Any:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    lead = call_service(lambda: selectors.lead_get(request.user, payload.lead_id)) if payload.lead_id else None
    task = call_service(lambda: selectors.task_get(request.user, payload.task_id)) if payload.task_id else None
    visit = call_service(lambda: services.visit_record(actor=request.user, household=household, lead=lead, task=task,
                                                       visited_on=payload.visited_on, visitors=payload.visitors,
                                                       findings=payload.findings))
    return Status(201, _visit_out(visit))


@router.get("/monitoring/households/{household_id}/visits", response=responses(list[VisitOut]),
            operation_id="monitoring_visit_list", summary="某户的走访记录")
def visit_list(request: HttpRequest, household_id: int = path_id("家庭编号")) -> list[dict]:
    household = call_service(lambda: registry_selectors.household_get(request.user, household_id))
    if not selectors.covers_household(request.user, household):
        raise HttpError(404, "未找到该记录")
    return [_visit_out(v) for v in selectors.visits_for(request.user, household_id=household_id)]


# --- labels, services ----------------------------------------------------------------------

class LabelIn(Schema):
    household_id: RecordId
    label: LabelCode
    note: str = Field("", max_length=2000)


@router.get("/monitoring/labels", response=responses(list[HardshipLabelOut]), operation_id="monitoring_label_list",
            summary="困难对象标签")
def label_list(request: HttpRequest, household_id: int | None = Query(None, ge=1, le=ID_MAX, description="家庭编号；省略：全部")) -> list[dict]:
    return [{"id": lb.pk, "household_id": lb.household_id, "person_id": lb.person_id, "label": lb.label,
             "label_text": lb.get_label_display(), "note": lb.note, "added_on": lb.added_on, "added_by": lb.added_by}
            for lb in selectors.labels_for(request.user, household_id=household_id)[:500]]


@router.post("/monitoring/labels", response=responses(LabelCreatedOut, 201, conflict=True),
             operation_id="monitoring_label_create", summary="添加困难对象标签", description="该户已有该标签时返回 409。")
def label_create(request: HttpRequest, payload: LabelIn) -> Any:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    label = call_service(lambda: services.label_add(actor=request.user, household=household, label=payload.label,
                                                    note=payload.note))
    return Status(201, {"id": label.pk, "label": label.label, "household_id": label.household_id})


@router.delete("/monitoring/labels/{label_id}", response=responses(LabelRemovedOut, conflict=True),
               operation_id="monitoring_label_remove", summary="取消困难对象标签", description="标签已取消时返回 409。")
def label_delete(request: HttpRequest, label_id: int = path_id("标签编号")) -> dict:
    label = call_service(lambda: selectors.label_get(request.user, label_id))
    label = call_service(lambda: services.label_remove(actor=request.user, label=label))
    return {"id": label.pk, "removed_on": label.removed_on}


class ServiceIn(Schema):
    household_id: RecordId
    kind: ServiceKindCode
    served_on: dt.date
    description: str = Field(max_length=4000)
    provider: str = Field("", max_length=200)
    lead_id: RecordId | None = None


@router.post("/monitoring/services", response=responses(ServiceCreatedOut, 201),
             operation_id="monitoring_service_create", summary="登记服务记录（转介、帮扶）")
def service_create(request: HttpRequest, payload: ServiceIn) -> Any:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    lead = call_service(lambda: selectors.lead_get(request.user, payload.lead_id)) if payload.lead_id else None
    record = call_service(lambda: services.service_record_add(
        actor=request.user, household=household, kind=payload.kind, served_on=payload.served_on,
        description=payload.description, provider=payload.provider, lead=lead))
    return Status(201, {"id": record.pk, "kind": record.kind, "household_id": record.household_id})


@router.get("/monitoring/services", response=responses(list[ServiceRecordOut]), operation_id="monitoring_service_list",
            summary="服务记录")
def service_list(request: HttpRequest, household_id: int | None = Query(None, ge=1, le=ID_MAX, description="家庭编号；省略：全部")) -> list[dict]:
    return [{"id": s.pk, "household_id": s.household_id, "kind": s.kind, "kind_label": s.get_kind_display(),
             "served_on": s.served_on, "provider": s.provider, "description": s.description}
            for s in selectors.services_for(request.user, household_id=household_id)[:500]]


# --- edge list, exits, notices ---------------------------------------------------------------

@router.get("/monitoring/edge", response=responses(EdgePage), operation_id="monitoring_edge_list",
            summary="边缘家庭监测名单（默认最近一月）")
def edge_list(request: HttpRequest, month: str | None = month_query("月份（YYYY-MM）；省略：最近一月"),
              band: EdgeBandCode | None = Query(None, description="边缘类别；省略：全部"),
              limit: Limit = 50, offset: Offset = 0) -> dict:
    total, items = _page(selectors.edge_list(request.user, month=month or "", band=band or ""), limit, offset)
    return {"total": total, "items": [
        {"household_id": e.household_id, "month": e.month, "street": e.street_id, "committee": e.committee_id,
         "band": e.band, "members": e.members, "per_capita_income_fen": e.per_capita_income_fen,
         "line_fen": e.line_fen, "margin_pct": e.margin_pct} for e in items]}


@router.get("/monitoring/exits", response=responses(ExitPage), operation_id="monitoring_exit_list",
            summary="应退尽退核实")
def exit_list(request: HttpRequest, status: ExitStatusCode | None = Query(None, description="核实状态；省略：全部"),
              program: ProgramCode | None = Query(None, description="救助项目；省略：全部"),
              limit: Limit = 50, offset: Offset = 0) -> dict:
    total, items = _page(selectors.exit_list(request.user, status=status or "", program=program or ""), limit, offset)
    return {"total": total, "items": [_exit_out(r) for r in items]}


@router.get("/monitoring/exits/{review_id}", response=responses(ExitReviewOut), operation_id="monitoring_exit_detail",
            summary="应退尽退核实详情")
def exit_detail(request: HttpRequest, review_id: int = path_id("核实编号")) -> dict:
    return _exit_out(call_service(lambda: selectors.exit_get(request.user, review_id)))


class ResolveIn(Schema):
    exit_benefit: bool = Field(description="是否终止保障")
    resolution: str = Field(max_length=4000)
    effective_month: Month | None = Field(None, description="终止保障的月份（YYYY-MM）")


@router.post("/monitoring/exits/{review_id}/resolve", response=responses(ExitReviewOut, conflict=True),
             operation_id="monitoring_exit_resolve", summary="应退尽退核实结论（街镇、区）",
             description="该核实已处理时返回 409。")
def exit_resolve(request: HttpRequest, payload: ResolveIn, review_id: int = path_id("核实编号")) -> dict:
    review = call_service(lambda: selectors.exit_get(request.user, review_id))
    return _exit_out(call_service(lambda: services.exit_review_resolve(
        actor=request.user, review=review, exit_benefit=payload.exit_benefit, resolution=payload.resolution,
        effective_month=payload.effective_month or "")))


@router.get("/monitoring/notices", response=responses(AutoNoticePage), operation_id="monitoring_notice_list",
            summary="免申即享告知")
def notice_list(request: HttpRequest, program: ProgramCode | None = Query(None, description="救助项目；省略：全部"),
                limit: Limit = 50, offset: Offset = 0) -> dict:
    total, items = _page(selectors.notice_list(request.user, program=program or ""), limit, offset)
    return {"total": total, "items": [
        {"id": n.pk, "enrolment_id": n.enrolment_id, "program": n.program, "person_id": n.person_id,
         "committee": n.committee_id, "start_month": n.start_month, "monthly_amount_fen": n.monthly_amount_fen}
        for n in items]}
