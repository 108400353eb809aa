"""Pages of the funeral subsidies (殡葬补贴): the grants list, a grant's page
(reasons, amount basis, payment; the bureau's actions), the eco-burial form
and the subsidy amounts (parameter files + values entered with their document).
Thin views over ``selectors`` and ``services``; out of scope → 404, wrong role → 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.funeral_subsidies import selectors, services
from minzheng.funeral_subsidies.amounts import UNVERIFIED, kind_value, missing_reason
from minzheng.funeral_subsidies.filters import GrantFilter
from minzheng.funeral_subsidies.forms import (
    BurialForm,
    CitedValueForm,
    FactsForm,
    PayeeForm,
    ReasonForm,
    ReceiptsForm,
    SettledForm,
)
from minzheng.funeral_subsidies.models import (
    KIND_PARAMETERS,
    Eligibility,
    Grant,
    GrantKind,
    GrantStatus,
    PaymentMethod,
)
from minzheng.funeral_subsidies.tables import GrantTable
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Person

OPEN = (GrantStatus.PENDING, GrantStatus.ASSESSED, GrantStatus.TO_PAY)


def _errors(err: ValidationError) -> list[str]:
    return list(getattr(err, "messages", [str(err)]))


def _grant_or_404(request: HttpRequest, pk: int) -> Grant:
    try:
        return selectors.grant_get(request.user, pk)
    except Grant.DoesNotExist as err:
        raise Http404("未找到该殡葬补贴") from err


class GrantListView(StaffListView):
    """殡葬补贴: every grant (免申即享), filtered by kind, status, street and month."""

    permission = "funeral_subsidies.view"
    title = "殡葬补贴"
    export_name = "殡葬补贴清单"
    table_class = GrantTable
    filterset_class = GrantFilter
    template_name = "funeral_subsidies/grant_list.html"

    def rows(self):
        return selectors.grants_visible(self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and can(request.user, "funeral_subsidies.manage"):
            # the grants sent to payment follow the payments app's status (ADR 0027)
            services.grants_payment_sync(actor=request.user, grants=list(selectors.grants_in_payment(request.user)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = selectors.status_counts(self.request.user)
        context.update(counts=[(value, label, counts.get(value, 0)) for value, label in GrantStatus.choices],
                       can_manage=can(self.request.user, "funeral_subsidies.manage"))
        return context


grant_list = GrantListView.as_view()


def _basis_rows(grant: Grant) -> list[tuple[str, str]]:
    b = grant.amount_basis or {}
    if not b:
        return []
    rows = [("标准来源", b.get("origin", "—")),
            ("标准金额", f"{b['value_fen'] / 100:,.2f} 元" + ("／具骨灰" if grant.kind != GrantKind.BASIC else "（最高额）")),
            ("起始日期", b.get("effective", "—")), ("依据", b.get("reference", "—")), ("出处", b.get("source", "—"))]
    if b.get("urns"):
        rows.append(("骨灰数", f"{b['urns']} 具"))
    if b.get("cost_fen") is not None:
        rows.append(("实际费用", f"{b['cost_fen'] / 100:,.2f} 元"))
    if b.get("rule"):
        rows.append(("计算方法", b["rule"]))
    return rows


@login_required
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _grant_or_404(request, pk)
    user = request.user
    manage = can(user, "funeral_subsidies.manage")
    if manage and grant.payment_reference:
        services.grants_payment_sync(actor=user, grants=[grant])
        grant.refresh_from_db()
    is_open = grant.status in OPEN
    family = grant.payment_method in ("", PaymentMethod.FAMILY_ACCOUNT)
    payee_form = bind_pickers(PayeeForm(initial={"payee": grant.payee_id}), user)
    context = {
        "g": grant, "basis": _basis_rows(grant), "unverified": bool(grant.amount_basis)
        and not grant.amount_basis.get("verified", False), "unverified_text": UNVERIFIED,
        "payment": services.payment_of(grant), "manage": manage,
        "payee_account": services.payee_has_account(grant.payee) if grant.payee else None,
        "can_receipts": manage and is_open and grant.kind == GrantKind.BASIC
        and grant.eligibility == Eligibility.ELIGIBLE and grant.payment_method != PaymentMethod.SETTLEMENT,
        "can_facts": manage and is_open and grant.kind == GrantKind.BASIC,
        "can_payee": manage and is_open and family,
        "can_send": manage and grant.status == GrantStatus.TO_PAY and family and not grant.payment_reference,
        "can_reassess": manage and is_open and not grant.payment_reference,
        "can_refuse": manage and is_open and not grant.payment_reference,
        "can_settle_operator": manage and grant.status == GrantStatus.ASSESSED
        and grant.payment_method == PaymentMethod.BOAT_OPERATOR,
        "receipts_form": ReceiptsForm(), "facts_form": FactsForm(), "payee_form": payee_form,
        "reason_form": ReasonForm(), "settled_form": SettledForm(),
        "send_url": reverse("funeral_subsidies:grant_send", args=[grant.pk]),
        "reassess_url": reverse("funeral_subsidies:grant_reassess", args=[grant.pk]),
    }
    return render(request, "funeral_subsidies/grant_detail.html", context)


def _act(request: HttpRequest, pk: int, form_class: Any, do: Any, done: str) -> HttpResponse:
    require(request.user, "funeral_subsidies.manage")
    grant = _grant_or_404(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and hasattr(form, "fields"):
        bind_pickers(form, request.user)
    if form is not None and not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("funeral_subsidies:grant_detail", pk=pk)
    try:
        do(grant, form.cleaned_data if form is not None else {})
    except ValidationError as err:
        for message in _errors(err):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("funeral_subsidies:grant_detail", pk=pk)


@login_required
@require_POST
def grant_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReceiptsForm, lambda g, d: services.grant_enter_receipts(
        actor=request.user, grant=g, cost_fen=d["cost"], note=d["note"]), "已按票据核定补贴金额")


@login_required
@require_POST
def grant_facts(request: HttpRequest, pk: int) -> HttpResponse:
    def do(grant: Grant, data: dict) -> None:
        facts = FactsForm(request.POST)
        facts.is_valid()
        services.grant_confirm_facts(actor=request.user, grant=grant, **facts.facts())

    return _act(request, pk, FactsForm, do, "已登记核实情况并重新核定")


@login_required
@require_POST
def grant_payee(request: HttpRequest, pk: int) -> HttpResponse:
    def do(grant: Grant, data: dict) -> None:
        try:
            payee = registry_selectors.person_get(request.user, data["payee"])
        except Person.DoesNotExist as err:
            raise ValidationError("请从列表中选择收款人") from err
        services.grant_choose_payee(actor=request.user, grant=grant, payee=payee)

    return _act(request, pk, PayeeForm, do, "已选择家属收款人")


@login_required
@require_POST
def grant_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, None, lambda g, d: services.grant_send_to_payment(actor=request.user, grant=g),
                "已提交发放，将纳入一次性补贴发放批次")


@login_required
@require_POST
def grant_reassess(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, None, lambda g, d: services.grant_reassess(actor=request.user, grant=g), "已重新核定")


@login_required
@require_POST
def grant_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReasonForm, lambda g, d: services.grant_refuse(
        actor=request.user, grant=g, reason=d["reason"]), "已登记不予补贴")


@login_required
@require_POST
def grant_operator_settled(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, SettledForm, lambda g, d: services.grant_mark_operator_settled(
        actor=request.user, grant=g, note=d["note"]), "已登记与船舶单位结算")


@login_required
def burial_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "funeral_subsidies.manage")
    form = bind_pickers(BurialForm(request.POST or None, initial={"burial_date": timezone.localdate(), "urns": 1}),
                        request.user)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = registry_selectors.person_get(request.user, data["person"]) if data["person"] else None
            payee = registry_selectors.person_get(request.user, data["payee"]) if data["payee"] else None
        except Person.DoesNotExist:
            problems = ["请从列表中选择人员"]
        else:
            try:
                burial = services.eco_burial_record(
                    actor=request.user, kind=data["kind"], burial_date=data["burial_date"], person=person,
                    name=data["name"], id_number=data["id_number"], urns=data["urns"], payee=payee,
                    operator_name=data["operator_name"], death_date=data["death_date"], note=data["note"])
            except ValidationError as err:
                problems = _errors(err)
            else:
                messages.success(request, f"已登记{burial.get_kind_display()}，补贴已生成")
                return redirect("funeral_subsidies:grant_detail", pk=burial.grants.order_by("id").first().pk)
    return render(request, "funeral_subsidies/burial_new.html", {"form": form, "problems": problems})


@login_required
def values(request: HttpRequest) -> HttpResponse:
    """每类补贴的标准：参数文件的取值，或工作人员录入、注明文号的金额；都没有的显示“参数缺失”。"""
    require(request.user, "funeral_subsidies.view")
    today = timezone.localdate()
    manage = can(request.user, "funeral_subsidies.manage")
    form = CitedValueForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        require(request.user, "funeral_subsidies.manage")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.cited_value_enter(actor=request.user, kind=data["kind"], effective_from=data["effective_from"],
                                           amount_fen=data["amount"], document_name=data["document_name"],
                                           document_number=data["document_number"])
            except ValidationError as err:
                problems = _errors(err)
            else:
                waiting = Grant.objects.filter(kind=data["kind"], status=GrantStatus.PENDING).count()
                messages.success(request, f"已录入。{waiting} 笔该类补贴待核定，请在补贴页面逐笔重新核定。"
                                 if waiting else "已录入。")
                return redirect("funeral_subsidies:values")
    rows = []
    for kind in KIND_PARAMETERS:
        value = kind_value(kind, today)
        rows.append({"label": GrantKind(kind).label, "value": value,
                     "unit": "元（每位逝者最高额）" if kind == GrantKind.BASIC else "元／具骨灰",
                     "missing": None if value else missing_reason(kind)})
    return render(request, "funeral_subsidies/values.html", {
        "rows": rows, "today": today, "cited": selectors.cited_values(request.user), "form": form,
        "problems": problems, "manage": manage, "unverified_text": UNVERIFIED})


