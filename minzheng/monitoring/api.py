"""Monitoring endpoints (mounted at /api/v1, under /monitoring/), scoped like
the UI: a record outside the token user's reach answers 404. Refusals: 403
for the wrong role (auditors never write), 422 with Chinese messages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from minzheng.casework import selectors as casework_selectors
from minzheng.core.api import call_service
from minzheng.monitoring import selectors, services
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.registry import selectors as registry_selectors

router = Router(tags=["动态监测"])




def _page(qs, limit: int, offset: int) -> tuple[int, list]:
    limit = max(1, min(limit, 500))
    return qs.count(), list(qs[offset:offset + limit])


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

class RunIn(Schema):
    month: str
    reuse_batch: bool = False


@router.post("/monitoring/runs", response=dict, summary="运行动态监测（区民政局）")
def run_create(request: HttpRequest, payload: RunIn) -> dict:
    run = call_service(lambda: monitor_run_month(actor=request.user, month=payload.month, run_batch=not payload.reuse_batch))
    return selectors.run_summary(request.user, run)


@router.get("/monitoring/runs", response=list[dict], summary="最近的动态监测运行（本辖区新建数量）")
def run_list(request: HttpRequest) -> list[dict]:
    return [selectors.run_summary(request.user, run) for run in selectors.runs_recent(24)]


@router.get("/monitoring/runs/{run_id}", response=dict, summary="一次动态监测运行的汇总")
def run_detail(request: HttpRequest, run_id: int) -> dict:
    return selectors.run_summary(request.user, call_service(lambda: selectors.run_get(run_id)))


# --- leads ----------------------------------------------------------------------------

@router.get("/monitoring/leads", response=dict, summary="政策找人线索")
def lead_list(request: HttpRequest, status: str = "", program: str = "", escalated: bool = False,
              limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    total, items = _page(selectors.lead_list(request.user, status=status, program=program, escalated=escalated),
                         limit, offset)
    return {"total": total, "items": [_lead_out(lead) for lead in items]}


@router.get("/monitoring/leads/{lead_id}", response=dict, summary="线索详情（测算理由、走访记录）")
def lead_detail(request: HttpRequest, lead_id: int) -> dict:
    return _lead_out(call_service(lambda: selectors.lead_get(request.user, lead_id)), detail=True)


class OutcomeIn(Schema):
    outcome: str
    reason: str = ""
    application_id: int | None = None


@router.post("/monitoring/leads/{lead_id}/outcome", response=dict, summary="登记线索跟进结果并办结")
def lead_outcome(request: HttpRequest, lead_id: int, payload: OutcomeIn) -> dict:
    lead = call_service(lambda: selectors.lead_get(request.user, lead_id))
    application = None
    if payload.application_id:
        application = call_service(lambda: casework_selectors.application_get(request.user, payload.application_id))
    lead = call_service(lambda: services.lead_close(actor=request.user, lead=lead, outcome=payload.outcome,
                                             reason=payload.reason, application=application))
    return _lead_out(lead, detail=True)


# --- tasks, visits -----------------------------------------------------------------------

@router.get("/monitoring/tasks", response=dict, summary="风险跟进任务")
def task_list(request: HttpRequest, status: str = "", kind: str = "", escalated: bool = False,
              limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    total, items = _page(selectors.task_list(request.user, status=status, kind=kind, escalated=escalated),
                         limit, offset)
    return {"total": total, "items": [_task_out(t) for t in items]}


@router.get("/monitoring/tasks/{task_id}", response=dict, summary="任务详情")
def task_detail(request: HttpRequest, task_id: int) -> dict:
    return _task_out(call_service(lambda: selectors.task_get(request.user, task_id)))


class CompleteIn(Schema):
    result: str


@router.post("/monitoring/tasks/{task_id}/complete", response=dict, summary="完成风险跟进任务")
def task_complete(request: HttpRequest, task_id: int, payload: CompleteIn) -> dict:
    task = call_service(lambda: selectors.task_get(request.user, task_id))
    return _task_out(call_service(lambda: services.task_complete(actor=request.user, task=task, result=payload.result)))


class VisitIn(Schema):
    household_id: int
    visited_on: dt.date
    visitors: str
    findings: str
    lead_id: int | None = None
    task_id: int | None = None


@router.post("/monitoring/visits", response=dict, summary="登记走访（附件请在页面上传）")
def visit_create(request: HttpRequest, payload: VisitIn) -> dict:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    lead = call_service(lambda: selectors.lead_get(request.user, payload.lead_id)) if payload.lead_id else None
    task = call_service(lambda: selectors.task_get(request.user, payload.task_id)) if payload.task_id else None
    visit = call_service(lambda: services.visit_record(actor=request.user, household=household, lead=lead, task=task,
                                                visited_on=payload.visited_on, visitors=payload.visitors,
                                                findings=payload.findings))
    return _visit_out(visit)


@router.get("/monitoring/households/{household_id}/visits", response=list[dict], summary="某户的走访记录")
def visit_list(request: HttpRequest, household_id: int) -> list[dict]:
    household = call_service(lambda: registry_selectors.household_get(request.user, household_id))
    if not selectors.covers_household(request.user, household):
        raise HttpError(404, "未找到该记录")
    return [_visit_out(v) for v in selectors.visits_for(request.user, household_id=household_id)]


# --- labels, services ----------------------------------------------------------------------

class LabelIn(Schema):
    household_id: int
    label: str
    note: str = ""


@router.get("/monitoring/labels", response=list[dict], summary="困难对象标签")
def label_list(request: HttpRequest, household_id: int | None = None) -> list[dict]:
    return [{"id": lb.pk, "household_id": lb.household_id, "person_id": lb.person_id, "label": lb.label,
             "label_text": lb.get_label_display(), "note": lb.note, "added_on": lb.added_on, "added_by": lb.added_by}
            for lb in selectors.labels_for(request.user, household_id=household_id)[:500]]


@router.post("/monitoring/labels", response=dict, summary="添加困难对象标签")
def label_create(request: HttpRequest, payload: LabelIn) -> dict:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    label = call_service(lambda: services.label_add(actor=request.user, household=household, label=payload.label,
                                             note=payload.note))
    return {"id": label.pk, "label": label.label, "household_id": label.household_id}


@router.delete("/monitoring/labels/{label_id}", response=dict, summary="取消困难对象标签")
def label_delete(request: HttpRequest, label_id: int) -> dict:
    label = call_service(lambda: selectors.label_get(request.user, label_id))
    label = call_service(lambda: services.label_remove(actor=request.user, label=label))
    return {"id": label.pk, "removed_on": label.removed_on}


class ServiceIn(Schema):
    household_id: int
    kind: str
    served_on: dt.date
    description: str
    provider: str = ""
    lead_id: int | None = None


@router.post("/monitoring/services", response=dict, summary="登记服务记录（转介、帮扶）")
def service_create(request: HttpRequest, payload: ServiceIn) -> dict:
    household = call_service(lambda: registry_selectors.household_get(request.user, payload.household_id))
    lead = call_service(lambda: selectors.lead_get(request.user, payload.lead_id)) if payload.lead_id else None
    record = call_service(lambda: services.service_record_add(
        actor=request.user, household=household, kind=payload.kind, served_on=payload.served_on,
        description=payload.description, provider=payload.provider, lead=lead))
    return {"id": record.pk, "kind": record.kind, "household_id": record.household_id}


@router.get("/monitoring/services", response=list[dict], summary="服务记录")
def service_list(request: HttpRequest, household_id: int | None = None) -> list[dict]:
    return [{"id": s.pk, "household_id": s.household_id, "kind": s.kind, "kind_label": s.get_kind_display(),
             "served_on": s.served_on, "provider": s.provider, "description": s.description}
            for s in selectors.services_for(request.user, household_id=household_id)[:500]]


# --- edge list, exits, notices ---------------------------------------------------------------

@router.get("/monitoring/edge", response=dict, summary="边缘家庭监测名单（默认最近一月）")
def edge_list(request: HttpRequest, month: str = "", band: str = "", limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    total, items = _page(selectors.edge_list(request.user, month=month, band=band), limit, offset)
    return {"total": total, "items": [
        {"household_id": e.household_id, "month": e.month, "street": e.street_id, "committee": e.committee_id,
         "band": e.band, "members": e.members, "per_capita_income_fen": e.per_capita_income_fen,
         "line_fen": e.line_fen, "margin_pct": e.margin_pct} for e in items]}


@router.get("/monitoring/exits", response=dict, summary="应退尽退核实")
def exit_list(request: HttpRequest, status: str = "", program: str = "", limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    total, items = _page(selectors.exit_list(request.user, status=status, program=program), limit, offset)
    return {"total": total, "items": [_exit_out(r) for r in items]}


@router.get("/monitoring/exits/{review_id}", response=dict, summary="应退尽退核实详情")
def exit_detail(request: HttpRequest, review_id: int) -> dict:
    return _exit_out(call_service(lambda: selectors.exit_get(request.user, review_id)))


class ResolveIn(Schema):
    exit_benefit: bool
    resolution: str
    effective_month: str = ""


@router.post("/monitoring/exits/{review_id}/resolve", response=dict, summary="应退尽退核实结论（街镇、区）")
def exit_resolve(request: HttpRequest, review_id: int, payload: ResolveIn) -> dict:
    review = call_service(lambda: selectors.exit_get(request.user, review_id))
    return _exit_out(call_service(lambda: services.exit_review_resolve(
        actor=request.user, review=review, exit_benefit=payload.exit_benefit, resolution=payload.resolution,
        effective_month=payload.effective_month)))


@router.get("/monitoring/notices", response=dict, summary="免申即享告知")
def notice_list(request: HttpRequest, program: str = "", limit: int = Query(50, ge=1), offset: int = Query(0, ge=0)) -> dict:
    total, items = _page(selectors.notice_list(request.user, program=program), limit, offset)
    return {"total": total, "items": [
        {"id": n.pk, "enrolment_id": n.enrolment_id, "program": n.program, "person_id": n.person_id,
         "committee": n.committee_id, "start_month": n.start_month, "monthly_amount_fen": n.monthly_amount_fen}
        for n in items]}
