"""Tomb-sweeping endpoints (mounted at /api/v1, under /sweeping/; ADR 0026).

The same for the staff now and, later, the resident portal: the cemeteries
taking reservations and their days, the slots of a day with the places left,
a reservation (201 with the code; 409 with a Chinese message when the slot is
full or the ID number already has an active reservation; 422 for bad input,
including more than 4 companions and a period whose booking has not opened
yet), and a proxy-sweeping order's status and photos by its code.

Authentication: a staff bearer token or the signed-in session; reads and
writes are scoped to the user's cemeteries (outside → 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from minzheng.core.api import STAFF_AUTH, RecordId, call_service, coded, responses
from minzheng.sweeping import codes, selectors, services
from minzheng.sweeping.models import MAX_COMPANIONS, ProxyService, ProxyStatus

router = Router(tags=["祭扫预约"], auth=STAFF_AUTH)

ProxyStatusCode = coded(ProxyStatus.choices, "订单状态")
ProxyServiceCode = coded(ProxyService.choices, "服务项目")
CODE_PATTERN = r"^[A-Za-z0-9-]{1,20}$"


class SweepingCemeteryOut(Schema):
    id: int
    name: str
    dates: list[dt.date] = Field(description="可预约祭扫的日期（今天起）")


class SweepingSlotOut(Schema):
    id: int = Field(description="时段编号（预约时的 slot）")
    starts_at: dt.datetime
    ends_at: dt.datetime
    area: str = Field(description="祭扫区域")
    capacity: int = Field(description="可约人数（按预约上限）")
    remaining: int = Field(description="剩余可约人数")


class SweepingReservationIn(Schema):
    slot: RecordId
    name: str = Field(min_length=1, max_length=64, description="预约人姓名")
    id_number: str = Field(min_length=1, max_length=30, description="预约人居民身份证号码（18位）")
    phone: str = Field(min_length=1, max_length=20, description="联系电话（11位手机号码）")
    companions: int = Field(0, ge=0, le=MAX_COMPANIONS, description=f"同行人数（0至{MAX_COMPANIONS}）")


class SweepingReservationOut(Schema):
    code: str = Field(description="预约码（入园时出示；二维码内容即此码）")
    code_display: str = Field(description="预约码（分组显示）")
    cemetery: str
    area: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    people: int = Field(description="人数（预约人及同行人员）")
    status_label: str
    confirmation_url: str


class ProxyPhotoOut(Schema):
    url: str
    uploaded_at: dt.datetime


class ProxyOrderOut(Schema):
    code: str
    cemetery: str
    deceased_name: str
    service_date: dt.date
    services: list[ProxyServiceCode]  # type: ignore[valid-type]
    service_labels: list[str]
    status: ProxyStatusCode  # type: ignore[valid-type]
    status_label: str
    service_note: str
    done_at: dt.datetime | None
    photos: list[ProxyPhotoOut]


@router.get("/sweeping/cemeteries", response=responses(list[SweepingCemeteryOut]), operation_id="sweeping_cemeteries",
            summary="可预约祭扫的公墓及其日期")
def sweeping_cemeteries(request: HttpRequest) -> list[dict]:
    rows = call_service(lambda: list(selectors.cemeteries(request.user)))
    days = selectors.reservation_days([c.pk for c in rows], today=timezone.localdate())
    return [{"id": c.pk, "name": c.name, "dates": days[c.pk]} for c in rows]


@router.get("/sweeping/slots", response=responses(list[SweepingSlotOut]), operation_id="sweeping_slots",
            summary="某公墓某日的祭扫时段及剩余名额")
def sweeping_slots(request: HttpRequest, cemetery: int = Query(..., ge=1, le=2**63 - 1, description="公墓编号"),
                   date: dt.date = Query(..., description="日期（YYYY-MM-DD）")) -> list[dict]:
    found = call_service(lambda: selectors.cemetery_get(request.user, cemetery))
    slots = call_service(lambda: selectors.day_slots(request.user, found, date))
    return [{"id": s.slot_id, "starts_at": s.slot.start, "ends_at": s.slot.end, "area": s.area.name,
             "capacity": s.slot.capacity, "remaining": max(0, s.slot.capacity - s.slot.booked)} for s in slots]


def reservation_out(r) -> dict:
    slot = r.booking.slot
    return {"code": r.code, "code_display": codes.display(r.code), "cemetery": r.cemetery.name,
            "area": r.sweeping_slot.area.name, "starts_at": slot.start, "ends_at": slot.end, "people": r.people,
            "status_label": r.booking.get_status_display(),
            "confirmation_url": reverse("sweeping:confirmation", args=[r.code])}


@router.post("/sweeping/bookings", response=responses(SweepingReservationOut, 201, conflict=True),
             operation_id="sweeping_book", summary="预约祭扫",
             description=f"成功返回 201 和预约码。时段已约满、预约人已有有效的祭扫预约时返回 409；"
                         f"同行人数超过{MAX_COMPANIONS}人、身份证号码或电话无效、尚未到开始预约时间、时段已过时返回 422；"
                         "时段不存在或不在辖区内返回 404。")
def sweeping_book(request: HttpRequest, payload: SweepingReservationIn) -> Any:
    call_service(lambda: selectors.sweeping_slot_get(request.user, payload.slot))
    reservation = call_service(lambda: services.reserve(
        actor=request.user, slot_id=payload.slot, name=payload.name, id_number=payload.id_number,
        phone=payload.phone, companions=payload.companions))
    return Status(201, reservation_out(reservation))


@router.get("/sweeping/proxy-orders/{code}", response=responses(ProxyOrderOut), operation_id="sweeping_proxy_order",
            summary="代客祭扫订单的状态和服务照片（按订单号）")
def sweeping_proxy_order(request: HttpRequest, code: str = Path(..., pattern=CODE_PATTERN, description="订单号")) \
        -> dict:
    order = call_service(lambda: selectors.proxy_order_by_code(request.user, code))
    return {"code": order.code, "cemetery": order.cemetery.name, "deceased_name": order.deceased_name,
            "service_date": order.service_date, "services": list(order.services),
            "service_labels": [ProxyService(s).label for s in order.services],
            "status": order.status, "status_label": order.get_status_display(), "service_note": order.service_note,
            "done_at": order.done_at,
            "photos": [{"url": reverse("sweeping:proxy_photo", args=[order.pk, p.pk]), "uploaded_at": p.uploaded_at}
                       for p in order.photos.all()]}
