"""Core pages: login, audit trail browser (the home page is the registry's overview)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minzheng.core import selectors
from minzheng.core.filters import AuditFilter
from minzheng.core.lists import StaffListView
from minzheng.core.models import AuditEntry
from minzheng.core.tables import AuditTable


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class AuditListView(StaffListView):
    """审计日志: the district's trail for the bureau and auditors, a street's for its own staff."""

    permission = "core.audit_view"
    title = "审计日志"
    export_name = "审计日志"
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "core/audit_list.html"

    def rows(self) -> QuerySet[AuditEntry]:
        return selectors.audit_entries(self.request.user)


audit_list = AuditListView.as_view()


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
