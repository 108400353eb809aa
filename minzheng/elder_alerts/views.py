"""Pages of 一键通 and the home-safety alerts (ADR 0033) for committees, streets
and the bureau. Thin views over ``selectors`` and ``services``: reads scoped
(another committee's record → 404), actions guarded (wrong role → 403),
broken rules shown as messages."""

from __future__ import annotations

import datetime as dt
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
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.elder_alerts import forms, selectors, services
from minzheng.elder_alerts.filters import (
    CallDeviceFilter,
    CallFilter,
    SensorDeviceFilter,
    TaskFilter,
)
from minzheng.elder_alerts.jobs import CALLS_IMPORT, READINGS_IMPORT, SCAN, UNTIL_FORMAT
from minzheng.elder_alerts.models import CallKind, FeedKind, Outcome, RuleCode, TaskKind, TaskStatus
from minzheng.elder_alerts.tables import CallDeviceTable, CallTable, SensorDeviceTable, TaskTable
from minzheng.jobs.services import job_start, upload_discard, upload_store
from minzheng.registry.models import Person
from minzheng.registry.selectors import person_get

CRUMBS = (("一键通和呼叫", "/eldercare/alerts/"),)


class CallDeviceListView(StaffListView):
    permission = "elder_alerts.view"
    title = "一键通终端"
    table_class = CallDeviceTable
    filterset_class = CallDeviceFilter
    template_name = "elder_alerts/device_list.html"
    crumbs = CRUMBS

    def rows(self):
        return selectors.call_devices(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"can_add": can(self.request.user, "elder_alerts.devices"),
                                                     "new_url": "elder_alerts:call_device_new"}


class SensorListView(StaffListView):
    permission = "elder_alerts.view"
    title = "居家安全监测设备"
    table_class = SensorDeviceTable
    filterset_class = SensorDeviceFilter
    template_name = "elder_alerts/device_list.html"

    def rows(self):
        return selectors.sensor_devices(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"can_add": can(self.request.user, "elder_alerts.devices"),
                                                     "new_url": "elder_alerts:sensor_new"}


class CallListView(StaffListView):
    permission = "elder_alerts.view"
    title = "一键通呼叫记录"
    table_class = CallTable
    filterset_class = CallFilter
    crumbs = CRUMBS

    def rows(self):
        return selectors.calls(self.request.user)


class TaskListView(StaffListView):
    permission = "elder_alerts.view"
    title = "居家安全提醒和处置任务"
    table_class = TaskTable
    filterset_class = TaskFilter
    template_name = "elder_alerts/task_list.html"

    def rows(self):
        return selectors.tasks(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "overdue": selectors.tasks_overdue(user)[:50], "can_rules": can(user, "elder_alerts.rules"),
            "may_import": can(user, "elder_alerts.import")}


call_device_list = CallDeviceListView.as_view()
sensor_list = SensorListView.as_view()
call_list = CallListView.as_view()
task_list = TaskListView.as_view()


def _person(request: HttpRequest, pk: int) -> Person:
    try:
        return person_get(request.user, pk)
    except Person.DoesNotExist:
        raise Http404("未找到该人员，或不在您的辖区内") from None


@login_required
def call_device_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "elder_alerts.devices")
    form = bind_pickers(forms.CallDeviceForm(request.POST or None, initial={"installed_on": timezone.localdate()}),
                        request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device = services.call_device_create(actor=request.user, person=_person(request, data["person"]),
                                                 number=data["number"], installed_on=data["installed_on"],
                                                 status=data["status"], note=data["note"])
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记一键通终端 {device.number}")
            return redirect("elder_alerts:call_device_list")
    return render(request, "elder_alerts/form.html", {"form": form, "title": "登记一键通终端"},
                  status=422 if form.errors else 200)


@login_required
def sensor_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "elder_alerts.devices")
    form = bind_pickers(forms.SensorDeviceForm(request.POST or None, initial={"installed_on": timezone.localdate()}),
                        request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device = services.sensor_device_create(actor=request.user, person=_person(request, data["person"]),
                                                   kind=data["kind"], number=data["number"],
                                                   installed_on=data["installed_on"], quiet_hours=data["quiet_hours"])
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{device.get_kind_display()} {device.number}")
            return redirect("elder_alerts:sensor_list")
    return render(request, "elder_alerts/form.html", {"form": form, "title": "登记居家安全监测设备"},
                  status=422 if form.errors else 200)


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    form = forms.CallResponseForm(request.POST or None, initial={
        "responder": call.responder, "dispatched_at": _local(call.dispatched_at),
        "arrived_at": _local(call.arrived_at), "resolved_at": _local(call.resolved_at)})
    if request.method == "POST":
        require(request.user, "elder_alerts.respond")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.call_response_record(
                    actor=request.user, call=call, responder=data["responder"], dispatched_at=data["dispatched_at"],
                    arrived_at=data["arrived_at"], resolved_at=data["resolved_at"]), "已保存派单和到达情况"):
                return redirect("elder_alerts:call_detail", call.pk)
    limit = selectors.thresholds().get(call.kind)
    return render(request, "elder_alerts/call_detail.html", {
        "call": call, "form": form, "limit": limit, "can_respond": can(request.user, "elder_alerts.respond")})


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


