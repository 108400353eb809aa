"""Staff pages of tomb sweeping (ADR 0026): the slots of a cemetery's day
with the places left and the day's reservations, the reservation form at the
counter or on the phone, the confirmation page with the code and its QR code,
the gate, peak periods and their plans, proxy orders, and the figures.
Reads through ``selectors`` (scoped), writes through ``services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.permissions import can, require
from minzheng.core.scope import OutOfScope
from minzheng.core.web_actions import attempt, error_text
from minzheng.sweeping import codes, forms, selectors, services, statistics
from minzheng.sweeping.access import visible_cemeteries
from minzheng.sweeping.models import ProxyStatus
from minzheng.sweeping.qr import qr_svg

ID_MAX = 2**63 - 1


def _get(call: Callable[[], object]):
    try:
        return call()
    except (ObjectDoesNotExist, OutOfScope, ValueError, TypeError) as err:
        raise Http404("未找到该记录") from err


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("未找到该记录") from None
    if not 1 <= number <= ID_MAX:
        raise Http404("未找到该记录")
    return number


def _date_param(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    text = request.GET.get(name, "")
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        messages.error(request, "日期格式不正确，已显示默认日期")
        return default
    if not 2000 <= day.year <= 2100:
        messages.error(request, "日期超出范围，已显示默认日期")
        return default
    return day


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _chosen_cemetery(request: HttpRequest, rows: list):
    wanted = request.GET.get("cemetery", "") or request.session.get("sweeping_cemetery", "")
    for cemetery in rows:
        if str(cemetery.pk) == str(wanted):
            return cemetery
    return rows[0] if rows else None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """祭扫预约: one cemetery's day — slots with the places left, and its reservations."""
    rows = list(selectors.cemeteries(request.user))
    cemetery = _chosen_cemetery(request, rows)
    today = timezone.localdate()
    days = selectors.reservation_days([cemetery.pk], today=today)[cemetery.pk] if cemetery else []
    day = _date_param(request, "date", days[0] if days else today)
    slots, reservations = [], []
    if cemetery is not None:
        request.session["sweeping_cemetery"] = str(cemetery.pk)
        slots = selectors.day_slots(request.user, cemetery, day)
        reservations = list(selectors.reservations(request.user).filter(cemetery=cemetery, day=day)
                            .order_by("booking__slot__start", "pk"))
    now = timezone.now()
    return render(request, "sweeping/overview.html", {
        "cemeteries": rows, "cemetery": cemetery, "day": day, "days": days, "today": today, "now": now,
        "slots": [(s, s.slot.capacity - s.slot.booked, not services.opening_refusal(s.period, now)) for s in slots],
        "reservations": reservations, "may_book": can(request.user, "sweeping.book"),
        "may_manage": can(request.user, "sweeping.manage")})


