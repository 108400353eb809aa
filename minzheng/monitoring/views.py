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
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from minzheng.casework import selectors as casework_selectors
from minzheng.casework.models import Application
from minzheng.core.lists import StaffListView
from minzheng.core.models import Division, User
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text
from minzheng.jobs.services import job_start
from minzheng.monitoring import filters, forms, selectors, services, tables
from minzheng.monitoring.dashboard_figures import dashboard as dashboard_figures
from minzheng.monitoring.jobs import MONITORING_RUN
from minzheng.monitoring.models import ExitStatus, LeadStatus, TaskStatus
from minzheng.monitoring.month_labels import month_label
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household


def _today() -> dt.date:
    return dt.date.today()


def _get(call: Callable[[], object]):
    """The object ``call`` looks up, or 404 — also for a missing or
    non-numeric id in the submitted form."""
    try:
        return call()
    except (ObjectDoesNotExist, ValueError, TypeError, KeyError) as err:
        raise Http404("未找到该记录") from err


CRUMBS = (("救助工作台", "/monitoring/"),)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = _today()
    figures = dashboard_figures(request.user, today=today)
    chart = {"streets": [r["street"] for r in figures["by_street"]],
             "leads": [r["leads"] for r in figures["by_street"]],
             "converted": [r["converted"] for r in figures["by_street"]],
             "exits": [r["exits"] for r in figures["by_street"]]}
    runs = [{**selectors.run_summary(request.user, run), "run_on_date": run.run_on}
            for run in selectors.runs_recent(6)]
    can_run = can(request.user, "monitoring.run")
    return render(request, "monitoring/dashboard.html", {
        "figures": figures, "chart": chart, "runs": runs, "can_run": can_run,
        "run_form": forms.RunForm(initial={"month": f"{today.year:04d}-{today.month:02d}"}, today=today),
        "today": today,
    })


