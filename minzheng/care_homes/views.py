"""Pages of the care institutions (ADR 0029): an operator's own institution
(beds, residents, staff, incidents) and the bureau's 云监管. Thin views over
``selectors`` and ``services``; reads scoped (another institution → 404),
writes guarded (wrong role → 403), broken rules shown as messages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.care_homes import forms, selectors, services
from minzheng.care_homes.filters import IncidentFilter
from minzheng.care_homes.models import BedKind
from minzheng.care_homes.tables import IncidentTable
from minzheng.core.lists import StaffListView
from minzheng.core.models import Role
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid


def _day(request: HttpRequest) -> dt.date:
    """The ``?on=`` date of a page (today when absent or not a date)."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    """养老机构: an operator with one institution goes straight to it."""
    rows = list(selectors.institutions(request.user).order_by("street_id", "name"))
    if request.user.role == Role.CARE_OPERATOR and len(rows) == 1:
        return redirect("care_homes:institution_detail", rows[0].pk)
    today = timezone.localdate()
    occ = selectors.occupancy([f.pk for f in rows], today)
    return render(request, "care_homes/institution_list.html", {
        "rows": [(f, occ[f.pk]) for f in rows], "today": today,
        "oversee": can(request.user, "care_homes.oversee")})


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.institution_get(request.user, pk)
    on = _day(request)
    occ = selectors.occupancy([facility.pk], on)[facility.pk]
    figures = selectors.staff_figures([facility.pk], on, {facility.pk: occ})[facility.pk]
    residents = list(selectors.residents_on(facility, on))
    by_bed = {r.bed_id: r for r in residents if r.bed_id}
    operate = can(request.user, "care_homes.operate")
    free = list(selectors.free_beds(facility)) if operate else []
    return render(request, "care_homes/institution_detail.html", {
        "facility": facility, "on": on, "today": timezone.localdate(), "occ": occ, "figures": figures,
        "beds": [(b, by_bed.get(b.pk)) for b in selectors.beds(facility)], "residents": residents,
        "past": selectors.residents_past(facility)[:20],
        "staff": selectors.staff(facility, on).order_by("post", "name"),
        "incidents": facility.care_incidents.select_related("resident").order_by("closed_on", "-occurred_at")[:20],
        "operate": operate, "room_form": forms.RoomForm(), "staff_form": forms.StaffForm(),
        "admit_form": forms.AdmitForm(beds=free), "free_beds": len(free), "bed_kinds": BedKind.choices})


@login_required
@require_POST
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.institution_get(request.user, pk)
    form = forms.RoomForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.room_create(actor=request.user, facility=facility, **form.cleaned_data),
                f"已添加房间{form.cleaned_data['number']}")
    return redirect("care_homes:institution_detail", facility.pk)


@login_required
@require_POST
def bed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bed = selectors.bed_get(request.user, pk)
    form = forms.BedForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.bed_update(actor=request.user, bed=bed, **form.cleaned_data),
                f"已保存床位{bed.number}")
    return redirect("care_homes:institution_detail", bed.facility_id)


@login_required
def resident_new(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.institution_get(request.user, pk)
    require(request.user, "care_homes.operate")
    form = forms.AdmitForm(request.POST or None, beds=selectors.free_beds(facility),
                           initial={"admitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_admit(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{resident.name}入住")
            return redirect("care_homes:resident_detail", resident.pk)
    return render(request, "care_homes/resident_form.html", {"form": form, "facility": facility},
                  status=422 if form.errors else 200)


@login_required
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(request.user, pk)
    operate = can(request.user, "care_homes.operate") and resident.discharged_on is None
    today = timezone.localdate()
    return render(request, "care_homes/resident_detail.html", {
        "resident": resident, "facility": resident.facility, "operate": operate, "today": today,
        "assess_form": forms.AssessForm(initial={"assessed_on": today, "care_level": resident.care_level}),
        "move_form": forms.MoveForm(beds=selectors.free_beds(resident.facility)) if operate else None,
        "discharge_form": forms.DischargeForm(initial={"discharged_on": today}),
        "incidents": resident.incidents.order_by("-occurred_at")})


def _resident_action(request: HttpRequest, pk: int, form_class, call, success: str) -> HttpResponse:
    resident = selectors.resident_get(request.user, pk)
    form = form_class(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: call(resident, form.cleaned_data), success)
    return redirect("care_homes:resident_detail", resident.pk)


@login_required
@require_POST
def resident_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_action(request, pk, forms.AssessForm, lambda r, data: services.resident_assess(
        actor=request.user, resident=r, **data), "已登记照护等级评估")


@login_required
@require_POST
def resident_move(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_get(request.user, pk)
    form = forms.MoveForm(request.POST, beds=selectors.free_beds(resident.facility))
    if form_valid(request, form):
        attempt(request, lambda: services.resident_move(actor=request.user, resident=resident,
                                                        bed=form.cleaned_data["bed"]), "已调整床位")
    return redirect("care_homes:resident_detail", resident.pk)


@login_required
@require_POST
def resident_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_action(request, pk, forms.DischargeForm, lambda r, data: services.resident_discharge(
        actor=request.user, resident=r, **data), "已登记离院，床位已空出")


@login_required
@require_POST
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.institution_get(request.user, pk)
    form = forms.StaffForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.staff_add(actor=request.user, facility=facility, **form.cleaned_data),
                f"已登记{form.cleaned_data['name']}")
    return redirect("care_homes:institution_detail", facility.pk)


@login_required
@require_POST
def staff_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_get(request.user, pk)
    form = forms.LeaveForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.staff_leave(actor=request.user, member=member, **form.cleaned_data),
                f"已登记{member.name}离职")
    return redirect("care_homes:institution_detail", member.facility_id)


@login_required
def incident_new(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.institution_get(request.user, pk)
    require(request.user, "care_homes.operate")
    residents = selectors.residents_on(facility, timezone.localdate())
    form = forms.IncidentForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, "已报告意外事件")
            return redirect("care_homes:incident_detail", incident.pk)
    return render(request, "care_homes/incident_form.html", {"form": form, "facility": facility},
                  status=422 if form.errors else 200)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(request.user, pk)
    today = timezone.localdate()
    return render(request, "care_homes/incident_detail.html", {
        "incident": incident, "facility": incident.facility, "steps": incident.steps.select_related("recorded_by"),
        "operate": can(request.user, "care_homes.operate") and incident.closed_on is None,
        "step_form": forms.StepForm(initial={"on": today}), "close_form": forms.CloseForm(initial={"closed_on": today})})


def _incident_action(request: HttpRequest, pk: int, form_class, call, success: str) -> HttpResponse:
    incident = selectors.incident_get(request.user, pk)
    form = form_class(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: call(incident, form.cleaned_data), success)
    return redirect("care_homes:incident_detail", incident.pk)


@login_required
@require_POST
def incident_step(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_action(request, pk, forms.StepForm, lambda i, data: services.incident_step(
        actor=request.user, incident=i, **data), "已登记处置措施")


@login_required
@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_action(request, pk, forms.CloseForm, lambda i, data: services.incident_close(
        actor=request.user, incident=i, **data), "已结案")


class IncidentListView(StaffListView):
    """意外事件: every incident of the institutions in sight, open first."""

    permission = "care_homes.view"
    title = "养老机构意外事件"
    export_name = "养老机构意外事件"
    table_class = IncidentTable
    filterset_class = IncidentFilter

    def rows(self):
        return selectors.incidents(self.request.user)


incident_list = IncidentListView.as_view()


@login_required
def oversight(request: HttpRequest) -> HttpResponse:
    """云监管: per institution occupancy, staff ratio, open incidents and the
    supervision app's columns (无数据 where no provider answers)."""
    on = _day(request)
    labels, rows = selectors.oversight_rows(request.user, on)
    beds = sum(r.occupancy.beds for r in rows)
    residents = sum(r.occupancy.residents for r in rows)
    return render(request, "care_homes/oversight.html", {
        "labels": labels, "rows": rows, "on": on, "today": timezone.localdate(),
        "totals": selectors.Occupancy(beds, residents),
        "open_incidents": sum(r.open_incidents for r in rows)})
