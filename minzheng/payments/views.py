"""Payments pages: batches (run, review, approve, export, returns,
reconciliation), correction list and re-issue, fund ledger with yearly
totals and the closed-loop check, recovery, sampled checks, payee accounts.

Thin views: reads through ``selectors`` (scoped; out of scope → 404), writes
through the services; service errors become messages on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from minzheng.core.audit import audit_record
from minzheng.core.bounds import upload_check
from minzheng.core.lists import StaffListView
from minzheng.core.months import month_label
from minzheng.core.permissions import NotPermitted, can
from minzheng.core.scope import OutOfScope
from minzheng.jobs.models import Job
from minzheng.jobs.services import job_start
from minzheng.payments import filters, forms, selectors, steps, tables
from minzheng.payments.accounts import account_register
from minzheng.payments.bank_files import file_download
from minzheng.payments.batches import (
    batch_approve,
    batch_discard,
    batch_reject,
    batch_review,
    reissue_batch_create,
)
from minzheng.payments.death_holds import HOLDABLE_STATUSES, hold_release
from minzheng.payments.jobs import PAYMENTS_BATCH_RUN, PAYMENTS_EXPORT
from minzheng.payments.labels import program_label
from minzheng.payments.ledgers import SUMS, ledger, ledger_entries, ledger_workbook, yearly_totals
from minzheng.payments.models import (
    BatchEvent,
    BatchStatus,
    FileKind,
    OneOffPayment,
    PaymentBatch,
    PaymentLine,
    Receivable,
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
from minzheng.payments.settlement import (
    CHARGE,
    NOTHING,
    REVIEW,
    TOPUP,
    SettlementPlan,
    plan_label,
    settlement_apply,
    settlement_plan,
)
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


class BatchListView(StaffListView):
    """发放批次: the batches the user may see (district staff: all, with
    control totals; others: those with lines in their jurisdiction). The
    bureau starts a batch by choosing a program from its Chinese label and a
    month (a typed program code is never asked for)."""

    title = "救助资金发放批次"
    export_name = "发放批次"
    table_class = tables.BatchTable
    filterset_class = filters.BatchFilter
    template_name = "payments/batch_list.html"

    def rows(self) -> QuerySet[PaymentBatch]:
        return selectors.batch_list_with_scope_totals(self.request.user)

    def get_table_kwargs(self) -> dict:
        if selectors.district_wide(self.request.user):
            return {}
        return {"exclude": ("control_count", "control_total_fen")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can(self.request.user, "payments.prepare"):
            context["run_form"] = kwargs.get("run_form") or forms.BatchRunForm()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.BatchRunForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("payments:batch_list")
        data = form.cleaned_data
        # A background job (ADR 0017) run as this staff member, the batch's preparer.
        job = _attempt(request, lambda: job_start(actor=request.user, kind=PAYMENTS_BATCH_RUN.code,
                                                  params={"program": data["program"], "month": data["month"]}),
                       f"{program_label(data['program'])}{month_label(data['month'])}批次正在后台生成，本页显示进度。")
        if isinstance(job, Job):
            return redirect("jobs:detail", pk=job.pk)
        return redirect("payments:batch_list")


batch_list = BatchListView.as_view()

STATUS_LABELS = dict(BatchStatus.choices)


def _events(batch: PaymentBatch) -> list[dict]:
    """The batch's history with status labels (never the stored codes)."""
    return [{"at": e.at, "actor": e.actor, "note": "" if e.note == "生成批次" else e.note,
             "change": f"{STATUS_LABELS.get(e.from_status, '生成')} → {STATUS_LABELS.get(e.to_status, '')}"
             if e.from_status else f"生成批次（{STATUS_LABELS.get(e.to_status, '')}）"}
            for e in selectors.batch_events(batch) if isinstance(e, BatchEvent)]


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    lines = tables.LineTable(selectors.batch_lines(request.user, batch).select_related("corrects__batch"))
    RequestConfig(request, paginate={"per_page": 50}).configure(lines)
    district = selectors.district_wide(request.user)
    files = list(batch.files.all()) if district else []
    may = steps.allowed(request.user, batch, district=district)
    exported_kinds = {f.kind for f in files}
    return render(request, "payments/batch_detail.html", {
        "batch": batch, "label": program_label(batch.program), "lines": lines, "district": district,
        "scope_totals": selectors.batch_scope_totals(request.user, [batch]).get(
            batch.pk, {"count": 0, "amount_fen": 0}),
        "reconciliation": reconcile(batch, selectors.lines_visible(request.user).filter(batch=batch)),
        "events": _events(batch) if district else [], "files": files, "steps": steps.timeline(batch),
        "may": may, "status_tone": tables.STATUS_TONES.get(batch.status, "secondary"),
        "export_kinds": [(k, label) for k, label in FileKind.choices if k not in exported_kinds] if may.export else [],
        "skipped": sorted(batch.skipped.items()) if district and batch.skipped else [],
        "holds": list(selectors.batch_holds(request.user, batch)),
        "may_release": can(request.user, "payments.hold_release") and batch.status in HOLDABLE_STATUSES})


