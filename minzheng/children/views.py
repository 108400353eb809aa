"""Pages of 困境儿童 (ADR 0035): the overview by street, the register and one
child (categories, guardians, the living allowance, projects, checks), the
sweep (campaigns, a committee's checklists, leads), directors and projects.
Reads scoped by the selectors (outside → 404), writes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.children import forms, selectors, services
from minzheng.children.filters import ChildFilter
from minzheng.children.models import Category, LeadStatus, SeedGroup
from minzheng.children.tables import ChildTable
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt
from minzheng.registry.selectors import person_get

CRUMBS = (("困境儿童", "/children/"),)


def _errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _submit(request: HttpRequest, form, call: Callable[[dict], object], ok: str) -> bool:
    if not form.is_valid():
        messages.error(request, _errors(form))
        return False
    try:
        return attempt(request, lambda: call(form.cleaned_data), ok)
    except OutOfScope:
        messages.error(request, "该对象不在您的辖区内")
        return False


def _category(pk: Any) -> Category:
    return Category.objects.get(pk=int(pk))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.view")
    today = timezone.localdate()
    year = int(request.GET.get("year") or today.year) if str(request.GET.get("year", "")).isascii() and str(request.GET.get("year", "")).isdigit() else today.year
    year = min(max(year, 2000), 2100)
    rows = selectors.figures_by_street(request.user, year=year, day=today)
    groups = [(g.value, g.label) for g in selectors.GROUPS]
    totals = {"total": sum(r.total for r in rows), "allowance": sum(r.allowance_children for r in rows),
              "paid_lines": sum(r.paid_lines for r in rows), "paid_fen": sum(r.paid_fen for r in rows),
              "groups": [sum(r.by_group[g] for r in rows) for g, _ in groups]}
    campaign = selectors.campaigns().filter(year=today.year).first()
    return render(request, "children/overview.html", {
        "rows": [(r, [r.by_group[g] for g, _ in groups]) for r in rows], "groups": groups, "totals": totals,
        "year": year, "today": today, "campaign": campaign,
        "open_leads": selectors.leads_visible(request.user).filter(status=LeadStatus.OPEN).count(),
        "other_group": SeedGroup.OTHER.label})


class ChildListView(StaffListView):
    permission = "children.view"
    title = "困境儿童名册"
    export_name = "困境儿童名册"
    table_class = ChildTable
    filterset_class = ChildFilter
    template_name = "children/child_list.html"
    crumbs = CRUMBS

    def rows(self):
        return selectors.children_visible(self.request.user).prefetch_related("spells__category")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(may_register=can(user, "children.register"),
                       register_form=forms.RegisterForm(categories=selectors.categories(active_only=True),
                                                        initial={"started_on": timezone.localdate()}))
        return context


child_list = ChildListView.as_view()


@login_required
@require_POST
def child_register(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.register")
    form = forms.RegisterForm(request.POST, categories=selectors.categories(active_only=True))
    holder: dict[str, Any] = {}

    def call(d: dict) -> None:
        holder["child"] = services.child_register(
            actor=request.user, person=person_get(request.user, d["person"]), category=_category(d["category"]),
            started_on=d["started_on"], evidence_kind=d["evidence_kind"], evidence=d["evidence"])

    if _submit(request, form, call, "已纳入困境儿童名册"):
        return redirect("children:child_detail", holder["child"].pk)
    return redirect("children:child_list")


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(request.user, pk)
    may = can(request.user, "children.register") and child.ended_on is None
    guardians = list(selectors.child_guardians(child))
    return render(request, "children/child_detail.html", {
        "child": child, "age": services.age_on(child.person, timezone.localdate()),
        "spells": selectors.child_spells(child), "guardians": guardians,
        "allowance": selectors.allowance_of(child), "projects": selectors.child_projects(child),
        "checks": child.checks.select_related("campaign").order_by("-campaign__year"),
        "may": may, "today": timezone.localdate(),
        "spell_form": forms.SpellForm(categories=selectors.categories(active_only=True),
                                      initial={"started_on": timezone.localdate()}),
        "guardian_form": forms.GuardianForm(current=[g for g in guardians if g.ended_on is None],
                                            initial={"started_on": timezone.localdate()}),
        "end_form": forms.EndForm(initial={"ended_on": timezone.localdate()})})


@login_required
@require_POST
def spell_add(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(request.user, pk)
    require(request.user, "children.register")
    form = forms.SpellForm(request.POST, categories=selectors.categories(active_only=True))
    _submit(request, form, lambda d: services.spell_start(
        actor=request.user, child=child, category=_category(d["category"]), started_on=d["started_on"],
        evidence_kind=d["evidence_kind"], evidence=d["evidence"]), "已登记类别")
    return redirect("children:child_detail", child.pk)


@login_required
@require_POST
def spell_end(request: HttpRequest, pk: int, spell_pk: int) -> HttpResponse:
    child = selectors.child_get(request.user, pk)
    require(request.user, "children.register")
    spell = child.spells.filter(pk=spell_pk).first()
    if spell is None:
        raise OutOfScope("没有这条类别记录")
    _submit(request, forms.EndForm(request.POST), lambda d: services.spell_end(
        actor=request.user, spell=spell, ended_on=d["ended_on"], reason=d["reason"]), "已终止该类别")
    return redirect("children:child_detail", child.pk)


@login_required
@require_POST
def child_end(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(request.user, pk)
    require(request.user, "children.register")
    _submit(request, forms.EndForm(request.POST), lambda d: services.child_end(
        actor=request.user, child=child, ended_on=d["ended_on"], reason=d["reason"]), "已移出名册")
    return redirect("children:child_detail", child.pk)


@login_required
@require_POST
def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(request.user, pk)
    require(request.user, "children.register")
    current = list(child.guardians.filter(ended_on__isnull=True))
    form = forms.GuardianForm(request.POST, current=current)

    def call(d: dict) -> None:
        replaces = next((g for g in current if str(g.pk) == d["replaces"]), None)
        services.guardian_add(actor=request.user, child=child, relation=d["relation"], capacity=d["capacity"],
                              started_on=d["started_on"],
                              person=person_get(request.user, d["person"]) if d["person"] else None,
                              name=d["name"], capacity_note=d["capacity_note"], replaces=replaces,
                              change_reason=d["change_reason"])

    _submit(request, form, call, "已登记监护人")
    return redirect("children:child_detail", child.pk)


# --- the sweep ------------------------------------------------------------------------------

@login_required
def sweep(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.view")
    today = timezone.localdate()
    if request.method == "POST":
        require(request.user, "children.campaign")
        form = forms.CampaignForm(request.POST)
        if _submit(request, form, lambda d: services.campaign_open(actor=request.user, **d), "已发起摸底排查"):
            return redirect("children:sweep")
    campaigns = list(selectors.campaigns())
    current = next((c for c in campaigns if c.year == today.year), campaigns[0] if campaigns else None)
    return render(request, "children/sweep.html", {
        "campaigns": campaigns, "current": current,
        "progress": selectors.sweep_progress(request.user, current) if current else [],
        "committees": selectors.committees_visible(request.user) if current else [],
        "may_open": can(request.user, "children.campaign"),
        "form": forms.CampaignForm(initial={"year": today.year, "started_on": today})})


@login_required
def committee_sweep(request: HttpRequest, campaign_pk: int, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, campaign_pk)
    committee = selectors.committee_get(request.user, code)
    data = selectors.committee_sweep(request.user, campaign, committee)
    may = can(request.user, "children.register") and campaign.closed_on is None
    if request.method == "POST":
        require(request.user, "children.register")
        if request.POST.get("form") == "committee":
            form = forms.CommitteeCheckForm(request.POST, items=data.items_committee)
            _submit(request, form, lambda d: services.committee_check_record(
                actor=request.user, campaign=campaign, committee=committee, checked_on=d["checked_on"],
                answers={i.code: d[f"item_{i.code}"] for i in data.items_committee}, note=d["note"]),
                "已登记居村委排查情况")
        else:
            kid = next((k for k, _ in data.children if str(k.pk) == request.POST.get("child")), None)
            if kid is None:
                raise OutOfScope("没有这名儿童")
            form = forms.ChildCheckForm(request.POST, items=data.items_child)
            _submit(request, form, lambda d: services.child_check_record(
                actor=request.user, campaign=campaign, child=kid, checked_on=d["checked_on"],
                answers={i.code: d[f"item_{i.code}"] for i in data.items_child}, outcome=d["outcome"],
                note=d["note"]), f"已登记{kid.person.name}的排查结果")
        return redirect("children:committee_sweep", campaign.pk, committee.code)
    today = timezone.localdate()
    return render(request, "children/committee_sweep.html", {
        "campaign": campaign, "data": data, "may": may, "today": today,
        "child_rows": [(k, c, forms.ChildCheckForm(items=data.items_child, prefix=f"c{k.pk}",
                                                   initial={"checked_on": today, "outcome": "unchanged"}))
                       for k, c in data.children],
        "committee_form": forms.CommitteeCheckForm(items=data.items_committee, initial={"checked_on": today})})


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.view")
    status = request.GET.get("status", LeadStatus.OPEN)
    if status not in LeadStatus.values:
        status = LeadStatus.OPEN
    if request.method == "POST":
        require(request.user, "children.register")
        form = forms.LeadReportForm(request.POST, categories=selectors.categories(active_only=True))
        if _submit(request, form, lambda d: services.lead_report(
                actor=request.user, person=person_get(request.user, d["person"]), kind=d["kind"],
                category=_category(d["category"]), detail=d["detail"]), "已登记线索"):
            return redirect("children:leads")
    rows = selectors.leads_visible(request.user).filter(status=status).order_by("-created_on", "-id")[:300]
    cats = selectors.categories(active_only=True)
    return render(request, "children/leads.html", {
        "rows": rows, "status": status, "statuses": LeadStatus.choices, "categories": cats,
        "may": can(request.user, "children.register"), "may_generate": can(request.user, "children.campaign"),
        "report_form": forms.LeadReportForm(categories=cats), "today": timezone.localdate(),
        "evidence_kinds": forms.EvidenceKind.choices})


@login_required
@require_POST
def lead_accept(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get(request.user, pk)
    require(request.user, "children.register")
    form = forms.LeadAcceptForm(request.POST, categories=selectors.categories(active_only=True))
    _submit(request, form, lambda d: services.lead_accept(
        actor=request.user, lead=lead, category=_category(d["category"]), started_on=d["started_on"],
        evidence_kind=d["evidence_kind"], evidence=d["evidence"]), "已纳入困境儿童名册")
    return redirect("children:leads")


@login_required
@require_POST
def lead_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get(request.user, pk)
    require(request.user, "children.register")
    _submit(request, forms.LeadDismissForm(request.POST), lambda d: services.lead_dismiss(
        actor=request.user, lead=lead, reason=d["reason"]), "已不予纳入")
    return redirect("children:leads")


@login_required
@require_POST
def leads_generate(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.campaign")
    holder: dict[str, Any] = {}

    def run() -> None:
        holder["counts"] = services.leads_generate(actor=request.user)

    if attempt(request, run, "已按数据生成线索"):
        messages.info(request, f"新线索 {holder['counts']['created']} 条，待核实共 {holder['counts']['open_total']} 条")
    return redirect("children:leads")


# --- directors and projects ----------------------------------------------------------------------

@login_required
def directors(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.view")
    if request.method == "POST":
        require(request.user, "children.manage")
        form = forms.DirectorForm(request.POST)

        def call(d: dict) -> None:
            committee = selectors.committee_get(request.user, d["committee"])
            services.director_appoint(actor=request.user, committee=committee, name=d["name"], phone=d["phone"],
                                      started_on=d["started_on"])

        if _submit(request, form, call, "已登记儿童主任"):
            return redirect("children:directors")
    rows = selectors.directors_visible(request.user).order_by("committee_id", "-started_on")
    committees = list(selectors.committees_visible(request.user))
    in_office = {d.committee_id for d in rows if d.ended_on is None}
    return render(request, "children/directors.html", {
        "rows": rows, "vacant": [c for c in committees if c.code not in in_office],
        "may": can(request.user, "children.manage"),
        "form": forms.DirectorForm(initial={"started_on": timezone.localdate()})})


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    require(request.user, "children.view")
    cats = selectors.categories(active_only=True)
    if request.method == "POST":
        require(request.user, "children.manage")
        form = forms.ProjectForm(request.POST, categories=cats)
        if _submit(request, form, lambda d: services.project_create(
                actor=request.user, name=d["name"], year=d["year"], provider=d["provider"],
                planned_children=d["planned_children"], started_on=d["started_on"], basis=d["basis"],
                target_category=_category(d["target_category"]) if d["target_category"] else None),
                "已设立关爱服务项目"):
            return redirect("children:projects")
    rows = [(p, selectors.project_served(request.user, p).count(), selectors.service_records(request.user, p).count())
            for p in selectors.projects()]
    return render(request, "children/projects.html", {
        "rows": rows, "may": can(request.user, "children.manage"),
        "form": forms.ProjectForm(categories=cats, initial={"year": timezone.localdate().year,
                                                            "started_on": timezone.localdate()})})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(request.user, pk)
    if request.method == "POST":
        require(request.user, "children.register")
        if request.POST.get("form") == "served":
            _submit(request, forms.ServedForm(request.POST), lambda d: services.project_child_add(
                actor=request.user, project=project, child=selectors.child_get(request.user, d["child"]),
                joined_on=d["joined_on"]), "已纳入服务对象")
        else:
            _submit(request, forms.ServiceForm(request.POST), lambda d: services.service_record_add(
                actor=request.user, served=selectors.served_get(request.user, d["served"]),
                served_on=d["served_on"], kind=d["kind"], description=d["description"]), "已登记服务记录")
        return redirect("children:project_detail", project.pk)
    today = timezone.localdate()
    return render(request, "children/project_detail.html", {
        "project": project, "served": selectors.project_served(request.user, project),
        "records": selectors.service_records(request.user, project)[:200],
        "may": can(request.user, "children.register"),
        "served_form": forms.ServedForm(initial={"joined_on": today}),
        "service_form": forms.ServiceForm(initial={"served_on": today})})


