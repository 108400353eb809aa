"""Payments endpoints (mounted at /api/v1), scoped like the UI: a record
outside the token user's jurisdiction answers 404; a refused step 403 (wrong
role, maker-checker) or 422 (illegal state, bad file) with a Chinese message.

District-wide figures (control totals, skipped counts, event log, files, the
closed-loop check, sampling reproduction) are for district-level bureau and
audit staff only; others get their own lines' totals (``scope_*``) and
``null`` for the district-wide fields. A step the batch's (or entry's) state
does not allow answers 409."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from minzheng.core.api import (
    JobStartedOut,
    Month,
    Offset,
    call_service,
    coded,
    error_responses,
    month_query,
    path_id,
    responses,
)
from minzheng.core.permissions import NotPermitted
from minzheng.jobs.selectors import job_started
from minzheng.jobs.services import job_start
from minzheng.payments import selectors
from minzheng.payments.accounts import account_register
from minzheng.payments.bank_files import file_download
from minzheng.payments.batches import (
    batch_approve,
    batch_discard,
    batch_reject,
    batch_review,
    reissue_batch_create,
)
from minzheng.payments.death_holds import hold_release
from minzheng.payments.jobs import PAYMENTS_BATCH_RUN, PAYMENTS_EXPORT
from minzheng.payments.labels import program_label
from minzheng.payments.ledgers import ledger, yearly_totals
from minzheng.payments.models import (
    BatchStatus,
    CheckOutcome,
    FileKind,
    OneOffStatus,
    PaymentBatch,
    PaymentLine,
    SamplePurpose,
)
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
from policy import PROGRAMS

router = Router(tags=["资金发放"])

PROGRAM_PATTERN = r"^[a-z][a-z0-9_]{0,40}(:[a-z][a-z0-9_]{0,40})?$"
ProgramCode = Field(pattern=PROGRAM_PATTERN, description="救助项目代码（一次性补助为 one_off:代号）：" + "；".join(
    f"{pid}：{p.label}" for pid, p in PROGRAMS.items()), examples=["dibao"])
BatchStatusCode = coded(BatchStatus.choices, "批次状态")
SamplePurposeCode = coded(SamplePurpose.choices, "抽样类型")
CheckOutcomeCode = coded([c for c in CheckOutcome.choices if c[0] != CheckOutcome.PENDING], "核查结论")
YEAR_PATTERN = r"^\d{4}$"


class BatchRunIn(Schema):
    program: str = ProgramCode
    month: Month


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


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
    fund_split: dict[str, Any]
    skipped: dict[str, Any] | None
    held_count: int | None = Field(None, description="已暂停发放笔数（区民政局、审计督查人员）；不列入银行代发文件")
    held_total_fen: int | None = Field(None, description="已暂停发放金额（分）")


class ReconciliationOut(Schema):
    approved: dict[str, int]
    paid: dict[str, int]
    failed: dict[str, int]
    reissued: dict[str, int]
    awaiting_reissue: dict[str, int]
    not_returned: dict[str, int]
    held: dict[str, int] = Field(description="已暂停发放（死亡后停发，未列入银行代发文件）")
    balanced: bool


class BatchEventOut(Schema):
    from_: str = Field(alias="from")
    to: str
    actor: str
    at: str
    note: str


class BatchDetailOut(BatchOut):
    reconciliation: ReconciliationOut
    events: list[BatchEventOut] | None = Field(description="状态变更记录（区民政局、审计督查人员）")


class PaymentLineOut(Schema):
    id: int
    seq: int
    kind: str
    benefit_month: str
    beneficiary: str
    payee: str
    bank: str
    account: str
    amount_fen: int
    city_fen: int
    district_fen: int
    street: str
    committee: str
    amount_basis: str
    corrects: int | None
    bank_result: str | None
    hold_id: int | None = Field(None, description="暂停发放编号（已暂停发放时）")
    hold_note: str = Field("", description="暂停发放原因（已暂停发放时）")


class PaymentLinePage(Schema):
    count: int
    results: list[PaymentLineOut]


class ExportJobOut(JobStartedOut):
    download: str = Field(description="作业完成后下载文件的接口地址（GET）")


class ReturnsImportOut(Schema):
    rows: int
    paid: int
    failed: int
    already: int
    reconciliation: ReconciliationOut


class CorrectionOut(Schema):
    line: int
    batch: str
    seq: int
    program: str
    benefit_month: str
    payee: str
    person_id: int | None
    amount_fen: int
    reason: str


class ReissueNothingOut(Schema):
    created: bool
    message: str


class LedgerRowOut(Schema):
    street_id: str
    street_name: str
    program: str
    program_label: str
    month: str
    count: int
    amount_fen: int
    city_fen: int
    district_fen: int
    failed_fen: int


class LedgerTotalsOut(Schema):
    count: int
    amount_fen: int
    city_fen: int
    district_fen: int
    failed_fen: int


class LedgerOut(Schema):
    rows: list[LedgerRowOut]
    totals: LedgerTotalsOut


class YearlyProgramOut(Schema):
    program: str
    label: str
    person_times: int
    persons: int
    amount_fen: int


class YearlyOut(Schema):
    year: str
    programs: list[YearlyProgramOut]
    amount_fen: int
    person_times: int
    headline: str


class ClosedLoopProblemOut(Schema):
    batch: str
    problem: str


class RecoveryScanOut(Schema):
    charges: int
    from_ledger: int
    from_cases: int
    persons: int
    amount_fen: int


class ReceivableEntryOut(Schema):
    id: int
    kind: str
    status: str
    amount_fen: int
    program: str
    benefit_month: str
    reason: str
    reference: str
    recorded_by: str
    approved_by: str


class ReceivableOut(Schema):
    id: int
    person_id: int
    person: str
    id_number: str
    committee: str
    balance_fen: int
    entries: list[ReceivableEntryOut]


class SampleStreetReportOut(Schema):
    street: str
    street_name: str
    sampled: int
    pending: int
    confirmed: int
    findings: int


class SampleCaseOut(Schema):
    id: int
    beneficiary: str
    person_id: int | None
    street: str
    committee: str
    outcome: str
    finding: str


class ReproductionOut(Schema):
    identical: bool
    population_changed: list[str]
    same_cases: int
    stored_cases: int


class SampleDrawOut(Schema):
    id: int
    purpose: str
    month: str
    program: str
    per_street: int
    seed: int
    population: dict[str, Any]
    report: list[SampleStreetReportOut]
    cases: list[SampleCaseOut]
    reproduced: ReproductionOut | None = None


class SampleCaseResultOut(Schema):
    id: int
    outcome: str
    finding: str


class AccountOut(Schema):
    id: int
    bank: str
    holder: str
    number: str
    status: str
    synthetic: bool
    replaces: int | None


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
            "fund_split": b.fund_split, "skipped": b.skipped if district else None,
            "held_count": b.held_count if district else None, "held_total_fen": b.held_total_fen if district else None}


@router.get("/payments/batches", response=responses(list[BatchOut]), operation_id="payments_batch_list",
            summary="发放批次列表")
def batches(request: HttpRequest, program: str | None = Query(None, pattern=PROGRAM_PATTERN,
                                                               description="救助项目代码；省略：全部"),
            month: str | None = month_query(),
            status: BatchStatusCode | None = Query(None, description="批次状态；省略：全部")) -> list[dict]:
    page = list(selectors.batch_list(request.user, program=program or "", month=month or "",
                                     status=status or "")[:200])
    totals = selectors.batch_scope_totals(request.user, page)
    return [_batch(request.user, b, totals) for b in page]


@router.post("/payments/batches/run", response=responses(JobStartedOut, 202), operation_id="payments_batch_run",
             summary="生成（或补充）某项目当月的发放批次（后台作业，202）",
             description="在后台作业中生成，以发起人本人为制单人（其本人不能复核、审批）。立即返回 202 和作业编号；"
                         "用 `status_url`（`GET /api/v1/jobs/{作业编号}`）查询进度和结果，完成后用 "
                         "`GET /api/v1/payments/batches?program=…&month=…` 取得批次。批次已复核或审批的，"
                         "作业不改动它（结果说明“已存在，未改动”）。")
def batch_run_api(request: HttpRequest, payload: BatchRunIn) -> Any:
    job = call_service(lambda: job_start(actor=request.user, kind=PAYMENTS_BATCH_RUN.code,
                                         params={"program": payload.program, "month": payload.month}))
    return Status(202, job_started(job))


def _reconciliation(user, batch: PaymentBatch) -> dict:
    r = reconcile(batch, selectors.lines_visible(user).filter(batch=batch))
    return {"approved": r.approved, "paid": r.paid, "failed": r.failed, "reissued": r.reissued,
            "awaiting_reissue": r.awaiting_reissue, "not_returned": r.not_returned, "held": r.held,
            "balanced": r.balanced}


BATCH_ID = "批次编号"


@router.get("/payments/batches/{batch_id}", response=responses(BatchDetailOut), operation_id="payments_batch_detail",
            by_alias=True,
            summary="批次详情与对账（本辖区）")
def batch_detail(request: HttpRequest, batch_id: int = path_id(BATCH_ID)) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    events = ([{"from": e.from_status, "to": e.to_status, "actor": e.actor, "at": e.at.isoformat(), "note": e.note}
               for e in selectors.batch_events(batch)] if selectors.district_wide(request.user) else None)
    return {**_batch(request.user, batch), "reconciliation": _reconciliation(request.user, batch), "events": events}


@router.get("/payments/batches/{batch_id}/lines", response=responses(PaymentLinePage),
            operation_id="payments_batch_lines", summary="批次明细（本辖区，账号脱敏）")
def batch_lines(request: HttpRequest, batch_id: int = path_id(BATCH_ID), offset: Offset = 0,
                limit: int = Query(100, ge=1, le=1000, description="每页条数（1–1000）")) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    qs = selectors.batch_lines(request.user, batch)
    rows = qs[offset : offset + limit]
    return {"count": qs.count(), "results": [
        {"id": line.pk, "seq": line.seq, "kind": line.kind, "benefit_month": line.benefit_month,
         "beneficiary": line.beneficiary, "payee": line.payee_name, "bank": line.bank_name,
         "account": line.account_masked, "amount_fen": line.amount_fen, "city_fen": line.city_fen,
         "district_fen": line.district_fen, "street": line.street_id, "committee": line.committee_id,
         "amount_basis": line.amount_basis, "corrects": line.corrects_id,
         "bank_result": getattr(getattr(line, "bank_return", None), "outcome", None),
         **_hold(line)} for line in rows]}


def _hold(line: PaymentLine) -> dict:
    hold = getattr(line, "hold", None) if hasattr(line, "hold") else None
    return {"hold_id": hold.pk, "hold_note": hold.note} if hold is not None and hold.active else {}


class ReasonIn(Schema):
    reason: str = Field(max_length=200, description="解除原因（必填）")


@router.post("/payments/batches/{batch_id}/holds/{hold_id}/release", response=responses(BatchOut, conflict=True),
             operation_id="payments_hold_release", summary="解除暂停发放（如死亡登记有误）",
             description="区民政局工作人员本人办理，须填写原因，记入审计日志。批次已导出的（暂停的明细未列入代发文件）返回 409。")
def hold_release_api(request: HttpRequest, payload: ReasonIn, batch_id: int = path_id(BATCH_ID),
                     hold_id: int = path_id("暂停发放编号")) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    hold = call_service(lambda: selectors.hold_get(request.user, batch, hold_id))
    call_service(lambda: hold_release(actor=request.user, hold=hold, reason=payload.reason))
    batch.refresh_from_db()
    return _batch(request.user, batch)


OneOffStatusCode = coded(OneOffStatus.choices, "一次性补贴发放状态")


class OneOffOut(Schema):
    id: int
    program: str
    program_label: str
    reference: str
    payee_id: int
    payee: str
    beneficiary_id: int | None
    amount_fen: int
    reason: str
    status: str
    status_label: str
    skipped_reason: str
    batch: str | None = Field(description="发放批次号（已纳入批次后）")
    requested_at: str


@router.get("/payments/one-off", response=responses(list[OneOffOut]), operation_id="payments_one_off_list",
            summary="一次性补贴发放申请（本辖区）")
def one_off_list_api(request: HttpRequest, program: str | None = Query(None, pattern=PROGRAM_PATTERN,
                                                                       description="补贴项目代码；省略：全部"),
                     status: OneOffStatusCode | None = Query(None, description="状态；省略：全部")) -> list[dict]:
    qs = selectors.one_off_list(request.user)
    if program:
        qs = qs.filter(program=program)
    if status:
        qs = qs.filter(status=status)
    return [{"id": p.pk, "program": p.program, "program_label": program_label(p.program), "reference": p.reference,
             "payee_id": p.payee_id, "payee": p.payee.name, "beneficiary_id": p.beneficiary_id,
             "amount_fen": p.amount_fen, "reason": p.reason, "status": p.status,
             "status_label": p.get_status_display(), "skipped_reason": p.skipped_reason,
             "batch": p.line.batch.number if p.line else None, "requested_at": p.requested_at.isoformat()}
            for p in qs[:500]]


def _act(request: HttpRequest, batch_id: int, step: Any) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    result = call_service(lambda: step(batch))
    return _batch(request.user, result if isinstance(result, PaymentBatch) else batch)


_WRONG_STATE = "批次状态不允许该操作时返回 409；复核人、审批人须与编制人不同（不相容岗位），否则返回 422。"


@router.post("/payments/batches/{batch_id}/actions/review", response=responses(BatchOut, conflict=True),
             operation_id="payments_batch_review", summary="复核批次", description=_WRONG_STATE)
def batch_review_api(request: HttpRequest, payload: NoteIn, batch_id: int = path_id(BATCH_ID)) -> dict:
    return _act(request, batch_id, lambda b: batch_review(actor=request.user, batch=b, note=payload.note))


@router.post("/payments/batches/{batch_id}/actions/approve", response=responses(BatchOut, conflict=True),
             operation_id="payments_batch_approve", summary="审批批次", description=_WRONG_STATE)
def batch_approve_api(request: HttpRequest, payload: NoteIn, batch_id: int = path_id(BATCH_ID)) -> dict:
    return _act(request, batch_id, lambda b: batch_approve(actor=request.user, batch=b, note=payload.note))


@router.post("/payments/batches/{batch_id}/actions/reject", response=responses(BatchOut, conflict=True),
             operation_id="payments_batch_reject", summary="退回批次（note 为退回理由）", description=_WRONG_STATE)
def batch_reject_api(request: HttpRequest, payload: NoteIn, batch_id: int = path_id(BATCH_ID)) -> dict:
    return _act(request, batch_id, lambda b: batch_reject(actor=request.user, batch=b, reason=payload.note))


@router.post("/payments/batches/{batch_id}/actions/reconcile", response=responses(BatchOut, conflict=True),
             operation_id="payments_batch_reconcile", summary="对账（导入银行回盘后）", description=_WRONG_STATE)
def batch_reconcile_api(request: HttpRequest, payload: NoteIn, batch_id: int = path_id(BATCH_ID)) -> dict:
    return _act(request, batch_id, lambda b: batch_reconcile(actor=request.user, batch=b, note=payload.note))


@router.post("/payments/batches/{batch_id}/actions/discard", response=responses(BatchOut, conflict=True),
             operation_id="payments_batch_discard", summary="作废草稿批次（note 为作废理由）", description=_WRONG_STATE)
def batch_discard_api(request: HttpRequest, payload: NoteIn, batch_id: int = path_id(BATCH_ID)) -> dict:
    return _act(request, batch_id, lambda b: batch_discard(actor=request.user, batch=b, reason=payload.note))


def _export(request: HttpRequest, batch_id: int, kind: str) -> Any:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    job = call_service(lambda: job_start(actor=request.user, kind=PAYMENTS_EXPORT.code,
                                         params={"batch": batch.pk, "file": kind}))
    return Status(202, {**job_started(job), "download": f"/api/v1/payments/batches/{batch.pk}/files/{kind}"})


_EXPORT_JOB = ("在后台作业中导出（已导出的文件不重新生成），立即返回 202 和作业编号；用 `status_url` 查询进度，"
               "作业完成后从 `download` 下载。批次尚未审批时返回 409。")


@router.post("/payments/batches/{batch_id}/files/bank_csv/export", response=responses(ExportJobOut, 202, conflict=True),
             operation_id="payments_bank_file_export",
             summary="导出银行代发文件（后台作业，202；首次导出后批次转为已导出）", description=_EXPORT_JOB)
def bank_file_export(request: HttpRequest, batch_id: int = path_id(BATCH_ID)) -> Any:
    return _export(request, batch_id, FileKind.BANK_CSV)


@router.post("/payments/batches/{batch_id}/files/ledger_xlsx/export",
             response=responses(ExportJobOut, 202, conflict=True),
             operation_id="payments_ledger_file_export", summary="导出批次发放明细台账（Excel；后台作业，202）",
             description=_EXPORT_JOB)
def ledger_file_export(request: HttpRequest, batch_id: int = path_id(BATCH_ID)) -> Any:
    return _export(request, batch_id, FileKind.LEDGER_XLSX)


def _download(request: HttpRequest, batch_id: int, kind: str) -> HttpResponse:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    _, content = call_service(lambda: file_download(actor=request.user, batch=batch, kind=kind))
    content_type = CSV if kind == FileKind.BANK_CSV else XLSX
    response = HttpResponse(content, content_type=content_type)
    extension = "csv" if kind == FileKind.BANK_CSV else "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-{kind}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _binary(media_type: str, description: str) -> dict:
    return {"responses": {200: {"description": description, "content": {
        media_type: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/payments/batches/{batch_id}/files/bank_csv", response=error_responses(conflict=True),
            operation_id="payments_bank_file_download", openapi_extra=_binary("text/csv", "银行代发文件（CSV，UTF-8）"),
            summary="下载已导出的银行代发文件（区民政局、审计督查；记入审计日志）",
            description="尚未导出时返回 409。")
def bank_file_download(request: HttpRequest, batch_id: int = path_id(BATCH_ID)) -> HttpResponse:
    return _download(request, batch_id, FileKind.BANK_CSV)


@router.get("/payments/batches/{batch_id}/files/ledger_xlsx", response=error_responses(conflict=True),
            operation_id="payments_ledger_file_download", openapi_extra=_binary(XLSX, "发放明细台账（Excel）"),
            summary="下载已导出的批次发放明细台账（区民政局、审计督查；记入审计日志）",
            description="尚未导出时返回 409。")
def ledger_file_download(request: HttpRequest, batch_id: int = path_id(BATCH_ID)) -> HttpResponse:
    return _download(request, batch_id, FileKind.LEDGER_XLSX)


@router.post("/payments/batches/{batch_id}/returns", response=responses(ReturnsImportOut, conflict=True),
             operation_id="payments_returns_import", summary="导入银行回盘文件", description="批次尚未导出时返回 409。")
def batch_returns(request: HttpRequest, batch_id: int = path_id(BATCH_ID),
                  file: UploadedFile = File(..., description="银行回盘文件")) -> dict:
    batch = call_service(lambda: selectors.batch_get(request.user, batch_id))
    record = call_service(lambda: returns_import(actor=request.user, batch=batch, filename=file.name, content=file.read()))
    return {"rows": record.rows, "paid": record.paid_count, "failed": record.failed_count,
            "already": record.already_count, "reconciliation": _reconciliation(request.user, batch)}


@router.get("/payments/corrections", response=responses(list[CorrectionOut]), operation_id="payments_correction_list",
            summary="银行退回、待更正账户的发放")
def corrections(request: HttpRequest) -> list[dict]:
    return [{"line": line.pk, "batch": line.batch.number, "seq": line.seq, "program": line.program,
             "benefit_month": line.benefit_month, "payee": line.payee_name, "person_id": line.person_id,
             "amount_fen": line.amount_fen, "reason": line.bank_return.reason}
            for line in selectors.corrections_list(request.user)[:1000]]


@router.post("/payments/reissue", response={**responses(BatchOut, 201), 200: ReissueNothingOut},
             operation_id="payments_reissue_batch_create",
             summary="为已更正账户的失败明细生成重发批次（201；没有可重发的明细：200）")
def reissue(request: HttpRequest, payload: BatchRunIn) -> Any:
    batch = call_service(lambda: reissue_batch_create(actor=request.user, program=payload.program, month=payload.month))
    if batch is None:
        return {"created": False, "message": "没有已更正账户、可以重发的失败明细"}
    return Status(201, _batch(request.user, batch))


@router.get("/payments/ledger", response=responses(LedgerOut), operation_id="payments_ledger",
            summary="资金台账（街镇、项目、月份、资金来源）")
def ledger_api(request: HttpRequest, year: str | None = Query(None, pattern=YEAR_PATTERN, description="年份；省略：不限"),
               month: str | None = month_query(),
               program: str | None = Query(None, pattern=PROGRAM_PATTERN, description="救助项目代码；省略：全部"),
               street: str | None = Query(None, max_length=12, description="街镇代码；省略：全部")) -> dict:
    data = call_service(lambda: ledger(request.user, year=year or "", month=month or "", program=program or "",
                                       street=street or ""))
    return {"rows": data.rows, "totals": data.totals}


@router.get("/payments/yearly/{year}", response=responses(YearlyOut), operation_id="payments_yearly_totals",
            summary="年度发放合计（按项目）")
def yearly(request: HttpRequest, year: str = Path(..., pattern=YEAR_PATTERN, description="年份")) -> dict:
    return call_service(lambda: yearly_totals(request.user, year))


@router.get("/payments/closed-loop", response=responses(list[ClosedLoopProblemOut]),
            operation_id="payments_closed_loop_check", summary="闭环检查：对不上的批次")
def closed_loop(request: HttpRequest) -> list[dict]:
    if not selectors.district_wide(request.user):
        raise NotPermitted("payments.district_view", "闭环检查仅限区民政局、审计督查人员")
    return [{"batch": b.number, "problem": p} for b, p in closed_loop_problems(selectors.batch_list(request.user))]


class AmountIn(Schema):
    amount_fen: int = Field(ge=1, le=10**12, description="金额（分）")
    reference: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


def _receivable(r) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "person": r.person.name, "id_number": r.person.id_number_masked,
            "committee": r.committee_id, "balance_fen": balance(r),
            "entries": [{"id": e.pk, "kind": e.kind, "status": e.status, "amount_fen": e.amount_fen,
                         "program": e.program, "benefit_month": e.benefit_month, "reason": e.reason,
                         "reference": e.reference, "recorded_by": e.recorded_by, "approved_by": e.approved_by}
                        for e in selectors.receivable_entries(r)]}


@router.post("/payments/recovery/scan", response=responses(RecoveryScanOut), operation_id="payments_recovery_scan",
             summary="核查死亡、退出后的发放，生成应追缴")
def recovery(request: HttpRequest) -> dict:
    return call_service(lambda: recovery_scan(actor=request.user))


@router.get("/payments/receivables", response=responses(list[ReceivableOut]), operation_id="payments_receivable_list",
            summary="应追缴款（本辖区）")
def receivables(request: HttpRequest) -> list[dict]:
    return [_receivable(r) for r in selectors.receivables_visible(request.user).select_related("person")[:500]]


@router.get("/payments/receivables/{receivable_id}", response=responses(ReceivableOut),
            operation_id="payments_receivable_detail", summary="应追缴款详情")
def receivable(request: HttpRequest, receivable_id: int = path_id("应追缴编号")) -> dict:
    return _receivable(call_service(lambda: selectors.receivable_get(request.user, receivable_id)))


@router.post("/payments/receivables/{receivable_id}/repayments", response=responses(ReceivableOut),
             operation_id="payments_repayment_record", summary="登记退回")
def repay(request: HttpRequest, payload: AmountIn, receivable_id: int = path_id("应追缴编号")) -> dict:
    r = call_service(lambda: selectors.receivable_get(request.user, receivable_id))
    call_service(lambda: receivable_repay(actor=request.user, receivable=r, amount_fen=payload.amount_fen,
                                          reference=payload.reference, note=payload.note))
    return _receivable(r)


@router.post("/payments/receivables/{receivable_id}/write-offs", response=responses(ReceivableOut),
             operation_id="payments_writeoff_propose", summary="申请核销（待审批）")
def writeoff(request: HttpRequest, payload: AmountIn, receivable_id: int = path_id("应追缴编号")) -> dict:
    r = call_service(lambda: selectors.receivable_get(request.user, receivable_id))
    call_service(lambda: writeoff_propose(actor=request.user, receivable=r, amount_fen=payload.amount_fen,
                                          reason=payload.note))
    return _receivable(r)


@router.post("/payments/write-offs/{entry_id}/decision", response=responses(ReceivableOut, conflict=True),
             operation_id="payments_writeoff_decide", summary="审批核销", description="该记录不是待审批的核销时返回 409。")
def writeoff_decision(request: HttpRequest, payload: DecisionIn, entry_id: int = path_id("核销记录编号")) -> dict:
    entry = call_service(lambda: selectors.entry_get(request.user, entry_id))
    call_service(lambda: writeoff_decide(actor=request.user, entry=entry, approve=payload.approve, note=payload.note))
    return _receivable(entry.receivable)


class DrawIn(Schema):
    purpose: SamplePurposeCode
    month: Month
    per_street: int = Field(ge=1, le=1000, description="每街镇抽取数")
    program: str = Field("", pattern=r"^$|" + PROGRAM_PATTERN, description="救助项目代码；空：全部")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="随机种子；省略：随机生成并记录")


class CaseIn(Schema):
    outcome: CheckOutcomeCode
    finding: str = Field("", max_length=4000)


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


@router.post("/payments/samples", response=responses(SampleDrawOut, 201), operation_id="payments_sample_draw",
             summary="抽样（记录随机种子）")
def draw_create(request: HttpRequest, payload: DrawIn) -> Any:
    draw = call_service(lambda: sample_draw(actor=request.user, purpose=payload.purpose, month=payload.month,
                                            per_street=payload.per_street, program=payload.program, seed=payload.seed))
    return Status(201, _draw(request.user, draw))


@router.get("/payments/samples/{draw_id}", response=responses(SampleDrawOut), operation_id="payments_sample_detail",
            exclude_unset=True,
            summary="抽样详情与核查情况")
def draw_detail(request: HttpRequest, draw_id: int = path_id("抽样编号"),
                reproduce: bool = Query(False, description="按记录的种子重新抽取并比对（区民政局、审计督查人员）")) -> dict:
    draw = call_service(lambda: selectors.draw_get(request.user, draw_id))
    if reproduce and not selectors.district_wide(request.user):
        raise NotPermitted("payments.district_view", "重新抽取比对涉及全区抽样总体，仅限区民政局、审计督查人员")
    return {**_draw(request.user, draw), **({"reproduced": draw_reproduce(draw)} if reproduce else {})}


@router.post("/payments/sample-cases/{case_id}", response=responses(SampleCaseResultOut),
             operation_id="payments_sample_case_record", summary="记录抽中对象的核查结果")
def case_record(request: HttpRequest, payload: CaseIn, case_id: int = path_id("抽中对象编号")) -> dict:
    case = call_service(lambda: selectors.sample_case_get(request.user, case_id))
    call_service(lambda: sample_case_record(actor=request.user, case=case, outcome=payload.outcome,
                                            finding=payload.finding, checked_on=dt.date.today()))
    return {"id": case.pk, "outcome": case.outcome, "finding": case.finding}


class AccountIn(Schema):
    bank_name: str = Field(max_length=100)
    holder_name: str = Field(max_length=100)
    number: str = Field(max_length=40, description="银行账号")
    reason: str = Field("", max_length=2000)


def _accounts(user, person_id: int) -> list[dict]:
    _, accounts = call_service(lambda: selectors.person_accounts(user, person_id))
    return [{"id": a.pk, "bank": a.bank_name, "holder": a.holder_name, "number": a.number_masked,
             "status": a.status, "synthetic": a.synthetic, "replaces": a.replaces_id} for a in accounts]


@router.get("/payments/accounts/{person_id}", response=responses(list[AccountOut]),
            operation_id="payments_account_list", summary="收款人代发账户（脱敏）")
def accounts(request: HttpRequest, person_id: int = path_id("人员编号")) -> list[dict]:
    return _accounts(request.user, person_id)


@router.post("/payments/accounts/{person_id}", response=responses(list[AccountOut]),
             operation_id="payments_account_register", summary="登记或更正代发账户")
def account_set(request: HttpRequest, payload: AccountIn, person_id: int = path_id("人员编号")) -> list[dict]:
    person, _ = call_service(lambda: selectors.person_accounts(request.user, person_id))
    call_service(lambda: account_register(actor=request.user, person=person, bank_name=payload.bank_name,
                                          holder_name=payload.holder_name, number=payload.number,
                                          reason=payload.reason))
    return _accounts(request.user, person_id)