@login_required
@require_POST
def hold_release_view(request: HttpRequest, pk: int, hold_pk: int) -> HttpResponse:
    """解除暂停发放 (bureau; reason required; audited)."""
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    hold = _get(lambda: selectors.hold_get(request.user, batch, hold_pk))
    _attempt(request, lambda: hold_release(actor=request.user, hold=hold, reason=request.POST.get("reason", "")),
             f"第 {hold.line.seq} 笔已解除暂停，随本批次发放")
    return redirect("payments:batch_detail", pk=batch.pk)


class OneOffListView(StaffListView):
    """一次性补贴: requests queued by domain apps (e.g. funeral subsidies) and
    what became of them; a payee without an account waits with the reason.
    The batch itself is generated from 发放批次 (choose the subsidy)."""

    title = "一次性补贴发放申请"
    export_name = "一次性补贴发放申请"
    permission = "payments.view"
    table_class = tables.OneOffTable
    filterset_class = filters.OneOffFilter
    template_name = "payments/one_off_list.html"

    def rows(self) -> QuerySet[OneOffPayment]:
        return selectors.one_off_list(self.request.user)


one_off_list = OneOffListView.as_view()


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
    """Export (once) a file of an approved batch — a state change, so POST only.
    A background job (ADR 0017): the page answers with the job's page, whose
    result offers the download (also listed on the batch page)."""
    batch = _get(lambda: selectors.batch_get(request.user, pk))
    if kind not in FileKind.values:
        raise Http404("未知文件")
    job = _attempt(request, lambda: job_start(actor=request.user, kind=PAYMENTS_EXPORT.code,
                                              params={"batch": batch.pk, "file": kind}),
                   f"正在后台导出{FileKind(kind).label}，完成后可在本页下载。")
    if isinstance(job, Job):
        return redirect("jobs:detail", pk=job.pk)
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
        def run():
            upload_check(upload)  # before reading it
            return returns_import(actor=request.user, batch=batch, filename=upload.name, content=upload.read())

        _attempt(request, run, "回盘已导入")
    return redirect("payments:batch_detail", pk=batch.pk)


class CorrectionListView(StaffListView):
    """失败待更正: failed lines not yet re-issued, in scope; the bureau
    generates a re-issue batch for one of their programs."""

    title = "银行退回、待更正账户的发放"
    export_name = "失败待更正"
    table_class = tables.CorrectionTable
    filterset_class = filters.CorrectionFilter
    template_name = "payments/corrections.html"

    def rows(self) -> QuerySet[PaymentLine]:
        return selectors.corrections_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can(self.request.user, "payments.prepare"):
            programs = sorted(set(selectors.corrections_list(self.request.user).values_list("program", flat=True)))
            if programs:
                context["reissue_form"] = forms.ReissueForm(programs=[(p, program_label(p)) for p in programs])
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
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


corrections = CorrectionListView.as_view()


