"""Pages of the marriage registry office (婚姻登记): registrations, the record
(every view audited), certificates as PDF and their re-issue, divorce
applications with the clock. Thin views over ``selectors`` and ``services``;
only registrars pass (``marriage.view`` and the write actions), others get 403;
a record outside the registrar's office is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.marriage import clock as clock_rules
from minzheng.marriage import selectors, services
from minzheng.marriage.certificate_pdf import OFFICE_SUFFIX, certificate_pdf
from minzheng.marriage.clock import PHASE_LABELS, days_left, phase
from minzheng.marriage.filters import DivorceFilter, RegistrationFilter
from minzheng.marriage.forms import (
    BookedPartyForm,
    DivorceApplyForm,
    DivorceRegisterForm,
    PartyForm,
    RegistrationForm,
    ReissueForm,
    WithdrawForm,
)
from minzheng.marriage.models import (
    CertificateStatus,
    DivorceApplication,
    DivorceStatus,
    MarriageCertificate,
    MarriageDocument,
    MarriageRegistration,
    MarriageStatus,
)
from minzheng.marriage.tables import DivorceTable, RegistrationTable


def _errors(err: ValidationError) -> list[str]:
    return list(getattr(err, "messages", [str(err)]))


def _registration_or_404(request: HttpRequest, pk: int) -> MarriageRegistration:
    try:
        return selectors.registration_get(request.user, pk)
    except MarriageRegistration.DoesNotExist as err:
        raise Http404("未找到该婚姻登记档案") from err


def _divorce_or_404(request: HttpRequest, pk: int) -> DivorceApplication:
    try:
        return selectors.divorce_get(request.user, pk)
    except DivorceApplication.DoesNotExist as err:
        raise Http404("未找到该离婚登记申请") from err


class RegistrationListView(StaffListView):
    """结婚登记档案: search by name, complete ID number or certificate number; IDs masked."""

    permission = "marriage.view"
    title = "结婚登记"
    export_name = "结婚登记清单"
    table_class = RegistrationTable
    filterset_class = RegistrationFilter
    template_name = "marriage/registration_list.html"

    def rows(self):
        return selectors.registrations_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_register"] = can(self.request.user, "marriage.register")
        return context


registration_list = RegistrationListView.as_view()


class DivorceListView(StaffListView):
    """离婚登记申请 with the clock: days left to withdraw and to appear."""

    permission = "marriage.view"
    title = "离婚登记"
    export_name = "离婚登记申请清单"
    table_class = DivorceTable
    filterset_class = DivorceFilter
    template_name = "marriage/divorce_list.html"

    def rows(self):
        return selectors.divorces_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        counts = selectors.divorce_status_counts(user)
        context.update(counts=[(value, label, counts.get(value, 0)) for value, label in DivorceStatus.choices],
                       awaiting=selectors.divorces_awaiting_appearance(user, today).count())
        return context


divorce_list = DivorceListView.as_view()


@login_required
def registration_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "marriage.register")
    today = timezone.localdate()
    form = RegistrationForm(request.POST or None, initial={"registered_on": today})
    first = PartyForm(request.POST or None, prefix="p1")
    second = PartyForm(request.POST or None, prefix="p2")
    problems: list[str] = []
    booking_ref = (request.POST.get("booking") or request.GET.get("booking") or "")[:40]
    if request.method == "POST" and all([form.is_valid(), first.is_valid(), second.is_valid()]):
        try:
            registration = services.marriage_register(
                actor=request.user, first=services.PartyInput(**first.cleaned_data),
                second=services.PartyInput(**second.cleaned_data), registered_on=form.cleaned_data["registered_on"],
                booking_ref=booking_ref)
        except ValidationError as err:
            problems = _errors(err)
        else:
            numbers = "、".join(c.number for c in registration.certificates.all())
            messages.success(request, f"结婚登记已完成，结婚证字号：{numbers}")
            return redirect("marriage:registration_detail", pk=registration.pk)
    return render(request, "marriage/registration_new.html", {
        "form": form, "first": first, "second": second, "problems": problems, "booking": booking_ref})


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_or_404(request, pk)
    services.registration_view_record(actor=request.user, registration=registration, what="查阅档案")
    today = timezone.localdate()
    return render(request, "marriage/registration_detail.html", {
        "reg": registration, "parties": registration.parties.all(),
        "documents": registration.documents.filter(divorce__isnull=True),
        "certificates": selectors.registration_certificates(registration),
        "divorces": registration.divorce_applications.all(),
        "office": f"{registration.office.name}{OFFICE_SUFFIX}",
        "can_reissue": can(request.user, "marriage.reissue"),
        "can_divorce": can(request.user, "marriage.divorce") and registration.status == MarriageStatus.IN_FORCE
        and not registration.divorce_applications.filter(status=DivorceStatus.PENDING).exists(),
        "reissue_form": ReissueForm(), "divorce_form": DivorceApplyForm(initial={"received_on": today}),
        "valid": CertificateStatus.VALID,
    })


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        certificate = selectors.certificate_get(request.user, pk)
    except MarriageCertificate.DoesNotExist as err:
        raise Http404("未找到该证书") from err
    services.registration_view_record(actor=request.user, registration=certificate.registration,
                                      what=f"打印证书 {certificate.number}")
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded file of a document (the divorce agreement), unsealed; audited."""
    try:
        document = selectors.document_get(request.user, pk)
    except MarriageDocument.DoesNotExist as err:
        raise Http404("未找到该材料") from err
    try:
        name, data = services.document_open(actor=request.user, document=document)
    except ValidationError as err:
        messages.error(request, "；".join(_errors(err)))
        return redirect("marriage:registration_detail", pk=document.registration_id)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_POST