@login_required
def periods(request: HttpRequest) -> HttpResponse:
    """Sweeping areas and peak periods (the bureau sets them)."""
    require(request.user, "sweeping.view")
    cemetery_rows = list(visible_cemeteries(request.user))
    may_manage = can(request.user, "sweeping.manage")
    area_form = forms.AreaForm(cemeteries=cemetery_rows, prefix="area")
    period_form = forms.PeriodForm(cemeteries=cemetery_rows, prefix="period")
    if request.method == "POST":
        require(request.user, "sweeping.manage")
        by_pk = {str(c.pk): c for c in cemetery_rows}
        if request.POST.get("op") == "area":
            area_form = forms.AreaForm(request.POST, cemeteries=cemetery_rows, prefix="area")
            if area_form.is_valid():
                data = area_form.cleaned_data
                if attempt(request, lambda: services.area_create(
                        actor=request.user, cemetery=by_pk[data["cemetery"]], name=data["name"],
                        physical_capacity=data["physical_capacity"]), "已登记祭扫区域"):
                    return redirect("sweeping:periods")
            else:
                _form_errors(request, area_form)
        else:
            period_form = forms.PeriodForm(request.POST, cemeteries=cemetery_rows, prefix="period")
            if period_form.is_valid():
                data = period_form.cleaned_data
                made: list = []
                if attempt(request, lambda: made.append(services.period_create(
                        actor=request.user, kind=data["kind"], title=data["title"],
                        cemetery=by_pk.get(data["cemetery"] or ""), booking_opens_at=data["booking_opens_at"],
                        cap_percent=data["cap_percent"])), "已新建祭扫高峰期，请设置各日的时段安排"):
                    return redirect("sweeping:period_detail", pk=made[0].pk)
            else:
                _form_errors(request, period_form)
    return render(request, "sweeping/periods.html", {
        "areas": list(selectors.areas(request.user).order_by("cemetery__name", "name")),
        "periods": list(selectors.periods(request.user)), "may_manage": may_manage,
        "area_form": area_form, "period_form": period_form})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _get(lambda: selectors.period_get(request.user, _pk(pk)))
    form = forms.DayPlanForm(prefix="day")
    if request.method == "POST":
        require(request.user, "sweeping.manage")
        if request.POST.get("op") == "generate":
            created: list[int] = []
            if attempt(request, lambda: created.append(services.period_generate_slots(actor=request.user,
                                                                                     period=period)), "已生成时段"):
                messages.info(request, f"新建 {created[0]} 个时段（已有的时段未改动）")
            return redirect("sweeping:period_detail", pk=period.pk)
        form = forms.DayPlanForm(request.POST, prefix="day")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(request, lambda: services.day_set(actor=request.user, period=period, date=data["date"],
                                                         times=data["times"], note=data["note"]), "已保存时段安排"):
                return redirect("sweeping:period_detail", pk=period.pk)
        else:
            _form_errors(request, form)
    days = list(period.days.all())
    generated = set(period.slots.values_list("day", flat=True).distinct())
    return render(request, "sweeping/period_detail.html", {
        "period": period, "days": [(d, d.date in generated) for d in days], "form": form,
        "areas": list(services.period_areas(period)), "slot_count": period.slots.count(),
        "may_manage": can(request.user, "sweeping.manage")})


@login_required
def book(request: HttpRequest, slot_pk: int) -> HttpResponse:
    """The reservation form at the counter or on the phone."""
    require(request.user, "sweeping.book")
    sweeping_slot = _get(lambda: selectors.sweeping_slot_get(request.user, _pk(slot_pk)))
    form = forms.ReservationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            made: list = []
            if attempt(request, lambda: made.append(services.reserve(
                    actor=request.user, slot_id=sweeping_slot.slot_id, name=data["name"],
                    id_number=data["id_number"], phone=data["phone"], companions=data["companions"])),
                    "预约成功"):
                return redirect("sweeping:confirmation", code=made[0].code)
        else:
            _form_errors(request, form)
    slot = sweeping_slot.slot
    return render(request, "sweeping/book.html", {
        "sweeping_slot": sweeping_slot, "slot": slot, "form": form, "remaining": slot.capacity - slot.booked,
        "refusal": services.opening_refusal(sweeping_slot.period, timezone.now())})


@login_required
def confirmation(request: HttpRequest, code: str) -> HttpResponse:
    reservation = _get(lambda: selectors.reservation_get(request.user, code))
    booking = reservation.booking
    if request.method == "POST":
        form = forms.CancelForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.cancel(actor=request.user, reservation=reservation,
                                                     reason=form.cleaned_data["reason"]), "预约已取消，名额已释放")
        else:
            _form_errors(request, form)
        return redirect("sweeping:confirmation", code=reservation.code)
    return render(request, "sweeping/confirmation.html", {
        "r": reservation, "booking": booking, "code_display": codes.display(reservation.code),
        "cancel_form": forms.CancelForm(),
        "may_cancel": can(request.user, "sweeping.book") and booking.status == "confirmed"})


