"""Pages of the zombie-organization work (僵尸型社会组织, ADR 0042): the detection list on an
as-of date (reasons in Chinese with their evidence) with the long-period parameter, one
organization's activity and contact records, the clean-up cases (list, one case with its
steps, the notice and the public notice as PDFs)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

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

from minzheng.core.bounds import day_parse
from minzheng.core.list_filters import ScopedListFilters
from minzheng.core.lists import StaffListView, StaffTable
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.social_orgs import selectors, zombie_forms, zombie_selectors, zombie_services, zombies
from minzheng.social_orgs.models import OPEN_CASE_STATUSES, CaseStatus, InactivityPeriod, ZombieCase
from minzheng.social_orgs.zombie_letters import announcement_pdf, notice_pdf

NOWRAP = {"td": {"class": "text-nowrap"}}


@login_required
def zombie_list(request: HttpRequest) -> HttpResponse:
    """僵尸型社会组织: the organizations meeting any situation on the as-of date."""
    require(request.user, "social_orgs.zombies_view")
    today = timezone.localdate()
    as_of = today
    if request.GET.get("as_of"):
        try:
            as_of = day_parse(request.GET["as_of"], "查验日期", latest=today)
        except ValidationError as err:
            messages.error(request, error_text(err))
    findings = zombies.detect(selectors.organizations_visible(request.user), as_of)
    open_cases = dict(zombie_selectors.cases_visible(request.user).filter(status__in=OPEN_CASE_STATUSES)
                      .values_list("organization_id", "pk"))
    manage = can(request.user, "social_orgs.zombies_manage")
    return render(request, "social_orgs/zombie_list.html", {
        "as_of": as_of, "today": today, "findings": [(f, open_cases.get(f.organization.pk)) for f in findings],
        "counts": {label: sum(1 for f in findings if code in f.reasons) for code, label in zombies.Reason.choices},
        "period": zombies.period_in_force(as_of), "periods": InactivityPeriod.objects.all()[:10],
        "manage": manage, "open_allowed": manage and as_of == today,
        "period_form": zombie_forms.PeriodForm(initial={"effective_from": today}) if manage else None,
        "own": selectors.own_organization(request.user), "records_from": zombies.RECORDS_FROM})


@login_required
@require_POST
def period_enter(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.zombies_manage")
    form = zombie_forms.PeriodForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: zombie_services.period_enter(actor=request.user, **form.cleaned_data),
                "已录入长期未开展活动期限")
    return redirect("social_orgs:zombie_list")


@login_required
def organization_records(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: today's finding, its activities and (staff) contact attempts, the forms."""
    require(request.user, "social_orgs.zombies_view")
    organization = selectors.organization_get(request.user, pk)
    today = timezone.localdate()
    manage = can(request.user, "social_orgs.zombies_manage")
    return render(request, "social_orgs/zombie_records.html", {
        "organization": organization, "finding": zombies.finding_for(organization, today), "today": today,
        "activities": zombie_selectors.activities_visible(request.user).filter(organization=organization)[:100],
        "attempts": zombie_selectors.attempts_visible(request.user).filter(organization=organization)[:100],
        "cases": zombie_selectors.cases_visible(request.user).filter(organization=organization),
        "manage": manage, "record": can(request.user, "social_orgs.activity_record"),
        "activity_form": zombie_forms.ActivityForm(initial={"held_on": today}),
        "contact_form": zombie_forms.ContactForm(initial={"tried_on": today})})


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.activity_record")
    organization = selectors.organization_get(request.user, pk)
    form = zombie_forms.ActivityForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: zombie_services.activity_record(
            actor=request.user, organization=organization, today=timezone.localdate(), **form.cleaned_data),
                "已登记活动记录")
    return redirect("social_orgs:zombie_records", organization.pk)


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.zombies_manage")
    organization = selectors.organization_get(request.user, pk)
    form = zombie_forms.ContactForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: zombie_services.contact_record(
            actor=request.user, organization=organization, today=timezone.localdate(), **form.cleaned_data),
                "已登记联系记录")
    return redirect("social_orgs:zombie_records", organization.pk)


@login_required
@require_POST
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.zombies_manage")
    organization = selectors.organization_get(request.user, pk)
    try:
        case = zombie_services.case_open(actor=request.user, organization=organization, today=timezone.localdate())
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("social_orgs:zombie_records", organization.pk)
    messages.success(request, "已立案，请发出限期整改通知")
    return redirect("social_orgs:zombie_case", case.pk)


