"""Payments endpoints (mounted at /api/v1), scoped like the UI: a record
outside the token user's jurisdiction answers 404; a refused step 403 (wrong
role, maker-checker) or 422 (illegal state, bad file) with a Chinese message.

District-wide figures (control totals, skipped counts, event log, files, the
closed-loop check, sampling reproduction) are for district-level bureau and
audit staff only; others get their own lines' totals (``scope_*``) and
``null`` for the district-wide fields."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from minzheng.core.api import call_service
from minzheng.core.permissions import NotPermitted
from minzheng.payments import selectors
from minzheng.payments.accounts import account_register
from minzheng.payments.bank_files import batch_export, file_download
from minzheng.payments.batches import (
    batch_approve,
    batch_discard,
    batch_reject,
    batch_review,
    batch_run,
    reissue_batch_create,
)
from minzheng.payments.labels import program_label
from minzheng.payments.ledgers import ledger, yearly_totals
from minzheng.payments.models import FileKind, PaymentBatch
from minzheng.payments.reconciliation import batch_reconcile, closed_loop_problems, reconcile
from minzheng.payments.recovery import (
    balance,
    receivable_repay,
    recovery_scan,
    writeoff_decide,
    writeoff_propose,
)
from minzheng.payments.returns import returns_import
from minzheng.payments.sampling import draw_report, draw_reproduce, sample_case_record, sample_draw

router = Router(tags=["资金发放"])




class RunIn(Schema):
    program: str
    month: str


class NoteIn(Schema):
    note: str = ""


class BatchOut(Schema):
    id: int
    number: str
    kind: str
    program: str
    program_label: str
    month: str
    status: str
    status_label: str
    control_count: int | None
    control_total_fen: int | None
    control_city_fen: int | None
    control_district_fen: int | None
    scope_count: int
    scope_total_fen: int
    prepared_by: str
    reviewed_by: str
    approved_by: str
    fund_split: dict
    skipped: dict | None


def _batch(user, b: PaymentBatch, totals: dict | None = None) -> dict:
    """A batch as ``user`` may see it: control totals and skipped counts for
    district-level staff only; everyone gets the totals of their own lines."""
    if totals is None:
        totals = selectors.batch_scope_totals(user, [b])
    mine = totals.get(b.pk) or {}
    district = selectors.district_wide(user)
    return {"id": b.pk, "number": b.number, "kind": b.kind, "program": b.program, "program_label": program_label(b.program),
            "month": b.month, "status": b.status, "status_label": b.get_status_display(),
            "control_count": b.control_count if district else None,
            "control_total_fen": b.control_total_fen if district else None,
            "control_city_fen": b.control_city_fen if district else None,
            "control_district_fen": b.control_district_fen if district else None,
            "scope_count": mine.get("count") or 0, "scope_total_fen": mine.get("amount_fen") or 0,
            "prepared_by": b.prepared_by, "reviewed_by": b.reviewed_by, "approved_by": b.approved_by,
            "fund_split": b.fund_split, "skipped": b.skipped if district else None}


@router.get("/payments/batches", response=list[BatchOut], summary="发放批次列表")
def batches(request: HttpRequest, program: str = "", month: str = "", status: str = "") -> list[dict]:
    page = list(selectors.batch_list(request.user, program=program, month=month, status=status)[:200])
    totals = selectors.batch_scope_totals(request.user, page)
    return [_batch(request.user, b, totals) for b in page]


@router.post("/payments/batches/run", response=BatchOut, summary="生成（或补充）某项目当月的发放批次")
def batch_run_api(request: HttpRequest, payload: RunIn) -> dict:
    result = call_service(lambda: batch_run(actor=request.user, program=payload.program, month=payload.month))
    return _batch(request.user, result.batch)


def _reconciliation(user, batch: PaymentBatch) -> dict:
    r = reconcile(batch, selectors.lines_visible(user).filter(batch=batch))
    return {"approved": r.approved, "paid": r.paid, "failed": r.failed, "reissued": r.reissued,
            "awaiting_reissue": r.awaiting_reissue, "not_returned": r.not_returned, "balanced": r.balanced}


@router.get("/payments/batches/{batch_id}", summary="批次详情与对账（本辖区）")
def batch_detail(request: HttpRequest, batch_id: int) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    events = ([{"from": e.from_status, "to": e.to_status, "actor": e.actor, "at": e.at.isoformat(), "note": e.note}
               for e in selectors.batch_events(batch)] if selectors.district_wide(request.user) else None)
    return {**_batch(request.user, batch), "reconciliation": _reconciliation(request.user, batch), "events": events}


@router.get("/payments/batches/{batch_id}/lines", summary="批次明细（本辖区，账号脱敏）")
def batch_lines(request: HttpRequest, batch_id: int, offset: int = 0, limit: int = 100) -> dict:
    if offset < 0 or limit < 1:
        raise HttpError(422, "分页参数无效：offset 应为非负整数，limit 应为正整数（每次最多返回1000条）")
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    qs = selectors.batch_lines(request.user, batch)
    rows = qs[offset : offset + min(limit, 1000)]
    return {"count": qs.count(), "results": [
        {"id": line.pk, "seq": line.seq, "kind": line.kind, "benefit_month": line.benefit_month,
         "beneficiary": line.beneficiary, "payee": line.payee_name, "bank": line.bank_name,
         "account": line.account_masked, "amount_fen": line.amount_fen, "city_fen": line.city_fen,
         "district_fen": line.district_fen, "street": line.street_id, "committee": line.committee_id,
         "amount_basis": line.amount_basis, "corrects": line.corrects_id,
         "bank_result": getattr(getattr(line, "bank_return", None), "outcome", None)} for line in rows]}


ACTIONS = {
    "review": lambda u, b, note: batch_review(actor=u, batch=b, note=note),
    "approve": lambda u, b, note: batch_approve(actor=u, batch=b, note=note),
    "reject": lambda u, b, note: batch_reject(actor=u, batch=b, reason=note),
    "reconcile": lambda u, b, note: batch_reconcile(actor=u, batch=b, note=note),
}


@router.post("/payments/batches/{batch_id}/actions/{action}", response=BatchOut,
             summary="复核 review / 审批 approve / 退回 reject / 对账 reconcile")
def batch_act(request: HttpRequest, batch_id: int, action: str, payload: NoteIn) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    if action == "discard":
        call_service(lambda: batch_discard(actor=request.user, batch=batch, reason=payload.note))
        return _batch(request.user, batch)
    if action not in ACTIONS:
        raise HttpError(404, "未知操作")
    return _batch(request.user, call_service(lambda: ACTIONS[action](request.user, batch, payload.note)))


@router.post("/payments/batches/{batch_id}/files/{kind}/export",
             summary="导出银行代发文件 bank_csv 或台账 ledger_xlsx（首次导出银行文件后批次转为已导出）")
def batch_file_export(request: HttpRequest, batch_id: int, kind: str) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    if kind not in FileKind.values:
        raise HttpError(404, "未知文件类型")
    bank_file = call_service(lambda: batch_export(actor=request.user, batch=batch, kind=kind))
    batch.refresh_from_db()
    return {"kind": bank_file.kind, "sha256": bank_file.sha256, "line_count": bank_file.line_count,
            "total_fen": bank_file.total_fen, "status": batch.status,
            "download": f"/api/v1/payments/batches/{batch.pk}/files/{kind}"}


@router.get("/payments/batches/{batch_id}/files/{kind}",
            summary="下载已导出的银行代发文件或台账（区民政局、审计督查；记入审计日志）")
def batch_file(request: HttpRequest, batch_id: int, kind: str) -> HttpResponse:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    if kind not in FileKind.values:
        raise HttpError(404, "未知文件类型")
    _, content = call_service(lambda: file_download(actor=request.user, batch=batch, kind=kind))
    content_type = "text/csv; charset=utf-8" if kind == FileKind.BANK_CSV else "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    extension = "csv" if kind == FileKind.BANK_CSV else "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-{kind}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/payments/batches/{batch_id}/returns", summary="导入银行回盘文件")
def batch_returns(request: HttpRequest, batch_id: int, file: UploadedFile = File(...)) -> dict:  # noqa: B008
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    record = call_service(lambda: returns_import(actor=request.user, batch=batch, filename=file.name, content=file.read()))
    return {"rows": record.rows, "paid": record.paid_count, "failed": record.failed_count,
            "already": record.already_count, "reconciliation": _reconciliation(request.user, batch)}


@router.get("/payments/corrections", summary="银行退回、待更正账户的发放")
def corrections(request: HttpRequest) -> list[dict]:
    return [{"line": line.pk, "batch": line.batch.number, "seq": line.seq, "program": line.program,
             "benefit_month": line.benefit_month, "payee": line.payee_name, "person_id": line.person_id,
             "amount_fen": line.amount_fen, "reason": line.bank_return.reason}
            for line in selectors.corrections_list(request.user)[:1000]]


@router.post("/payments/reissue", summary="为已更正账户的失败明细生成重发批次")
def reissue(request: HttpRequest, payload: RunIn) -> dict:
    batch = call_service(lambda: reissue_batch_create(actor=request.user, program=payload.program, month=payload.month))
    return _batch(request.user, batch) if batch else {"created": False, "message": "没有已更正账户、可以重发的失败明细"}


@router.get("/payments/ledger", summary="资金台账（街镇、项目、月份、资金来源）")
def ledger_api(request: HttpRequest, year: str = "", month: str = "", program: str = "", street: str = "") -> dict:
    data = ledger(request.user, year=year, month=month, program=program, street=street)
    return {"rows": data.rows, "totals": data.totals}


@router.get("/payments/yearly/{year}", summary="年度发放合计（按项目）")
def yearly(request: HttpRequest, year: str) -> dict:
    return yearly_totals(request.user, year)


@router.get("/payments/closed-loop", summary="闭环检查：对不上的批次")
def closed_loop(request: HttpRequest) -> list[dict]:
    if not selectors.district_wide(request.user):
        raise NotPermitted("payments.district_view", "闭环检查仅限区民政局、审计督查人员")
    return [{"batch": b.number, "problem": p} for b, p in closed_loop_problems(selectors.batch_list(request.user))]


class AmountIn(Schema):
    amount_fen: int
    reference: str = ""
    note: str = ""


class DecisionIn(Schema):
    approve: bool
    note: str = ""


def _receivable(r) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "person": r.person.name, "id_number": r.person.id_number_masked,
            "committee": r.committee_id, "balance_fen": balance(r),
            "entries": [{"id": e.pk, "kind": e.kind, "status": e.status, "amount_fen": e.amount_fen,
                         "program": e.program, "benefit_month": e.benefit_month, "reason": e.reason,
                         "reference": e.reference, "recorded_by": e.recorded_by, "approved_by": e.approved_by}
                        for e in selectors.receivable_entries(r)]}


@router.post("/payments/recovery/scan", summary="核查死亡、退出后的发放，生成应追缴")
def recovery(request: HttpRequest) -> dict:
    return call_service(lambda: recovery_scan(actor=request.user))


@router.get("/payments/receivables", summary="应追缴款（本辖区）")
def receivables(request: HttpRequest) -> list[dict]:
    return [_receivable(r) for r in selectors.receivables_visible(request.user).select_related("person")[:500]]


@router.get("/payments/receivables/{receivable_id}", summary="应追缴款详情")
def receivable(request: HttpRequest, receivable_id: int) -> dict:
    return _receivable(call_service(lambda: selectors.receivable_get(request.user, receivable_id)))


@router.post("/payments/receivables/{receivable_id}/repayments", summary="登记退回")
def repay(request: HttpRequest, receivable_id: int, payload: AmountIn) -> dict:
    r = call_service(lambda: selectors.receivable_get(request.user, receivable_id))
    call_service(lambda: receivable_repay(actor=request.user, receivable=r, amount_fen=payload.amount_fen,
                                   reference=payload.reference, note=payload.note))
    return _receivable(r)


@router.post("/payments/receivables/{receivable_id}/write-offs", summary="申请核销（待审批）")
def writeoff(request: HttpRequest, receivable_id: int, payload: AmountIn) -> dict:
    r = call_service(lambda: selectors.receivable_get(request.user, receivable_id))
    call_service(lambda: writeoff_propose(actor=request.user, receivable=r, amount_fen=payload.amount_fen,
                                   reason=payload.note))
    return _receivable(r)


@router.post("/payments/write-offs/{entry_id}/decision", summary="审批核销")
def writeoff_decision(request: HttpRequest, entry_id: int, payload: DecisionIn) -> dict:
    entry = call_service(lambda: selectors.entry_get(request.user, entry_id))
    call_service(lambda: writeoff_decide(actor=request.user, entry=entry, approve=payload.approve, note=payload.note))
    return _receivable(entry.receivable)


class DrawIn(Schema):
    purpose: str
    month: str
    per_street: int
    program: str = ""
    seed: int | None = None


class CaseIn(Schema):
    outcome: str
    finding: str = ""


def _draw(user, draw) -> dict:
    cases = selectors.draw_cases(user, draw)
    if selectors.district_wide(user):
        population = draw.population
    else:
        mine = set(cases.values_list("street_id", flat=True))
        population = {street: p for street, p in draw.population.items() if street in mine}
    return {"id": draw.pk, "purpose": draw.purpose, "month": draw.month, "program": draw.program,
            "per_street": draw.per_street, "seed": draw.seed, "population": population,
            "report": draw_report(cases),
            "cases": [{"id": c.pk, "beneficiary": c.beneficiary, "person_id": c.person_id, "street": c.street_id,
                       "committee": c.committee_id, "outcome": c.outcome, "finding": c.finding} for c in cases]}


@router.post("/payments/samples", summary="抽样（记录随机种子）")
def draw_create(request: HttpRequest, payload: DrawIn) -> dict:
    draw = call_service(lambda: sample_draw(actor=request.user, purpose=payload.purpose, month=payload.month,
                                     per_street=payload.per_street, program=payload.program, seed=payload.seed))
    return _draw(request.user, draw)


@router.get("/payments/samples/{draw_id}", summary="抽样详情与核查情况")
def draw_detail(request: HttpRequest, draw_id: int, reproduce: bool = False) -> dict:
    draw = call_service(lambda: selectors.draw_get(request.user, draw_id))
    if reproduce and not selectors.district_wide(request.user):
        raise NotPermitted("payments.district_view", "重新抽取比对涉及全区抽样总体，仅限区民政局、审计督查人员")
    return {**_draw(request.user, draw), **({"reproduced": draw_reproduce(draw)} if reproduce else {})}


@router.post("/payments/sample-cases/{case_id}", summary="记录抽中对象的核查结果")
def case_record(request: HttpRequest, case_id: int, payload: CaseIn) -> dict:
    import datetime as dt

    case = call_service(lambda: selectors.sample_case_get(request.user, case_id))
    call_service(lambda: sample_case_record(actor=request.user, case=case, outcome=payload.outcome,
                                     finding=payload.finding, checked_on=dt.date.today()))
    return {"id": case.pk, "outcome": case.outcome, "finding": case.finding}


class AccountIn(Schema):
    bank_name: str
    holder_name: str
    number: str
    reason: str = ""


def _accounts(user, person_id: int) -> list[dict]:
    _, accounts = call_service(lambda: selectors.person_accounts(user, person_id))
    return [{"id": a.pk, "bank": a.bank_name, "holder": a.holder_name, "number": a.number_masked,
             "status": a.status, "synthetic": a.synthetic, "replaces": a.replaces_id} for a in accounts]


@router.get("/payments/accounts/{person_id}", summary="收款人代发账户（脱敏）")
def accounts(request: HttpRequest, person_id: int) -> list[dict]:
    return _accounts(request.user, person_id)


@router.post("/payments/accounts/{person_id}", summary="登记或更正代发账户")
def account_set(request: HttpRequest, person_id: int, payload: AccountIn) -> list[dict]:
    person, _ = call_service(lambda: selectors.person_accounts(request.user, person_id))
    call_service(lambda: account_register(actor=request.user, person=person, bank_name=payload.bank_name,
                                   holder_name=payload.holder_name, number=payload.number, reason=payload.reason))
    return _accounts(request.user, person_id)
