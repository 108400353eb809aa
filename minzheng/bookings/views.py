"""Staff pages of the booking core: resources (list, new, edit with sessions,
special days, closures and slot generation), a day and a week of one
resource, the booking form at the window and a booking's detail with its
notices. Reads through ``selectors`` (scoped), writes through ``services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.bookings import forms, selectors, services
from minzheng.bookings.models import BookingStatus, Closure, SlotTemplate, SpecialOpeningDay
from minzheng.core.permissions import can, require
from minzheng.core.web_actions import attempt, error_text


def _get(call: Callable[[], object]):
    try:
        return call()
    except (ObjectDoesNotExist, ValueError, TypeError) as err:
        raise Http404("未找到该记录") from err


ID_MAX = 2**63 - 1  # the database's largest key


def _pk(text: str) -> int:
    """A record number from a form field; anything else (or beyond the database's range) → 404."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise Http404("未找到该记录") from None
    if not 1 <= value <= ID_MAX:
        raise Http404("未找到该记录")
    return value


def _date_param(request: HttpRequest, default: dt.date) -> dt.date:
    text = request.GET.get("date", "")
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        messages.error(request, "日期格式不正确，已显示今天")
        return default
    if not 2000 <= day.year <= 2100:
        messages.error(request, "日期超出范围，已显示今天")
        return default
    return day


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.resources(request.user).order_by("-active", "name"))
    return render(request, "bookings/resource_list.html", {"resources": rows, "today": timezone.localdate()})


@login_required
def resource_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "bookings.manage")
    form = forms.ResourceNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created: list = []
        if attempt(request, lambda: created.append(services.resource_create(
                actor=request.user, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
                division=form.division_obj(), note=form.cleaned_data["note"])), "已新建预约资源"):
            return redirect("bookings:resource_edit", pk=created[0].pk)
    return render(request, "bookings/resource_new.html", {"form": form})


_EDIT_FORMS = {"update": forms.ResourceUpdateForm, "template": forms.TemplateForm, "special": forms.SpecialDayForm,
               "closure": forms.ClosureForm, "generate": forms.GenerateForm}


def _edit_action(request: HttpRequest, resource, op: str) -> None:
    user = request.user
    if op in ("template_off", "special_remove", "closure_remove"):
        pk = _pk(request.POST.get("pk", ""))
        if op == "template_off":
            template = _get(lambda: SlotTemplate.objects.get(pk=pk, resource=resource))
            attempt(request, lambda: services.template_deactivate(actor=user, template=template), "已停用该时段规则")
        elif op == "special_remove":
            special = _get(lambda: SpecialOpeningDay.objects.get(pk=pk, resource=resource))
            removed: list[int] = []
            if attempt(request, lambda: removed.append(services.special_day_remove(actor=user, special=special)),
                       "已取消特别开放日") and removed[0]:
                messages.warning(request, f"该日已有 {removed[0]} 个有效预约，请逐一取消并通知当事人")
        else:
            closure = _get(lambda: Closure.objects.get(pk=pk, resource=resource))
            attempt(request, lambda: services.closure_remove(actor=user, closure=closure), "已取消暂停开放")
        return
    form = _EDIT_FORMS[op](request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return
    data = form.cleaned_data
    if op == "update":
        attempt(request, lambda: services.resource_update(actor=user, resource=resource, name=data["name"],
                                                          active=data["active"], note=data["note"]), "已保存")
    elif op == "template":
        attempt(request, lambda: services.template_add(
            actor=user, resource=resource, weekdays="".join(data["weekdays"]), day_start=data["day_start"],
            day_end=data["day_end"], slot_minutes=data["slot_minutes"], capacity=data["capacity"]), "已添加时段规则")
    elif op == "special":
        attempt(request, lambda: services.special_day_add(actor=user, resource=resource, date=data["date"],
                                                          name=data["name"]), "已设置特别开放日（请生成该日的时段）")
    elif op == "closure":
        result: list = []
        if attempt(request, lambda: result.append(services.closure_add(
                actor=user, resource=resource, date_from=data["date_from"], date_to=data["date_to"],
                reason=data["reason"])), "已设置暂停开放") and result[0].active_bookings:
            messages.warning(request, f"暂停开放期间已有 {result[0].active_bookings} 个有效预约，请逐一取消并通知当事人")
    else:
        generated: list = []
        if attempt(request, lambda: generated.append(services.generate_slots(resource, data["date_from"],
                                                                              data["date_to"], user)), "已生成时段"):
            g = generated[0]
            messages.info(request, f"新建 {g.created} 个时段，已有 {g.existing} 个未改动；"
                                   f"开放 {g.open_days} 天，不开放 {g.closed_days} 天")


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "bookings.manage")
    resource = _get(lambda: selectors.resource_get(request.user, _pk(pk)))
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op not in _EDIT_FORMS and op not in ("template_off", "special_remove", "closure_remove"):
            messages.error(request, "未知的操作")
        else:
            _edit_action(request, resource, op)
        return redirect("bookings:resource_edit", pk=resource.pk)
    today = timezone.localdate()
    return render(request, "bookings/resource_edit.html", {
        "resource": resource,
        "templates": resource.templates.order_by("-active", "day_start"),
        "special_days": resource.special_days.filter(date__gte=today - dt.timedelta(days=30)),
        "closures": resource.closures.filter(date_to__gte=today - dt.timedelta(days=30)),
        "update_form": forms.ResourceUpdateForm(initial={"name": resource.name, "active": resource.active,
                                                         "note": resource.note}, prefix=None),
        "template_form": forms.TemplateForm(), "special_form": forms.SpecialDayForm(),
        "closure_form": forms.ClosureForm(),
        "generate_form": forms.GenerateForm(initial={"date_from": today, "date_to": today + dt.timedelta(days=27)}),
    })


