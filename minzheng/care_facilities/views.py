"""Pages of the facility register and the elderly-care dashboard (ADR 0028).
Thin views over ``selectors`` and ``services``; reads scoped (out of scope → 404),
actions guarded (wrong role → 403), broken rules shown as messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.care_facilities import forms, selectors, services
from minzheng.care_facilities.coverage import committee_reach, month_end, street_coverage
from minzheng.care_facilities.dashboard import BOARD
from minzheng.care_facilities.filters import FacilityFilter
from minzheng.care_facilities.models import FacilityStatus
from minzheng.care_facilities.progress import target_years, targets_progress
from minzheng.care_facilities.register_import import facilities_import, template_xlsx
from minzheng.care_facilities.tables import FacilityTable
from minzheng.core.file_import import ImportFileError
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.street_dashboards import board_tables
from minzheng.core.web_actions import (
    account_link_post,
    account_unlink_post,
    attempt,
    error_text,
    form_errors,
    form_valid,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5 * 1024 * 1024


class FacilityListView(StaffListView):
    """养老服务设施: filters by kind, status, street and committee; Excel export."""

    permission = "care_facilities.view"
    title = "养老服务设施"
    export_name = "养老服务设施清单"
    table_class = FacilityTable
    filterset_class = FacilityFilter
    template_name = "care_facilities/facility_list.html"

    def rows(self):
        return selectors.facilities_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can(self.request.user, "care_facilities.manage")
        return context


facility_list = FacilityListView.as_view()


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "care_facilities.view")
    facility = selectors.facility_get(request.user, pk)
    manage = can(request.user, "care_facilities.manage")
    order = services.STATUS_ORDER
    later = [s for s in order if order.index(s) > order.index(FacilityStatus(facility.status))]
    status_form = forms.StatusForm(initial={"on": timezone.localdate(), "status": later[0] if later else None})
    status_form.fields["status"].choices = [(s.value, s.label) for s in later]
    return render(request, "care_facilities/facility_detail.html", {
        "facility": facility, "manage": manage, "status_form": status_form, "later": later,
        "staff": facility.staff_accounts.select_related("user").order_by("user__username") if manage else None,
        "link_form": forms.StaffLinkForm()})


@login_required
def facility_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "care_facilities.manage")
    form = bind_pickers(forms.FacilityNewForm(request.POST or None,
                                              initial={"status": FacilityStatus.PLANNED}), request.user)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.facility_create(actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{facility.name}")
            return redirect("care_facilities:detail", facility.pk)
    return render(request, "care_facilities/facility_form.html", {"form": form, "title": "登记养老服务设施",
                                                                  "new": True},
                  status=422 if form.errors else 200)


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(request.user, pk)
    require(request.user, "care_facilities.manage")
    initial = {f: getattr(facility, f) for f in services.FACILITY_FIELDS} | {"committee": facility.committee_id}
    form = bind_pickers(forms.FacilityForm(request.POST or None, initial=initial), request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_update(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, "已保存")
            return redirect("care_facilities:detail", facility.pk)
    return render(request, "care_facilities/facility_form.html",
                  {"form": form, "facility": facility, "title": f"修改{facility.name}"},
                  status=422 if form.errors else 200)



@login_required
@require_POST
def facility_status(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(request.user, pk)
    form = forms.StatusForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.facility_status_set(actor=request.user, facility=facility,
                                                              **form.cleaned_data),
                f"状态已改为“{FacilityStatus(form.cleaned_data['status']).label}”")
    return redirect("care_facilities:detail", facility.pk)


@login_required
@require_POST
def staff_link(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(request.user, pk)
    account_link_post(request, forms.StaffLinkForm(request.POST),
                      lambda user: services.facility_staff_link(actor=request.user, facility=facility, user=user))
    return redirect("care_facilities:detail", facility.pk)


@login_required
@require_POST
def staff_unlink(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    facility = selectors.facility_get(request.user, pk)
    account_unlink_post(request, user_id,
                        lambda user: services.facility_staff_unlink(actor=request.user, facility=facility, user=user))
    return redirect("care_facilities:detail", facility.pk)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """导入登记表: quarantine — good rows registered, bad rows listed with row and reason."""
    require(request.user, "care_facilities.manage")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "文件超过5MB，请分批导入")
        else:
            try:
                result = facilities_import(actor=request.user, filename=upload.name, data=upload.read(),
                                           today=timezone.localdate())
            except ImportFileError as err:
                form.add_error("file", str(err))
    return render(request, "care_facilities/import.html", {"form": form, "result": result},
                  status=422 if form.errors else 200)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, "care_facilities.manage")
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('养老服务设施导入模板.xlsx')}"
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """养老服务工作台: the year's targets, coverage by street, then every registered section."""
    require(request.user, "care_facilities.dashboard")
    today = timezone.localdate()
    years = target_years()
    try:
        year = int(request.GET.get("year") or (today.year if today.year in years else (years[0] if years else today.year)))
    except ValueError:
        year = today.year
    sections = board_tables(BOARD, request.user, today)
    coverage = street_coverage(request.user, today)
    reach_gaps = [r for r in committee_reach(request.user, today)
                  if r.elders and (not r.centre_in_street or not r.meals_in_street)]
    return render(request, "care_facilities/dashboard.html", {
        "today": today, "year": year, "years": years, "progress": targets_progress(request.user, year),
        "coverage": coverage, "reach_gaps": reach_gaps[:200], "reach_gap_count": len(reach_gaps),
        "age_day": month_end(today), "sections": sections,
        "target_form": forms.TargetForm(initial={"year": year}) if can(request.user, "care_facilities.targets") else None})


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    """录入年度工作目标 (bureau): a target with the plan's sentence it comes from."""
    require(request.user, "care_facilities.targets")
    form = forms.TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("care_facilities:dashboard")
    attempt(request, lambda: services.plan_target_set(actor=request.user, **form.cleaned_data), "已保存工作目标")
    return redirect(f"{reverse('care_facilities:dashboard')}?year={form.cleaned_data['year']}")
