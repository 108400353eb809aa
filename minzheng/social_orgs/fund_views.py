"""Pages of the support funds (扶持资金、公益创投, ADR 0043): calls (list, publish, one
call with its applications), applications (list, apply, one application with its
scores, award, instalments and final report) and the yearly figures. The bureau's
section sees and does everything; the auditor reads; an organization's account sees
the calls and only its own applications, applies and files final reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.social_orgs import fund_forms, selectors, support_funds
from minzheng.social_orgs.fund_tables import (
    ApplicationFilter,
    ApplicationTable,
    CallFilter,
    CallTable,
)
from minzheng.social_orgs.models import ApplicationStatus, FundFinalReport, OrgStatus


class CallListView(StaffListView):
    permission = "social_orgs.funds_view"
    title = "扶持资金和公益创投"
    export_name = "扶持资金申报"
    table_class = CallTable
    filterset_class = CallFilter
    template_name = "social_orgs/fund_call_list.html"

    def rows(self):
        return support_funds.calls_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can(self.request.user, "social_orgs.funds_manage")
        context["can_figures"] = can(self.request.user, "social_orgs.funds_figures")
        return context


call_list = CallListView.as_view()


class ApplicationListView(StaffListView):
    permission = "social_orgs.funds_view"
    title = "扶持资金申报项目"
    export_name = "扶持资金申报项目"
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "social_orgs/fund_application_list.html"
    crumbs = (("扶持资金和公益创投", reverse_lazy("social_orgs:fund_calls")),)

    def rows(self):
        return support_funds.applications_visible(self.request.user)


application_list = ApplicationListView.as_view()


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.funds_manage")
    today = timezone.localdate()
    form = fund_forms.CallForm(request.POST or None, initial={"year": today.year, "first_instalment_percent": 70})
    if request.method == "POST" and form.is_valid():
        try:
            call = support_funds.call_create(actor=request.user, today=today, **form.service_values())
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已发布“{call.title}”")
            return redirect("social_orgs:fund_call", call.pk)
    return render(request, "social_orgs/fund_call_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = support_funds.call_get(request.user, pk)
    today = timezone.localdate()
    applications = support_funds.applications_visible(request.user).filter(call=call).order_by("-filed_on", "-id")
    rows = [(a, support_funds.score_summary(a).mean) for a in applications.prefetch_related("scores")]
    awarded = support_funds.awarded_total_fen(call)
    return render(request, "social_orgs/fund_call_detail.html", {
        "call": call, "criteria": call.criteria.all(), "rows": rows,
        "awarded": awarded, "remaining": call.budget_fen - awarded,
        "is_open": call.opens_on <= today <= call.closes_on,
        "can_apply": can(request.user, "social_orgs.funds_apply"),
        "is_staff": not selectors.is_organization_account(request.user)})


@login_required
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.funds_apply")
    call = support_funds.call_get(request.user, pk)
    today = timezone.localdate()
    own = selectors.own_organization(request.user)
    form = fund_forms.ApplicationForm(request.POST or None, initial={"organization": own.pk if own else None})
    visible = selectors.organizations_visible(request.user).filter(status=OrgStatus.NORMAL).order_by("name")
    form.fields["organization"].choices = list(visible.values_list("pk", "name")[:2000])
    if request.method == "POST" and form.is_valid():
        try:
            organization = selectors.organization_get(request.user, form.cleaned_data["organization"])
            application = support_funds.application_file(actor=request.user, call=call, organization=organization,
                                                         today=today, **form.service_values())
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已申报“{application.project_name}”")
            return redirect("social_orgs:fund_application", application.pk)
    return render(request, "social_orgs/fund_application_form.html", {"form": form, "call": call},
                  status=422 if form.errors else 200)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    today = timezone.localdate()
    manage = can(request.user, "social_orgs.funds_manage")
    submitted = application.status == ApplicationStatus.SUBMITTED
    report = FundFinalReport.objects.filter(application=application).first()
    instalments = support_funds.instalments_with_status(application)
    return render(request, "social_orgs/fund_application_detail.html", {
        "application": application, "call": application.call, "summary": support_funds.score_summary(application),
        "sheets": _sheets(application), "instalments": instalments, "report": report,
        "score_form": fund_forms.score_form(application.call) if manage and submitted else None,
        "decide_form": fund_forms.DecideForm(initial={"on": today}) if manage and submitted else None,
        "pay_form": fund_forms.PayForm() if manage and _payable(application) else None,
        "report_form": fund_forms.FinalReportForm()
        if report is None and application.status == ApplicationStatus.AWARDED
        and can(request.user, "social_orgs.funds_apply") else None,
        "review_form": fund_forms.ReportReviewForm(initial={"on": today})
        if manage and report is not None and not report.conclusion else None})


def _sheets(application) -> list[tuple[str, list[int], int]]:
    """Each reviewer's points in the criteria's order, and the total."""
    criteria = [c.pk for c in application.call.criteria.all()]
    by_reviewer: dict[str, dict[int, int]] = {}
    for reviewer, criterion_id, points in application.scores.values_list("reviewer", "criterion_id", "points"):
        by_reviewer.setdefault(reviewer, {})[criterion_id] = points
    return [(r, [p.get(c, 0) for c in criteria], sum(p.values())) for r, p in sorted(by_reviewer.items())]


def _payable(application) -> bool:
    """Is an instalment due now (the pay button)? The service decides; a refusal hides it."""
    try:
        support_funds.next_instalment(application)
    except ValidationError:
        return False
    return True


def _back(application_pk: int) -> HttpResponse:
    return redirect("social_orgs:fund_application", application_pk)


@login_required
@require_POST
def score_record(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    form = fund_forms.score_form(application.call, request.POST)
    if form_valid(request, form):
        attempt(request, lambda: support_funds.score_sheet_record(
            actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"],
            points=fund_forms.score_points(form)), "已录入评审评分")
    return _back(application.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    form = fund_forms.DecideForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: support_funds.award_decide(actor=request.user, application=application,
                                                            today=timezone.localdate(), **form.service_values()),
                "已作出资助决定")
    return _back(application.pk)


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    form = fund_forms.PayForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: support_funds.instalment_request(actor=request.user, application=application,
                                                                  today=timezone.localdate(), **form.cleaned_data),
                "已申请拨付，待纳入一次性补贴发放批次")
    return _back(application.pk)


@login_required
@require_POST
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    form = fund_forms.FinalReportForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: support_funds.final_report_file(actor=request.user, application=application,
                                                                 today=timezone.localdate(),
                                                                 **form.service_values()), "已提交结项报告")
    return _back(application.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = support_funds.application_get(request.user, pk)
    report = FundFinalReport.objects.filter(application=application).first()
    if report is None:
        messages.error(request, "该项目尚未提交结项报告")
        return _back(application.pk)
    form = fund_forms.ReportReviewForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: support_funds.final_report_review(actor=request.user, report=report,
                                                                   today=timezone.localdate(), **form.cleaned_data),
                "已验收结项报告")
    return _back(application.pk)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """扶持资金统计 for a year: organizations supported, money awarded and paid."""
    require(request.user, "social_orgs.funds_figures")
    today = timezone.localdate()
    try:
        year = year_parse(request.GET.get("year") or today.year, "年度")
    except ValidationError as err:
        messages.error(request, error_text(err))
        year = today.year
    return render(request, "social_orgs/fund_figures.html", {
        "year": year, "years": list(range(today.year, today.year - 6, -1)),
        "figures": support_funds.fund_figures(request.user, year)})