@login_required
def qr(request: HttpRequest, code: str) -> HttpResponse:
    """The reservation code as a QR code (SVG); its content is the code."""
    reservation = _get(lambda: selectors.reservation_get(request.user, code))
    response = HttpResponse(qr_svg(reservation.code), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def gate(request: HttpRequest) -> HttpResponse:
    """入园核验: type or scan the code; the result says who may enter, or why not."""
    require(request.user, "sweeping.check_in")
    rows = list(selectors.cemeteries(request.user))
    chosen = _chosen_cemetery(request, rows)
    form = forms.GateForm(request.POST or None, cemeteries=rows,
                          initial={"cemetery": str(chosen.pk) if chosen else ""})
    result, refusal = None, ""
    if request.method == "POST":
        if form.is_valid():
            cemetery = next(c for c in rows if str(c.pk) == form.cleaned_data["cemetery"])
            request.session["sweeping_cemetery"] = str(cemetery.pk)
            try:
                result = services.check_in(actor=request.user, code=form.cleaned_data["code"], cemetery=cemetery)
            except ValidationError as err:
                refusal = error_text(err)
            form = forms.GateForm(cemeteries=rows, initial={"cemetery": str(cemetery.pk)})
        else:
            _form_errors(request, form)
    return render(request, "sweeping/gate.html", {"form": form, "result": result, "refusal": refusal,
                                                  "code_display": codes.display(result.code) if result else ""})


@login_required
def proxy_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.proxy_orders(request.user)
    if status in ProxyStatus.values:
        qs = qs.filter(status=status)
    return render(request, "sweeping/proxy_list.html", {
        "orders": list(qs.order_by("-service_date", "-pk")[:200]), "status": status,
        "statuses": ProxyStatus.choices, "may_proxy": can(request.user, "sweeping.proxy")})


@login_required
def proxy_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "sweeping.proxy")
    rows = list(visible_cemeteries(request.user))
    form = forms.ProxyOrderForm(request.POST or None, cemeteries=rows,
                                initial={"service_date": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            cemetery = next(c for c in rows if str(c.pk) == data["cemetery"])
            made: list = []
            if attempt(request, lambda: made.append(services.proxy_order_create(
                    actor=request.user, cemetery=cemetery, deceased_name=data["deceased_name"],
                    grave_location=data["grave_location"], service_date=data["service_date"],
                    services=data["services"], family_name=data["family_name"],
                    family_phone=data["family_phone"], message=data["message"])), "已受理代客祭扫"):
                return redirect("sweeping:proxy_detail", pk=made[0].pk)
        else:
            _form_errors(request, form)
    return render(request, "sweeping/proxy_new.html", {"form": form})


@login_required
def proxy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _get(lambda: selectors.proxy_order_get(request.user, _pk(pk)))
    may_act = can(request.user, "sweeping.proxy") and order.status == ProxyStatus.ACCEPTED
    return render(request, "sweeping/proxy_detail.html", {
        "order": order, "photos": list(order.photos.all()), "may_act": may_act,
        "complete_form": forms.ProxyCompleteForm(), "cancel_form": forms.CancelForm(),
        "code_display": codes.display(order.code)})


@login_required
@require_POST
def proxy_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "sweeping.proxy")
    order = _get(lambda: selectors.proxy_order_get(request.user, _pk(pk)))
    if action == "complete":
        form = forms.ProxyCompleteForm(request.POST, request.FILES)
        if form.is_valid():
            attempt(request, lambda: services.proxy_order_complete(
                actor=request.user, order=order, note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"]), "已记录服务，家属可查看照片")
        else:
            _form_errors(request, form)
    elif action == "cancel":
        form = forms.CancelForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.proxy_order_cancel(actor=request.user, order=order,
                                                                 reason=form.cleaned_data["reason"]), "订单已取消")
        else:
            _form_errors(request, form)
    else:
        raise Http404("未知的操作")
    return redirect("sweeping:proxy_detail", pk=order.pk)


@login_required
def proxy_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A service photo, only for staff who see the order (never a public MEDIA URL)."""
    order = _get(lambda: selectors.proxy_order_get(request.user, _pk(pk)))
    photo = _get(lambda: order.photos.get(pk=_pk(photo_pk)))
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    require(request.user, "sweeping.statistics")
    today = timezone.localdate()
    date_to = _date_param(request, "date_to", today + dt.timedelta(days=30))
    date_from = _date_param(request, "date_from", today - dt.timedelta(days=30))
    if date_to < date_from or (date_to - date_from).days + 1 > statistics.MAX_DAYS:
        messages.error(request, f"日期范围应为1至{statistics.MAX_DAYS}天，已显示默认范围")
        date_from, date_to = today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    rows = statistics.figures(request.user, date_from, date_to)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(statistics.figures_workbook(rows, date_from, date_to),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (f"attachment; filename=\"sweeping-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx\"")
        return response
    query = f"date_from={date_from.isoformat()}&date_to={date_to.isoformat()}"
    return render(request, "sweeping/figures.html", {
        "rows": rows, "totals": list(statistics.totals(rows).values()), "columns": statistics.COLUMNS, "date_from": date_from,
        "date_to": date_to, "xlsx_href": f"{reverse('sweeping:figures')}?{query}&format=xlsx"})
