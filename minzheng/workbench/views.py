"""The home page: the signed-in user's to-do inbox (``inbox``); the auditor's
is read-only (recent audit activity, sample checks, overdue cases as a figure).
And the special groups' dashboard (特殊群体工作台): the board
``"special_groups"`` of ``core.street_dashboards``, filled by the apps of
children in difficulty, minors' protection, disabled people and rescues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from minzheng.casework import selectors as casework
from minzheng.core import selectors as core
from minzheng.core.audit_labels import describe
from minzheng.core.models import Role
from minzheng.core.permissions import can, require
from minzheng.core.street_dashboards import board_tables
from minzheng.workbench.inbox import inbox

AUDIT_SHOWN = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    sections = inbox(user, today=today)
    context = {"sections": sections, "today": today,
               "overdue_total": sum(s.overdue for s in sections),
               "read_only": user.role == Role.AUDITOR}
    if context["read_only"]:
        context["case_counts"] = casework.application_counts(user, today=today)
    if can(user, "core.audit_view"):
        entries = list(core.audit_entries(user)[:AUDIT_SHOWN]) if context["read_only"] else []
        names = {actor: core.staff_signature(actor) for actor in {e.actor for e in entries}}
        context["audit"] = [(e, names[e.actor], describe(e)) for e in entries]
    return render(request, "workbench/home.html", context)


SPECIAL_GROUPS = "special_groups"


@login_required
def special_groups(request: HttpRequest) -> HttpResponse:
    """特殊群体工作台: every section registered on the board that the user may see, by street."""
    require(request.user, "special_groups.dashboard")
    today = timezone.localdate()
    return render(request, "workbench/special_groups.html", {
        "today": today, "sections": board_tables(SPECIAL_GROUPS, request.user, today)})
