"""Pages of the major-event reports, the reminders for unfiled annual reports and the
sector dashboard (ADR 0044). Thin views over :mod:`.major_events`, :mod:`.reminders`
and :mod:`.dashboard`: reads scoped (another organization → 404), actions guarded
(wrong role → 403), broken rules shown as messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import can, require
from minzheng.core.street_dashboards import board_tables
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.jobs.services import job_start
from minzheng.social_orgs import dashboard, event_forms, major_events, reminders, selectors
from minzheng.social_orgs.event_tables import EventFilter, EventTable, UnfiledFilter, UnfiledTable
from minzheng.social_orgs.models import EventStatus, OrgKind, OrgStatus
from minzheng.social_orgs.reminder_jobs import REMIND_ALL


class EventListView(StaffListView):
    """重大事项报告: filters by kind, status, year; Excel export."""

    permission = "social_orgs.view"
    title = "社会组织重大事项报告"
    export_name = "社会组织重大事项报告"
    table_class = EventTable
    filterset_class = EventFilter
    template_name = "social_orgs/event_list.html"

    def rows(self):
        return selectors.events_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_report"] = can(self.request.user, "social_orgs.event_report")
        return context


event_list = EventListView.as_view()


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.event_report")
    today = timezone.localdate()
    own = selectors.own_organization(request.user)
    form = event_forms.EventForm(request.POST or None, initial={"organization": own.pk if own else None,
                                                                "event_on": today})
    visible = selectors.organizations_visible(request.user).filter(status=OrgStatus.NORMAL).order_by("name")
    form.fields["organization"].choices = list(visible.values_list("pk", "name")[:2000])
    if request.method == "POST" and form.is_valid():
        try:
            organization = selectors.organization_get(request.user, form.cleaned_data["organization"])
            event = major_events.event_report(actor=request.user, organization=organization, today=today,
                                              **form.service_values())
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, "已报告重大事项")
            return redirect("social_orgs:event_detail", event.pk)
    return render(request, "social_orgs/event_form.html", {"form": form, "own": own},
                  status=422 if form.errors else 200)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.view")
    event = selectors.event_get(request.user, pk)
    return render(request, "social_orgs/event_detail.html", {
        "event": event,
        "review": can(request.user, "social_orgs.event_review") and event.status == EventStatus.REPORTED,
        "supplement": can(request.user, "social_orgs.event_report") and event.status == EventStatus.SUPPLEMENT,
        "review_form": event_forms.EventReviewForm(initial={"on": timezone.localdate()}),
        "supplement_form": event_forms.EventSupplementForm()})


@login_required
@require_POST
def event_review(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk)
    require(request.user, "social_orgs.event_review")
    form = event_forms.EventReviewForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: major_events.event_review(actor=request.user, event=event,
                                                           today=timezone.localdate(), **form.cleaned_data),
                "已审查")
    return redirect("social_orgs:event_detail", event.pk)


@login_required
@require_POST
def event_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk)
    require(request.user, "social_orgs.event_report")
    form = event_forms.EventSupplementForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: major_events.event_supplement(actor=request.user, event=event,
                                                               today=timezone.localdate(), **form.service_values()),
                "已补充，等待审查")
    return redirect("social_orgs:event_detail", event.pk)


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = year_parse(request.GET.get("year") or reminders.report_year(today), "报告年度")
    except ValidationError as err:
        messages.error(request, error_text(err))
        return reminders.report_year(today)
    if year >= today.year:
        messages.error(request, f"报告年度应为{today.year - 1}年或以前")
        return reminders.report_year(today)
    return year


class UnfiledListView(StaffListView):
    """年度报告未报送的社会组织 (for a report year): remind one, or all as a background job."""

    permission = "social_orgs.figures"
    title = "年度报告催报"
    export_name = "年度报告未报送的社会组织"
    table_class = UnfiledTable
    filterset_class = UnfiledFilter
    template_name = "social_orgs/unfiled_list.html"

    def rows(self):
        self.year = _year(self.request)
        return reminders.unfiled(self.request.user, self.year)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(year=self.year, years=list(range(today.year - 1, today.year - 6, -1)),
                       can_remind=can(self.request.user, "social_orgs.remind"),
                       remind_form=event_forms.ReminderForm(), bulk_form=event_forms.BulkReminderForm())
        return context


unfiled_list = UnfiledListView.as_view()


@login_required
@require_POST
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.remind")
    organization = selectors.organization_get(request.user, pk)
    year = _year(request)
    form = event_forms.ReminderForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: reminders.reminder_send(actor=request.user, organization=organization, year=year,
                                                         today=timezone.localdate(), **form.cleaned_data),
                f"已催报{organization.name}的{year}年度报告")
    if request.POST.get("next") == "detail":
        return redirect("social_orgs:detail", organization.pk)
    return redirect(f"{reverse('social_orgs:unfiled_list')}?year={year}")


@login_required
@require_POST
def reminders_send_all(request: HttpRequest) -> HttpResponse:
    """催报 every organization still unfiled (optionally of one kind), as a background job."""
    require(request.user, "social_orgs.remind")
    year = _year(request)
    form = event_forms.BulkReminderForm(request.POST)
    if not form_valid(request, form):
        return redirect(f"{reverse('social_orgs:unfiled_list')}?year={year}")
    try:
        job = job_start(actor=request.user, kind=REMIND_ALL.code,
                        params={"year": str(year), "channel": form.cleaned_data["channel"],
                                "kind": form.cleaned_data["kind"]})
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect(f"{reverse('social_orgs:unfiled_list')}?year={year}")
    messages.success(request, f"正在后台催报（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def sector_dashboard(request: HttpRequest) -> HttpResponse:
    """社会组织工作台: headline figures, the board's sections by street, one street by committee."""
    require(request.user, "social_orgs.figures")
    today = timezone.localdate()
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    chosen = next((s for s in streets if s.code == request.GET.get("street")), None)
    if request.GET.get("street") and chosen is None:
        messages.error(request, "请选择本区的街镇")
    return render(request, "social_orgs/dashboard.html", {
        "today": today, "headline": dashboard.headline(request.user, today),
        "sections": board_tables(dashboard.BOARD, request.user, today), "streets": streets, "street": chosen,
        "kinds": OrgKind.labels, "committees": dashboard.committees_of(request.user, chosen) if chosen else None})