class LedgerView(StaffListView):
    """资金台账 by payment month, street and program with fund sources (lines
    of approved batches in scope), the year's totals and, for district staff,
    the closed-loop check. The Excel export is the ledger workbook (with its
    total row), audited like every list export."""

    title = "救助资金台账"
    export_name = "资金台账"
    table_class = tables.LedgerTable
    filterset_class = filters.LedgerFilter
    template_name = "payments/ledger.html"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs.get("data") is not None else QueryDict(mutable=True)
        if not data.get("year") and not data.get("month"):
            data["year"] = str(dt.date.today().year)  # this year unless a year or month is chosen
        kwargs["data"] = data
        return kwargs

    def rows(self) -> QuerySet:
        return (ledger_entries(self.request.user).values("batch__month", "street_id", "street__name", "program")
                .annotate(**SUMS).order_by("batch__month", "street_id", "program"))

    def _filters(self) -> dict[str, str]:
        data = self.filterset.form.cleaned_data if self.filterset.is_bound and self.filterset.is_valid() else {}
        month = data.get("month") or ""
        return {"year": "" if month else (data.get("year") or ""), "month": month, "program": data.get("program") or ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        f = self._filters()
        data = ledger(self.request.user, **f)
        context.update(totals=data.totals, yearly=yearly_totals(self.request.user, (f["month"] or f["year"] or str(dt.date.today().year))[:4]),
                       problems=closed_loop_problems(selectors.batch_list(self.request.user))
                       if selectors.district_wide(self.request.user) else [])
        return context

    def create_export(self, export_format: str) -> HttpResponse:
        f = self._filters()
        data = ledger(self.request.user, **f)
        period = f["month"] or (f["year"] + "年" if f["year"] else "")
        title = f"资金台账 {period} {program_label(f['program']) if f['program'] else ''}".strip()
        audit_record(actor=self.request.user, action="core.list.export", object_type="list", object_id=self.export_name,
                     changes={"filters": f, "rows": len(data.rows), "format": export_format})
        response = HttpResponse(ledger_workbook(data, title), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.get_export_filename('xlsx'))}"
        return response


ledger_view = LedgerView.as_view()


class RecoveryListView(StaffListView):
    """多发资金追缴: receivables in scope with their balances; the bureau runs the check."""

    title = "多发资金追缴"
    export_name = "应追缴清单"
    table_class = tables.ReceivableTable
    filterset_class = filters.ReceivableFilter
    template_name = "payments/recovery_list.html"

    def rows(self) -> QuerySet[Receivable]:
        return selectors.receivables_with_balance(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_bureau"] = can(self.request.user, "payments.recovery_scan")
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        result = _attempt(request, lambda: recovery_scan(actor=request.user), "追缴核查完成")
        if isinstance(result, dict):
            messages.info(request, f"新增应追缴 {result['charges']} 笔，涉及 {result['persons']} 人")
        return redirect("payments:recovery_list")


recovery_list = RecoveryListView.as_view()


class SettlementView(StaffListView):
    """重新测算差额处理: after a re-computation is stored, choose a program and
    months → the plan (``settlement.settlement_plan``, scoped to the user's
    jurisdiction, writes nothing) → 「确认处理」 (``settlement_apply``:
    top-ups into the program's draft batch, charges into the receivables).
    The confirmation carries the digest of the plan shown, so a plan that
    changed meanwhile is refused rather than executed unseen."""

    title = "重新测算差额处理"
    export_name = "重新测算差额处理"
    table_class = tables.SettlementTable
    filterset_class = filters.SettlementFilter
    template_name = "payments/settlement.html"
    strict = False  # the plan's own inputs are checked by the service (its message is shown)
    plan: SettlementPlan | None = None
    plan_error = ""

    def rows(self) -> list:
        get = self.request.GET
        program, first, last = get.get("program", ""), get.get("first", ""), get.get("last", "")
        if not (program and first and last):
            return []
        try:
            self.plan = settlement_plan(self.request.user, program=program, first=first, last=last)
        except ValidationError as err:
            self.plan_error = _errors(err)
            return []
        return self.plan.rows

    def get_table_kwargs(self) -> dict:
        if self.plan is None:
            return {"empty_text": self.plan_error or "请选择救助项目和起止月份，查看差额处理清单"}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        user = self.request.user
        context.update(plan=plan, plan_error=self.plan_error)
        if plan is not None:
            context.update(
                label=program_label(plan.program), facts=_settlement_facts(plan), confirm_text=plan_label(plan) + "。确认处理？",
                may_confirm=plan.actionable and (not plan.of(TOPUP) or can(user, "payments.prepare"))
                and (not plan.of(CHARGE) or can(user, "payments.recovery_scan")))
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        program, first, last = (request.POST.get(k, "") for k in ("program", "first", "last"))
        result = _attempt(request, lambda: settlement_apply(actor=request.user, program=program, first=first,
                                                            last=last, expected_digest=request.POST.get("digest", "")),
                          "差额已处理")
        if result is not None and not isinstance(result, bool):
            done = []
            if result.topups:
                done.append(f"批次 {result.batch.number} 加补差明细 {result.topups} 笔（请另一位工作人员复核、审批）")
            if result.charges:
                done.append(f"记应追缴 {result.charges} 笔")
            messages.info(request, "；".join(done) or "没有需要处理的差额")
        query = QueryDict(mutable=True)
        query.update({"program": program, "first": first, "last": last})
        return redirect(f"{request.path}?{query.urlencode()}")


settlement = SettlementView.as_view()


def _settlement_facts(plan: SettlementPlan) -> list[tuple[str, str]]:
    from minzheng.core.templatetags.minzheng_format import yuan

    counts = plan.counts
    return [("补差", f"{counts[TOPUP]} 笔，{yuan(plan.topup_fen)}"), ("追缴", f"{counts[CHARGE]} 笔，{yuan(plan.charge_fen)}"),
            ("需复核", f"{counts[REVIEW]} 笔"), ("无需处理", f"{counts[NOTHING]} 笔"),
            ("金额一致", f"{plan.unchanged} 笔")]


def _labelled(entries) -> list:
    """Entries with their program's Chinese label (never the code)."""
    entries = list(entries)
    for entry in entries:
        entry.program_label = program_label(entry.program) if entry.program else ""
    return entries


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
        "receivable": receivable, "entries": _labelled(selectors.receivable_entries(receivable)),
        "balance_fen": balance(receivable), "is_bureau": can(request.user, "payments.writeoff_approve")})


