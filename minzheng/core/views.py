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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in Chinese with the navigation; if even that fails to
    render, a plain Chinese page (never Django's English one)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not itself fail
        return HttpResponse(
            "<!doctype html><meta charset=utf-8><title>系统出错</title><h1>系统出错，本次操作没有完成</h1>"
            "<p>错误已记录，请稍后重试。</p>", status=500,
        )
