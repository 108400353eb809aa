"""Payments pages: batches (run, review, approve, export, returns,
reconciliation), correction list and re-issue, fund ledger with yearly
totals and the closed-loop check, recovery, sampled checks, payee accounts.

Thin views: reads through ``selectors`` (scoped; out of scope → 404), writes
through the services; service errors become messages on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.permissions import NotPermitted, can
from minzheng.core.scope import OutOfScope
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
from minzheng.payments.ledgers import ledger, ledger_workbook, yearly_totals
from minzheng.payments.models import (
    BatchStatus,
    CheckOutcome,
    FileKind,
    SamplePurpose,
)
from minzheng.payments.reconciliation import batch_reconcile, closed_loop_problems, reconcile
from minzheng.payments.recovery import (
    balance,
    balances,
    receivable_repay,
    recovery_scan,
    writeoff_decide,
    writeoff_propose,
)
from minzheng.payments.returns import returns_import
from minzheng.payments.sampling import draw_report, draw_reproduce, sample_case_record, sample_draw
from policy import PROGRAMS
from policy.money import parse_yuan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(err: Exception) -> str:
    return "；".join(getattr(err, "messages", None) or [str(err)])


def _attempt(request: HttpRequest, call: Callable[[], object], success: str) -> object | None:
    try:
        result = call()
    except OutOfScope as err:
        raise Http404("未找到该记录") from err
    except ValidationError as err:  # a wrong role (PermissionDenied) is the 403 page
        messages.error(request, _errors(err))
        return None
    messages.success(request, success)
    return result if result is not None else True


def _get(call: Callable[[], object]):
    try:
        return call()
    except (ObjectDoesNotExist, ValueError) as err:
        raise Http404("未找到该记录") from err


def _cents(text: str) -> int:
    try:
        return parse_yuan(text)
    except ValueError as err:
        raise ValidationError(f"金额“{text}”无效：{err}") from err


def _programs() -> list[tuple[str, str]]:
    return [(pid, p.label) for pid, p in PROGRAMS.items() if p.pays_cash]


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        result = _attempt(request, lambda: batch_run(actor=request.user, program=request.POST.get("program", ""),
                                                     month=request.POST.get("month", "")), "批次已生成或已补充")
        if result:
            return redirect("payments:batch_detail", pk=result.batch.pk)
        return redirect("payments:batch_list")
    qs = selectors.batch_list(request.user, program=request.GET.get("program", ""), month=request.GET.get("month", ""),
                              status=request.GET.get("status", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    totals = selectors.batch_scope_totals(request.user, list(page))
    for batch in page:
        batch.label = program_label(batch.program)
        batch.scope_totals = totals.get(batch.pk, {"count": 0, "amount_fen": 0})
    return render(request, "payments/batch_list.html", {
        "page": page, "programs": _programs(), "statuses": BatchStatus.choices,
        "can_run": can(request.user, "payments.prepare"), "district": selectors.district_wide(request.user), "default_month": dt.date.today().strftime("%Y-%m")})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    lines = selectors.batch_lines(request.user, batch)
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    district = selectors.district_wide(request.user)
    return render(request, "payments/batch_detail.html", {
        "batch": batch, "label": program_label(batch.program), "page": page, "district": district,
        "scope_totals": selectors.batch_scope_totals(request.user, [batch]).get(
            batch.pk, {"count": 0, "amount_fen": 0}),
        "reconciliation": reconcile(batch, selectors.lines_visible(request.user).filter(batch=batch)),
        "events": selectors.batch_events(batch) if district else [],
        "files": batch.files.all() if district else [],
        "is_bureau": can(request.user, "payments.prepare") and district, "file_kinds": FileKind.choices})


ACTIONS = {
    "review": (lambda r, b: batch_review(actor=r.user, batch=b, note=r.POST.get("note", "")), "已复核"),
    "approve": (lambda r, b: batch_approve(actor=r.user, batch=b, note=r.POST.get("note", "")), "已审批"),
    "reject": (lambda r, b: batch_reject(actor=r.user, batch=b, reason=r.POST.get("note", "")), "已退回草稿"),
    "reconcile": (lambda r, b: batch_reconcile(actor=r.user, batch=b, note=r.POST.get("note", "")), "已对账"),
    "discard": (lambda r, b: batch_discard(actor=r.user, batch=b, reason=r.POST.get("note", "")), "草稿已作废"),
}


@login_required
@require_POST
def batch_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    if action not in ACTIONS:
        raise Http404("未知操作")
    call, success = ACTIONS[action]
    done = _attempt(request, lambda: call(request, batch), success)
    if done and action == "discard":
        return redirect("payments:batch_list")
    return redirect("payments:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_export_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Export (once) a file of an approved batch — a state change, so POST only;
    the file is then downloaded from the batch page."""
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    if kind not in FileKind.values:
        raise Http404("未知文件")
    _attempt(request, lambda: batch_export(actor=request.user, batch=batch, kind=kind),
             f"已导出{FileKind(kind).label}，可在下方“已导出文件”中下载")
    return redirect("payments:batch_detail", pk=batch.pk)