@login_required
@require_POST
def run_trigger(request: HttpRequest) -> HttpResponse:
    """Start a month's monitoring as a background job and show its page at once
    (ADR 0017); a second start for a month whose batch or run is going is
    refused with a message (the month's job lock)."""
    require(request.user, "monitoring.run")
    form = forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "月份应为 YYYY-MM")
        return redirect("monitoring:dashboard")
    try:
        job = job_start(actor=request.user, kind=MONITORING_RUN.code, params={"month": form.cleaned_data["month"]})
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("monitoring:dashboard")
    messages.success(request, f"{month_label(form.cleaned_data['month'])}动态监测已开始在后台运行（作业 {job.pk}），"
                              "本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    today = _today()
    work = selectors.my_work(request.user, today=today)
    return render(request, "monitoring/my_work.html", {"work": work, "today": today})


class MonitoringListView(StaffListView):
    permission = "monitoring.view"
    crumbs = CRUMBS
    template_name = "monitoring/list_page.html"
    intro = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = self.intro
        return context


class LeadListView(MonitoringListView):
    title = "政策找人线索"
    export_name = "政策找人线索"
    table_class = tables.LeadTable
    filterset_class = filters.LeadFilter

    def rows(self):
        return registry_selectors.prefetch_heads(selectors.lead_list(self.request.user), "household")


class TaskListView(MonitoringListView):
    title = "风险跟进任务"
    export_name = "风险跟进任务"
    table_class = tables.TaskTable
    filterset_class = filters.TaskFilter

    def rows(self):
        return registry_selectors.prefetch_heads(selectors.task_list(self.request.user), "household")


class ExitListView(MonitoringListView):
    title = "应退尽退核实"
    export_name = "应退尽退核实"
    table_class = tables.ExitTable
    filterset_class = filters.ExitFilter

    def rows(self):
        return registry_selectors.prefetch_heads(selectors.exit_list(self.request.user), "household")


class EdgeListView(MonitoringListView):
    title = "边缘家庭监测名单"
    export_name = "边缘家庭"
    table_class = tables.EdgeTable
    filterset_class = filters.EdgeFilter
    intro = ("人均计入收入不低于低保标准（或低保标准的2倍）、且高出不超过监测幅度的本市户籍家庭。"
             "计入收入：就业人员的劳动收入扣除就业人员收入豁免额（见政策参数），养老金和其他收入全额计入。"
             "监测幅度为本系统假设，尚未核实。")

    def rows(self):
        month = self.request.GET.get("month", "")
        return registry_selectors.prefetch_heads(
            selectors.edge_list(self.request.user, month=month), "household").select_related("household__committee")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["months"] = selectors.edge_months(self.request.user)
        return kwargs


class NoticeListView(MonitoringListView):
    title = "免申即享告知"
    export_name = "免申即享告知"
    table_class = tables.NoticeTable
    filterset_class = filters.NoticeFilter
    intro = ("以下人员经数据比对符合条件，无需申请即纳入保障。告知内容：“您符合××的享受条件，自××年××月起按月发放××元，"
             "无需申请。如有疑问请联系所在居村委。”")

    def rows(self):
        return selectors.notice_list(self.request.user)


lead_list = LeadListView.as_view()
task_list = TaskListView.as_view()
exit_list = ExitListView.as_view()
edge_list = EdgeListView.as_view()
notice_list = NoticeListView.as_view()


def _visit(request: HttpRequest, save: Callable[[forms.VisitForm], object]) -> tuple[forms.VisitForm, bool]:
    """The posted visit form and whether it was saved (an invalid form keeps its inline errors)."""
    form = forms.VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请检查走访记录")
        return form, False
    return form, attempt(request, lambda: save(form), "走访记录已保存")


def _record_visit(actor: User, household: Household, form: forms.VisitForm, **about) -> object:
    return services.visit_record(actor=actor, household=household, visited_on=form.cleaned_data["visited_on"],
                                 visitors=form.cleaned_data["visitors"], findings=form.cleaned_data["findings"],
                                 attachments=form.cleaned_data["attachments"], **about)


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(lambda: selectors.lead_get(request.user, pk))
    applications = _applications_for(request.user, lead.household_id)
    close_form = forms.LeadCloseForm(applications=applications)
    visit_form = forms.VisitForm()
    if request.method == "POST" and request.POST.get("form") == "close":
        close_form = forms.LeadCloseForm(request.POST, applications=applications)
        if close_form.is_valid():
            application = None
            if close_form.cleaned_data.get("application_id"):
                application = _get(lambda: casework_selectors.application_get(
                    request.user, close_form.cleaned_data["application_id"]))
            if attempt(request, lambda: services.lead_close(
                    actor=request.user, lead=lead, outcome=close_form.cleaned_data["outcome"],
                    reason=close_form.cleaned_data["reason"], application=application), "线索已办结"):
                return redirect("monitoring:lead_detail", pk=pk)
        else:
            messages.error(request, "请检查填写的内容")
    if request.method == "POST" and request.POST.get("form") == "visit":
        visit_form, saved = _visit(request, lambda f: _record_visit(
            request.user, lead.household, f, person=lead.person, lead=lead))
        if saved:
            return redirect("monitoring:lead_detail", pk=pk)
    return render(request, "monitoring/lead_detail.html", {
        "lead": lead, "reasons": selectors.lead_reasons(lead), "label": selectors.program_label(lead.program),
        "visits": selectors.visits_for(request.user, lead=lead), "close_form": close_form,
        "visit_form": visit_form,
        "can_write": can(request.user, "monitoring.field_work") and lead.status == LeadStatus.OPEN,
        "today": _today()})


def _applications_for(user: User, household_id: int) -> list[Application]:
    return list(casework_selectors.applications_visible(user).filter(household_id=household_id).order_by("-id")[:20])


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(lambda: selectors.task_get(request.user, pk))
    complete_form, visit_form = forms.TaskCompleteForm(), forms.VisitForm()
    if request.method == "POST" and request.POST.get("form") == "complete":
        complete_form = forms.TaskCompleteForm(request.POST)
        if complete_form.is_valid() and attempt(request, lambda: services.task_complete(
                actor=request.user, task=task, result=complete_form.cleaned_data["result"]), "任务已完成"):
            return redirect("monitoring:task_detail", pk=pk)
    if request.method == "POST" and request.POST.get("form") == "visit":
        if task.household is None:
            messages.error(request, "该人员没有家庭，无法登记走访")
        else:
            visit_form, saved = _visit(request, lambda f: _record_visit(
                request.user, task.household, f, person=task.person, task=task))
            if saved:
                return redirect("monitoring:task_detail", pk=pk)
    return render(request, "monitoring/task_detail.html", {
        "task": task, "visits": selectors.visits_for(request.user, task=task),
        "complete_form": complete_form, "visit_form": visit_form,
        "can_write": can(request.user, "monitoring.field_work") and task.status == TaskStatus.OPEN, "today": _today()})


@login_required
def exit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get(lambda: selectors.exit_get(request.user, pk))
    form = forms.ExitResolveForm()
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
        "form": form, "can_resolve": manager and review.status == ExitStatus.OPEN})


