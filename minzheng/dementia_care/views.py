"""Pages of 认知障碍风险筛查 (ADR 0034): the list, a new screening, one
screening with its referral and follow-ups, the figures by street."""

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
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.dementia_care import forms, selectors, services
from minzheng.dementia_care.filters import ScreeningFilter
from minzheng.dementia_care.tables import ScreeningTable
from minzheng.registry.selectors import person_get


class ScreeningListView(StaffListView):
    permission = "dementia_care.view"
    title = "认知障碍风险筛查"
    export_name = "认知障碍风险筛查"
    table_class = ScreeningTable
    filterset_class = ScreeningFilter
    template_name = "dementia_care/screening_list.html"

    def rows(self):
        return selectors.screenings_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = can(self.request.user, "dementia_care.record")
        return context


screening_list = ScreeningListView.as_view()


@login_required
def screening_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "dementia_care.record")
    form = bind_pickers(forms.ScreeningForm(request.POST or None, initial={"screened_on": timezone.localdate()}),
                        request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_get(request.user, data["person"])
        except Http404:
            form.add_error("person", "没有这个人员，或不在您的辖区内")
        else:
            try:
                screening = services.screening_record(
                    actor=request.user, person=person, tool=data["tool"], score=data["score"],
                    screened_on=data["screened_on"], screener=data["screener"], risk_level=data["risk_level"],
                    note=data["note"])
            except ValidationError as err:
                form.add_error(None, error_text(err))
            else:
                messages.success(request, "已登记筛查")
                return redirect("dementia_care:screening_detail", screening.pk)
    return render(request, "dementia_care/screening_form.html", {"form": form, "tools": selectors.tools()},
                  status=422 if form.errors else 200)


@login_required
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get(request.user, pk)
    today = timezone.localdate()
    return render(request, "dementia_care/screening_detail.html", {
        "s": screening, "follow_ups": screening.follow_ups.all(), "record": can(request.user, "dementia_care.record"),
        "referral_form": forms.ReferralForm(initial={"referred_on": today, "referral_to": screening.referral_to}),
        "follow_up_form": forms.FollowUpForm(initial={"visited_on": today})})


@login_required
@require_POST
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get(request.user, pk)
    form = forms.ReferralForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.referral_record(actor=request.user, screening=screening,
                                                          **form.cleaned_data), "已登记转介")
    return redirect("dementia_care:screening_detail", screening.pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get(request.user, pk)
    form = forms.FollowUpForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.follow_up_record(actor=request.user, screening=screening,
                                                           **form.cleaned_data), "已登记随访")
    return redirect("dementia_care:screening_detail", screening.pk)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    require(request.user, "dementia_care.view")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    rows = selectors.counts_by_street(request.user, year)
    return render(request, "dementia_care/figures.html", {
        "year": year, "rows": rows, "figure": selectors.year_figure(year), "tools": selectors.tools(),
        "total": sum(r.screenings for r in rows), "positive": sum(r.positive for r in rows),
        "high": sum(r.high for r in rows), "referred": sum(r.referred for r in rows)})
