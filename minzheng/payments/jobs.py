"""Payment batch preparation and file export as background jobs (``jobs``,
ADR 0017): 生成发放批次 and 导出发放文件.

* ``payments_batch_run`` runs ``batches.batch_run`` as the staff member who
  started it (the job's actor is that person, never an anonymous job), so
  the preparer recorded on the batch is them and the four-eyes rules hold:
  they can neither review nor approve it. Idempotent (a second run adds only
  missing lines to a draft), so a retry is safe.
  For a one-off program (``one_off``) the same job runs
  ``one_off.one_off_batch_create`` (a new 一次性补贴 batch from the queued
  requests each time; not idempotent by design — the requests it took are
  no longer queued, so a retry finds nothing more to take).
* ``payments_export`` runs ``bank_files.batch_export``: the file is made
  once, checked against the control totals and stored sealed; a second
  export returns the stored file. The job's result links to the download
  (served from the stored file, audited).

Permissions (``payments.prepare``, ``payments.disburse``) are checked when
the job is queued and again when it runs (the services require them).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.errors import StateConflict
from minzheng.core.months import month_label
from minzheng.jobs.services import JobKind, Outcome, Progress
from minzheng.payments.bank_files import EXPORTABLE, batch_export
from minzheng.payments.batches import batch_month, batch_run
from minzheng.payments.beneficiaries import program_known
from minzheng.payments.labels import program_label
from minzheng.payments.models import FileKind, OneOffPayment, OneOffStatus, PaymentBatch
from minzheng.payments.one_off import is_one_off_program, one_off_batch_create
from policy.money import format_fen

BATCH_RUN = "payments_batch_run"
EXPORT = "payments_export"


def _run_clean(params: dict[str, Any]) -> dict[str, Any]:
    program = str(params.get("program", ""))
    if not (program_known(program) or is_one_off_program(program)):
        raise ValidationError("请从列表中选择救助项目")
    return {"program": program, "month": batch_month(program, str(params.get("month", "")))}


def _run_describe(params: dict[str, Any]) -> str:
    return f"救助项目：{program_label(params['program'])}；发放月份：{month_label(params['month'])}"


def _run_one_off(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    progress("汇总待发放的一次性补贴", None, None)
    batch = one_off_batch_create(actor=actor, program=params["program"], month=params["month"])
    label = program_label(params["program"])
    if batch is None:
        waiting = OneOffPayment.objects.filter(program=params["program"], status=OneOffStatus.QUEUED).count()
        return Outcome(summary=f"{label}：没有可纳入批次的待发放申请（待发放 {waiting} 笔，均缺少有效代发账户或收款人已死亡）"
                       if waiting else f"{label}：没有待发放的申请",
                       url=reverse("payments:one_off_list"), link_label="查看一次性补贴申请")
    skipped = "；未纳入：" + "、".join(f"{reason} {n} 笔" for reason, n in batch.skipped.items()) if batch.skipped else ""
    return Outcome(
        summary=f"{label}{month_label(batch.month)}一次性补贴批次 {batch.number} 已生成：{batch.control_count} 笔，"
                f"{format_fen(batch.control_total_fen, grouping=True, unit='元')}{skipped}",
        url=reverse("payments:batch_detail", args=[batch.pk]), link_label="查看批次", value=batch)


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    if is_one_off_program(params["program"]):
        return _run_one_off(actor, params, progress)
    result = batch_run(actor=actor, program=params["program"], month=params["month"], progress=progress)
    batch = result.batch
    verb = "已生成" if result.created else ("已补充" if result.added else "已存在，未改动")
    skipped = "；未纳入：" + "、".join(f"{reason} {n} 人" for reason, n in result.skipped.items()) if result.skipped else ""
    return Outcome(
        summary=f"{program_label(batch.program)}{month_label(batch.month)}批次 {batch.number} {verb}"
                f"（{batch.get_status_display()}）：本次新增 {result.added} 笔；批次合计 {batch.control_count} 笔，"
                f"{format_fen(batch.control_total_fen, grouping=True, unit='元')}{skipped}",
        url=reverse("payments:batch_detail", args=[batch.pk]), link_label="查看批次", value=result)


def _batch(pk: int) -> PaymentBatch:
    try:
        return PaymentBatch.objects.get(pk=pk)
    except PaymentBatch.DoesNotExist as err:
        raise ValidationError("未找到该发放批次") from err


def _export_clean(params: dict[str, Any]) -> dict[str, Any]:
    kind = str(params.get("file", ""))
    if kind not in FileKind.values:
        raise ValidationError("未知的文件类型")
    try:
        pk = int(params.get("batch", 0))
    except (TypeError, ValueError) as err:
        raise ValidationError("未找到该发放批次") from err
    batch = _batch(pk)
    if batch.status not in EXPORTABLE:  # a state conflict: 409 from the API
        raise StateConflict(f"批次状态为“{batch.get_status_display()}”，审批后才能导出")
    return {"batch": batch.pk, "file": kind}


def _export_describe(params: dict[str, Any]) -> str:
    try:
        batch = _batch(params["batch"])
    except ValidationError:
        return f"文件：{FileKind(params['file']).label}"
    return (f"批次：{batch.number}（{program_label(batch.program)}，{month_label(batch.month)}）；"
            f"文件：{FileKind(params['file']).label}")


def _export(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    batch = _batch(params["batch"])
    bank_file = batch_export(actor=actor, batch=batch, kind=params["file"], progress=progress)
    label = FileKind(params["file"]).label
    return Outcome(
        summary=f"批次 {batch.number} 的{label}已导出：{bank_file.line_count} 笔，"
                f"{format_fen(bank_file.total_fen, grouping=True, unit='元')}，已加密保存",
        url=reverse("payments:batch_file", args=[batch.pk, params["file"]]), link_label=f"下载{label}",
        value=bank_file)


# No job lock key: the services already serialise themselves on the database
# (``batch_run`` locks the month's batch row and a unique constraint refuses a
# second batch; ``batch_export`` locks the batch), and a job lock held by a
# killed command would refuse the re-run that completes its batch for
# ``MINZHENG_JOB_STALE_MINUTES`` (test_crash).
PAYMENTS_BATCH_RUN = JobKind(
    code=BATCH_RUN, label="生成发放批次", permission="payments.prepare", run=_run, clean=_run_clean,
    describe=_run_describe)
PAYMENTS_EXPORT = JobKind(
    code=EXPORT, label="导出发放文件", permission="payments.disburse", run=_export, clean=_export_clean,
    describe=_export_describe)
