"""Pages of the annual report / inspection (年报年检, ADR 0039): the list, filing
(the organization's own account, or the section for it), one report with the
review, and the filing rate by kind and supervising unit."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import year_parse
from minzheng.core.list_filters import ScopedListFilters
from minzheng.core.lists import StaffListView, StaffTable
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.social_orgs import annual_reports, forms, selectors
from minzheng.social_orgs.models import AnnualReport, Conclusion, OrgStatus, ReportStatus

NOWRAP = {"td": {"class": "text-nowrap"}}


class ReportTable(StaffTable):
    organization = tables.Column("社会组织", accessor="organization__name",
                                 linkify=lambda record: reverse("social_orgs:report_detail", args=[record.pk]))
    year = tables.Column("报告年度", attrs=NOWRAP)
    filed_on = tables.DateColumn(verbose_name="提交日期", format="Y-m-d", attrs=NOWRAP)
    status = tables.Column("状态", attrs=NOWRAP)
    conclusion = tables.Column("年检结论", attrs=NOWRAP, default="—")

    class Meta(StaffTable.Meta):
        model = AnnualReport
        attrs = {**StaffTable.Meta.attrs, "id": "reports"}
        fields = ("organization", "year", "filed_on", "status", "conclusion")
        sequence = fields


class ReportFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    year = django_filters.NumberFilter(label="报告年度", min_value=2000, max_value=2099)
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices, empty_label="全部")
    conclusion = django_filters.ChoiceFilter(label="年检结论", choices=Conclusion.choices, empty_label="全部")

    class Meta:
        model = AnnualReport
        fields: list[str] = []


class ReportListView(StaffListView):
    permission = "social_orgs.view"
    title = "社会组织年度报告（年检）"
    export_name = "社会组织年度报告"
    table_class = ReportTable
    filterset_class = ReportFilter
    template_name = "social_orgs/report_list.html"

    def rows(self):
        return selectors.reports_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_file"] = can(self.request.user, "social_orgs.report_file")
        context["can_figures"] = can(self.request.user, "social_orgs.figures")
        return context


report_list = ReportListView.as_view()


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.report_file")
    today = timezone.localdate()
    own = selectors.own_organization(request.user)
    form = forms.ReportForm(request.POST or None, initial={"organization": own.pk if own else None,
                                                           "year": today.year - 1})
    visible = selectors.organizations_visible(request.user).filter(status=OrgStatus.NORMAL).order_by("name")
    form.fields["organization"].choices = list(visible.values_list("pk", "name")[:2000])
    form.fields["year"].choices = [(y, f"{y}年度") for y in range(today.year - 1, today.year - 4, -1)]
    if request.method == "POST" and form.is_valid():
        try:
            organization = selectors.organization_get(request.user, form.cleaned_data["organization"])
            report = annual_reports.report_file(actor=request.user, organization=organization, today=today,
                                                **form.service_values())
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已提交{report.year}年度报告")
            return redirect("social_orgs:report_detail", report.pk)
    return render(request, "social_orgs/report_form.html", {"form": form, "own": own},
                  status=422 if form.errors else 200)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.view")
    report = selectors.report_get(request.user, pk)
    review = can(request.user, "social_orgs.report_review") and report.status == ReportStatus.FILED
    return render(request, "social_orgs/report_detail.html", {
        "report": report, "review": review,
        "review_form": forms.ReviewForm(initial={"on": timezone.localdate()})})


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: annual_reports.report_review(actor=request.user, report=report,
                                                              today=timezone.localdate(), **form.cleaned_data),
                "已作出年检结论")
    return redirect("social_orgs:report_detail", report.pk)


@login_required
def filing_rate(request: HttpRequest) -> HttpResponse:
    """参检率 by kind and supervising unit for a report year."""
    require(request.user, "social_orgs.figures")
    today = timezone.localdate()
    try:
        year = year_parse(request.GET.get("year") or today.year - 1, "报告年度")
    except ValidationError as err:
        messages.error(request, error_text(err))
        year = today.year - 1
    return render(request, "social_orgs/filing_rate.html", {
        "year": year, "years": list(range(today.year - 1, today.year - 7, -1)),
        "rates": annual_reports.filing_rate(request.user, year)})
