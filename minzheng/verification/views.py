"""Verification pages: the staff queue, a new request, a request with its
authorisations, computation, figures and reports. Thin views over
``selectors`` and ``services``; out of scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.feeds import services as feed_services
from minzheng.feeds.selectors import source_get
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household, Person
from minzheng.verification import selectors, services
from minzheng.verification.filters import RequestFilter
from minzheng.verification.forms import AuthorisationForm, ComputeForm, RequestForm
from minzheng.verification.models import Status, VerificationReport, VerificationRequest
from minzheng.verification.replies import REQUIRED_SOURCES
from minzheng.verification.tables import RequestTable


def _errors(err: Exception) -> str:
    return "；".join(getattr(err, "messages", [str(err)]))


def _request_or_404(request: HttpRequest, pk: int) -> VerificationRequest:
    require(request.user, "verification.view")
    try:
        return selectors.request_get(request.user, pk)
    except VerificationRequest.DoesNotExist as err:
        raise Http404("未找到该核对委托") from err


class RequestListView(StaffListView):
    """核对委托 queue: the user's jurisdiction, counters per status, filters, export."""

    permission = "verification.view"
    title = "居民家庭经济状况核对"
    export_name = "核对委托清单"
    table_class = RequestTable
    filterset_class = RequestFilter
    template_name = "verification/request_list.html"

    def rows(self) -> QuerySet[VerificationRequest]:
        return selectors.request_rows(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, year = self.request.user, timezone.localdate().year
        counts = selectors.request_status_counts(user)
        context.update(counts=[(value, label, counts.get(value, 0)) for value, label in Status.choices],
                       year=year, year_count=selectors.verification_yearly_count(user, year),
                       can_write=can(user, "verification.write"))
        return context


request_list = RequestListView.as_view()


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "verification.view")
    form = bind_pickers(RequestForm(request.POST or None, initial={"household": request.GET.get("household", "")}),
                        request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = registry_selectors.household_get(request.user, form.cleaned_data["household"])
        except Household.DoesNotExist as err:
            raise Http404("未找到该家庭") from err
        try:
            created = services.verification_request_create(
                actor=request.user, household=household, purpose=form.cleaned_data["purpose"],
                note=form.cleaned_data["note"])
        except ValidationError as err:
            form.add_error(None, _errors(err))
        else:
            messages.success(request, f"已发起核对委托 {created.reference}")
            return redirect("verification:request_detail", pk=created.pk)
    return render(request, "verification/request_new.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "verification.view")
    vr = _request_or_404(request, pk)
    result = selectors.request_latest_result(vr)
    members = registry_selectors.household_members(vr.household)
    auth_form = AuthorisationForm()
    auth_form.fields["signed_by"].widget.choices = [(m.person_id, f"{m.person.name}（{m.get_relation_display()}）") for m in members]
    return render(request, "verification/request_detail.html", {
        "vr": vr, "members": members, "authorisations": vr.authorisations.select_related("signed_by"),
        "result": result, "figures": selectors.result_figures(result) if result else [],
        "reports": result.reports.all() if result else [], "auth_form": auth_form, "compute_form": ComputeForm(),
        "can_write": can(request.user, "verification.write") and vr.status != Status.WITHDRAWN,
        "missing": services.missing_authorisations(vr, timezone.localdate()),
        "conclusive": result is not None and services.result_is_conclusive(result),
        "exceptions": vr.reply_exceptions.select_related("person"),
        "required_sources": [(code, source_get(code).name) for code in REQUIRED_SOURCES],
        "declared_rows": _declared_rows(result, members) if result else [],
        "source_rows": _source_rows(result) if result else [],
        "figure_rows": _figure_rows(selectors.result_figures(result)) if result else [],
    })


def _source_rows(result) -> list[dict]:
    """Per required department source: replied, missing (with what is missing) or excepted."""
    missing: dict[str, list[str]] = {}
    for gap in result.missing_replies or []:
        missing.setdefault(gap["source"], []).append(gap["text"])
    excepted: dict[str, list[str]] = {}
    for exception in result.exceptions or []:
        excepted.setdefault(exception["source"], []).append(f"{exception['name']}：{exception['reason']}")
    return [{"name": source_get(code).name, "missing": missing.get(code, []), "excepted": excepted.get(code, [])}
            for code in REQUIRED_SOURCES]


def _figure_rows(figures) -> list[dict]:
    """Figures with their source records named by department (never by file name)."""
    return [{"figure": f, "records": [(r.pk, source_get(r.file.source).name, r.row_number) for r in f.records.all()]}
            for f in figures]


def _declared_rows(result, members) -> list[dict]:
    """Per member: declared (registry) income beside the verified income."""
    rows = []
    for m in members:
        declared = (result.declared.get("income") or {}).get(str(m.person_id))
        verified = result.member_income.get(str(m.person_id))
        rows.append({"name": m.person.name, "declared": declared["total_fen"] if declared else None,
                     "declared_origin": declared["origin"] if declared else "",
                     "verified": sum(verified.values()) if verified else None})
    return rows


@login_required
@require_POST
def authorisation_add(request: HttpRequest, pk: int) -> HttpResponse:
    vr = _request_or_404(request, pk)
    form = AuthorisationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择签署人、填写签署日期并上传授权书扫描件")
        return redirect("verification:request_detail", pk=vr.pk)
    try:
        person = registry_selectors.person_get(request.user, form.cleaned_data["signed_by"])
        services.verification_authorisation_record(
            actor=request.user, request=vr, signed_by=person, signed_on=form.cleaned_data["signed_on"],
            document=form.cleaned_data["document"])
        messages.success(request, f"已登记 {person.name} 的授权书")
    except Person.DoesNotExist:
        messages.error(request, "签署人不是该家庭的成员")
    except ValidationError as err:
        messages.error(request, _errors(err))
    return redirect("verification:request_detail", pk=vr.pk)


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    vr = _request_or_404(request, pk)
    form = ComputeForm(request.POST)
    if not form.is_valid():  # an unreadable date is refused, not replaced by today
        messages.error(request, f"核对日期“{request.POST.get('as_of', '')[:20]}”无效，应为 YYYY-MM-DD 格式的日期")
        return redirect("verification:request_detail", pk=vr.pk)
    as_of = form.cleaned_data.get("as_of")
    try:
        result = services.verification_compute(actor=request.user, request=vr, as_of=as_of)
        messages.success(request, f"核对完成：{result.get_outcome_display()}")
    except ValidationError as err:
        messages.error(request, _errors(err))
    return redirect("verification:request_detail", pk=vr.pk)


def _on_latest_result(request: HttpRequest, pk: int, *, nothing: str, act, done) -> HttpResponse:
    """Run ``act(result)`` on the request's latest result; flash ``done(result)`` or the refusal."""
    vr = _request_or_404(request, pk)
    result = selectors.request_latest_result(vr)
    if result is None:
        messages.error(request, nothing)
        return redirect("verification:request_detail", pk=vr.pk)
    try:
        act(result)
        messages.success(request, done(result))
    except ValidationError as err:
        messages.error(request, _errors(err))
    return redirect("verification:request_detail", pk=vr.pk)


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_latest_result(
        request, pk, nothing="尚未核对，不能出具报告",
        act=lambda result: services.verification_report_generate(actor=request.user, result=result),
        done=lambda result: "核对报告已出具")


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    require(request.user, "verification.view")
    try:
        report = selectors.report_get(request.user, pk)
    except VerificationReport.DoesNotExist as err:
        raise Http404("未找到该报告") from err
    return FileResponse(report.pdf.open("rb"), content_type="application/pdf",
                        filename=f"{report.result.request.reference}.pdf")


@login_required
def authorisation_document(request: HttpRequest, pk: int, auth_pk: int) -> FileResponse:
    require(request.user, "verification.view")
    vr = _request_or_404(request, pk)
    authorisation = vr.authorisations.filter(pk=auth_pk).first()
    if authorisation is None:
        raise Http404("未找到该授权书")
    return FileResponse(authorisation.document.open("rb"), filename=authorisation.document.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """认定: the reviewer accepts the latest conclusive result into the registry's facts."""
    return _on_latest_result(
        request, pk, nothing="尚未核对，不能认定",
        act=lambda result: services.verification_result_accept(actor=request.user, result=result),
        done=lambda result: f"已认定核对结果：自{result.as_of:%Y年%m月%d日}起，人口库中该家庭的收入和财产按核对结果记录")


def _member(request: HttpRequest, vr: VerificationRequest, raw: str) -> Person | None:
    if not raw:
        return None
    member = registry_selectors.household_members(vr.household).filter(person_id=raw if raw.isascii() and raw.isdigit() else 0).first()
    if member is None:
        raise Http404("该人员不是此家庭的现有成员")
    return member.person


@login_required
@require_POST
def reply_exception_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a documented exception for a missing department reply."""
    vr = _request_or_404(request, pk)
    try:
        services.verification_reply_exception_record(
            actor=request.user, request=vr, source=request.POST.get("source", ""),
            person=_member(request, vr, request.POST.get("person", "")), reason=request.POST.get("reason", ""))
        messages.success(request, "已登记例外说明，请重新核对")
    except ValidationError as err:
        messages.error(request, _errors(err))
    return redirect("verification:request_detail", pk=vr.pk)


@login_required
@require_POST
def no_record_reply_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a department's written "no record" reply for one member."""
    vr = _request_or_404(request, pk)
    person = _member(request, vr, request.POST.get("person", ""))
    try:
        start = dt.date.fromisoformat(request.POST.get("period_start", ""))
        end = dt.date.fromisoformat(request.POST.get("period_end", ""))
    except ValueError:
        messages.error(request, "回复期间应为 YYYY-MM-DD 格式的日期")
        return redirect("verification:request_detail", pk=vr.pk)
    if person is None:
        messages.error(request, "请选择成员")
        return redirect("verification:request_detail", pk=vr.pk)
    try:
        feed_services.feed_no_record_reply_record(
            actor=request.user, source=request.POST.get("source", ""), person=person, period_start=start,
            period_end=end, reference=request.POST.get("reference", ""))
        messages.success(request, f"已登记 {person.name} 的“查无记录”回复，请重新核对")
    except ValidationError as err:
        messages.error(request, _errors(err))
    return redirect("verification:request_detail", pk=vr.pk)
