"""Pages of 残疾人服务 (ADR 0037): the overview by street, the certificate
register and its expiring list, the rental subsidy (service points, rentals,
applications, the rule's cited values), community mental-health
rehabilitation and the care-bed project. Reads scoped (outside → 404),
writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.web_actions import attempt, error_text
from minzheng.disability_services import forms, selectors, services
from minzheng.disability_services.filters import (
    ApplicationFilter,
    CertificateFilter,
    ExpiringFilter,
    RentalFilter,
)
from minzheng.disability_services.models import ApplicationStatus, ParameterKind
from minzheng.disability_services.rental_rule import (
    UNVERIFIED,
    missing_text,
    parameters_on,
    rental_amount,
    rental_checks,
)
from minzheng.disability_services.tables import (
    ApplicationTable,
    CertificateTable,
    ExpiringTable,
    RentalTable,
)
from minzheng.registry.selectors import person_get

CRUMBS = (("残疾人服务", "/disability/"),)


def _errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _days(request: HttpRequest) -> int:
    raw = request.GET.get("days", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 4:
        return max(1, min(int(raw), selectors.EXPIRY_WINDOW_MAX))
    return selectors.EXPIRY_WINDOW_DAYS


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    today = timezone.localdate()
    rows = selectors.overview_by_street(request.user, today)
    coverage = selectors.rehab_coverage(request.user, today)
    projects = [selectors.care_bed_progress(request.user, p, today) for p in selectors.care_bed_projects(request.user)]
    totals = {attr: sum(getattr(r, attr) for r in rows) for attr in (
        "certificates", "expiring", "points", "rentals_open", "applications_open", "rehab_working", "served",
        "beds_opened")}
    return render(request, "disability_services/overview.html", {
        "rows": rows, "totals": totals, "coverage": coverage, "projects": projects, "today": today,
        "days": selectors.EXPIRY_WINDOW_DAYS})


# --- certificates -------------------------------------------------------------------------

class CertificateListView(StaffListView):
    permission = selectors.VIEW
    title = "残疾人证"
    export_name = "残疾人证"
    table_class = CertificateTable
    filterset_class = CertificateFilter
    crumbs = CRUMBS
    template_name = "disability_services/certificate_list.html"

    def rows(self):
        return selectors.certificates_visible(self.request.user, timezone.localdate()).order_by("person__name", "id")


certificate_list = CertificateListView.as_view()


class ExpiringListView(StaffListView):
    permission = selectors.VIEW
    title = "残疾人证即将到期"
    export_name = "残疾人证即将到期"
    table_class = ExpiringTable
    filterset_class = ExpiringFilter
    crumbs = CRUMBS
    template_name = "disability_services/expiring_list.html"

    def rows(self):
        return selectors.certificates_expiring(self.request.user, timezone.localdate(), _days(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["days"] = _days(self.request)
        return context


expiring_list = ExpiringListView.as_view()


# --- rental subsidy ---------------------------------------------------------------------------

class ApplicationListView(StaffListView):
    permission = selectors.VIEW
    title = "康复辅具社区租赁服务补贴"
    export_name = "康复辅具租赁补贴申请"
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    crumbs = CRUMBS
    template_name = "disability_services/application_list.html"

    def rows(self):
        return selectors.applications_visible(self.request.user)


application_list = ApplicationListView.as_view()


class RentalListView(StaffListView):
    permission = selectors.VIEW
    title = "康复辅具租赁记录"
    export_name = "康复辅具租赁记录"
    table_class = RentalTable
    filterset_class = RentalFilter
    crumbs = CRUMBS
    template_name = "disability_services/rental_list.html"

    def rows(self):
        return selectors.rentals_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = can(self.request.user, "disability_services.rental_record")
        return context


rental_list = RentalListView.as_view()


@login_required
def points(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    manage = can(request.user, "disability_services.rental_record")
    form = forms.PointForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST":
        require(request.user, "disability_services.rental_record")
        if form.is_valid():
            if attempt(request, lambda: services.point_create(actor=request.user, **form.cleaned_data),
                       "已登记服务点"):
                return redirect("disability_services:points")
        else:
            messages.error(request, _errors(form))
    today = timezone.localdate()
    rows = [(p, p.open_on(today), p.rentals.filter(end_on__isnull=True).count())
            for p in selectors.points_visible(request.user)]
    return render(request, "disability_services/points.html", {"rows": rows, "form": form, "manage": manage},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def point_close(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.point_get(request.user, pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        attempt(request, lambda: services.point_close(actor=request.user, point=point,
                                                      closed_on=form.cleaned_data["on"]), "已登记停止服务")
    return redirect("disability_services:points")


@login_required
def rental_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "disability_services.rental_record")
    today = timezone.localdate()
    visible_points = [p for p in selectors.points_visible(request.user) if p.closed_on is None]
    form = bind_pickers(forms.RentalForm(request.POST or None, points=visible_points,
                                         initial={"start_on": today}), request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_get(request.user, data["person"])
            point = selectors.point_get(request.user, data["point"])
        except Http404:
            form.add_error(None, "没有这个人员或服务点，或不在您的辖区内")
        else:
            try:
                rental = services.rental_record(
                    actor=request.user, point=point, person=person, device_category=data["device_category"],
                    device_name=data["device_name"], start_on=data["start_on"], end_on=data["end_on"],
                    monthly_rent_fen=forms.fen(data["monthly_rent"]))
            except ValidationError as err:
                form.add_error(None, error_text(err))
            else:
                messages.success(request, "已登记租赁记录")
                return redirect("disability_services:rental_detail", rental.pk)
    return render(request, "disability_services/rental_form.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def rental_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rental = selectors.rental_get(request.user, pk)
    amount = rental_amount(rental) if rental.end_on else None
    return render(request, "disability_services/rental_detail.html", {
        "r": rental, "checks": rental_checks(rental), "amount": amount,
        "applications": selectors.applications_visible(request.user).filter(rental=rental),
        "can_record": can(request.user, "disability_services.rental_record"),
        "can_apply": can(request.user, "disability_services.apply")
        and not rental.applications.exclude(status=ApplicationStatus.REJECTED).exists(),
        "apply_form": forms.ApplyForm(initial={"applied_on": timezone.localdate(), "applicant_relation": "self"}),
        "today": timezone.localdate()})


@login_required
@require_POST
def rental_end(request: HttpRequest, pk: int) -> HttpResponse:
    rental = selectors.rental_get(request.user, pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        attempt(request, lambda: services.rental_end(actor=request.user, rental=rental, end_on=form.cleaned_data["on"]),
                "已登记租用结束")
    return redirect("disability_services:rental_detail", rental.pk)


@login_required
@require_POST
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    rental = selectors.rental_get(request.user, pk)
    require(request.user, "disability_services.apply")
    form = forms.ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("disability_services:rental_detail", rental.pk)
    try:
        application = services.application_create(actor=request.user, rental=rental, **form.cleaned_data)
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("disability_services:rental_detail", rental.pk)
    messages.success(request, f"已登记补贴申请 {application.number}")
    return redirect("disability_services:application_detail", application.pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    rental = application.rental
    amount = rental_amount(rental) if rental.end_on else None
    payment = None
    if application.payment_reference:
        from minzheng.payments.services import one_off_status

        payment = one_off_status(services.PROGRAM, application.payment_reference)
    return render(request, "disability_services/application_detail.html", {
        "a": application, "r": rental, "amount": amount,
        "checks": rental_checks(rental) if application.status == ApplicationStatus.APPLIED else None,
        "review": can(request.user, "disability_services.review"), "pay": can(request.user, "disability_services.pay"),
        "payment": payment, "today": timezone.localdate()})


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    user = request.user

    def reject():
        form = forms.RejectForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.application_reject(actor=user, application=application, reason=form.cleaned_data["reason"])

    steps = {
        "approve": (lambda: services.application_approve(actor=user, application=application), "审核通过"),
        "reject": (reject, "已登记不予补贴"),
        "pay": (lambda: services.subsidy_request(actor=user, application=application), "已申请发放补贴"),
    }
    if step not in steps:
        raise Http404("没有这个办理步骤")
    call, success = steps[step]
    attempt(request, call, success)
    return redirect("disability_services:application_detail", application.pk)


@login_required
def parameters(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    manage = can(request.user, "disability_services.parameters")
    form = forms.CitedValueForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "disability_services.parameters")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.cited_value_enter(
                    actor=request.user, kind=data["kind"], effective_from=data["effective_from"],
                    value=form.service_value(), document_name=data["document_name"],
                    document_number=data["document_number"]), "已录入"):
                return redirect("disability_services:parameters")
        else:
            messages.error(request, _errors(form))
    today = timezone.localdate()
    current = parameters_on(today)
    rows = [{"kind": kind, "label": ParameterKind(kind).label, "value": current[kind]} for kind in ParameterKind.values]
    missing = [kind for kind, value in current.items() if value is None]
    return render(request, "disability_services/parameters.html", {
        "rows": rows, "cited": selectors.cited_values(), "form": form, "manage": manage, "today": today,
        "missing": missing_text(missing) if missing else "", "unverified_text": UNVERIFIED},
        status=422 if form.errors else 200)


# --- 精神障碍社区康复 ---------------------------------------------------------------------------

@login_required
def rehab(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    today = timezone.localdate()
    manage = can(request.user, "disability_services.rehab")
    form = forms.RehabSiteForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "disability_services.rehab")
        if form.is_valid():
            site = None

            def create():
                nonlocal site
                site = services.rehab_site_create(actor=request.user, **form.cleaned_data)
                return site

            if attempt(request, create, "已登记站点") and site is not None:
                return redirect("disability_services:rehab_site", site.pk)
        else:
            messages.error(request, _errors(form))
    coverage = selectors.rehab_coverage(request.user, today)
    sites = list(selectors.rehab_sites_visible(request.user))
    statuses = selectors.site_statuses_on(today, [s.pk for s in sites])
    return render(request, "disability_services/rehab.html", {
        "coverage": coverage, "rows": selectors.coverage_rows_visible(request.user, coverage),
        "sites": [(s, statuses.get(s.pk)) for s in sites], "form": form, "manage": manage, "today": today,
        "target_manage": can(request.user, "disability_services.care_beds"),
        "target_form": forms.CoverageTargetForm(initial={"year": today.year})},
        status=422 if form.errors else 200)


@login_required
@require_POST
def coverage_target(request: HttpRequest) -> HttpResponse:
    require(request.user, "disability_services.care_beds")
    form = forms.CoverageTargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        attempt(request, lambda: services.coverage_target_set(actor=request.user, **form.cleaned_data), "已保存目标")
    return redirect("disability_services:rehab")


@login_required
def rehab_site(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.rehab_site_get(request.user, pk)
    today = timezone.localdate()
    manage = can(request.user, "disability_services.rehab")
    enrol_form = bind_pickers(forms.EnrolForm(initial={"enrolled_on": today}), request.user)
    participants = selectors.participants_visible(request.user).filter(site=site)
    return render(request, "disability_services/rehab_site.html", {
        "site": site, "statuses": site.statuses.all(), "current": selectors.site_statuses_on(today, [site.pk]).get(site.pk),
        "open": participants.filter(exited_on__isnull=True), "closed": participants.filter(exited_on__isnull=False),
        "status_form": forms.SiteStatusForm(initial={"effective_on": today}), "enrol_form": enrol_form,
        "manage": manage, "today": today})


@login_required
@require_POST
def rehab_site_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    site = selectors.rehab_site_get(request.user, pk)
    user = request.user

    def status():
        form = forms.SiteStatusForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.rehab_site_status_set(actor=user, site=site, **form.cleaned_data)

    def enrol():
        form = forms.EnrolForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        try:
            person = person_get(user, form.cleaned_data["person"])
        except Http404:
            raise ValidationError("没有这个人员，或不在您的辖区内") from None
        return services.participant_enrol(actor=user, site=site, person=person,
                                          enrolled_on=form.cleaned_data["enrolled_on"])

    def exit_():
        form = forms.ExitForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        raw = request.POST.get("participant", "")
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            raise ValidationError("请选择服务对象")
        participant = selectors.participant_get(user, int(raw))
        if participant.site_id != site.pk:
            raise Http404("没有这个服务对象")
        return services.participant_exit(actor=user, participant=participant, exited_on=form.cleaned_data["exited_on"],
                                         reason=form.cleaned_data["reason"])

    steps = {"status": (status, "已登记站点状态"), "enrol": (enrol, "已纳入服务"), "exit": (exit_, "已结束服务")}
    if step not in steps:
        raise Http404("没有这个办理步骤")
    call, success = steps[step]
    attempt(request, call, success)
    return redirect("disability_services:rehab_site", site.pk)


# --- 重度残疾人照护床位 -------------------------------------------------------------------------

@login_required
def care_beds(request: HttpRequest) -> HttpResponse:
    require(request.user, selectors.VIEW)
    today = timezone.localdate()
    projects = [selectors.care_bed_progress(request.user, p, today) for p in selectors.care_bed_projects(request.user)]
    manage = can(request.user, "disability_services.care_beds")
    sites = [row["site"] for progress in projects for row in progress.sites]
    return render(request, "disability_services/care_beds.html", {
        "projects": projects, "manage": manage, "today": today, "site_form": forms.BedSiteForm(),
        "open_form": forms.BedOpenForm(sites=sites, initial={"opened_on": today})})


@login_required
@require_POST
def care_bed_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    project = selectors.care_bed_project_get(request.user, pk)
    user = request.user
    require(user, "disability_services.care_beds")

    def site():
        form = forms.BedSiteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.care_bed_site_create(actor=user, project=project, **form.cleaned_data)

    def open_():
        form = forms.BedOpenForm(request.POST, sites=list(project.sites.all()))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        data = form.cleaned_data
        return services.beds_open(actor=user, site=project.sites.get(pk=data["site"]), opened_on=data["opened_on"],
                                  beds=data["beds"], note=data["note"])

    steps = {"site": (site, "已登记床位点"), "open": (open_, "已登记床位投用")}
    if step not in steps:
        raise Http404("没有这个办理步骤")
    call, success = steps[step]
    attempt(request, call, success)
    return redirect("disability_services:care_beds")
