"""Pages of 慈善超市 and 福利彩票 (ADR 0040): the overview by street; the
supermarkets, one supermarket's stock with the donation and distribution
forms and its ledger; donations, distributions and monthly figures (Excel);
the lottery outlets, sales, imports and the fund rate. Reads are scoped by
the selectors (outside → 404), writes go through the services."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.charity import forms, selectors, services
from minzheng.charity.filters import (
    DistributionFilter,
    DonationFilter,
    LedgerFilter,
    OutletFilter,
    SalesFilter,
    SupermarketFilter,
)
from minzheng.charity.lottery_files import template_csv, template_xlsx
from minzheng.charity.models import DonationKind, Item
from minzheng.charity.tables import (
    DistributionTable,
    DonationTable,
    LedgerTable,
    OutletTable,
    SalesTable,
    SupermarketTable,
)
from minzheng.core.audit import audit_record
from minzheng.core.bounds import upload_check, year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.selectors import streets_visible
from minzheng.core.spreadsheets import sheet_append
from minzheng.core.web_actions import attempt, error_text, form_errors, form_valid
from minzheng.registry.selectors import person_get
from policy.money import decimal_to_fen, format_fen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CRUMBS = (("慈善", "/charity/"),)
LOTTERY_CRUMBS = (("福利彩票", "/charity/lottery/"),)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year")
    if not raw:
        return timezone.localdate().year
    try:
        return year_parse(raw)
    except ValidationError as err:  # shown as a message; the page shows this year
        messages.error(request, error_text(err))
        return timezone.localdate().year


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """慈善概览：按街镇的慈善超市、捐赠、发放、受助人次和福利彩票。"""
    require(request.user, "charity.view")
    year = _year(request)
    rows = selectors.overview_by_street(request.user, year)
    lottery = [r.lottery for r in rows if r.lottery is not None]
    missing = sum(r.fund_missing for r in lottery)
    return render(request, "charity/overview.html", {
        "rows": rows, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "show_lottery": can(request.user, "charity.lottery_view"),
        "totals": {"supermarkets": sum(r.supermarkets for r in rows), "donations": sum(r.donations for r in rows),
                   "distributions": sum(r.distributions for r in rows),
                   "money_fen": sum(r.money_fen for r in rows),
                   "sales_fen": sum(r.sales_fen for r in lottery),
                   "fund_fen": None if missing else sum(r.fund_fen for r in lottery), "fund_missing": missing}})


class SupermarketListView(StaffListView):
    permission = "charity.view"
    title = "慈善超市"
    export_name = "慈善超市名册"
    table_class = SupermarketTable
    filterset_class = SupermarketFilter
    template_name = "charity/supermarket_list.html"
    crumbs = CRUMBS

    def rows(self):
        return selectors.supermarkets_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_register"] = can(self.request.user, "charity.register")
        return context


class DonationListView(StaffListView):
    permission = "charity.view"
    title = "慈善超市捐赠"
    export_name = "慈善超市捐赠"
    table_class = DonationTable
    filterset_class = DonationFilter
    crumbs = CRUMBS

    def rows(self):
        return selectors.donations_visible(self.request.user)


class DistributionListView(StaffListView):
    permission = "charity.view"
    title = "慈善超市发放"
    export_name = "慈善超市发放"
    table_class = DistributionTable
    filterset_class = DistributionFilter
    crumbs = CRUMBS

    def rows(self):
        return selectors.distributions_visible(self.request.user)


class LedgerListView(StaffListView):
    permission = "charity.view"
    title = "库存台账"
    export_name = "慈善超市库存台账"
    table_class = LedgerTable
    filterset_class = LedgerFilter

    def rows(self):
        market = selectors.supermarket_get(self.request.user, self.kwargs["pk"])
        self.crumbs = (*CRUMBS, ("慈善超市", "/charity/supermarkets/"), (market.name, f"/charity/supermarkets/{market.pk}/"))
        return selectors.ledger_of(market).select_related("supermarket")


class OutletListView(StaffListView):
    permission = "charity.lottery_view"
    title = "福利彩票销售网点"
    export_name = "福利彩票销售网点"
    table_class = OutletTable
    filterset_class = OutletFilter
    crumbs = LOTTERY_CRUMBS

    def rows(self):
        return selectors.outlets_visible(self.request.user)


class SalesListView(StaffListView):
    permission = "charity.lottery_view"
    title = "福利彩票月销售数据"
    export_name = "福利彩票月销售数据"
    table_class = SalesTable
    filterset_class = SalesFilter
    crumbs = LOTTERY_CRUMBS

    def rows(self):
        return selectors.sales_visible(self.request.user)

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"rates": list(selectors.fund_rates())}


supermarket_list = SupermarketListView.as_view()
donation_list = DonationListView.as_view()
distribution_list = DistributionListView.as_view()
ledger_list = LedgerListView.as_view()
outlet_list = OutletListView.as_view()
sales_list = SalesListView.as_view()


@login_required
def supermarket_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "charity.register")
    streets = list(streets_visible(request.user))
    form = bind_pickers(forms.SupermarketForm(request.POST or None, streets=streets), request.user)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            data = form.cleaned_data
            holder: dict[str, Any] = {}

            def run() -> None:
                holder["m"] = services.supermarket_register(
                    actor=request.user, name=data["name"], operator=data["operator"], street_code=data["street"],
                    committee_code=data["committee"] or None, address=data["address"], opened_on=data["opened_on"])

            if attempt(request, run, "已登记慈善超市"):
                return redirect("charity:supermarket_detail", holder["m"].pk)
    return render(request, "charity/supermarket_new.html", {"form": form}, status=422 if form.errors else 200)


def _donation(request: HttpRequest, market) -> bool:
    form = forms.DonationForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return False
    data = form.cleaned_data
    amount_fen = None
    lines: list[services.GoodsLine] = []
    if data["kind"] == DonationKind.MONEY:
        if data["amount"] is None:
            messages.error(request, "请填写捐赠金额")
            return False
        amount_fen = decimal_to_fen(data["amount"])
    elif data["item"] or data["quantity"]:
        if not data["item"] or not data["quantity"]:
            messages.error(request, "请填写物品和数量")
            return False
        lines = [services.GoodsLine(data["item"], data["quantity"], data["unit"])]
    return attempt(request, lambda: services.donation_record(
        actor=request.user, supermarket=market, kind=data["kind"], donor_kind=data["donor_kind"],
        donor_name=data["donor_name"], received_on=data["received_on"], receipt_no=data["receipt_no"],
        amount_fen=amount_fen, lines=lines, note=data["note"]), "已登记捐赠")


def _distribution(request: HttpRequest, market, stock) -> bool:
    form = bind_pickers(forms.DistributionForm(request.POST, stock=stock), request.user)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return False
    data = form.cleaned_data
    try:
        person = person_get(request.user, data["person"])
    except Exception:  # noqa: BLE001 - missing or outside the jurisdiction: the same answer
        messages.error(request, "请从列表中选择受助人")
        return False
    item = Item.objects.get(pk=data["item"])
    return attempt(request, lambda: services.distribution_record(
        actor=request.user, supermarket=market, person=person, given_on=data["given_on"],
        lines=[(item, data["quantity"])], note=data["note"]), "已登记发放")


@login_required
def supermarket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    market = selectors.supermarket_get(request.user, pk)
    stock = list(selectors.stock_of(market))
    if request.method == "POST":
        require(request.user, "charity.record")
        action = request.POST.get("action")
        ok = (_donation(request, market) if action == "donation"
              else _distribution(request, market, [s for s in stock if s.quantity > 0]) if action == "distribution"
              else False)
        if ok:
            return redirect("charity:supermarket_detail", market.pk)
        stock = list(selectors.stock_of(market))
    today = timezone.localdate()
    user = request.user
    return render(request, "charity/supermarket_detail.html", {
        "market": market, "stock": stock,
        "donations": selectors.donations_visible(user).filter(supermarket=market)[:10],
        "distributions": selectors.distributions_visible(user).filter(supermarket=market)[:10],
        "ledger": selectors.ledger_of(market)[:15],
        "donation_form": forms.DonationForm(initial={"received_on": today, "kind": "goods", "donor_kind": "person"}),
        "distribution_form": bind_pickers(forms.DistributionForm(
            initial={"given_on": today}, stock=[s for s in stock if s.quantity > 0]), user),
        "status_form": forms.StatusForm(initial={"status": market.status}),
        "items": Item.objects.order_by("name")[:500],
        "may_record": can(user, "charity.record") and market.status == "operating",
        "may_register": can(user, "charity.register")})


@login_required
@require_POST
def supermarket_status(request: HttpRequest, pk: int) -> HttpResponse:
    market = selectors.supermarket_get(request.user, pk)
    require(request.user, "charity.register")
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        attempt(request, lambda: services.supermarket_status_set(
            actor=request.user, supermarket=market, status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"]), "已改变状态")
    return redirect("charity:supermarket_detail", market.pk)


@login_required
@require_POST
def donation_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    donation = selectors.donation_get(request.user, pk)
    return _reverse_post(request, donation.supermarket_id, lambda reason: services.donation_reverse(
        actor=request.user, donation=donation, reason=reason), "已冲正该捐赠")


@login_required
@require_POST
def distribution_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.distribution_get(request.user, pk)
    return _reverse_post(request, distribution.supermarket_id, lambda reason: services.distribution_reverse(
        actor=request.user, distribution=distribution, reason=reason), "已冲正该发放")


def _reverse_post(request: HttpRequest, supermarket_id: int, reverse, done: str) -> HttpResponse:
    require(request.user, "charity.record")
    form = forms.ReverseForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: reverse(form.cleaned_data["reason"]), done)
    return redirect("charity:supermarket_detail", supermarket_id)


FIGURE_COLUMNS = (("donations", "捐赠笔数"), ("money_fen", "捐赠资金（元）"), ("goods_in", "捐赠物资（件数）"),
                  ("distributions", "发放笔数"), ("goods_out", "发放物资（件数）"), ("persons", "受助人数"))


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    """月度数字：按慈善超市或按街镇，每月的捐赠、发放和受助人数；可导出 Excel。"""
    require(request.user, "charity.view")
    year = _year(request)
    by = "street" if request.GET.get("by") == "street" else "supermarket"
    rows = selectors.monthly_figures(request.user, year, by=by)
    if request.GET.get("_export") == "xlsx":
        return _monthly_xlsx(request, rows, year, by)
    return render(request, "charity/monthly.html", {
        "rows": rows, "year": year, "by": by, "columns": FIGURE_COLUMNS,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


def _monthly_xlsx(request: HttpRequest, rows, year: int, by: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年月度数字"
    sheet_append(sheet, ["慈善超市" if by == "supermarket" else "街镇", "街镇", "月份",
                         *[label for _k, label in FIGURE_COLUMNS]])
    for row in rows:
        for f in [*row.months.values(), row.total]:
            values = [format_fen(getattr(f, k)) if k == "money_fen" else getattr(f, k) for k, _l in FIGURE_COLUMNS]
            sheet_append(sheet, [row.label, row.street, f.month, *values])
    out = io.BytesIO()
    book.save(out)
    audit_record(actor=request.user, action="core.list.export", object_type="list", object_id="慈善超市月度数字",
                 changes={"filters": {"year": year, "by": by}, "rows": len(rows), "format": "xlsx"})
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'慈善超市月度数字-{year}.xlsx')}"
    return response


# --- 福利彩票 -----------------------------------------------------------------------------------

@login_required
def lottery(request: HttpRequest) -> HttpResponse:
    """福利彩票：全年销售额和公益金，按街镇；网点、导入和提取比例的入口。"""
    require(request.user, "charity.lottery_view")
    year = _year(request)
    rows = selectors.lottery_by_street(request.user, year)
    missing = sum(r.fund_missing for r in rows)
    manage = can(request.user, "charity.lottery_manage")
    return render(request, "charity/lottery.html", {
        "rows": rows, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "sales_fen": sum(r.sales_fen for r in rows), "fund_missing": missing,
        "fund_fen": None if missing else sum(r.fund_fen for r in rows), "manage": manage,
        "rates": selectors.fund_rates(), "imports": selectors.imports_visible(request.user)[:10] if manage else [],
        "import_form": forms.ImportForm(), "rate_form": forms.RateForm(),
        "outlet_form": forms.OutletForm(streets=streets_visible(request.user))})


@login_required
@require_POST
def outlet_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "charity.lottery_manage")
    form = forms.OutletForm(request.POST, streets=streets_visible(request.user))
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        attempt(request, lambda: services.outlet_register(actor=request.user, code=form.cleaned_data["code"],
                                                          name=form.cleaned_data["name"],
                                                          street_code=form.cleaned_data["street"],
                                                          address=form.cleaned_data["address"]), "已登记销售网点")
    return redirect("charity:lottery")


@login_required
@require_POST
def rate_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "charity.lottery_manage")
    form = forms.RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        attempt(request, lambda: services.fund_rate_enter(actor=request.user, **form.cleaned_data),
                "已录入公益金提取比例")
    return redirect("charity:lottery")


@login_required
@require_POST
def sales_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "charity.lottery_manage")
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("charity:lottery")
    upload = form.cleaned_data["file"]
    holder: dict[str, Any] = {}

    def run() -> None:
        upload_check(upload)
        holder["o"] = services.sales_import(actor=request.user, data=upload.read(), file_name=upload.name,
                                            mode=form.cleaned_data["mode"],
                                            correction_reason=form.cleaned_data["correction_reason"])

    if not attempt(request, run, "已导入销售数据"):
        return redirect("charity:lottery")
    outcome = holder["o"]
    if outcome.repeated:
        messages.info(request, "该文件已导入过，本次未作任何改变")
    return redirect("charity:import_detail", outcome.sales_import.pk)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.import_get(request.user, pk)
    return render(request, "charity/import_detail.html", {
        "run": run, "rows": run.quarantined.all(),
        "corrections": run.corrections.select_related("sales__outlet")})


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, "charity.lottery_view")
    if fmt == "xlsx":
        data, content_type = template_xlsx(), XLSX
    elif fmt == "csv":
        data, content_type = template_csv(), "text/csv; charset=utf-8"
    else:
        raise Http404("未找到该模板")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'福利彩票月销售数据模板.{fmt}')}"
    return response