@login_required
def batch_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Download an already exported file (bureau and audit staff; audited).
    Never exports: a batch not yet exported answers with a message."""
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    if kind not in FileKind.values:
        raise Http404("未知文件")
    try:
        _, content = file_download(actor=request.user, batch=batch, kind=kind)
    except ValidationError as err:
        messages.error(request, _errors(err))
        return redirect("payments:batch_detail", pk=batch.pk)
    extension, content_type = ("csv", "text/csv; charset=utf-8") if kind == FileKind.BANK_CSV else ("xlsx", XLSX)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-{kind}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def batch_returns(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择银行回盘文件")
    else:
        _attempt(request, lambda: returns_import(actor=request.user, batch=batch, filename=upload.name,
                                                 content=upload.read()), "回盘已导入")
    return redirect("payments:batch_detail", pk=batch.pk)


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            batch = reissue_batch_create(actor=request.user, program=request.POST.get("program", ""),
                                         month=request.POST.get("month", ""))
        except ValidationError as err:
            messages.error(request, _errors(err))
            return redirect("payments:corrections")
        if batch is None:
            messages.info(request, "没有已更正账户、可以重发的失败明细")
            return redirect("payments:corrections")
        messages.success(request, f"已生成重发批次 {batch.number}，请复核、审批")
        return redirect("payments:batch_detail", pk=batch.pk)
    lines = list(selectors.corrections_list(request.user))
    return render(request, "payments/corrections.html", {
        "lines": lines, "is_bureau": can(request.user, "payments.prepare"),
        "default_month": dt.date.today().strftime("%Y-%m"), "programs": sorted({line.program for line in lines})})


@login_required
def ledger_view(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("year", "month", "program", "street")}
    if not filters["year"] and not filters["month"]:
        filters["year"] = str(dt.date.today().year)
    data = ledger(request.user, **filters)
    if request.GET.get("format") == "xlsx":
        title = f"资金台账 {filters['month'] or filters['year'] + '年'} {program_label(filters['program']) if filters['program'] else ''}"
        response = HttpResponse(ledger_workbook(data, title), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
        return response
    problems = closed_loop_problems(selectors.batch_list(request.user)) if selectors.district_wide(
        request.user) else []
    return render(request, "payments/ledger.html", {
        "data": data, "filters": filters, "programs": _programs(), "problems": problems,
        "yearly": yearly_totals(request.user, (filters["month"] or filters["year"])[:4])})


@login_required
def recovery_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        result = _attempt(request, lambda: recovery_scan(actor=request.user), "追缴核查完成")
        if isinstance(result, dict):
            messages.info(request, f"新增应追缴 {result['charges']} 笔，涉及 {result['persons']} 人")
        return redirect("payments:recovery_list")
    receivables = list(selectors.receivables_visible(request.user).select_related("person", "committee")[:500])
    amounts = balances([r.pk for r in receivables])
    for r in receivables:
        r.balance_fen = amounts.get(r.pk, 0)
    return render(request, "payments/recovery_list.html", {"receivables": receivables,
                                                           "is_bureau": can(request.user, "payments.recovery_scan")})


@login_required
def receivable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    receivable = _get(lambda: selectors.receivable_get(request.user, pk))
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "repay":
            _attempt(request, lambda: receivable_repay(actor=request.user, receivable=receivable,
                                                       amount_fen=_cents(request.POST.get("amount", "")),
                                                       reference=request.POST.get("reference", ""),
                                                       note=request.POST.get("note", "")), "已登记退回")
        elif what == "writeoff":
            _attempt(request, lambda: writeoff_propose(actor=request.user, receivable=receivable,
                                                       amount_fen=_cents(request.POST.get("amount", "")),
                                                       reason=request.POST.get("note", "")), "核销已提交审批")
        elif what in ("approve", "refuse"):
            entry = _get(lambda: selectors.entry_get(request.user, int(request.POST.get("entry", "0"))))
            _attempt(request, lambda: writeoff_decide(actor=request.user, entry=entry, approve=what == "approve"),
                     "已审批核销" if what == "approve" else "已不予核销")
        return redirect("payments:receivable_detail", pk=receivable.pk)
    return render(request, "payments/receivable_detail.html", {
        "receivable": receivable, "entries": selectors.receivable_entries(receivable),
        "balance_fen": balance(receivable), "is_bureau": can(request.user, "payments.writeoff_approve")})


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        per_street, seed = request.POST.get("per_street", "").strip(), request.POST.get("seed", "").strip()
        if not per_street.isascii() or not per_street.isdigit():
            messages.error(request, f"每街镇抽取数“{per_street}”无效：请填写1到1000之间的整数")
            return redirect("payments:sample_list")
        if seed and not (seed.isascii() and seed.isdigit()):
            messages.error(request, f"随机种子“{seed}”无效：请填写非负整数，或留空由系统生成")
            return redirect("payments:sample_list")
        draw = _attempt(request, lambda: sample_draw(
            actor=request.user, purpose=request.POST.get("purpose", ""), month=request.POST.get("month", ""),
            per_street=int(per_street), program=request.POST.get("program", ""),
            seed=int(seed) if seed else None), "已抽样")
        if draw:
            return redirect("payments:sample_detail", pk=draw.pk)
        return redirect("payments:sample_list")
    return render(request, "payments/sample_list.html", {
        "draws": selectors.draws_visible(request.user)[:100], "purposes": SamplePurpose.choices,
        "programs": _programs(), "is_bureau": can(request.user, "payments.sample_draw"),
        "default_month": dt.date.today().strftime("%Y-%m")})


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _get(lambda: selectors.draw_get(request.user, pk))
    if request.method == "POST":
        case = _get(lambda: selectors.sample_case_get(request.user, int(request.POST.get("case", "0"))))
        _attempt(request, lambda: sample_case_record(actor=request.user, case=case,
                                                     outcome=request.POST.get("outcome", ""),
                                                     finding=request.POST.get("finding", ""),
                                                     checked_on=dt.date.today()), "已记录核查结果")
        return redirect("payments:sample_detail", pk=draw.pk)
    cases = selectors.draw_cases(request.user, draw)
    district = selectors.district_wide(request.user)
    if request.GET.get("reproduce") and not district:
        raise NotPermitted("payments.district_view", "重新抽取比对涉及全区抽样总体，仅限区民政局、审计督查人员")
    return render(request, "payments/sample_detail.html", {
        "draw": draw, "cases": cases, "report": draw_report(cases), "outcomes": CheckOutcome.choices,
        "can_reproduce": district, "reproduced": draw_reproduce(draw) if request.GET.get("reproduce") else None})


@login_required
def person_accounts(request: HttpRequest, person_id: int) -> HttpResponse:
    person, accounts = _get(lambda: selectors.person_accounts(request.user, person_id))
    if request.method == "POST":
        _attempt(request, lambda: account_register(actor=request.user, person=person,
                                                   bank_name=request.POST.get("bank_name", ""),
                                                   holder_name=request.POST.get("holder_name", ""),
                                                   number=request.POST.get("number", ""),
                                                   reason=request.POST.get("reason", "")), "账户已登记")
        return redirect("payments:person_accounts", person_id=person.pk)
    return render(request, "payments/person_accounts.html", {"person": person, "accounts": accounts})
