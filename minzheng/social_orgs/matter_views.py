"""Pages of the registration matters (ADR 0039): the list (filters, overdue, Excel),
one matter with its steps, applying, and the yearly figures with the time limits."""

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

from minzheng.core.bounds import year_parse
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.social_orgs import forms, matters, selectors
from minzheng.social_orgs.letters import matter_letter_pdf
from minzheng.social_orgs.matter_rules import REQUIRED_DOCUMENTS
from minzheng.social_orgs.matter_tables import MatterFilter, MatterTable
from minzheng.social_orgs.models import MatterKind, MatterStatus, OrgStatus


class MatterListView(StaffListView):
    """登记事项: 成立、变更、有效期延续、章程核准、注销; filters, overdue, Excel export."""

    permission = "social_orgs.matters_view"
    title = "社会组织登记事项"
    export_name = "社会组织登记事项"
    table_class = MatterTable
    filterset_class = MatterFilter
    template_name = "social_orgs/matter_list.html"

    def rows(self):
        return selectors.matters_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_apply"] = can(self.request.user, "social_orgs.apply")
        context["can_figures"] = can(self.request.user, "social_orgs.figures")
        return context


matter_list = MatterListView.as_view()


@login_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.matters_view")
    matter = selectors.matter_get(request.user, pk)
    today = timezone.localdate()
    decide = can(request.user, "social_orgs.decide")
    open_ = matter.status in matters.OPEN
    return render(request, "social_orgs/matter_detail.html", {
        "matter": matter, "decide": decide and open_, "open": open_,
        "can_add_documents": open_ and can(request.user, "social_orgs.apply"),
        "required": [(d, d in matter.documents) for d in REQUIRED_DOCUMENTS[matter.kind]],
        "missing": matters.missing_documents(matter),
        "name_check": matter.proposed.get("name_check"),
        "proposed": [(k, v) for k, v in matter.proposed.items() if k not in ("name_check", "supervisor_agrees")],
        "overdue": open_ and matter.due_on is not None and matter.due_on < today,
        "limit": matters.time_limit(matter.kind),
        "accept_form": forms.MatterAcceptForm(initial={"on": today}),
        "review_form": forms.MatterReviewForm(initial={"on": today}),
        "decide_form": forms.MatterDecideForm(initial={"on": today}),
        "documents_form": forms.MatterDocumentsForm(),
        "decided": matter.status in (MatterStatus.APPROVED, MatterStatus.REFUSED)})


@login_required
def matter_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.apply")
    own = selectors.own_organization(request.user)
    form = forms.MatterApplyForm(request.POST or None, initial={"applied_on": timezone.localdate(),
                                                                "organization": own.pk if own else None})
    choices = selectors.organizations_visible(request.user).filter(status=OrgStatus.NORMAL).order_by("name")
    form.fields["organization"].choices = [("", "—（成立登记不选）"), *choices.values_list("pk", "name")[:2000]]
    if own is not None:
        form.fields["kind"].choices = [c for c in MatterKind.choices if c[0] != MatterKind.ESTABLISHMENT]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = None
        try:
            if data["organization"]:
                organization = selectors.organization_get(request.user, data["organization"])
            matter = matters.matter_apply(actor=request.user, kind=data["kind"], organization=organization,
                                          applied_on=data["applied_on"], today=timezone.localdate(),
                                          proposed=form.proposed(), documents=data["documents"])
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            messages.success(request, f"已提交{matter.get_kind_display()}申请")
            return redirect("social_orgs:matter_detail", matter.pk)
    return render(request, "social_orgs/matter_form.html", {"form": form, "documents": REQUIRED_DOCUMENTS.items(),
                                                             "kinds": dict(MatterKind.choices)},
                  status=422 if form.errors else 200)


def _step(request: HttpRequest, pk: int, form_class, call, success: str) -> HttpResponse:
    matter = selectors.matter_get(request.user, pk)
    form = form_class(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: call(matter, form.cleaned_data), success)
    return redirect("social_orgs:matter_detail", matter.pk)


@login_required
@require_POST
def matter_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forms.MatterAcceptForm, lambda m, d: matters.matter_accept(
        actor=request.user, matter=m, on=d["on"], today=timezone.localdate()), "已受理")


@login_required
@require_POST
def matter_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forms.MatterReviewForm, lambda m, d: matters.matter_review(
        actor=request.user, matter=m, today=timezone.localdate(), **d), "已登记业务主管单位审查意见")


@login_required
@require_POST
def matter_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forms.MatterDecideForm, lambda m, d: matters.matter_decide(
        actor=request.user, matter=m, today=timezone.localdate(), **d), "已作出决定")


@login_required
@require_POST
def matter_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, forms.MatterDocumentsForm, lambda m, d: matters.matter_documents_add(
        actor=request.user, matter=m, documents=d["documents"]), "已补充材料")


@login_required
def matter_letter(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.matters_view")
    matter = selectors.matter_get(request.user, pk)
    if matter.status not in (MatterStatus.APPROVED, MatterStatus.REFUSED):
        messages.error(request, "事项尚未作出决定，没有决定书")
        return redirect("social_orgs:matter_detail", matter.pk)
    response = HttpResponse(matter_letter_pdf(matter), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'决定书-{matter.pk}.pdf')}"
    return response


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """登记事项统计 by year in the seed's terms, and the time limits staff entered."""
    require(request.user, "social_orgs.figures")
    today = timezone.localdate()
    try:
        year = year_parse(request.GET.get("year") or today.year, "年度")
    except ValidationError as err:
        messages.error(request, error_text(err))
        year = today.year
    return render(request, "social_orgs/figures.html", {
        "year": year, "years": list(range(today.year, today.year - 6, -1)),
        "counts": selectors.matter_counts(request.user, year),
        "limits": [(label, matters.time_limit(kind)) for kind, label in MatterKind.choices],
        "limit_form": forms.TimeLimitForm() if can(request.user, "social_orgs.manage") else None})


@login_required
@require_POST
def time_limit_enter(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.manage")
    form = forms.TimeLimitForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: matters.time_limit_enter(actor=request.user, **form.cleaned_data), "已录入办理时限")
    return redirect("social_orgs:figures")
