"""Core pages: login, audit trail browser (the home page is the registry's overview)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minzheng.core import selectors
from minzheng.core.models import Role


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.BUREAU, Role.AUDITOR) and not request.user.is_superuser:
        raise PermissionDenied("只有区民政局和审计督查账号可以查看审计日志")
    filters = {k: request.GET.get(k, "").strip() for k in ("actor", "action", "object_id", "date_from", "date_to")}
    entries = selectors.audit_entries(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "filters": filters})
