"""Pages of the cemetery register, price control and yearly inspection (ADR 0025).
Thin views over ``selectors`` and ``services``; reads scoped (out of scope → 404),
actions guarded (wrong role → 403), broken rules shown as messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.cemeteries import forms, selectors, services
from minzheng.cemeteries.filters import CemeteryFilter
from minzheng.cemeteries.models import (
    CemeteryStatus,
    ItemResult,
    PlotKind,
    RectificationStatus,
    rectification_status,
)
from minzheng.cemeteries.tables import CemeteryTable
from minzheng.cemeteries.yearly_report import report_pdf, report_workbook, yearly_report
from minzheng.core.audit import audit_record
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2020


class CemeteryListView(StaffListView):
    """公墓和骨灰堂: filters by kind, street and status; counts and eco share per site."""

    permission = "cemeteries.view"
    title = "公墓和骨灰堂"
    export_name = "公墓和骨灰堂清单"
    table_class = CemeteryTable
    filterset_class = CemeteryFilter
    template_name = "cemeteries/cemetery_list.html"

    def rows(self):
        return selectors.cemeteries(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(can_manage=can(user, "cemeteries.manage"), can_cap=can(user, "cemeteries.price_cap"))
        return context


cemetery_list = CemeteryListView.as_view()


def _this_year() -> int:
    return timezone.localdate().year


@login_required
def cemetery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    today = timezone.localdate()
    counts = selectors.counts_by_cemetery([site.pk]).get(site.pk)
    inspections = [(i, selectors.summary(i, today)) for i in site.inspections.select_related("checklist")
                   .prefetch_related("results", "rectifications", "checklist__items").order_by("-year")]
    manage = can(request.user, "cemeteries.manage")
    return render(request, "cemeteries/cemetery_detail.html", {
        "site": site, "counts": counts, "today": today, "sections": selectors.sections(site),
        "price_lines": selectors.price_lines(site, today), "inspections": inspections, "manage": manage,
        "inspect": can(request.user, "cemeteries.inspect"), "planned": site.status == CemeteryStatus.PLANNED,
        "section_form": forms.SectionForm(), "capacity_form": forms.CapacityForm(),
        "record_form": forms.StockRecordForm(), "price_form": forms.PriceForm(initial={"effective_from": today}),
        "plot_kinds": PlotKind.choices})


@login_required
def cemetery_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "cemeteries.manage")
    form = forms.CemeteryForm(request.POST or None, initial={"status": CemeteryStatus.OPEN})
    if request.method == "POST" and form.is_valid():
        try:
            site = services.cemetery_create(actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{site.name}")
            return redirect("cemeteries:cemetery_detail", site.pk)
    return render(request, "cemeteries/cemetery_form.html", {"form": form, "title": "登记公墓或骨灰堂"},
                  status=422 if form.errors else 200)


@login_required
def cemetery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    require(request.user, "cemeteries.manage")
    initial = {f: getattr(site, f) for f in services.CEMETERY_FIELDS}
    form = forms.CemeteryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cemetery_update(actor=request.user, cemetery=site, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, "已保存")
            return redirect("cemeteries:cemetery_detail", site.pk)
    return render(request, "cemeteries/cemetery_form.html", {"form": form, "site": site, "title": f"修改{site.name}"},
                  status=422 if form.errors else 200)


def _form_errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    form = forms.SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        attempt(request, lambda: services.section_create(actor=request.user, cemetery=site, **form.cleaned_data),
                "已添加墓区")
    return redirect("cemeteries:cemetery_detail", site.pk)


@login_required
@require_POST
def capacity_set(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    form = forms.CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("cemeteries:cemetery_detail", site.pk)
    section = site.sections.filter(pk=form.cleaned_data["section"]).first()
    if section is None:
        raise Http404("没有这个墓区")
    attempt(request, lambda: services.stock_set_capacity(
        actor=request.user, section=section, plot_kind=form.cleaned_data["plot_kind"],
        capacity=form.cleaned_data["capacity"]), "已保存容量")
    return redirect("cemeteries:cemetery_detail", site.pk)


@login_required
@require_POST
def stock_record(request: HttpRequest, pk: int) -> HttpResponse:
    stock = selectors.stock_get(request.user, pk)
    form = forms.StockRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        data = form.cleaned_data
        attempt(request, lambda: services.stock_record(actor=request.user, stock=stock, sold=data["sold"] or 0,
                                                       used=data["used"] or 0, reason=data["reason"]),
                "已登记售出和安葬数量")
    return redirect("cemeteries:cemetery_detail", stock.section.cemetery_id)


@login_required
@require_POST
def price_add(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    form = forms.PriceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        data = form.cleaned_data
        attempt(request, lambda: services.price_add(
            actor=request.user, cemetery=site, plot_kind=data["plot_kind"], price_fen=forms.fen(data["price_yuan"]),
            effective_from=data["effective_from"], basis=data["basis"]), "已录入价格")
    return redirect("cemeteries:cemetery_detail", site.pk)


@login_required
def caps(request: HttpRequest) -> HttpResponse:
    """最高限价: the caps (history kept), the bureau's form, and the prices over the cap today."""
    require(request.user, "cemeteries.view")
    today = timezone.localdate()
    commercial = [s for s in selectors.cemeteries(request.user).order_by("name") if s.is_commercial]
    form = forms.CapForm(request.POST or None, sites=commercial, initial={"effective_from": today})
    report = None
    if request.method == "POST":
        require(request.user, "cemeteries.price_cap")
        if form.is_valid():
            data = form.cleaned_data
            site = next((s for s in commercial if s.pk == data["cemetery"]), None)
            try:
                cap, report = services.cap_set(actor=request.user, plot_kind=data["plot_kind"],
                                               cap_fen=forms.fen(data["cap_yuan"]),
                                               effective_from=data["effective_from"], citation=data["citation"],
                                               cemetery=site)
            except ValidationError as err:
                form.add_error(None, error_text(err))
            else:
                messages.success(request, f"已设定限价；{len(report)}项价格超过该限价（见下表），价格未作改动")
                form = forms.CapForm(sites=commercial, initial={"effective_from": today})
    return render(request, "cemeteries/caps.html", {
        "caps": selectors.caps(request.user), "form": form, "can_cap": can(request.user, "cemeteries.price_cap"),
        "new_report": report, "over": selectors.over_cap_report(request.user, today), "today": today},
        status=422 if form.errors else 200)


