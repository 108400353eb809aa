"""Pages of 流浪乞讨人员救助 (ADR 0038): rescues (list, new, one rescue with its
services, outcome and follow-ups), rescued persons (identify, merge, photos),
campaigns with their warnings and patrol shifts, the year's figures. Reads scoped
by the selectors (outside → 404), writes through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text
from minzheng.homeless_rescue import forms, selectors, services
from minzheng.homeless_rescue.figures_export import XLSX, figures_workbook
from minzheng.homeless_rescue.filters import PersonFilter, RescueFilter
from minzheng.homeless_rescue.models import Identity, Outcome, WeatherWarning
from minzheng.homeless_rescue.photos import photo_bytes
from minzheng.homeless_rescue.tables import PersonTable, RescueTable, with_rescue_count

CRUMBS = (("流浪乞讨人员救助", "/assistance/homeless/"),)


def _errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


class RescueListView(StaffListView):
    """救助记录: filters by name, street, outcome, source, campaign, identity, dates; Excel export."""

    permission = "homeless_rescue.view"
    title = "流浪乞讨人员救助记录"
    export_name = "流浪乞讨人员救助记录"
    table_class = RescueTable
    filterset_class = RescueFilter
    template_name = "homeless_rescue/rescue_list.html"

    def rows(self):
        return selectors.rescues_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(may_record=can(self.request.user, "homeless_rescue.record"),
                       in_care=selectors.rescues_in_care(self.request.user).count())
        return context


class PersonListView(StaffListView):
    permission = "homeless_rescue.view"
    title = "受助人员"
    export_name = "受助人员"
    table_class = PersonTable
    filterset_class = PersonFilter
    template_name = "homeless_rescue/person_list.html"
    crumbs = CRUMBS

    def rows(self):
        return with_rescue_count(selectors.persons_visible(self.request.user))


rescue_list = RescueListView.as_view()
person_list = PersonListView.as_view()


def _when(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
def rescue_new(request: HttpRequest) -> HttpResponse:
    """登记救助: a known person (?person=编号: a repeat rescue), an ID number (matched
    automatically), or an unidentified person described."""
    require(request.user, "homeless_rescue.record")
    person = None
    if request.GET.get("person", "").isascii() and request.GET.get("person", "").isdigit() and len(request.GET["person"]) < 19:
        person = selectors.person_get(request.user, int(request.GET["person"]))
        if person.merged_into_id:
            person = selectors.person_get(request.user, person.merged_into_id)
    today = timezone.localdate()
    streets = list(selectors.streets_visible(request.user))
    shifts = list(selectors.shifts_open_for(request.user, today))
    initial = {"found_at": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
               "street": request.user.scope_id if any(s.code == request.user.scope_id for s in streets) else ""}
    form = forms.RescueForm(initial=initial, streets=streets, shifts=shifts)
    status = 200
    if request.method == "POST":
        form = forms.RescueForm(request.POST, streets=streets, shifts=shifts)
        if not form.is_valid():
            messages.error(request, _errors(form))
            status = 422
        else:
            data = form.cleaned_data
            shift = next((s for s in shifts if str(s.pk) == data["shift"]), None)
            holder: dict[str, Any] = {}

            def run() -> None:
                holder["rescue"] = services.rescue_record(
                    actor=request.user, found_at=_when(data["found_at"]), street=data["street"],
                    place=data["place"], latitude=data["latitude"], longitude=data["longitude"],
                    finder_kind=data["finder_kind"], finder_unit=data["finder_unit"], needs=data["needs"],
                    person=person, id_number=data["id_number"], name=data["name"], sex=data["sex"],
                    age_estimate=data["age_estimate"], description=data["description"], hometown=data["hometown"],
                    shift=shift)

            if attempt(request, run, "已登记救助"):
                rescue = holder["rescue"]
                if rescue.campaign_id:
                    messages.info(request, f"已关联专项行动“{rescue.campaign.name}”"
                                  + (f"和{rescue.shift}" if rescue.shift_id else ""))
                if rescue.person.rescues.count() > 1:
                    messages.info(request, f"该人员此前已受助 {rescue.person.rescues.count() - 1} 次，已归入同一受助人员")
                return redirect("homeless_rescue:rescue_detail", rescue.pk)
            status = 422
    return render(request, "homeless_rescue/rescue_new.html", {"form": form, "person": person, "crumbs": CRUMBS},
                  status=status)


@login_required
def rescue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rescue = selectors.rescue_get(request.user, pk)
    today = timezone.localdate()
    service_form = forms.ServiceForm(initial={"given_on": today})
    outcome_form = forms.OutcomeForm(initial={"on": today, "outcome": rescue.outcome if rescue.outcome_on else None,
                                              "note": rescue.outcome_note})
    follow_form = forms.FollowUpForm(initial={"on": today})
    status = 200
    if request.method == "POST":
        require(request.user, "homeless_rescue.record")
        step = request.POST.get("step")
        if step == "service":
            service_form = form = forms.ServiceForm(request.POST)
            call = (lambda d: services.service_give(actor=request.user, rescue=rescue, **d), "已登记救助服务")
        elif step == "outcome":
            outcome_form = form = forms.OutcomeForm(request.POST)
            call = (lambda d: services.outcome_record(actor=request.user, rescue=rescue, **d), "已登记救助结果")
        elif step == "follow_up":
            follow_form = form = forms.FollowUpForm(request.POST)
            call = (lambda d: services.follow_up_record(actor=request.user, rescue=rescue, **d), "已登记回访")
        else:
            raise Http404("未知的操作")
        if not form.is_valid():
            messages.error(request, _errors(form))
            status = 422
        elif attempt(request, lambda: call[0](form.cleaned_data), call[1]):
            return redirect("homeless_rescue:rescue_detail", rescue.pk)
        else:
            status = 422
    return render(request, "homeless_rescue/rescue_detail.html", {
        "rescue": rescue, "person": rescue.person, "services": rescue.services.select_related("kind"),
        "follow_ups": rescue.follow_ups.all(), "service_form": service_form, "outcome_form": outcome_form,
        "follow_form": follow_form, "may_record": can(request.user, "homeless_rescue.record"),
        "crumbs": CRUMBS, "in_care": rescue.outcome == Outcome.IN_CARE}, status=status)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk)
    return render(request, "homeless_rescue/person_detail.html", {
        "person": person, "rescues": selectors.person_rescues(person), "photos": person.photos.all(),
        "merges": selectors.person_merges(person), "identify_form": forms.IdentifyForm(),
        "person_form": forms.PersonForm(initial={"name": person.name, "sex": person.sex,
                                                 "age_estimate": person.age_estimate,
                                                 "description": person.description, "hometown": person.hometown}),
        "merge_form": forms.MergeForm(), "undo_form": forms.UndoForm(),
        "may_record": can(request.user, "homeless_rescue.record") and not person.merged_into_id,
        "may_merge": can(request.user, "homeless_rescue.merge") and not person.merged_into_id,
        "may_undo": can(request.user, "homeless_rescue.merge"),
        "pending": person.identity == Identity.PENDING, "crumbs": CRUMBS})


@login_required
@require_POST
def person_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    person = selectors.person_get(request.user, pk)
    user = request.user
    if step == "identify":
        require(user, "homeless_rescue.record")
        form = forms.IdentifyForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.person_identify(actor=user, person=person, **form.cleaned_data),
                    "已核实身份")
    elif step == "edit":
        require(user, "homeless_rescue.record")
        form = forms.PersonForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.person_update(actor=user, person=person, **form.cleaned_data),
                    "已保存")
    elif step == "photo":
        require(user, "homeless_rescue.record")
        form = None
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, "请选择照片")
        elif upload.size > services.PHOTO_MAX_BYTES:
            messages.error(request, "单张照片不能超过5MB")
        else:
            attempt(request, lambda: services.photo_attach(actor=user, person=person, name=upload.name,
                                                           content=upload.read()), "已上传照片")
    elif step == "merge":
        require(user, "homeless_rescue.merge")
        form = forms.MergeForm(request.POST)
        if form.is_valid():
            duplicate = selectors.person_get(user, form.cleaned_data["duplicate"])
            attempt(request, lambda: services.person_merge(actor=user, keep=person, duplicate=duplicate,
                                                           reason=form.cleaned_data["reason"]),
                    f"已将受助人员{duplicate.pk}的记录并入本记录")
    elif step == "undo":
        require(user, "homeless_rescue.merge")
        raw = request.POST.get("merge", "")
        merge = selectors.person_merges(person).filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if merge is None:
            raise Http404("没有这次合并")
        form = forms.UndoForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.person_unmerge(actor=user, merge=merge,
                                                             reason=form.cleaned_data["reason"]), "已撤销合并")
    else:
        raise Http404("未知的操作")
    if form is not None and not form.is_valid():
        messages.error(request, _errors(form))
    return redirect("homeless_rescue:person_detail", person.pk)


@login_required
def photo_download(request: HttpRequest, pk: int) -> FileResponse:
    """A person's photo: only to staff who see the person, always as an attachment
    (never inline, never a MEDIA URL), audited."""
    photo = selectors.photo_get(request.user, pk)
    services.photo_download_record(actor=request.user, photo=photo)
    response = FileResponse(photo_bytes(photo), as_attachment=True, filename=photo.original_name,
                            content_type="application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Weather warnings and the campaigns they triggered; the bureau enters both."""
    campaigns = selectors.campaigns_visible(request.user).order_by("-starts_on", "-id")
    warnings = list(selectors.warnings()[:50])
    warning_form = forms.WarningForm(initial={"issued_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    campaign_form = forms.CampaignForm(warnings=warnings, initial={"starts_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        require(request.user, "homeless_rescue.campaign")
        if request.POST.get("step") == "warning":
            warning_form = forms.WarningForm(request.POST)
            if warning_form.is_valid():
                d = warning_form.cleaned_data
                if attempt(request, lambda: services.warning_record(actor=request.user, kind=d["kind"], level=d["level"],
                                                                    issued_at=_when(d["issued_at"]), issuer=d["issuer"],
                                                                    note=d["note"]), "已录入气象预警"):
                    return redirect("homeless_rescue:campaign_list")
            else:
                messages.error(request, _errors(warning_form))
        elif request.POST.get("step") == "campaign":
            campaign_form = forms.CampaignForm(request.POST, warnings=warnings)
            if campaign_form.is_valid():
                d = campaign_form.cleaned_data
                warning = WeatherWarning.objects.get(pk=int(d["warning"]))
                holder: dict[str, Any] = {}

                def run() -> None:
                    holder["c"] = services.campaign_create(actor=request.user, name=d["name"], kind=d["kind"],
                                                           warning=warning, starts_on=d["starts_on"],
                                                           ends_on=d["ends_on"])

                if attempt(request, run, "已发起专项行动"):
                    return redirect("homeless_rescue:campaign_detail", holder["c"].pk)
            else:
                messages.error(request, _errors(campaign_form))
        else:
            raise Http404("未知的操作")
        status = 422
    return render(request, "homeless_rescue/campaign_list.html", {
        "campaigns": campaigns, "warnings": warnings, "warning_form": warning_form, "campaign_form": campaign_form,
        "may_campaign": can(request.user, "homeless_rescue.campaign"), "today": timezone.localdate(),
        "crumbs": CRUMBS}, status=status)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    streets = list(selectors.streets_visible(request.user))
    shifts = list(selectors.campaign_shifts(request.user, campaign))
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    shift_form = forms.ShiftForm(streets=streets, initial={
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "street": request.user.scope_id if any(s.code == request.user.scope_id for s in streets) else ""})
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "shift":
            require(request.user, "homeless_rescue.patrol")
            shift_form = forms.ShiftForm(request.POST, streets=streets)
            if shift_form.is_valid():
                d = shift_form.cleaned_data
                if attempt(request, lambda: services.shift_create(
                        actor=request.user, campaign=campaign, street=d["street"], starts_at=_when(d["starts_at"]),
                        ends_at=_when(d["ends_at"]), team=d["team"]), "已安排巡查班次"):
                    return redirect("homeless_rescue:campaign_detail", campaign.pk)
            else:
                messages.error(request, _errors(shift_form))
        elif step == "report":
            require(request.user, "homeless_rescue.patrol")
            raw = request.POST.get("shift", "")
            if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
                raise Http404("没有这个巡查班次")
            shift = selectors.shift_get(request.user, int(raw))
            if shift.campaign_id != campaign.pk:
                raise Http404("没有这个巡查班次")
            report = forms.ShiftReportForm(request.POST)
            if report.is_valid():
                if attempt(request, lambda: services.shift_report(actor=request.user, shift=shift,
                                                                  **report.cleaned_data), "已登记巡查情况"):
                    return redirect("homeless_rescue:campaign_detail", campaign.pk)
            else:
                messages.error(request, _errors(report))
        elif step == "close":
            require(request.user, "homeless_rescue.campaign")
            close = forms.CloseForm(request.POST)
            if close.is_valid():
                if attempt(request, lambda: services.campaign_close(actor=request.user, campaign=campaign,
                                                                    ends_on=close.cleaned_data["ends_on"]),
                           "已结束专项行动"):
                    return redirect("homeless_rescue:campaign_detail", campaign.pk)
            else:
                messages.error(request, _errors(close))
        else:
            raise Http404("未知的操作")
        status = 422
    rescues = selectors.rescues_visible(request.user).filter(campaign=campaign).order_by("-found_at")
    return render(request, "homeless_rescue/campaign_detail.html", {
        "campaign": campaign, "shifts": shifts, "shift_form": shift_form,
        "report_form": forms.ShiftReportForm(), "close_form": forms.CloseForm(initial={"ends_on": timezone.localdate()}),
        "rescues": rescues[:200], "rescue_count": rescues.count(),
        "returned_home": rescues.filter(outcome=Outcome.RETURNED_HOME).count(),
        "may_patrol": can(request.user, "homeless_rescue.patrol"),
        "may_campaign": can(request.user, "homeless_rescue.campaign"),
        "may_record": can(request.user, "homeless_rescue.record"), "crumbs": CRUMBS}, status=status)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures (救助人次 by month and town, 情暖归途, campaigns) and their Excel copy."""
    require(request.user, "homeless_rescue.view")
    year, status = timezone.localdate().year, 200
    if request.GET.get("year"):
        try:
            year = year_parse(request.GET["year"])
        except ValidationError as err:  # shown, with this year's figures instead
            messages.error(request, error_text(err))
            status = 422
    data = selectors.year_figures(request.user, year)
    if request.GET.get("format") == "xlsx" and status == 200:
        services.figures_export_record(actor=request.user, year=year)
        response = HttpResponse(figures_workbook(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="homeless-rescue-{year}.xlsx"'
        return response
    return render(request, "homeless_rescue/figures.html", {
        "f": data, "rows": [(s, data.by_street_month.get(s.code, [0] * 12), data.by_street.get(s.code, 0))
                            for s in data.streets],
        "xlsx_href": f"{reverse('homeless_rescue:figures')}?year={year}&format=xlsx",
        "years": list(range(timezone.localdate().year, 2019, -1)), "crumbs": CRUMBS}, status=status)