@login_required
def day_view(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _get(lambda: selectors.resource_get(request.user, _pk(pk)))
    day = _date_param(request, timezone.localdate())
    view = selectors.day_view(request.user, resource, day)
    return render(request, "bookings/day.html", {
        "view": view, "resource": resource, "day": day, "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1), "now": timezone.now(), "may_book": can(request.user, "bookings.book")})


@login_required
def week_view(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _get(lambda: selectors.resource_get(request.user, _pk(pk)))
    day = _date_param(request, timezone.localdate())
    monday = day - dt.timedelta(days=day.weekday())
    view = selectors.week_view(request.user, resource, monday)
    columns = list(zip(view.days, view.openings, strict=True))
    return render(request, "bookings/week.html", {
        "view": view, "resource": resource, "monday": monday, "columns": columns,
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7)})


@login_required
def booking_new(request: HttpRequest, slot_pk: int) -> HttpResponse:
    require(request.user, "bookings.book")
    slot = _get(lambda: selectors.slot_get(request.user, _pk(slot_pk)))
    form = forms.BookingForm(request.POST or None, initial={"purpose": slot.resource.get_domain_display()})
    if request.method == "POST":
        if form.is_valid():
            made: list = []
            if attempt(request, lambda: made.append(services.book(
                    slot, parties=form.parties(), purpose=form.cleaned_data["purpose"], actor=request.user,
                    contact_phone=form.cleaned_data["contact_phone"])), "预约已确认"):
                return redirect("bookings:booking_detail", pk=made[0].pk)
        else:
            _form_errors(request, form)
    return render(request, "bookings/booking_new.html", {"slot": slot, "form": form})


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get(lambda: selectors.booking_get(request.user, _pk(pk)))
    may_act = can(request.user, "bookings.book")
    return render(request, "bookings/booking_detail.html", {
        "booking": booking, "parties": list(booking.parties.all()), "notices": list(booking.notices.all()),
        "cancel_form": forms.CancelForm(), "may_act": may_act,
        "may_cancel": may_act and booking.status in (BookingStatus.HELD, BookingStatus.CONFIRMED),
        "may_attend": may_act and booking.status == BookingStatus.CONFIRMED})


_ACTIONS = {
    "confirm": (lambda b, user, post: services.confirm(b, user), "预约已确认"),
    "check_in": (lambda b, user, post: services.check_in(b, user), "已登记到场"),
    "no_show": (lambda b, user, post: services.mark_no_show(b, user), "已登记未到场"),
    "cancel": (lambda b, user, post: services.cancel(b, user, post.get("reason", "")), "预约已取消"),
}


@login_required
@require_POST
def booking_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "bookings.book")
    booking = _get(lambda: selectors.booking_get(request.user, _pk(pk)))
    if action not in _ACTIONS:
        raise Http404("未知的操作")
    call, success = _ACTIONS[action]
    try:
        call(booking, request.user, request.POST)
    except ValidationError as err:
        messages.error(request, error_text(err))
    else:
        messages.success(request, success)
    back = request.POST.get("back", "")
    if back == "day":
        return redirect(f"{reverse('bookings:day', args=[booking.resource_id])}?date={booking.slot.day.isoformat()}")
    return redirect("bookings:booking_detail", pk=booking.pk)
