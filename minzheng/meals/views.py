"""Pages of the meal assistance (老年人助餐, ADR 0032): the overview (rates,
imports, settling), a canteen's counter, the imports with their quarantined
rows, the records, the settlements with the Excel statement and approval.
Thin views over ``selectors`` and ``services``; reads scoped (out of scope →
404), actions guarded (wrong role → 403), broken rules shown as messages.
Big files and the settlement of every canteen run as background jobs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.audit import audit_record
from minzheng.core.lists import StaffListView
from minzheng.core.months import month_label, month_of, month_shift
from minzheng.core.permissions import can, require
from minzheng.core.personal_data import decrypt
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt, error_text
from minzheng.jobs.services import job_start, upload_discard, upload_store
from minzheng.meals import selectors, services
from minzheng.meals.daily_files import template_csv, template_xlsx
from minzheng.meals.filters import RecordFilter, SettlementFilter
from minzheng.meals.forms import CounterForm, PaymentForm, SettleForm, UploadForm
from minzheng.meals.jobs import MEALS_IMPORT, MEALS_SETTLE
from minzheng.meals.models import MealRecord, SettlementStatus
from minzheng.meals.statement import statement_xlsx
from minzheng.meals.tables import RecordTable, SettlementTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 200 * 1024 * 1024


def _scoped(call):
    try:
        return call()
    except OutOfScope as err:
        raise Http404("未找到该记录") from err


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, "meals.view")
    user = request.user
    canteens = list(selectors.canteens_visible(user).order_by("street_id", "name"))
    month = month_of(timezone.localdate())
    return render(request, "meals/index.html", {
        "canteens": canteens, "month_label": month_label(month),
        "totals": selectors.totals(selectors.records_visible(user).filter(day__gte=f"{month}-01")),
        "rates": selectors.rates_all(), "imports": selectors.imports_visible(user)[:10],
        "can_record": can(user, "meals.record"), "can_settle": can(user, "meals.settle"),
        "upload_form": UploadForm(canteens=canteens),
        "settle_form": SettleForm(initial={"month": month_shift(month, -1)}),
    })


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, "meals.view")
    if fmt == "xlsx":
        data, content_type = template_xlsx(), XLSX
    elif fmt == "csv":
        data, content_type = template_csv(), "text/csv; charset=utf-8"
    else:
        raise Http404("未找到该模板")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'助餐点每日用餐记录模板.{fmt}')}"
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Store the file and queue the import as a background job (ADR 0017)."""
    require(request.user, "meals.record")
    canteens = list(selectors.canteens_visible(request.user))
    form = UploadForm(request.POST, request.FILES, canteens=canteens)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("meals:index")
    upload_file = form.cleaned_data["file"]
    if upload_file.size > MAX_UPLOAD:
        messages.error(request, "文件超过 200 MB，请按月或按日拆分后导入")
        return redirect("meals:index")
    stored = upload_store(actor=request.user, name=upload_file.name, content=upload_file.read())
    try:
        job = job_start(actor=request.user, kind=MEALS_IMPORT.code,
                        params={"canteen": form.cleaned_data["canteen"], "upload": stored.pk})
    except ValidationError as err:
        upload_discard(stored)
        messages.error(request, error_text(err))
        return redirect("meals:index")
    messages.success(request, f"文件已上传，正在后台校验并导入（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def settle(request: HttpRequest) -> HttpResponse:
    """Settle every canteen in sight for a month, as a background job."""
    require(request.user, "meals.settle")
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("meals:index")
    try:
        services.settlement_month_check(form.cleaned_data["month"], timezone.localdate())
        job = job_start(actor=request.user, kind=MEALS_SETTLE.code, params={"month": form.cleaned_data["month"]})
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("meals:index")
    messages.success(request, f"正在后台结算（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


def _counter_person(request: HttpRequest, canteen, who: str) -> tuple[str, str] | None:
    """(ID number, name) for the counter: an ID number as typed, or a name
    found among this canteen's own diners (never a search of the registry)."""
    who = who.strip()
    if any(ch.isdigit() for ch in who):
        return who, ""
    people = {r.person_id: r.person for r in MealRecord.objects.filter(canteen=canteen, person__name=who)
              .select_related("person")[:50]}
    if len(people) == 1:
        person = next(iter(people.values()))
        return decrypt(person.id_number_enc), person.name
    messages.error(request, f"本助餐点就餐老人中有 {len(people)} 位名为“{who}”，请输入身份证号"
                   if people else f"本助餐点就餐老人中没有“{who}”，首次就餐请输入身份证号")
    return None


@login_required
def counter(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meals.view")
    canteen = _scoped(lambda: selectors.canteen_get(request.user, pk))
    form = CounterForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "meals.record")
        if form.is_valid():
            found = _counter_person(request, canteen, form.cleaned_data["who"])
            if found is not None:
                result: dict[str, Any] = {}

                def record() -> None:
                    result["record"] = services.meal_counter_record(
                        actor=request.user, canteen_id=canteen.pk, id_number=found[0], name=found[1],
                        day=form.cleaned_data["day"], slot=form.cleaned_data["slot"], kind=form.cleaned_data["kind"])

                if attempt(request, record, "已登记"):
                    r = result["record"]
                    if r is None:
                        messages.info(request, "该老人本餐次已登记，未重复记录")
                    elif not r.subsidised:
                        messages.warning(request, f"{r.person.name}：已登记，不予补贴（{r.reason}）")
                    else:
                        messages.success(request, f"{r.person.name}：补贴 {r.subsidy_fen / 100:.2f} 元")
                    return redirect("meals:counter", pk=canteen.pk)
    day = timezone.localdate()
    today = selectors.canteen_day(canteen, day)
    return render(request, "meals/counter.html", {
        "canteen": canteen, "form": form, "records": today[:100], "totals": selectors.totals(today),
        "can_record": can(request.user, "meals.record"), "day": day,
    })


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "meals.view")
    return render(request, "meals/import_list.html", {"imports": selectors.imports_visible(request.user)[:200]})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meals.view")
    meal_import = _scoped(lambda: selectors.import_get(request.user, pk))
    return render(request, "meals/import_detail.html", {
        "meal_import": meal_import,
        "rows": [(q.row_number, q.reason, q.values.get("姓名", ""), q.values.get("身份证号", ""),
                  q.values.get("用餐日期", "")) for q in selectors.import_quarantine(meal_import)[:1000]]})


class RecordListView(StaffListView):
    permission = "meals.view"
    title = "助餐记录"
    export_name = "助餐记录"
    table_class = RecordTable
    filterset_class = RecordFilter

    def rows(self):
        return selectors.records_visible(self.request.user).order_by("-day", "-id")


record_list = RecordListView.as_view()


class SettlementListView(StaffListView):
    permission = "meals.view"
    title = "助餐月度结算"
    export_name = "助餐月度结算"
    table_class = SettlementTable
    filterset_class = SettlementFilter

    def rows(self):
        return selectors.settlements_visible(self.request.user).order_by("-month", "canteen__name")


settlement_list = SettlementListView.as_view()


@login_required
def settlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meals.view")
    settlement = _scoped(lambda: selectors.settlement_get(request.user, pk))
    return render(request, "meals/settlement_detail.html", {
        "s": settlement, "month_label": month_label(settlement.month),
        "anomalies": sorted(settlement.anomalies.items()),
        "can_approve": can(request.user, "meals.approve") and settlement.status == SettlementStatus.PREPARED,
        "can_pay": (can(request.user, "meals.approve") and settlement.status == SettlementStatus.APPROVED
                    and settlement.total_fen > 0),
        "pay_form": PaymentForm(),
    })


@login_required
@require_POST
def settlement_pay(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _scoped(lambda: selectors.settlement_get(request.user, pk))
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    else:
        attempt(request, lambda: services.settlement_payment_request(
            actor=request.user, settlement_id=settlement.pk, bank_name=form.cleaned_data["bank_name"],
            account_number=form.cleaned_data["account_number"]), "已申请拨付，待纳入一次性补贴发放批次")
    return redirect("meals:settlement_detail", pk=settlement.pk)


@login_required
@require_POST
def settlement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _scoped(lambda: selectors.settlement_get(request.user, pk))
    attempt(request, lambda: services.settlement_approve(actor=request.user, settlement_id=settlement.pk),
            "结算已审批")
    return redirect("meals:settlement_detail", pk=settlement.pk)


@login_required
def settlement_statement(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "meals.view")
    settlement = _scoped(lambda: selectors.settlement_get(request.user, pk))
    data = statement_xlsx(settlement)
    with transaction.atomic():
        audit_record(actor=request.user, action="meals.statement_export", object_type="Settlement",
                     object_id=settlement.pk, scope_code=settlement.canteen.committee_id,
                     changes={"month": settlement.month})
    response = HttpResponse(data, content_type=XLSX)
    name = f"助餐补贴结算单-{settlement.canteen.name}-{settlement.month}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