@login_required
def call_figures(request: HttpRequest) -> HttpResponse:
    """Coverage by street, response-time figures by kind and street, the overdue list."""
    require(request.user, "elder_alerts.view")
    try:
        days = max(1, min(366, int(request.GET.get("days", "30"))))
    except ValueError:
        days = 30
    now = timezone.now()
    since = now - dt.timedelta(days=days)
    figures = selectors.response_figures(request.user, since, now, now)
    kinds = [(code, label, figures.by_kind[code]) for code, label in CallKind.choices]
    street_rows = []
    for street_code in sorted(figures.by_street):
        street_rows.append((figures.streets.get(street_code, street_code),
                            [(label, figures.by_kind_street.get((code, street_code))) for code, label in CallKind.choices],
                            figures.by_street[street_code]))
    return render(request, "elder_alerts/call_figures.html", {
        "days": days, "coverage": selectors.coverage_by_street(request.user, timezone.localdate()),
        "kinds": kinds, "street_rows": street_rows, "total": figures.total, "thresholds": selectors.thresholds(),
        "kind_labels": dict(CallKind.choices), "overdue": selectors.overdue_calls(request.user, now, since)[:100],
        "min_p50": selectors.MIN_FOR_P50, "min_p90": selectors.MIN_FOR_P90, "age": selectors.ELDER_AGE})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk)
    form = forms.TaskCloseForm(request.POST or None)
    allowed = ([o for o in Outcome if o != Outcome.REPAIRED] if task.kind == TaskKind.VISIT
               else [Outcome.REPAIRED, Outcome.FALSE_ALARM])
    form.fields["outcome"].choices = [(o.value, o.label) for o in allowed]
    if request.method == "POST":
        require(request.user, "elder_alerts.task")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.task_close(
                    actor=request.user, task=task, outcome=data["outcome"], cause=data["cause"], note=data["note"],
                    visited_at=data["visited_at"]), "任务已办结"):
                return redirect("elder_alerts:task_detail", task.pk)
    person = task.alert.person
    return render(request, "elder_alerts/task_detail.html", {
        "task": task, "alert": task.alert, "person": person, "form": form, "now": timezone.now(),
        "overdue": task.is_overdue(timezone.now()), "open": task.status == TaskStatus.OPEN,
        "can_close": can(request.user, "elder_alerts.task"),
        "alone": person.pk in selectors.living_alone([person.pk])})


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    require(request.user, "elder_alerts.view")
    return render(request, "elder_alerts/rules.html", {
        "rules": selectors.rules(), "thresholds": sorted(selectors.thresholds().items()),
        "kind_labels": dict(CallKind.choices), "can_edit": can(request.user, "elder_alerts.rules"),
        "water": RuleCode.WATER_QUIET, "gas": RuleCode.GAS_ALARM})


@login_required
@require_POST
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "elder_alerts.rules")
    rule = selectors.rules().filter(pk=pk).first()
    if rule is None:
        raise Http404("没有这条规则")
    form = forms.RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        attempt(request, lambda: services.rule_update(actor=request.user, rule=rule, **form.cleaned_data),
                f"已保存规则“{form.cleaned_data['label']}”")
    return redirect("elder_alerts:rules")


MAX_FEED = 200 * 1024 * 1024
FEED_JOBS = {FeedKind.CALLS: CALLS_IMPORT, FeedKind.SENSORS: READINGS_IMPORT}


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    """数据导入和扫描: the call centre's and the sensors' files, and the alert scan,
    each started as a background job (ADR 0017); the last imports with their problem rows."""
    require(request.user, "elder_alerts.import")
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    return render(request, "elder_alerts/feeds.html", {
        "feed_form": forms.FeedForm(), "scan_form": forms.ScanForm(initial={"until": now}),
        "may_scan": can(request.user, "elder_alerts.scan"),
        "imports": selectors.feed_imports(request.user)[:20]})


@login_required
@require_POST
def feed_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "elder_alerts.import")
    form = forms.FeedForm(request.POST, request.FILES)
    if not form_valid(request, form):
        return redirect("elder_alerts:feeds")
    upload_file = form.cleaned_data["file"]
    if upload_file.size > MAX_FEED:
        messages.error(request, "文件超过 200 MB，请按日拆分后导入")
        return redirect("elder_alerts:feeds")
    stored = upload_store(actor=request.user, name=upload_file.name, content=upload_file.read())
    try:
        job = job_start(actor=request.user, kind=FEED_JOBS[FeedKind(form.cleaned_data["kind"])],
                        params={"upload": stored.pk})
    except ValidationError as err:
        upload_discard(stored)
        messages.error(request, error_text(err))
        return redirect("elder_alerts:feeds")
    messages.success(request, f"文件已上传，正在后台校验并导入（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    require(request.user, "elder_alerts.scan")
    form = forms.ScanForm(request.POST)
    if not form_valid(request, form):
        return redirect("elder_alerts:feeds")
    until = form.cleaned_data["until"]
    if until > timezone.now() + dt.timedelta(minutes=1):
        messages.error(request, "扫描截止时间不能晚于当前时间（之后的数据尚未到达）")
        return redirect("elder_alerts:feeds")
    try:
        job = job_start(actor=request.user, kind=SCAN,
                        params={"until": timezone.localtime(until).strftime(UNTIL_FORMAT)})
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("elder_alerts:feeds")
    messages.success(request, f"正在后台扫描（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)
