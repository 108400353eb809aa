"""Pages of 探访关爱 (ADR 0034): the list (and its overdue view), one elder's
entry with visits, visitors, coverage by street with the categories. Reads
scoped by the selectors (outside → 404), writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt, form_errors, form_valid
from minzheng.hardship_visits import forms, selectors, services
from minzheng.hardship_visits.filters import TargetFilter
from minzheng.hardship_visits.models import VisitCategory
from minzheng.hardship_visits.tables import TargetTable

CRUMBS = (("探访关爱", "/eldercare/visits/"),)



class TargetListView(StaffListView):
    """探访关爱名单: filters by name, category, street and state; Excel export (masked IDs)."""

    permission = "hardship_visits.view"
    title = "探访关爱名单"
    export_name = "探访关爱名单"
    table_class = TargetTable
    filterset_class = TargetFilter
    template_name = "hardship_visits/target_list.html"

    def rows(self):
        return selectors.targets_visible(self.request.user).prefetch_related("categories")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(last_refresh=selectors.last_refresh(),
                       overdue=selectors.targets_overdue(self.request.user, timezone.localdate()).count())
        return context


class OverdueListView(TargetListView):
    """逾期未探访: open entries whose next visit was due before today."""

    title = "逾期未探访"
    export_name = "逾期未探访名单"
    crumbs = CRUMBS

    def rows(self):
        return selectors.targets_overdue(self.request.user, timezone.localdate()).prefetch_related("categories")


target_list = TargetListView.as_view()
overdue_list = OverdueListView.as_view()


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get(request.user, pk)
    visitors = list(selectors.visitors_for(target))
    may_visit = can(request.user, "hardship_visits.visit") and target.ended_on is None
    form = forms.VisitForm(visitors=visitors, initial={"visited_on": timezone.localdate(), "mode": "home",
                                                       "visitor": target.visitor_id})
    if request.method == "POST":
        require(request.user, "hardship_visits.visit")
        form = forms.VisitForm(request.POST, visitors=visitors)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            data = form.cleaned_data
            visitor = next(v for v in visitors if str(v.pk) == data["visitor"])
            if attempt(request, lambda: services.visit_record(
                    actor=request.user, target=target, visited_on=data["visited_on"], visitor=visitor,
                    mode=data["mode"], findings=data["findings"], needs_follow_up=data["needs_follow_up"],
                    follow_up_note=data["follow_up_note"]), "已登记探访"):
                return redirect("hardship_visits:target_detail", target.pk)
    return render(request, "hardship_visits/target_detail.html", {
        "target": target, "categories": target.categories.all(), "visits": selectors.target_visits(target),
        "visitors": visitors, "form": form, "may_visit": may_visit, "today": timezone.localdate()},
        status=422 if form.errors else 200)


@login_required
@require_POST
def target_assign(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get(request.user, pk)
    require(request.user, "hardship_visits.visit")
    value = request.POST.get("visitor", "")
    visitor = None
    if value:
        visitor = next((v for v in selectors.visitors_for(target) if str(v.pk) == value), None)
        if visitor is None:
            messages.error(request, "请选择本居村委的在岗探访人员")
            return redirect("hardship_visits:target_detail", target.pk)
    attempt(request, lambda: services.visitor_assign(actor=request.user, target=target, visitor=visitor),
            "已指派探访人员" if visitor else "已取消指派")
    return redirect("hardship_visits:target_detail", target.pk)


@login_required
def visitors(request: HttpRequest) -> HttpResponse:
    rows = selectors.visitors_visible(request.user).order_by("committee_id", "name")
    form = forms.VisitorForm(initial={"committee": request.user.scope_id if request.user.scope and
                                      request.user.scope.level == DivisionLevel.COMMITTEE else ""})
    if request.method == "POST":
        require(request.user, "hardship_visits.visit")
        form = forms.VisitorForm(request.POST)
    bind_pickers(form, request.user)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            committee = Division.objects.filter(code=form.cleaned_data["committee"],
                                                level=DivisionLevel.COMMITTEE).first()
            if committee is None:
                messages.error(request, "没有这个居村委")
            else:
                try:
                    ok = attempt(request, lambda: services.visitor_create(
                        actor=request.user, committee=committee, name=form.cleaned_data["name"],
                        phone=form.cleaned_data["phone"]), "已登记志愿者")
                except OutOfScope:
                    messages.error(request, "该居村委不在您的辖区内")
                    ok = False
                if ok:
                    return redirect("hardship_visits:visitors")
    me_listed = rows.filter(user=request.user).exists()
    return render(request, "hardship_visits/visitors.html", {
        "rows": rows, "form": form, "may_add": can(request.user, "hardship_visits.visit"),
        "may_add_self": (request.user.scope and request.user.scope.level == DivisionLevel.COMMITTEE
                         and can(request.user, "hardship_visits.visit") and not me_listed)})


@login_required
@require_POST
def visitor_add_self(request: HttpRequest) -> HttpResponse:
    require(request.user, "hardship_visits.visit")
    scope = request.user.scope
    if scope is None or scope.level != DivisionLevel.COMMITTEE:
        messages.error(request, "只有居村委工作人员可以登记为工作人员探访人员")
    else:
        attempt(request, lambda: services.visitor_create(actor=request.user, committee=scope, user=request.user),
                "已登记为探访人员")
    return redirect("hardship_visits:visitors")


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """按街镇的探访覆盖 and the categories (the bureau edits frequencies and refreshes the list)."""
    require(request.user, "hardship_visits.view")
    today = timezone.localdate()
    rows = selectors.coverage_by_street(request.user, today)
    counts = selectors.category_counts(request.user)
    total = sum(r.targets for r in rows)
    overdue = sum(r.overdue for r in rows)
    return render(request, "hardship_visits/coverage.html", {
        "rows": rows, "total": total, "overdue": overdue, "assigned": sum(r.assigned for r in rows),
        "recent": sum(r.visited_30d for r in rows),
        "coverage": None if not total else round(100 * (total - overdue) / total, 1),
        "categories": [(c, counts.get(c.pk, 0)) for c in selectors.categories()],
        "last_refresh": selectors.last_refresh(), "manage": can(request.user, "hardship_visits.manage"),
        "today": today})


@login_required
@require_POST
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "hardship_visits.manage")
    category = get_object_or_404(VisitCategory, pk=pk)
    form = forms.CategoryForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: services.category_update(actor=request.user, category=category, **form.cleaned_data),
                f"已保存“{category.label}”，下次刷新名单时生效")
    return redirect("hardship_visits:coverage")


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    require(request.user, "hardship_visits.manage")
    holder: dict[str, Any] = {}

    def run() -> None:
        holder["run"] = services.targets_refresh(actor=request.user)

    if attempt(request, run, "已刷新探访名单"):
        r = holder["run"]
        messages.info(request, f"新纳入 {r.added} 人，移出 {r.ended} 人，类别变化 {r.changed} 人，名单共 {r.open_total} 人")
    return redirect("hardship_visits:coverage")