def certificate_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "marriage.reissue")
    try:
        certificate = selectors.certificate_get(request.user, pk)
    except MarriageCertificate.DoesNotExist as err:
        raise Http404("未找到该证书") from err
    form = ReissueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写补发原因")
    else:
        try:
            new = services.certificate_reissue(actor=request.user, certificate=certificate,
                                               reason=form.cleaned_data["reason"])
        except ValidationError as err:
            messages.error(request, "；".join(_errors(err)))
        else:
            messages.success(request, f"已补发{new.get_kind_display()}，新证字号 {new.number}；原证 {certificate.number} 作废")
    return redirect("marriage:registration_detail", pk=certificate.registration_id)


@login_required
@require_POST
def divorce_apply(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "marriage.divorce")
    registration = _registration_or_404(request, pk)
    form = DivorceApplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写收到申请的日期")
        return redirect("marriage:registration_detail", pk=pk)
    try:
        application = services.divorce_apply(
            actor=request.user, marriage=registration, received_on=form.cleaned_data["received_on"],
            both_present=form.cleaned_data["both_present"], agreement_text=form.cleaned_data["agreement_text"],
            agreement_file=form.cleaned_data["agreement_file"])
    except ValidationError as err:
        messages.error(request, "；".join(_errors(err)))
        return redirect("marriage:registration_detail", pk=pk)
    messages.success(request, "已受理离婚登记申请，冷静期开始计算")
    return redirect("marriage:divorce_detail", pk=application.pk)


@login_required
def divorce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _divorce_or_404(request, pk)
    services.registration_view_record(actor=request.user, registration=application.marriage, what="查阅离婚登记申请")
    today = timezone.localdate()
    current = phase(withdrawal_until=application.withdrawal_until, appear_until=application.appear_until, today=today,
                    received=application.received_on)
    may = can(request.user, "marriage.divorce") and application.is_open
    return render(request, "marriage/divorce_detail.html", {
        "a": application, "parties": application.marriage.parties.all(),
        "documents": application.documents.all(), "certificates": application.certificates.select_related("holder"),
        "phase": current, "phase_label": PHASE_LABELS[current] if application.is_open else "",
        "withdraw_left": days_left(application.withdrawal_until, today),
        "appear_left": days_left(application.appear_until, today),
        "appear_from": application.withdrawal_until + dt.timedelta(days=1) if application.withdrawal_until else None,
        "clock_missing": clock_rules.divorce_clock_partial(application.received_on).missing
        if application.appear_until is None else "",
        "can_withdraw": may and current == "cooling_off", "can_register": may and current == "appearance",
        "withdraw_form": WithdrawForm(initial={"on": today}), "register_form": DivorceRegisterForm(initial={"on": today}),
    })


