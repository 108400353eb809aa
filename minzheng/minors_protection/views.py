"""Pages of 未成年人保护 (ADR 0036): the case list (only cases the user may see,
names and ID numbers masked), the report form, one case (audited on every
view; 404 for anyone not assigned and not in the office), the office's
overview (counts only), the stations, the office members and the deadlines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt, error_text
from minzheng.minors_protection import forms, selectors, services
from minzheng.minors_protection.filters import CaseFilter
from minzheng.minors_protection.models import (
    CaseAssignment,
    CaseStatus,
    Measure,
    OfficeMember,
    Urgency,
)
from minzheng.minors_protection.tables import CaseTable
from minzheng.registry import selectors as registry
from minzheng.registry.models import Person

CRUMBS = (("未成年人保护个案", "/minors/"),)


def _errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


class CaseListView(StaffListView):
    """The cases the user may see (assigned, or all for the office); masked; Excel export audited."""

    permission = "minors.view"
    title = "未成年人保护个案"
    export_name = "未成年人保护个案"
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "minors_protection/case_list.html"

    def rows(self):
        return selectors.cases_visible(self.request.user).prefetch_related("kinds")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(office=selectors.is_office_member(user), may_report=can(user, "minors.report"),
                       overdue=selectors.cases_overdue(user).count())
        return context


case_list = CaseListView.as_view()


def _case_or_404(request: HttpRequest, pk: int, what: str):
    """The case if the user may see it — the view audited; else the refusal audited and 404."""
    try:
        case = selectors.case_get(request.user, pk)
    except OutOfScope:
        services.case_view_refused_record(actor=request.user, case_id=pk, what=what)
        raise
    return case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk, "查阅个案")
    services.case_view_record(actor=request.user, case=case, what="查阅个案")
    user = request.user
    today = timezone.localdate()
    may_work = can(user, "minors.casework") and case.status != CaseStatus.CLOSED
    office = selectors.is_office_member(user)
    return render(request, "minors_protection/case_detail.html", {
        "case": case, "kinds": case.kinds.all(), "measures": selectors.case_measures(case),
        "assignments": selectors.case_assignments(case), "overdue": selectors.case_overdue(case),
        "assessed_late": selectors.assessed_late(case), "may_work": may_work,
        "may_assign": office and can(user, "minors.assign") and case.status != CaseStatus.CLOSED,
        "assignable": selectors.assignable_users(case) if office else [],
        "assess_form": forms.AssessForm(), "measure_form": forms.MeasureForm(initial={"taken_on": today}),
        "outcome_form": forms.OutcomeForm(initial={"outcome_on": today}),
        "close_form": forms.CloseForm(initial={"closed_on": today}),
        "special_form": forms.SpecialForm(initial={"special": case.special_protection,
                                                   "reason": case.special_reason}),
        "office": office})


def _post_case(request: HttpRequest, pk: int, form_class, call, success: str) -> HttpResponse:
    """A case POST: the case under the same rule as the page (404 otherwise), the form, the service."""
    require(request.user, "minors.casework")
    case = _case_or_404(request, pk, "办理个案")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        attempt(request, lambda: call(case, form.cleaned_data), success)
    return redirect("minors_protection:case_detail", case.pk)


@login_required
@require_POST
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_case(request, pk, forms.AssessForm, lambda case, d: services.case_assess(
        actor=request.user, case=case, risk_level=d["risk_level"], assessment=d["assessment"], plan=d["plan"]),
        "已登记评估")


@login_required
@require_POST
def case_special(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_case(request, pk, forms.SpecialForm, lambda case, d: services.special_protection_set(
        actor=request.user, case=case, special=d["special"], reason=d["reason"]), "已保存特别保护设置")


@login_required
@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_case(request, pk, forms.MeasureForm, lambda case, d: services.measure_record(
        actor=request.user, case=case, kind=d["kind"], taken_on=d["taken_on"], agency=d["agency"],
        detail=d["detail"]), "已登记干预措施")


@login_required
@require_POST
def measure_outcome(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    def run(case, d):
        measure = get_object_or_404(Measure, pk=measure_pk, case=case)
        return services.measure_outcome_record(actor=request.user, measure=measure, outcome=d["outcome"],
                                               outcome_on=d["outcome_on"])
    return _post_case(request, pk, forms.OutcomeForm, run, "已登记措施结果")


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_case(request, pk, forms.CloseForm, lambda case, d: services.case_close(
        actor=request.user, case=case, reason=d["reason"], closed_on=d["closed_on"], note=d["note"]), "已结案")


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "minors.assign")
    case = _case_or_404(request, pk, "指派工作人员")
    value = request.POST.get("user", "")
    user = User.objects.filter(pk=int(value)).first() if value.isascii() and value.isdigit() and len(value) < 12 else None
    if user is None:
        messages.error(request, "请选择要指派的工作人员")
    else:
        attempt(request, lambda: services.case_assign(actor=request.user, case=case, user=user,
                                                      lead=request.POST.get("lead") == "on"), "已指派")
    return redirect("minors_protection:case_detail", case.pk)


@login_required
@require_POST
def case_unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    require(request.user, "minors.assign")
    case = _case_or_404(request, pk, "结束指派")
    assignment = get_object_or_404(CaseAssignment, pk=assignment_pk, case=case)
    attempt(request, lambda: services.case_unassign(actor=request.user, assignment=assignment), "已结束指派")
    return redirect("minors_protection:case_detail", case.pk)


@login_required
def case_report(request: HttpRequest) -> HttpResponse:
    """接报登记: a child of the registry in the reporter's jurisdiction."""
    require(request.user, "minors.report")
    form = bind_pickers(forms.ReportForm(request.POST or None, initial={"urgency": Urgency.NORMAL}), request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                child = registry.person_get(request.user, data["child"])
                case = services.case_report(
                    actor=request.user, child=child, kinds=list(data["kinds"]), urgency=data["urgency"],
                    description=data["description"], reporter_kind=data["reporter_kind"],
                    reporter_name=data["reporter_name"], special_protection=data["special_protection"],
                    special_reason=data["special_reason"])
            except (OutOfScope, Person.DoesNotExist):
                form.add_error("child", "人口库中没有这个人员，或不在您的辖区内")
            except ValidationError as err:
                form.add_error(None, error_text(err))
            else:
                messages.success(request, f"已上报，个案编号 {case.number}；评估期限 "
                                          f"{timezone.localtime(case.assessment_due_at):%Y-%m-%d %H:%M}。")
                if selectors.may_see(request.user, case):
                    return redirect("minors_protection:case_detail", case.pk)
                return redirect("minors_protection:case_list")
        status = 422
    return render(request, "minors_protection/case_report.html",
                  {"form": form, "deadlines": selectors.deadlines()}, status=status)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The office's counts by street and kind (no person)."""
    require(request.user, "minors.view")
    today = timezone.localdate()
    try:
        year = year_parse(request.GET.get("year") or today.year)
    except ValidationError as err:
        messages.error(request, error_text(err))
        year = today.year
    data = selectors.overview(request.user, year)
    return render(request, "minors_protection/overview.html", {
        "data": data, "year": year, "years": list(range(today.year, today.year - 5, -1))})


@login_required
def stations(request: HttpRequest) -> HttpResponse:
    """The stations (one per street) and their staff."""
    rows = list(selectors.stations_visible(request.user))
    manage = can(request.user, "minors.stations_manage")
    have = {s.street_id for s in rows}
    form = forms.StationForm()
    streets = [(d.code, d.name) for d in Division.objects.filter(level=DivisionLevel.STREET).order_by("code")
               if d.code not in have and (request.user.role == "bureau" or d.code == request.user.scope_id)]
    form.fields["street"].choices = streets
    if request.method == "POST":
        require(request.user, "minors.stations_manage")
        form = forms.StationForm(request.POST)
        form.fields["street"].choices = streets
        if not form.is_valid():
            messages.error(request, _errors(form))
        else:
            street = Division.objects.get(code=form.cleaned_data["street"])
            if attempt(request, lambda: services.station_create(
                    actor=request.user, street=street, name=form.cleaned_data["name"],
                    address=form.cleaned_data["address"], phone=form.cleaned_data["phone"]), "已设立工作站"):
                return redirect("minors_protection:stations")
    return render(request, "minors_protection/stations.html", {
        "rows": [(s, selectors.station_staff(s)) for s in rows], "manage": manage, "form": form,
        "may_add": manage and bool(streets)})


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(request.user, pk)
    manage = can(request.user, "minors.stations_manage")
    form = forms.StaffForm()
    if request.method == "POST":
        require(request.user, "minors.stations_manage")
        form = forms.StaffForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
        else:
            data = form.cleaned_data
            account = None
            if data["username"]:
                account = User.objects.filter(username=data["username"]).first()
            if data["username"] and account is None:
                messages.error(request, "没有这个工作人员账号")
            elif attempt(request, lambda: services.station_staff_add(
                    actor=request.user, station=station, name=data["name"], position=data["position"], user=account,
                    phone=data["phone"]), "已登记工作人员"):
                return redirect("minors_protection:station_detail", station.pk)
    return render(request, "minors_protection/station_detail.html", {
        "station": station, "staff": selectors.station_staff(station), "manage": manage, "form": form})


@login_required
@require_POST
def station_staff_end(request: HttpRequest, pk: int, staff_pk: int) -> HttpResponse:
    require(request.user, "minors.stations_manage")
    station = selectors.station_get(request.user, pk)
    staff = get_object_or_404(station.staff, pk=staff_pk)
    attempt(request, lambda: services.station_staff_end(actor=request.user, staff=staff), "已登记离岗")
    return redirect("minors_protection:station_detail", station.pk)


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """The district protection office's members and the assessment deadlines."""
    members = selectors.office_members(request.user)
    manage = can(request.user, "minors.office_manage")
    settings = can(request.user, "minors.settings")
    candidates = (User.objects.filter(role="bureau", is_active=True)
                  .exclude(pk__in=members.values("user_id")).order_by("username")) if manage else []
    return render(request, "minors_protection/office.html", {
        "members": members, "manage": manage, "candidates": candidates, "settings": settings,
        "deadlines": selectors.deadlines(), "office": selectors.is_office_member(request.user)})


@login_required
@require_POST
def office_member_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "minors.office_manage")
    value = request.POST.get("user", "")
    user = User.objects.filter(pk=int(value)).first() if value.isascii() and value.isdigit() and len(value) < 12 else None
    if user is None:
        messages.error(request, "请选择工作人员账号")
    else:
        attempt(request, lambda: services.office_member_add(actor=request.user, user=user), "已添加区未保办成员")
    return redirect("minors_protection:office")


@login_required
@require_POST
def office_member_end(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "minors.office_manage")
    member = get_object_or_404(OfficeMember, pk=pk, ended_at__isnull=True)
    attempt(request, lambda: services.office_member_end(actor=request.user, member=member), "已移出区未保办")
    return redirect("minors_protection:office")


@login_required
@require_POST
def deadline_edit(request: HttpRequest, urgency: str) -> HttpResponse:
    require(request.user, "minors.settings")
    if urgency not in Urgency.values:
        raise OutOfScope("没有这个紧急程度")
    form = forms.DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        attempt(request, lambda: services.deadline_set(actor=request.user, urgency=urgency,
                                                       hours=form.cleaned_data["hours"],
                                                       basis=form.cleaned_data["basis"]),
                "已保存评估时限（此后上报的个案适用）")
    return redirect("minors_protection:office")