class CaseTable(StaffTable):
    organization = tables.Column("社会组织", accessor="organization__name",
                                 linkify=lambda record: reverse("social_orgs:zombie_case", args=[record.pk]))
    opened_on = tables.DateColumn(verbose_name="立案日期", format="Y-m-d", attrs=NOWRAP)
    reasons = tables.Column("认定情形", orderable=False)
    status = tables.Column("状态", attrs=NOWRAP)
    deadline = tables.DateColumn(verbose_name="整改期限", format="Y-m-d", attrs=NOWRAP, default="—")

    class Meta(StaffTable.Meta):
        model = ZombieCase
        attrs = {**StaffTable.Meta.attrs, "id": "zombie-cases"}
        fields = ("organization", "opened_on", "reasons", "status", "deadline")
        sequence = fields

    def render_reasons(self, value: list[str]) -> str:
        return "、".join(zombies.Reason(code).label for code in value if code in zombies.Reason.values)

    def value_reasons(self, value: list[str]) -> str:
        return self.render_reasons(value)


class CaseFilter(ScopedListFilters):
    q = django_filters.CharFilter(label="社会组织", field_name="organization__name", lookup_expr="contains",
                                  max_length=100)
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="立案年度", field_name="opened_on__year", min_value=2000, max_value=2099)

    class Meta:
        model = ZombieCase
        fields: list[str] = []


class CaseListView(StaffListView):
    """清理整治案件: every case with its step; filters and Excel."""

    permission = "social_orgs.zombies_view"
    title = "僵尸型社会组织清理整治案件"
    export_name = "僵尸型社会组织清理整治案件"
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "social_orgs/zombie_case_list.html"

    def rows(self):
        return zombie_selectors.cases_visible(self.request.user)


case_list = CaseListView.as_view()


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.zombies_view")
    case = zombie_selectors.case_get(request.user, pk)
    today = timezone.localdate()
    manage = can(request.user, "social_orgs.zombies_manage")
    return render(request, "social_orgs/zombie_case_detail.html", {
        "case": case, "manage": manage, "today": today,
        "overdue": case.status == CaseStatus.NOTIFIED and case.deadline is not None and case.deadline < today,
        "notice_form": zombie_forms.NoticeForm(initial={"notice_on": today, "deadline": today + dt.timedelta(days=30)}),
        "rectify_form": zombie_forms.RectifyForm(initial={"on": today}),
        "revoke_form": zombie_forms.RevokeForm(initial={"on": today})})


def _step(request: HttpRequest, pk: int, form_class: Any, call: Any, success: str) -> HttpResponse:
    require(request.user, "social_orgs.zombies_manage")
    case = zombie_selectors.case_get(request.user, pk)
    form = form_class(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: call(case, form.cleaned_data), success)
    return redirect("social_orgs:zombie_case", case.pk)


@login_required
@require_POST
def case_notify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, zombie_forms.NoticeForm, lambda c, d: zombie_services.case_notify(
        actor=request.user, case=c, today=timezone.localdate(), **d), "已发出限期整改通知")


@login_required
@require_POST
def case_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, zombie_forms.RectifyForm, lambda c, d: zombie_services.case_rectify(
        actor=request.user, case=c, today=timezone.localdate(), **d), "已登记整改完成，案件办结")


@login_required
@require_POST
def case_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, zombie_forms.RevokeForm, lambda c, d: zombie_services.case_revoke(
        actor=request.user, case=c, today=timezone.localdate(), **d), "已撤销登记，可下载撤销登记公告")


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def case_notice(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.zombies_view")
    case = zombie_selectors.case_get(request.user, pk)
    if not case.notice_number:
        messages.error(request, "尚未发出限期整改通知")
        return redirect("social_orgs:zombie_case", case.pk)
    return _pdf(notice_pdf(case), f"限期整改通知书-{case.pk}.pdf")


@login_required
def case_announcement(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.zombies_view")
    case = zombie_selectors.case_get(request.user, pk)
    if case.status != CaseStatus.REVOKED:
        messages.error(request, "尚未撤销登记，没有撤销登记公告")
        return redirect("social_orgs:zombie_case", case.pk)
    return _pdf(announcement_pdf(case), f"撤销登记公告-{case.pk}.pdf")
