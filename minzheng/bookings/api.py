"""Booking endpoints (mounted at /api/v1, under /bookings/), scoped like the
pages: a resource or booking outside the token user's reach answers 404.
Refusals: 403 for the wrong role, 409 when the slot is full, the person
already has an active booking, the hold has lapsed or the booking's status
does not allow the step, 422 for invalid input (an ID number, a closed day)
— always the Chinese reason in the one error model (``core.api.ApiError``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from minzheng.bookings import selectors, services
from minzheng.bookings.models import Booking, BookingStatus, Domain, ResourceKind
from minzheng.core.api import RecordId, call_service, coded, path_id, responses

router = Router(tags=["预约"])

KindCode = coded(ResourceKind.choices, "资源类型")
DomainCode = coded(Domain.choices, "业务")
StatusCode = coded(BookingStatus.choices, "预约状态")
MAX_DAYS = selectors.MAX_RANGE_DAYS


class ResourceOut(Schema):
    id: int
    name: str
    kind: KindCode
    kind_label: str
    domain: DomainCode
    domain_label: str
    division_code: str
    division_name: str
    active: bool


class SlotOut(Schema):
    id: int
    resource_id: int
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int
    free: int


class PartyIn(Schema):
    name: str = Field(min_length=1, max_length=64, description="姓名")
    id_number: str = Field(min_length=1, max_length=30, description="居民身份证号码（18位）")


class HoldIn(Schema):
    slot_id: RecordId
    parties: list[PartyIn] = Field(min_length=1, max_length=services.MAX_PARTIES, description="预约人（如结婚登记的双方）")
    purpose: str = Field(min_length=1, max_length=200, description="预约事项")
    contact_phone: str = Field("", max_length=20, description="联系电话（11位手机号码，用于短信通知）；可空")
    hold_minutes: int = Field(15, ge=1, le=services.MAX_HOLD_MINUTES, description="暂留分钟数")
    confirm: bool = Field(False, description="true：预约并立即确认（窗口办理）；false：只暂留，须在暂留时间内确认")


class PartyOut(Schema):
    name: str
    id_number_masked: str


class BookingOut(Schema):
    id: int
    slot: SlotOut
    resource_id: int
    resource_name: str
    domain: DomainCode
    status: StatusCode
    status_label: str
    places: int
    purpose: str
    hold_expires_at: dt.datetime | None
    contact_phone_masked: str
    parties: list[PartyOut]
    created_at: dt.datetime


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=200, description="取消原因")


def _resource_out(r) -> dict:
    return {"id": r.pk, "name": r.name, "kind": r.kind, "kind_label": r.get_kind_display(), "domain": r.domain,
            "domain_label": r.get_domain_display(), "division_code": r.division_id,
            "division_name": r.division.name, "active": r.active}


def _slot_out(s) -> dict:
    return {"id": s.pk, "resource_id": s.resource_id, "start": s.start, "end": s.end, "capacity": s.capacity,
            "booked": s.booked, "free": s.capacity - s.booked}


def _booking_out(b: Booking) -> dict:
    b = Booking.objects.select_related("slot", "resource").prefetch_related("parties").get(pk=b.pk)
    return {"id": b.pk, "slot": _slot_out(b.slot), "resource_id": b.resource_id, "resource_name": b.resource.name,
            "domain": b.domain, "status": b.status, "status_label": b.get_status_display(), "places": b.places,
            "purpose": b.purpose, "hold_expires_at": b.hold_expires_at if b.status == BookingStatus.HELD else None,
            "contact_phone_masked": b.contact_phone_masked,
            "parties": [{"name": p.name, "id_number_masked": p.id_number_masked} for p in b.parties.all()],
            "created_at": b.created_at}


@router.get("/bookings/resources", response=responses(list[ResourceOut]), operation_id="bookings_resource_list",
            summary="预约资源（本辖区可见的）")
def resource_list(request: HttpRequest) -> list[dict]:
    return [_resource_out(r) for r in call_service(lambda: list(selectors.resources(request.user)))]


@router.get("/bookings/resources/{resource_id}/free-slots", response=responses(list[SlotOut]),
            operation_id="bookings_free_slots",
            summary="有空余名额的时段", description=f"日期范围最多{MAX_DAYS}天；只列开放日、尚未开始且有空余名额的时段。")
def free_slots(request: HttpRequest, resource_id: int = path_id("预约资源编号"),
               date_from: dt.date = Query(..., description="起始日期（YYYY-MM-DD）"),
               date_to: dt.date = Query(..., description="截止日期（YYYY-MM-DD）")) -> list[dict]:
    if date_to < date_from:
        raise HttpError(422, "截止日期不能早于起始日期")
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise HttpError(422, f"日期范围最多{MAX_DAYS}天")
    resource = call_service(lambda: selectors.resource_get(request.user, resource_id))
    return [_slot_out(s) for s in call_service(lambda: selectors.free_slots(request.user, resource, date_from,
                                                                            date_to))]


@router.post("/bookings", response=responses(BookingOut, 201, conflict=True), operation_id="bookings_hold",
             summary="暂留名额（或预约并确认）",
             description="该时段已约满、预约人已有有效预约时返回 409；身份证号码无效、当日不开放、时段已过时返回 422。")
def hold(request: HttpRequest, payload: HoldIn) -> Any:
    slot = call_service(lambda: selectors.slot_get(request.user, payload.slot_id))
    parties = [(p.name, p.id_number) for p in payload.parties]
    if payload.confirm:
        booking = call_service(lambda: services.book(slot, parties=parties, purpose=payload.purpose,
                                                     actor=request.user, contact_phone=payload.contact_phone))
    else:
        booking = call_service(lambda: services.hold(slot, parties=parties, purpose=payload.purpose,
                                                     actor=request.user, contact_phone=payload.contact_phone,
                                                     hold_minutes=payload.hold_minutes))
    return Status(201, _booking_out(booking))


@router.get("/bookings/{booking_id}", response=responses(BookingOut), operation_id="bookings_detail",
            summary="一个预约")
def detail(request: HttpRequest, booking_id: int = path_id("预约编号")) -> dict:
    return _booking_out(call_service(lambda: selectors.booking_get(request.user, booking_id)))


def _act(request: HttpRequest, booking_id: int, step) -> dict:
    booking = call_service(lambda: selectors.booking_get(request.user, booking_id))
    return _booking_out(call_service(lambda: step(booking)))


@router.post("/bookings/{booking_id}/confirm", response=responses(BookingOut, conflict=True),
             operation_id="bookings_confirm", summary="确认暂留的预约", description="暂留已过期或状态不允许时返回 409。")
def confirm(request: HttpRequest, booking_id: int = path_id("预约编号")) -> dict:
    return _act(request, booking_id, lambda b: services.confirm(b, request.user))


@router.post("/bookings/{booking_id}/cancel", response=responses(BookingOut, conflict=True),
             operation_id="bookings_cancel", summary="取消预约（释放名额）")
def cancel(request: HttpRequest, payload: CancelIn, booking_id: int = path_id("预约编号")) -> dict:
    return _act(request, booking_id, lambda b: services.cancel(b, request.user, payload.reason))


@router.post("/bookings/{booking_id}/check-in", response=responses(BookingOut, conflict=True),
             operation_id="bookings_check_in", summary="登记到场")
def check_in(request: HttpRequest, booking_id: int = path_id("预约编号")) -> dict:
    return _act(request, booking_id, lambda b: services.check_in(b, request.user))


@router.post("/bookings/{booking_id}/no-show", response=responses(BookingOut, conflict=True),
             operation_id="bookings_no_show", summary="登记未到场（时段结束后）")
def no_show(request: HttpRequest, booking_id: int = path_id("预约编号")) -> dict:
    return _act(request, booking_id, lambda b: services.mark_no_show(b, request.user))

