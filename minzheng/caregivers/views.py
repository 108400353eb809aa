"""Pages of the caregiver register (ADR 0028): list with the certified share,
one caregiver with training and awards, forms. Reads scoped through the
employer (out of scope → 404), actions guarded (wrong role → 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.care_facilities.selectors import facilities_visible
from minzheng.caregivers import forms, selectors, services
from minzheng.caregivers.figures import share_by_employer, share_total, trained_progress
from minzheng.caregivers.filters import CaregiverFilter
from minzheng.caregivers.tables import CaregiverTable
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid


class CaregiverListView(StaffListView):
    permission = "caregivers.view"
    title = "养老护理员"
    export_name = "养老护理员清单"
    table_class = CaregiverTable
    filterset_class = CaregiverFilter
    template_name = "caregivers/caregiver_list.html"

    def rows(self):
        return selectors.caregivers_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        shares = share_by_employer(user)
        employers = {f.pk: f for f in facilities_visible(user).filter(pk__in=list(shares))}
        context.update(can_manage=can(user, "caregivers.manage"), total=share_total(user),
                       trained=trained_progress(user, today.year),
                       shares=sorted(((employers[pk], s) for pk, s in shares.items() if pk in employers),
                                     key=lambda pair: (pair[0].street_id, pair[0].name)))
        return context


caregiver_list = CaregiverListView.as_view()


def _employers(user):
    return facilities_visible(user).order_by("street_id", "name")


@login_required
def caregiver_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "caregivers.view")
    caregiver = selectors.caregiver_get(request.user, pk)
    return render(request, "caregivers/caregiver_detail.html", {
        "caregiver": caregiver, "manage": can(request.user, "caregivers.manage"),
        "trainings": caregiver.trainings.all(), "awards": caregiver.awards.all(),
        "training_form": forms.TrainingForm(), "award_form": forms.AwardForm(initial={
            "year": timezone.localdate().year})})


@login_required
def caregiver_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "caregivers.manage")
    form = forms.CaregiverNewForm(request.POST or None, employers=_employers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            caregiver = services.caregiver_create(actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记护理员{caregiver.name}")
            return redirect("caregivers:detail", caregiver.pk)
    return render(request, "caregivers/caregiver_form.html", {"form": form, "title": "登记养老护理员"},
                  status=422 if form.errors else 200)


@login_required
def caregiver_edit(request: HttpRequest, pk: int) -> HttpResponse:
    caregiver = selectors.caregiver_get(request.user, pk)
    require(request.user, "caregivers.manage")
    initial = {f: getattr(caregiver, f) for f in services.UPDATE_FIELDS}
    form = forms.CaregiverEditForm(request.POST or None, initial=initial, employers=_employers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.caregiver_update(actor=request.user, caregiver=caregiver, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, "已保存")
            return redirect("caregivers:detail", caregiver.pk)
    return render(request, "caregivers/caregiver_form.html",
                  {"form": form, "caregiver": caregiver, "title": f"修改{caregiver.name}"},
                  status=422 if form.errors else 200)



@login_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    caregiver = selectors.caregiver_get(request.user, pk)
    form = forms.TrainingForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.training_add(actor=request.user, caregiver=caregiver, **form.cleaned_data),
                "已登记培训")
    return redirect("caregivers:detail", caregiver.pk)


@login_required
@require_POST
def award_add(request: HttpRequest, pk: int) -> HttpResponse:
    caregiver = selectors.caregiver_get(request.user, pk)
    form = forms.AwardForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.award_add(actor=request.user, caregiver=caregiver, **form.cleaned_data),
                "已登记获奖")
    return redirect("caregivers:detail", caregiver.pk)