class SampleListView(StaffListView):
    """抽样核查: the draws; the bureau draws a new sample (type, month, program by label)."""

    title = "抽样核查（百户调查 / 专项检查）"
    export_name = "抽样核查"
    table_class = tables.SampleDrawTable
    filterset_class = filters.SampleDrawFilter
    template_name = "payments/sample_list.html"

    def rows(self):
        return selectors.draws_visible(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can(self.request.user, "payments.sample_draw"):
            context["draw_form"] = forms.SampleDrawForm()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        per_street, seed = request.POST.get("per_street", "").strip(), request.POST.get("seed", "").strip()
        if not per_street.isascii() or not per_street.isdigit() or len(per_street) > 4:
            messages.error(request, f"每街镇抽取数“{per_street[:20]}”无效：请填写1到1000之间的整数")
            return redirect("payments:sample_list")
        if seed and not (seed.isascii() and seed.isdigit()):
            messages.error(request, f"随机种子“{seed[:20]}”无效：请填写非负整数，或留空由系统生成")
            return redirect("payments:sample_list")
        draw = _attempt(request, lambda: sample_draw(
            actor=request.user, purpose=request.POST.get("purpose", ""), month=request.POST.get("month", ""),
            per_street=int(per_street), program=request.POST.get("program", ""),
            seed=seed or None), "已抽样")  # the service checks the seed's range (a BIGINT)
        if draw:
            return redirect("payments:sample_detail", pk=draw.pk)
        return redirect("payments:sample_list")


sample_list = SampleListView.as_view()


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
    case_qs = selectors.draw_cases(request.user, draw)
    cases = list(case_qs)
    households = selectors.draw_case_households(request.user, cases)
    for case in cases:
        case.household = households.get(case.pk)
    district = selectors.district_wide(request.user)
    if request.GET.get("reproduce") and not district:
        raise NotPermitted("payments.district_view", "重新抽取比对涉及全区抽样总体，仅限区民政局、审计督查人员")
    return render(request, "payments/sample_detail.html", {
        "draw": draw, "cases": cases, "report": draw_report(case_qs), "outcomes": forms.OUTCOME_CHOICES,
        "program": program_label(draw.program) if draw.program else "全部项目",
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
