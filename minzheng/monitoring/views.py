"""Monitoring pages: the dashboard (救助工作台, with the bureau's run button),
"my leads and tasks", leads, tasks, exit reviews, the edge list,
no-application notices, a household's advisor record (visits, labels,
services) and advisor assignments.

Thin views: reads through ``selectors`` (scoped; out of scope → 404), writes
through the services; service errors become messages on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.casework import selectors as casework_selectors
from minzheng.casework.models import Application
from minzheng.core.models import Division, User
from minzheng.core.permissions import can
from minzheng.core.web_actions import attempt
from minzheng.monitoring import forms, selectors, services
from minzheng.monitoring.dashboard_figures import dashboard as dashboard_figures
from minzheng.monitoring.models import (
    EdgeBand,
    ExitStatus,
    LeadOutcome,
    LeadStatus,
    TaskKind,
    TaskStatus,
)
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household
from policy import PROGRAMS


def _today() -> dt.date:
    return dt.date.today()




def _get(call: Callable[[], object]):
    """The object ``call`` looks up, or 404 — also for a missing or
    non-numeric id in the submitted form."""
    try:
        return call()
    except (ObjectDoesNotExist, ValueError, TypeError, KeyError) as err:
        raise Http404("未找到该记录") from err


def _programs() -> list[tuple[str, str]]:
    return [(pid, p.label) for pid, p in PROGRAMS.items()]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = _today()
    figures = dashboard_figures(request.user, today=today)
    chart = {"streets": [r["street"] for r in figures["by_street"]],
             "leads": [r["leads"] for r in figures["by_street"]],
             "converted": [r["converted"] for r in figures["by_street"]],
             "exits": [r["exits"] for r in figures["by_street"]]}
    runs = [selectors.run_summary(request.user, run) for run in selectors.runs_recent(6)]
    can_run = can(request.user, "monitoring.run")
    return render(request, "monitoring/dashboard.html", {
        "figures": figures, "chart": chart, "runs": runs, "can_run": can_run,
        "run_form": forms.RunForm(initial={"month": f"{today.year:04d}-{today.month:02d}"}), "today": today,
    })


@login_required
@require_POST
def run_trigger(request: HttpRequest) -> HttpResponse:
    form = forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "月份应为 YYYY-MM")
        return redirect("monitoring:dashboard")
    attempt(request, lambda: monitor_run_month(actor=request.user, month=form.cleaned_data["month"]),
             f"{form.cleaned_data['month']} 动态监测已完成")
    return redirect("monitoring:dashboard")


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    today = _today()
    return render(request, "monitoring/my_work.html", {"work": selectors.my_work(request.user, today=today),
                                                       "today": today})


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", LeadStatus.OPEN)
    program = request.GET.get("program", "")
    escalated = request.GET.get("escalated") == "1"
    leads = selectors.lead_list(request.user, status=status, program=program, escalated=escalated)
    page = Paginator(leads, 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/lead_list.html", {
        "page": page, "status": status, "program": program, "escalated": escalated,
        "statuses": LeadStatus.choices, "programs": _programs(), "today": _today()})


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(lambda: selectors.lead_get(request.user, pk))
    if request.method == "POST" and request.POST.get("form") == "close":
        form = forms.LeadCloseForm(request.POST)
        if form.is_valid():
            application = None
            if form.cleaned_data.get("application_id"):
                application = _get(lambda: casework_selectors.application_get(
                    request.user, form.cleaned_data["application_id"]))
            if attempt(request, lambda: services.lead_close(
                    actor=request.user, lead=lead, outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"], application=application), "线索已办结"):
                return redirect("monitoring:lead_detail", pk=pk)
        else:
            messages.error(request, "请检查填写的内容")
    if request.method == "POST" and request.POST.get("form") == "visit":
        form = forms.VisitForm(request.POST, request.FILES)
        if form.is_valid():
            if attempt(request, lambda: services.visit_record(
                    actor=request.user, household=lead.household, person=lead.person, lead=lead,
                    visited_on=form.cleaned_data["visited_on"], visitors=form.cleaned_data["visitors"],
                    findings=form.cleaned_data["findings"], attachments=form.cleaned_data["attachments"]),
                    "走访记录已保存"):
                return redirect("monitoring:lead_detail", pk=pk)
        else:
            messages.error(request, "请检查走访记录")
    return render(request, "monitoring/lead_detail.html", {
        "lead": lead, "reasons": selectors.lead_reasons(lead), "label": selectors.program_label(lead.program),
        "visits": selectors.visits_for(request.user, lead=lead), "close_form": forms.LeadCloseForm(),
        "visit_form": forms.VisitForm(), "can_write": can(request.user, "monitoring.field_work") and lead.status == LeadStatus.OPEN,
        "outcomes": LeadOutcome.choices, "applications": _applications_for(request.user, lead.household_id),
        "today": _today()})


def _applications_for(user: User, household_id: int) -> list[Application]:
    return list(casework_selectors.applications_visible(user).filter(household_id=household_id).order_by("-id")[:20])


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(lambda: selectors.task_get(request.user, pk))
    if request.method == "POST" and request.POST.get("form") == "complete":
        form = forms.TaskCompleteForm(request.POST)
        if form.is_valid() and attempt(request, lambda: services.task_complete(
                actor=request.user, task=task, result=form.cleaned_data["result"]), "任务已完成"):
            return redirect("monitoring:task_detail", pk=pk)
    if request.method == "POST" and request.POST.get("form") == "visit":
        form = forms.VisitForm(request.POST, request.FILES)
        if task.household is None:
            messages.error(request, "该人员没有家庭，无法登记走访")
        elif form.is_valid() and attempt(request, lambda: services.visit_record(
                actor=request.user, household=task.household, person=task.person, task=task,
                visited_on=form.cleaned_data["visited_on"], visitors=form.cleaned_data["visitors"],
                findings=form.cleaned_data["findings"], attachments=form.cleaned_data["attachments"]), "走访记录已保存"):
            return redirect("monitoring:task_detail", pk=pk)
    return render(request, "monitoring/task_detail.html", {
        "task": task, "visits": selectors.visits_for(request.user, task=task),
        "complete_form": forms.TaskCompleteForm(), "visit_form": forms.VisitForm(),
        "can_write": can(request.user, "monitoring.field_work") and task.status == TaskStatus.OPEN, "today": _today()})


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", TaskStatus.OPEN)
    kind = request.GET.get("kind", "")
    tasks = selectors.task_list(request.user, status=status, kind=kind, escalated=request.GET.get("escalated") == "1")
    return render(request, "monitoring/task_list.html", {
        "page": Paginator(tasks, 50).get_page(request.GET.get("page")), "status": status, "kind": kind,
        "statuses": TaskStatus.choices, "kinds": TaskKind.choices, "today": _today()})


@login_required
def exit_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ExitStatus.OPEN)
    program = request.GET.get("program", "")
    reviews = selectors.exit_list(request.user, status=status, program=program)
    return render(request, "monitoring/exit_list.html", {
        "page": Paginator(reviews, 50).get_page(request.GET.get("page")), "status": status, "program": program,
        "statuses": ExitStatus.choices, "programs": _programs(), "today": _today()})


@login_required
def exit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get(lambda: selectors.exit_get(request.user, pk))
    if request.method == "POST":
        form = forms.ExitResolveForm(request.POST)
        if form.is_valid() and attempt(request, lambda: services.exit_review_resolve(
                actor=request.user, review=review, exit_benefit=form.cleaned_data["decision"] == "exit",
                resolution=form.cleaned_data["resolution"],
                effective_month=form.cleaned_data.get("effective_month") or ""), "核实结论已保存"):
            return redirect("monitoring:exit_detail", pk=pk)
    manager = can(request.user, "monitoring.manage")
    return render(request, "monitoring/exit_detail.html", {
        "review": review, "reasons": selectors.exit_reasons(review), "label": selectors.program_label(review.program),
        "form": forms.ExitResolveForm(), "can_resolve": manager and review.status == ExitStatus.OPEN})


@login_required
def edge_list(request: HttpRequest) -> HttpResponse:
    month = request.GET.get("month", "")
    band = request.GET.get("band", "")
    edges = selectors.edge_list(request.user, month=month, band=band)
    return render(request, "monitoring/edge_list.html", {
        "page": Paginator(edges, 50).get_page(request.GET.get("page")), "months": selectors.edge_months(request.user),
        "month": month, "band": band, "bands": EdgeBand.choices})


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = selectors.notice_list(request.user, program=request.GET.get("program", ""))
    return render(request, "monitoring/notice_list.html", {
        "page": Paginator(notices, 50).get_page(request.GET.get("page")), "labels": dict(_programs())})


@login_required
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        item = registry_selectors.household_get(request.user, household_id)
    except Household.DoesNotExist as err:
        raise Http404("未找到该家庭") from err
    if not selectors.covers_household(request.user, item):
        raise Http404("未找到该家庭")
    form_name = request.POST.get("form") if request.method == "POST" else None
    if form_name == "label":
        form = forms.LabelForm(request.POST)
        if form.is_valid() and attempt(request, lambda: services.label_add(
                actor=request.user, household=item, label=form.cleaned_data["label"], note=form.cleaned_data["note"]),
                "标签已添加"):
            return redirect("monitoring:household", household_id=household_id)
    elif form_name == "label_remove":
        label = _get(lambda: selectors.label_get(request.user, int(request.POST.get("label", ""))))
        attempt(request, lambda: services.label_remove(actor=request.user, label=label), "标签已取消")
        return redirect("monitoring:household", household_id=household_id)
    elif form_name == "service":
        form = forms.ServiceForm(request.POST)
        if form.is_valid() and attempt(request, lambda: services.service_record_add(
                actor=request.user, household=item, kind=form.cleaned_data["kind"],
                served_on=form.cleaned_data["served_on"], provider=form.cleaned_data["provider"],
                description=form.cleaned_data["description"]), "服务记录已保存"):
            return redirect("monitoring:household", household_id=household_id)
    elif form_name == "visit":
        form = forms.VisitForm(request.POST, request.FILES)
        if form.is_valid() and attempt(request, lambda: services.visit_record(
                actor=request.user, household=item, visited_on=form.cleaned_data["visited_on"],
                visitors=form.cleaned_data["visitors"], findings=form.cleaned_data["findings"],
                attachments=form.cleaned_data["attachments"]), "走访记录已保存"):
            return redirect("monitoring:household", household_id=household_id)
    return render(request, "monitoring/household.html", {
        "household": item, "members": registry_selectors.household_members(item).select_related("person"),
        "labels": selectors.labels_for(request.user, household_id=household_id),
        "services": selectors.services_for(request.user, household_id=household_id),
        "visits": selectors.visits_for(request.user, household_id=household_id),
        "label_form": forms.LabelForm(), "service_form": forms.ServiceForm(), "visit_form": forms.VisitForm(),
        "can_write": can(request.user, "monitoring.field_work")})


@login_required
def attachment_download(request: HttpRequest, visit_id: int, attachment_id: int) -> FileResponse:
    visit = _get(lambda: selectors.visit_get(request.user, visit_id))
    attachment = _get(lambda: visit.attachments.get(pk=attachment_id))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def advisors(request: HttpRequest) -> HttpResponse:
    advisor_choices = list(selectors.advisors_in_scope(request.user))
    committees = list(selectors.committees_in_scope(request.user))
    if request.method == "POST":
        if request.POST.get("form") == "end":
            assignment = _get(lambda: selectors.assignments_visible(request.user).get(pk=int(request.POST.get("assignment", ""))))
            attempt(request, lambda: services.advisor_assignment_end(actor=request.user, assignment=assignment),
                     "联系关系已结束")
            return redirect("monitoring:advisors")
        form = forms.AssignmentForm(request.POST, advisors=advisor_choices, committees=committees)
        if form.is_valid():
            advisor = next(a for a in advisor_choices if str(a.pk) == form.cleaned_data["advisor"])
            committee = Division.objects.get(code=form.cleaned_data["committee"])
            if attempt(request, lambda: services.advisor_assignment_create(
                    actor=request.user, advisor=advisor, committee=committee), "已指派救助顾问"):
                return redirect("monitoring:advisors")
    return render(request, "monitoring/advisors.html", {
        "assignments": selectors.assignments_visible(request.user),
        "form": forms.AssignmentForm(advisors=advisor_choices, committees=committees),
        "can_assign": can(request.user, "monitoring.manage")})
