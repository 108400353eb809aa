"""Pages of the evaluation grades (社会组织等级评估, ADR 0041): the applications
(list, applying, one application with its eligibility, the experts' scores and
the committee's decision), the evaluation years, the grades and their validity
with the graded share, penalties and investigations, and the reward (免申即享):
its list, one reward with the payment request, the amounts per grade."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt, error_text, form_valid
from minzheng.social_orgs import grade_forms, grade_selectors, grades, selectors
from minzheng.social_orgs.grade_models import ApplicationStatus, RewardStatus
from minzheng.social_orgs.grade_tables import (
    ApplicationFilter,
    ApplicationTable,
    GradeFilter,
    GradeTable,
    RewardFilter,
    RewardTable,
)
from minzheng.social_orgs.models import AnnualReport, OrgStatus

CRUMBS = (("社会组织等级评估", "/socialorgs/grades/"),)


class ApplicationListView(StaffListView):
    """等级评估申报: filters by year, status and grade; Excel export."""

    permission = "social_orgs.grades_view"
    title = "社会组织等级评估"
    export_name = "社会组织等级评估申报"
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "social_orgs/grade_list.html"

    def rows(self):
        return grade_selectors.applications_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update({"can_apply": can(user, "social_orgs.grade_apply"),
                        "can_decide": can(user, "social_orgs.grade_decide"),
                        "can_rewards": can(user, "social_orgs.grade_rewards"),
                        "open_rounds": grade_selectors.open_rounds(timezone.localdate())})
        return context


grade_list = ApplicationListView.as_view()


@login_required
def grade_apply(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.grade_apply")
    today = timezone.localdate()
    own = selectors.own_organization(request.user)
    open_rounds = list(grade_selectors.open_rounds(today))
    form = grade_forms.ApplyForm(request.POST or None, initial={"applied_on": today,
                                                                "organization": own.pk if own else None})
    form.fields["round"].choices = [(r.pk, str(r)) for r in open_rounds]
    visible = selectors.organizations_visible(request.user).filter(status=OrgStatus.NORMAL).order_by("name")
    form.fields["organization"].choices = list(visible.values_list("pk", "name")[:2000])
    if own is not None:  # the organization applies on the day it applies
        form.fields["applied_on"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = selectors.organization_get(request.user, data["organization"])
            round_ = next(r for r in open_rounds if r.pk == data["round"])
            application = grades.application_submit(actor=request.user, organization=organization, round=round_,
                                                     applied_on=today if own else data["applied_on"], today=today)
        except OutOfScope:
            form.add_error("organization", "请选择一个社会组织")
        except ValidationError as err:
            form.add_error(None, error_text(err))
        else:
            if application.status == ApplicationStatus.EXCLUDED:
                messages.warning(request, "已登记申报，但不符合申报条件：" + "；".join(
                    e["label"] for e in application.exclusions))
            else:
                messages.success(request, "已申报等级评估，符合申报条件")
            return redirect("social_orgs:grade_detail", application.pk)
    return render(request, "social_orgs/grade_apply.html", {"form": form, "open_rounds": open_rounds, "own": own},
                  status=422 if form.errors else 200)


@login_required
def grade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grades_view")
    application = grade_selectors.application_get(request.user, pk)
    today = timezone.localdate()
    decidable = application.status in grades.DECIDABLE and can(request.user, "social_orgs.grade_decide")
    years = (application.round.year - 2, application.round.year - 1)
    reports = {r.year: r for r in AnnualReport.objects.filter(organization=application.organization, year__in=years)}
    confirmed = getattr(application, "confirmed_grade", None)
    return render(request, "social_orgs/grade_detail.html", {
        "application": application, "decidable": decidable,
        "reports": [(y, reports.get(y)) for y in years],
        "scores": application.scores.all(), "confirmed": confirmed,
        "reward": getattr(confirmed, "reward", None) if confirmed else None,
        "can_rewards": can(request.user, "social_orgs.grade_rewards"),
        "score_form": grade_forms.ScoreForm(initial={"scored_on": today}),
        "decide_form": grade_forms.DecideForm(initial={"decided_on": today,
                                                       "party_status": application.organization.party_status})})


@login_required
@require_POST
def grade_score(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grade_decide")
    application = grade_selectors.application_get(request.user, pk)
    form = grade_forms.ScoreForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: grades.score_record(actor=request.user, application=application,
                                                     today=timezone.localdate(), **form.cleaned_data), "已录入评分")
    return redirect("social_orgs:grade_detail", application.pk)


@login_required
@require_POST
def grade_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grade_decide")
    application = grade_selectors.application_get(request.user, pk)
    form = grade_forms.DecideForm(request.POST)
    if form_valid(request, form):
        data = form.cleaned_data
        grade = "" if data["grade"] == "none" else data["grade"]
        attempt(request, lambda: grades.application_decide(
            actor=request.user, application=application, grade=grade, decided_on=data["decided_on"],
            basis=data["basis"], party_status=data["party_status"], today=timezone.localdate()), "已录入审定结果")
    return redirect("social_orgs:grade_detail", application.pk)


@login_required
def grade_rounds(request: HttpRequest) -> HttpResponse:
    """评估年度: the years and their application windows; the section opens a year."""
    require(request.user, "social_orgs.grades_view")
    manage = can(request.user, "social_orgs.grade_decide")
    form = grade_forms.RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require(request.user, "social_orgs.grade_decide")
        if form_valid(request, form) and attempt(request, lambda: grades.round_open(
                actor=request.user, today=timezone.localdate(), **form.cleaned_data), "已设立评估年度"):
            return redirect("social_orgs:grade_rounds")
    return render(request, "social_orgs/grade_rounds.html", {
        "rounds": grade_selectors.rounds(), "form": form if manage else None,
        "counts": not selectors.is_organization_account(request.user)})


class GradeListView(StaffListView):
    """评估等级和有效期: every confirmed grade; valid, expiring within N days, expired;
    the graded share by kind above the list."""

    permission = "social_orgs.grades_view"
    title = "社会组织评估等级和有效期"
    export_name = "社会组织评估等级"
    table_class = GradeTable
    filterset_class = GradeFilter
    template_name = "social_orgs/grade_valid.html"
    crumbs = CRUMBS

    def rows(self):
        return grade_selectors.grades_visible(self.request.user).order_by("valid_until", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        # the share is a district figure: an organization's own account does not get one
        own = selectors.is_organization_account(self.request.user)
        context["share"] = [] if own else grade_selectors.graded_share(self.request.user, today)
        context["today"] = today
        return context


grade_valid = GradeListView.as_view()


@login_required
def sanctions(request: HttpRequest) -> HttpResponse:
    """行政处罚和立案调查: recorded by the section; each running one excludes the
    organization from applying (REFERENCE § 13)."""
    require(request.user, "social_orgs.grades_view")
    manage = can(request.user, "social_orgs.grade_decide")
    form = grade_forms.SanctionForm(request.POST or None)
    form.fields["organization"].choices = list(
        selectors.organizations_visible(request.user).order_by("name").values_list("pk", "name")[:2000])
    if request.method == "POST":
        require(request.user, "social_orgs.grade_decide")
        if form_valid(request, form):
            data = dict(form.cleaned_data)
            organization = selectors.organization_get(request.user, data.pop("organization"))
            if attempt(request, lambda: grades.sanction_record(actor=request.user, organization=organization,
                                                               today=timezone.localdate(), **data),
                       "已登记"):
                return redirect("social_orgs:grade_sanctions")
    return render(request, "social_orgs/grade_sanctions.html", {
        "rows": grade_selectors.sanctions_visible(request.user)[:500], "form": form if manage else None,
        "end_form": grade_forms.SanctionEndForm(initial={"ended_on": timezone.localdate()})})


@login_required
@require_POST
def sanction_end(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grade_decide")
    sanction = grade_selectors.sanctions_visible(request.user).filter(pk=pk).first()
    if sanction is None:
        raise OutOfScope()
    form = grade_forms.SanctionEndForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: grades.sanction_end(actor=request.user, sanction=sanction,
                                                     today=timezone.localdate(), **form.cleaned_data), "已登记结束日期")
    return redirect("social_orgs:grade_sanctions")


class RewardListView(StaffListView):
    """等级评估奖励 (免申即享): one per confirmed grade, 参数缺失 until an amount exists."""

    permission = "social_orgs.grade_rewards"
    title = "社会组织等级评估奖励"
    export_name = "社会组织等级评估奖励"
    table_class = RewardTable
    filterset_class = RewardFilter
    template_name = "social_orgs/grade_rewards.html"
    crumbs = CRUMBS

    def rows(self):
        return grade_selectors.rewards_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can(self.request.user, "social_orgs.grade_reward_manage")
        context["missing"] = grade_selectors.rewards_visible(self.request.user).filter(
            status=RewardStatus.MISSING).count()
        context["missing_text"] = grades.MISSING_TEXT
        return context


reward_list = RewardListView.as_view()


@login_required
@require_POST
def rewards_compute(request: HttpRequest) -> HttpResponse:
    require(request.user, "social_orgs.grade_reward_manage")

    def run() -> None:
        done = grades.rewards_compute(actor=request.user, today=timezone.localdate())
        messages.info(request, f"本次计算{done}笔")

    attempt(request, run, "已重新计算参数缺失的奖励")
    return redirect("social_orgs:reward_list")


@login_required
def reward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grade_rewards")
    reward = grade_selectors.reward_get(request.user, pk)
    payment = None
    if reward.payment_reference:
        from minzheng.payments.services import one_off_status

        payment = one_off_status(grades.PAYMENT_PROGRAM, reward.payment_reference)
    return render(request, "social_orgs/grade_reward_detail.html", {
        "reward": reward, "organization": reward.grade.organization, "payment": payment,
        "missing": grades.missing_reason(reward) if reward.status == RewardStatus.MISSING else "",
        "pay_form": grade_forms.RewardPayForm() if (reward.status == RewardStatus.COMPUTED and can(
            request.user, "social_orgs.grade_reward_manage")) else None})


@login_required
@require_POST
def reward_pay(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "social_orgs.grade_reward_manage")
    reward = grade_selectors.reward_get(request.user, pk)
    form = grade_forms.RewardPayForm(request.POST)
    if form_valid(request, form):
        attempt(request, lambda: grades.reward_payment_request(actor=request.user, reward=reward,
                                                               **form.cleaned_data), "已申请拨付，请在资金发放中办理一次性补贴批次")
    return redirect("social_orgs:reward_detail", reward.pk)


@login_required
def reward_parameters(request: HttpRequest) -> HttpResponse:
    """奖励标准: the amount per grade from a date, each with its document."""
    require(request.user, "social_orgs.grade_rewards")
    manage = can(request.user, "social_orgs.grade_reward_manage")
    form = grade_forms.RewardParameterForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "social_orgs.grade_reward_manage")
        if form_valid(request, form):
            data = form.cleaned_data
            if attempt(request, lambda: grades.reward_parameter_enter(
                    actor=request.user, grade=data["grade"], effective_from=data["effective_from"],
                    amount_fen=form.amount_fen(), document_name=data["document_name"],
                    document_number=data["document_number"], today=timezone.localdate()),
                    "已录入奖励标准，并计算了等待该标准的奖励"):
                return redirect("social_orgs:reward_parameters")
    return render(request, "social_orgs/grade_parameters.html", {
        "rows": grade_selectors.reward_parameters(), "form": form if manage else None,
        "missing_text": grades.MISSING_TEXT})