@login_required
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        item = registry_selectors.household_get(request.user, household_id)
    except Household.DoesNotExist as err:
        raise Http404("未找到该家庭") from err
    if not selectors.covers_household(request.user, item):
        raise Http404("未找到该家庭")
    label_form, service_form, visit_form = forms.LabelForm(), forms.ServiceForm(), forms.VisitForm()
    form_name = request.POST.get("form") if request.method == "POST" else None
    if form_name == "label":
        label_form = forms.LabelForm(request.POST)
        if label_form.is_valid() and attempt(request, lambda: services.label_add(
                actor=request.user, household=item, label=label_form.cleaned_data["label"],
                note=label_form.cleaned_data["note"]), "标签已添加"):
            return redirect("monitoring:household", household_id=household_id)
    elif form_name == "label_remove":
        label = _get(lambda: selectors.label_get(request.user, int(request.POST.get("label", ""))))
        attempt(request, lambda: services.label_remove(actor=request.user, label=label), "标签已取消")
        return redirect("monitoring:household", household_id=household_id)
    elif form_name == "service":
        service_form = forms.ServiceForm(request.POST)
        if service_form.is_valid() and attempt(request, lambda: services.service_record_add(
                actor=request.user, household=item, kind=service_form.cleaned_data["kind"],
                served_on=service_form.cleaned_data["served_on"], provider=service_form.cleaned_data["provider"],
                description=service_form.cleaned_data["description"]), "服务记录已保存"):
            return redirect("monitoring:household", household_id=household_id)
    elif form_name == "visit":
        visit_form, saved = _visit(request, lambda f: _record_visit(request.user, item, f))
        if saved:
            return redirect("monitoring:household", household_id=household_id)
    return render(request, "monitoring/household.html", {
        "household": item, "members": registry_selectors.household_members(item).select_related("person"),
        "labels": selectors.labels_for(request.user, household_id=household_id),
        "services": selectors.services_for(request.user, household_id=household_id),
        "visits": selectors.visits_for(request.user, household_id=household_id),
        "label_form": label_form, "service_form": service_form, "visit_form": visit_form,
        "can_write": can(request.user, "monitoring.field_work"), "today": _today()})


@login_required
def attachment_download(request: HttpRequest, visit_id: int, attachment_id: int) -> FileResponse:
    visit = _get(lambda: selectors.visit_get(request.user, visit_id))
    attachment = _get(lambda: visit.attachments.get(pk=attachment_id))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def advisors(request: HttpRequest) -> HttpResponse:
    advisor_choices = list(selectors.advisors_in_scope(request.user))
    committees = list(selectors.committees_in_scope(request.user))
    form = forms.AssignmentForm(advisors=advisor_choices, committees=committees)
    if request.method == "POST":
        if request.POST.get("form") == "end":
            assignment = _get(lambda: selectors.assignments_visible(request.user).get(
                pk=int(request.POST.get("assignment", ""))))
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
    can_assign = can(request.user, "monitoring.manage")
    table = tables.AssignmentTable(selectors.assignments_visible(request.user).order_by("street_id", "committee_id"),
                                   can_end=can_assign)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "monitoring/advisors.html", {"table": table, "form": form, "can_assign": can_assign,
                                                        "crumbs": CRUMBS})
