"""Staff pages of the registry office's group ceremonies (集体颁证) and its
statistics (婚姻登记统计), with the statistics' Excel download
(docs/adr/0022-marriage-registration.md, "Group ceremonies and statistics").

Kept apart from the registration and divorce pages (another module of this
app); mounted under ``/marriage/`` with the namespace ``marriage_office``.
Role first (``core.permissions``), then the office (``ceremonies_visible``
and ``marriage_statistics`` read only the user's office).
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.audit import audit_record
from minzheng.core.models import Role, User
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text
from minzheng.marriage import ceremonies
from minzheng.marriage.models import Ceremony, MarriageRegistration
from minzheng.marriage.statistics import (
    CROSS_FIGURES,
    FIGURES,
    headline,
    marriage_statistics,
    statistics_workbook,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ceremony(request: HttpRequest, pk: int) -> Ceremony:
    try:
        return ceremonies.ceremony_get(request.user, pk)
    except Ceremony.DoesNotExist as err:
        raise Http404("未找到该颁证活动") from err


class CeremonyForm(forms.Form):
    name = forms.CharField(label="活动名称", max_length=ceremonies.NAME_MAX, initial="上海之根 山水婚典")
    held_on = forms.DateField(label="颁证日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=ceremonies.PLACE_MAX)
    theme = forms.CharField(label="主题", max_length=ceremonies.THEME_MAX, required=False)
    registrar = forms.ModelChoiceField(label="负责的婚姻登记员", queryset=User.objects.none(), empty_label="请选择")

    def __init__(self, *args, office_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrar"].queryset = User.objects.filter(role=Role.REGISTRAR, is_active=True,
                                                                scope_id=office_code).order_by("username")
        self.fields["registrar"].label_from_instance = lambda u: u.signature


@login_required
def ceremony_list(request: HttpRequest) -> HttpResponse:
    rows = ceremonies.ceremonies_visible(request.user)
    return render(request, "marriage/ceremony_list.html", {"ceremonies": rows[:200], "count": rows.count()})


@login_required
def ceremony_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "marriage.ceremony_manage")
    office_code = request.user.scope_id or ""
    form = CeremonyForm(request.POST or None, office_code=office_code,
                        initial={"registrar": request.user.pk, "held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ceremony = ceremonies.ceremony_create(actor=request.user, name=data["name"], held_on=data["held_on"],
                                                  place=data["place"], theme=data["theme"],
                                                  registrar=data["registrar"])
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            return redirect("marriage_office:ceremony_detail", ceremony.pk)
    return render(request, "marriage/ceremony_form.html", {"form": form})


@login_required
def ceremony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = _ceremony(request, pk)
    show_couples = can(request.user, "marriage.view")
    couples = list(ceremonies.ceremony_couples(ceremony)) if show_couples else []
    if couples:
        ceremonies.ceremony_couples_view_record(actor=request.user, ceremony=ceremony,
                                                marriages=[c.registration_id for c in couples])
    manage = can(request.user, "marriage.ceremony_manage") and ceremony.office_id == request.user.scope_id
    candidates = list(ceremonies.couple_candidates(request.user, ceremony)) if manage else []
    return render(request, "marriage/ceremony_detail.html", {
        "ceremony": ceremony, "couples": couples, "show_couples": show_couples, "manage": manage,
        "candidates": candidates, "couple_count": ceremony.couple_count})


@login_required
@require_POST
def ceremony_couple_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "marriage.ceremony_manage")
    ceremony = _ceremony(request, pk)
    raw = request.POST.get("registration", "")
    if not (raw.isascii() and raw.isdigit()):
        from django.contrib import messages

        messages.error(request, "请选择要添加的新人（结婚登记）")
        return redirect("marriage_office:ceremony_detail", ceremony.pk)
    attempt(request, lambda: ceremonies.ceremony_couple_add(
        actor=request.user, ceremony=ceremony, registration=MarriageRegistration(pk=int(raw))), "已添加这对新人")
    return redirect("marriage_office:ceremony_detail", ceremony.pk)


@login_required
@require_POST
def ceremony_couple_remove(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    require(request.user, "marriage.ceremony_manage")
    ceremony = _ceremony(request, pk)
    attempt(request, lambda: ceremonies.ceremony_couple_remove(
        actor=request.user, ceremony=ceremony, registration=MarriageRegistration(pk=registration),
        reason=request.POST.get("reason", "")), "已从本次颁证活动中移除这对新人")
    return redirect("marriage_office:ceremony_detail", ceremony.pk)


def _year(request: HttpRequest) -> str:
    return (request.GET.get("year") or str(timezone.localdate().year)).strip()[:10]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    require(request.user, "marriage.statistics")
    year, error, stats = _year(request), "", None
    try:
        stats = marriage_statistics(request.user, year)
    except ValidationError as err:
        error = error_text(err)
    this_year = timezone.localdate().year
    return render(request, "marriage/statistics.html", {
        "stats": stats, "error": error, "year": year, "years": list(range(this_year, 2019, -1)),
        "figures": FIGURES, "cross_figures": CROSS_FIGURES, "headline": headline(stats) if stats else "",
        "rows": _rows(stats) if stats else []}, status=422 if error else 200)


def _rows(stats) -> list[dict]:
    """Table rows for the template: each cell already a value or a word."""
    out = []
    for row, kind in [(m, "month") for m in stats.months] + [(stats.total, "total")] + (
            [(stats.cross_period, "cross")] if stats.cross_period else []):
        cells = []
        for f in FIGURES:
            count = row.counts.get(f.key)
            cells.append({"value": count, "kind": "count"})
            if f.cross:
                cross, share = row.cross.get(f.key), row.share(f.key)
                if count is None:
                    cells += [{"value": None, "kind": "later"}, {"value": None, "kind": "later"}]
                elif cross is None:
                    cells += [{"value": None, "kind": "na"}, {"value": None, "kind": "na"}]
                else:
                    cells += [{"value": cross, "kind": "count"}, {"value": share, "kind": "share"}]
        out.append({"label": row.label, "cells": cells, "kind": kind})
    return out


@login_required
def statistics_download(request: HttpRequest) -> HttpResponse:
    require(request.user, "marriage.statistics")
    try:
        stats = marriage_statistics(request.user, _year(request))
    except ValidationError as err:
        from django.contrib import messages

        messages.error(request, error_text(err))
        return redirect("marriage_office:statistics")
    audit_record(actor=request.user, action="marriage.statistics_export", object_type="list",
                 object_id="婚姻登记统计", changes={"year": stats.year, "format": "xlsx"})
    response = HttpResponse(statistics_workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stats.title + '.xlsx')}"
    return response