def _divorce_step(request: HttpRequest, pk: int, form_class, invalid: str, step, done) -> HttpResponse:
    """One step on a divorce application from its page (withdraw, register):
    the form, the service, the Chinese message, back to the application."""
    require(request.user, "marriage.divorce")
    application = _divorce_or_404(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            step(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as err:
            messages.error(request, "；".join(_errors(err)))
        else:
            messages.success(request, done(application))
    return redirect("marriage:divorce_detail", pk=pk)


@login_required
@require_POST
def divorce_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _divorce_step(request, pk, WithdrawForm, "请选择撤回的一方并填写日期", services.divorce_withdraw,
                         lambda application: "离婚登记申请已撤回")


@login_required
@require_POST
def divorce_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _divorce_step(
        request, pk, DivorceRegisterForm, "请填写到场日期", services.divorce_register,
        lambda application: "离婚登记已完成，离婚证字号："
        + "、".join(application.certificates.values_list("number", flat=True)))



@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    """今日预约: the office's marriage appointments of a day (default today), with check-in
    and, for an arrived couple, the registration."""
    from minzheng.core.bounds import day_parse

    require(request.user, "marriage.view")
    today = timezone.localdate()
    day = today
    if request.GET.get("day"):
        try:
            day = day_parse(request.GET["day"], "日期")
        except ValidationError as err:
            messages.error(request, "；".join(_errors(err)))
    rows = list(selectors.appointments_on(request.user, day))
    registered = selectors.registrations_by_booking([b.pk for b in rows])
    return render(request, "marriage/appointments.html", {
        "day": day, "today": today,
        "rows": [(b, registered.get(b.pk), services.is_marriage_purpose(b.purpose)) for b in rows],
        "can_book": can(request.user, "bookings.book")})


def _appointment_or_404(request: HttpRequest, pk: int):
    from minzheng.bookings.models import Booking

    try:
        return selectors.appointment_get(request.user, pk)
    except Booking.DoesNotExist as err:
        raise Http404("未找到该预约") from err


@login_required
@require_POST
def appointment_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "marriage.view")
    booking = _appointment_or_404(request, pk)
    try:
        services.appointment_check_in(actor=request.user, booking=booking)
    except ValidationError as err:
        messages.error(request, "；".join(_errors(err)))
        return redirect("marriage:appointments")
    messages.success(request, "已登记到场")
    if services.is_marriage_purpose(booking.purpose):
        return redirect("marriage:appointment_register", pk=pk)
    return redirect("marriage:appointments")


@login_required
def appointment_register(request: HttpRequest, pk: int) -> HttpResponse:
    """结婚登记 for an arrived appointment: names and masked ID numbers from the booking."""
    require(request.user, "marriage.register")
    booking = _appointment_or_404(request, pk)
    parties = list(booking.parties.order_by("id"))
    form = RegistrationForm(request.POST or None, initial={"registered_on": timezone.localdate()})
    facts = [BookedPartyForm(request.POST or None, prefix=f"p{i + 1}") for i in range(len(parties))]
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in facts):
        try:
            registration = services.marriage_register_from_booking(
                actor=request.user, booking=booking, registered_on=form.cleaned_data["registered_on"],
                facts=[services.PartyFacts(**f.cleaned_data) for f in facts])
        except ValidationError as err:
            problems = _errors(err)
        else:
            numbers = "、".join(c.number for c in registration.certificates.all())
            messages.success(request, f"结婚登记已完成，结婚证字号：{numbers}")
            return redirect("marriage:registration_detail", pk=registration.pk)
    return render(request, "marriage/appointment_register.html", {
        "booking": booking, "form": form, "parties": list(zip(parties, facts, strict=True)), "problems": problems})