# --- the yearly inspection -----------------------------------------------------------

def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or _this_year() - 1)
    except ValueError:
        year = _this_year() - 1
    return min(max(year, FIRST_YEAR), _this_year())


def _years() -> list[int]:
    return list(range(_this_year(), FIRST_YEAR - 1, -1))


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    """公墓年检: every site in scope for a year, its inspection and outcome; overdue rectifications."""
    require(request.user, "cemeteries.view")
    year, today = _year(request), timezone.localdate()
    report = yearly_report(request.user, year, today) if can(request.user, "cemeteries.report") else None
    rows = report.rows if report else []
    return render(request, "cemeteries/inspection_list.html", {
        "year": year, "years": _years(), "rows": rows, "today": today,
        "overdue": selectors.rectifications_overdue(request.user, today).order_by("deadline"),
        "inspect": can(request.user, "cemeteries.inspect"), "can_report": report is not None})


@login_required
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.cemetery_get(request.user, pk)
    require(request.user, "cemeteries.inspect")
    year = _year(request)
    form = forms.InspectionForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(actor=request.user, cemetery=site, year=year, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{year}年度年检，请录入各检查项结果")
            return redirect("cemeteries:inspection_detail", inspection.pk)
    return render(request, "cemeteries/inspection_form.html", {"form": form, "site": site, "year": year},
                  status=422 if form.errors else 200)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    today = timezone.localdate()
    results = {r.item_id: r for r in inspection.results.all()}
    items = [(item, results.get(item.pk)) for item in inspection.checklist.items.all()]
    failed = [r for r in inspection.results.select_related("item") if r.result == ItemResult.FAIL]
    rects = [(r, rectification_status(r, today)) for r in inspection.rectifications.select_related(
        "result__item", "verified_by").prefetch_related("evidence")]
    return render(request, "cemeteries/inspection_detail.html", {
        "inspection": inspection, "site": inspection.cemetery, "summary": selectors.summary(inspection, today),
        "items": items, "rects": rects, "result_choices": ItemResult.choices, "today": today,
        "inspect": can(request.user, "cemeteries.inspect"), "rectify": can(request.user, "cemeteries.rectify"),
        "rect_form": forms.RectificationForm(failed=failed), "done_form": forms.DoneForm(initial={"done_on": today}),
        "evidence_form": forms.EvidenceForm(), "statuses": RectificationStatus})


@login_required
@require_POST
def inspection_results(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    results: dict[int, tuple[str, str]] = {}
    for item in inspection.checklist.items.all():
        value = request.POST.get(f"result-{item.pk}", "")
        if value:
            results[item.pk] = (value, request.POST.get(f"note-{item.pk}", "")[:300])
    attempt(request, lambda: services.inspection_record_results(actor=request.user, inspection=inspection,
                                                                results=results), "已保存检查结果")
    return redirect("cemeteries:inspection_detail", inspection.pk)


@login_required
@require_POST
def rectification_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    failed = [r for r in inspection.results.select_related("item") if r.result == ItemResult.FAIL]
    form = forms.RectificationForm(request.POST, failed=failed)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        data = dict(form.cleaned_data)
        result = next((r for r in failed if r.pk == data.pop("result")), None)
        attempt(request, lambda: services.rectification_add(actor=request.user, inspection=inspection,
                                                            result=result, **data), "已登记整改要求")
    return redirect("cemeteries:inspection_detail", inspection.pk)


@login_required
@require_POST
def rectification_done(request: HttpRequest, pk: int) -> HttpResponse:
    rect = selectors.rectification_get(request.user, pk)
    form = forms.DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        attempt(request, lambda: services.rectification_done(actor=request.user, rectification=rect,
                                                             **form.cleaned_data), "已登记整改完成")
    return redirect("cemeteries:inspection_detail", rect.inspection_id)


@login_required
@require_POST
def rectification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    rect = selectors.rectification_get(request.user, pk)
    attempt(request, lambda: services.rectification_verify(actor=request.user, rectification=rect), "已验证整改")
    return redirect("cemeteries:inspection_detail", rect.inspection_id)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    rect = selectors.rectification_get(request.user, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        upload = form.cleaned_data["file"]
        if upload.size > services.EVIDENCE_MAX_BYTES:
            messages.error(request, "单个文件不能超过10MB")
        else:
            attempt(request, lambda: services.evidence_attach(actor=request.user, rectification=rect,
                                                              name=upload.name, content=upload.read()),
                    "已上传佐证材料")
    return redirect("cemeteries:inspection_detail", rect.inspection_id)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = selectors.evidence_get(request.user, pk)
    with transaction.atomic():
        audit_record(actor=request.user, action="cemetery.evidence_download", object_type="Evidence",
                     object_id=evidence.pk, scope_code=evidence.rectification.inspection.cemetery.street_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)


def _checklist_url(year: int) -> str:
    return f"{reverse('cemeteries:checklist')}?year={year}"


@login_required
def checklist(request: HttpRequest) -> HttpResponse:
    """年检检查表 of a year: view (everyone who sees cemeteries), edit (the bureau).
    Opening a year without a checklist creates it from the year before (bureau only)."""
    require(request.user, "cemeteries.view")
    year = _year(request)
    version = selectors.checklist(year)
    inspect = can(request.user, "cemeteries.inspect")
    if request.method == "POST":
        require(request.user, "cemeteries.inspect")
        form = forms.ChecklistItemForm(request.POST)
        if version is None:
            messages.error(request, f"{year}年度还没有检查表，请先建立")
        elif not form.is_valid():
            messages.error(request, _form_errors(form))
        else:
            attempt(request, lambda: services.checklist_item_add(actor=request.user, version=version,
                                                                 **form.cleaned_data), "已添加检查项")
        return redirect(_checklist_url(year))
    return render(request, "cemeteries/checklist.html", {
        "year": year, "years": _years(), "version": version, "inspect": inspect,
        "form": forms.ChecklistItemForm(), "categories": forms.ChecklistCategory.choices})


@login_required
@require_POST
def checklist_create(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    attempt(request, lambda: services.checklist_ensure(actor=request.user, year=year), f"已建立{year}年度检查表")
    return redirect(_checklist_url(year))


@login_required
@require_POST
def checklist_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.checklist_item_get(request.user, pk)
    if "remove" in request.POST:
        attempt(request, lambda: services.checklist_item_remove(actor=request.user, item=item), "已删除检查项")
    else:
        form = forms.ChecklistItemForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
        else:
            attempt(request, lambda: services.checklist_item_update(actor=request.user, item=item,
                                                                    **form.cleaned_data), "已保存检查项")
    return redirect(_checklist_url(item.version.year))


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """公墓年检年度报告: per site, outcome, findings, rectifications, counts, eco share; Excel and PDF."""
    require(request.user, "cemeteries.report")
    year, today = _year(request), timezone.localdate()
    data = yearly_report(request.user, year, today)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        with transaction.atomic():
            audit_record(actor=request.user, action="cemetery.report_export", object_type="list",
                         object_id="公墓年检年度报告", changes={"year": year, "format": fmt})
        if fmt == "xlsx":
            body, content_type = report_workbook(data), XLSX
        else:
            body, content_type = report_pdf(data), "application/pdf"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{data.title}.{fmt}')}"
        return response
    return render(request, "cemeteries/report.html", {"report": data, "year": year, "years": _years()})
