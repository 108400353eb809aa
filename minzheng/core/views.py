"""Core pages: login, audit trail browser (the home page is the registry's overview)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minzheng.core import selectors
from minzheng.core.audit_labels import ACTION_LABELS, describe
from minzheng.core.permissions import require


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.audit_view")
    filters = {k: request.GET.get(k, "").strip() for k in ("actor", "action", "object_id", "date_from", "date_to")}
    entries = selectors.audit_entries(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = {actor: selectors.staff_signature(actor) for actor in {e.actor for e in page}}
    rows = [(e, names[e.actor], describe(e)) for e in page]
    actions = sorted(ACTION_LABELS.items(), key=lambda kv: kv[1])
    return render(request, "core/audit_list.html", {"page": page, "rows": rows, "filters": filters,
                                                    "actions": actions})
