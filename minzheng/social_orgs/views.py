"""Pages of the social-organization register (ADR 0039). Thin views over
``selectors`` and ``services``: reads scoped (another organization → 404),
actions guarded (wrong role → 403), broken rules shown as messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import upload_check
from minzheng.core.file_import import ImportFileError
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.web_actions import (
    account_link_post,
    account_unlink_post,
    attempt,
    error_text,
    form_valid,
)
from minzheng.social_orgs import forms, selectors, services
from minzheng.social_orgs.filters import OrganizationFilter
from minzheng.social_orgs.letters import certificate_pdf
from minzheng.social_orgs.models import OrgStatus
from minzheng.social_orgs.register_import import organizations_import, template_xlsx
from minzheng.social_orgs.tables import OrganizationTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrganizationListView(StaffListView):
    """社会组织登记: filters by kind, status, supervisor, party building, street; Excel export."""

    permission = "social_orgs.view"
    title = "社会组织登记"
    export_name = "社会组织登记清单"
    table_class = OrganizationTable
    filterset_class = OrganizationFilter
    template_name = "social_orgs/organization_list.html"

    def rows(self):
        return selectors.organizations_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can(self.request.user, "social_orgs.manage")
        return context


organization_list = OrganizationListView.as_view()


def _initial(organization) -> dict[str, Any]:
    initial = {f: getattr(organization, f) for f in services.MODEL_FIELDS if f not in ("street", "committee")}
    initial["committee"] = organization.committee_id or ""
    capital = organization.registered_capital_fen
    initial["registered_capital"] = None if capital is None else f"{capital // 100}.{capital % 100:02d}"
    return initial


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.view")
    organization = selectors.organization_get(request.user, pk)
    manage = can(request.user, "social_orgs.manage")
    status_form = forms.StatusForm(initial={"on": timezone.localdate()})
    status_form.fields["status"].choices = [c for c in OrgStatus.choices if c[0] != organization.status]
    return render(request, "social_orgs/organization_detail.html", {
        "organization": organization, "manage": manage,
        "history": selectors.organization_history(request.user, organization),
        "party_checks": selectors.organization_party_checks(request.user, organization),
        "status_form": status_form, "party_form": forms.PartyCheckForm(initial={"checked_on": timezone.localdate()}),
        "accounts": organization.accounts.select_related("user").order_by("user__username") if manage else None,
        "link_form": forms.AccountLinkForm()})


@login_required
def organization_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """登记证书 (PDF) of an organization in business; its own account may download it."""
    require(request.user, "social_orgs.view")
    organization = selectors.organization_get(request.user, pk)
    try:
        content = certificate_pdf(organization)
    except ValidationError as err:
        messages.error(request, error_text(err))
        return redirect("social_orgs:detail", organization.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'登记证书-{organization.uscc}.pdf')}"
    return response


@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.manage")
    form = bind_pickers(forms.OrganizationForm(request.POST or None), request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_register(actor=request.user, today=timezone.localdate(),
                                                          **form.service_values())
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{organization.name}")
            return redirect("social_orgs:detail", organization.pk)
    return render(request, "social_orgs/organization_form.html", {"form": form, "title": "登记社会组织"},
                  status=422 if form.errors else 200)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(request.user, pk)
    require(request.user, "social_orgs.manage")
    initial = _initial(organization) | {"changed_on": timezone.localdate()}
    form = bind_pickers(forms.OrganizationChangeForm(request.POST or None, initial=initial), request.user)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        changed_on, reason = values.pop("changed_on"), values.pop("reason")
        try:
            lines = services.organization_update(actor=request.user, organization=organization, changed_on=changed_on,
                                                 reason=reason, today=timezone.localdate(), **values)
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已登记{len(lines)}项变更")
            return redirect("social_orgs:detail", organization.pk)
    return render(request, "social_orgs/organization_form.html",
                  {"form": form, "organization": organization, "title": f"变更{organization.name}的登记事项"},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def organization_status(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(request.user, pk)
    form = forms.StatusForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.organization_status_set(actor=request.user, organization=organization,
                                                                  today=timezone.localdate(), **form.cleaned_data),
                f"登记状态已改为“{OrgStatus(form.cleaned_data['status']).label}”")
    return redirect("social_orgs:detail", organization.pk)


@login_required
@require_POST
def party_check(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(request.user, pk)
    form = forms.PartyCheckForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.party_check_record(actor=request.user, organization=organization,
                                                             today=timezone.localdate(), **form.cleaned_data),
                "已登记党建情况")
    return redirect("social_orgs:detail", organization.pk)


@login_required
@require_POST
def account_link(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(request.user, pk)
    account_link_post(request, forms.AccountLinkForm(request.POST),
                      lambda user: services.account_link(actor=request.user, organization=organization, user=user))
    return redirect("social_orgs:detail", organization.pk)


@login_required
@require_POST
def account_unlink(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    organization = selectors.organization_get(request.user, pk)
    account_unlink_post(request, user_id,
                        lambda user: services.account_unlink(actor=request.user, organization=organization, user=user))
    return redirect("social_orgs:detail", organization.pk)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """导入登记表: all or nothing — a bad row stops the whole file, every bad row listed."""
    require(request.user, "social_orgs.manage")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            upload_check(upload)
            result = organizations_import(actor=request.user, filename=upload.name, data=upload.read(),
                                          today=timezone.localdate())
        except (ImportFileError, ValidationError) as err:
            form.add_error("file", error_text(err))
    status = 422 if form.errors or (result and result.problems) else 200
    return render(request, "social_orgs/import.html", {"form": form, "result": result}, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.manage")
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('社会组织登记导入模板.xlsx')}"
    return response
