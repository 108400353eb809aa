"""Writes of tomb sweeping (docs/adr/0026-tomb-sweeping.md): sweeping areas,
peak periods and their slot plans, reservations (on the booking core,
ADR 0021), cancellation and the gate check-in.

Each function is one transaction with an audit entry, guarded by a
``sweeping.*`` permission and the cemetery's scope. Capacity is the booking
core's: a reservation is ``bookings.services.book`` with ``places = 1 +
companions`` (capacity counts people), so the conditional UPDATE and the
CHECK constraints of ``bookings_slot`` refuse any overbooking whatever the
caller. Refusals are ``ValidationError`` with a Chinese reason;
``SlotFull`` / ``PersonLimitReached`` / a second check-in are ``StateConflict``
(409 in the API).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.bookings import services as bookings
from minzheng.bookings.models import BookingStatus, ResourceKind, Slot
from minzheng.cemeteries.models import Cemetery
from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.permissions import require
from minzheng.sweeping import codes
from minzheng.sweeping.access import require_cemetery_covered, scoped
from minzheng.sweeping.models import (
    MAX_COMPANIONS,
    PeakDay,
    PeakKind,
    PeakPeriod,
    Reservation,
    SweepingArea,
    SweepingSlot,
)

new_code = codes.new_code  # a fresh reservation or order code (the demo's archive draws its own)
SlotFull = bookings.SlotFull
PersonLimitReached = bookings.PersonLimitReached

# A visitor may pass the gate from this many minutes before the slot starts until it ends
# (the sources say nothing; ADR 0026 "Gate").
EARLY_ENTRY_MINUTES = 30
MAX_PEAK_DAYS = 31
MAX_SLOTS_PER_DAY = 16
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def _name(actor) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:150]


def _text(value: str, what: str, max_length: int, *, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(f"请填写{what}")
    if len(cleaned) > max_length:
        raise ValidationError(f"{what}不能超过{max_length}个字")
    return cleaned


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


# --- sweeping areas -------------------------------------------------------------------


@transaction.atomic
def area_create(*, actor, cemetery: Cemetery, name: str, physical_capacity: int) -> SweepingArea:
    """A sweeping area of ``cemetery`` holding ``physical_capacity`` people per
    slot; its bookable resource (kind 祭扫区域) is owned by the cemetery's street."""
    require(actor, "sweeping.manage", allow_job=True)
    require_cemetery_covered(actor, cemetery)
    name = _text(name, "祭扫区域名称", 40)
    if not isinstance(physical_capacity, int) or not 1 <= physical_capacity <= 30000:
        raise ValidationError("每个时段可容纳人数应为1至30000")
    if SweepingArea.objects.filter(cemetery=cemetery, name=name).exists():
        raise ValidationError(f"{cemetery.name}已有名为“{name}”的祭扫区域")
    resource = bookings.resource_create(actor=actor, name=f"{cemetery.name}{name}"[:64], kind=ResourceKind.TOMB_AREA,
                                        division=cemetery.street, note="祭扫预约（祭扫区域）")
    area = SweepingArea.objects.create(cemetery=cemetery, resource=resource, name=name,
                                       physical_capacity=physical_capacity, created_by=_name(actor))
    audit_record(actor=actor, action="sweeping.area.create", object_type="SweepingArea", object_id=area.pk,
                 scope_code=cemetery.street_id,
                 changes={"cemetery": cemetery.name, "area": name, "physical_capacity": physical_capacity})
    return area


# --- peak periods and their plans -------------------------------------------------------------------


@transaction.atomic
def period_create(*, actor, kind: str, title: str, cemetery: Cemetery | None, booking_opens_at: dt.datetime,
                  cap_percent: int = 100) -> PeakPeriod:
    """A peak (清明, 冬至 …) for ``cemetery`` or, with ``None``, every cemetery
    with sweeping areas. ``cap_percent``: reservations are capped at this share
    of the physical capacity (100 when the bureau sets no cap)."""
    require(actor, "sweeping.manage", allow_job=True)
    if kind not in PeakKind.values:
        raise ValidationError("请从列表中选择祭扫高峰（清明、冬至或其他）")
    if cemetery is not None:
        require_cemetery_covered(actor, cemetery)
    if booking_opens_at is None:
        raise ValidationError("请填写开始预约时间")
    if not isinstance(cap_percent, int) or not 1 <= cap_percent <= 100:
        raise ValidationError("预约上限应为可容纳人数的1%至100%")
    period = PeakPeriod.objects.create(kind=kind, title=_text(title, "名称", 64), cemetery=cemetery,
                                       booking_opens_at=booking_opens_at, cap_percent=cap_percent,
                                       created_by=_name(actor))
    audit_record(actor=actor, action="sweeping.period.create", object_type="PeakPeriod", object_id=period.pk,
                 scope_code=cemetery.street_id if cemetery else "",
                 changes={"peak_kind": kind, "title": period.title, "cemetery": cemetery.name if cemetery else "全部公墓",
                          "booking_opens_at": booking_opens_at, "cap_percent": cap_percent})
    return period


def parse_times(text: str) -> list[tuple[str, str]]:
    """Slot plan as staff type it, one slot per line or separated by ，/;:
    ``07:00-08:30``. Returns sorted ``("HH:MM", "HH:MM")`` pairs; refuses
    overlaps and slots that end before they start."""
    pairs: list[tuple[dt.time, dt.time]] = []
    for chunk in re.split(r"[\n,，;；、]+", text or ""):
        chunk = chunk.strip().replace(" ", "")
        if not chunk:
            continue
        parts = re.split(r"[-–—~～至]+", chunk)
        if len(parts) != 2 or not all(_TIME.match(p) for p in parts):
            raise ValidationError(f"“{chunk}”不是时段，请按“07:00-08:30”的格式填写")
        start, end = (dt.time(int(m.group(1)), int(m.group(2))) for m in (_TIME.match(p) for p in parts) if m)
        if end <= start:
            raise ValidationError(f"时段“{chunk}”的结束时间须晚于开始时间")
        pairs.append((start, end))
    if not pairs:
        raise ValidationError("请至少填写一个时段")
    if len(pairs) > MAX_SLOTS_PER_DAY:
        raise ValidationError(f"一天最多{MAX_SLOTS_PER_DAY}个时段")
    pairs.sort()
    for (s1, e1), (s2, _e2) in zip(pairs, pairs[1:], strict=False):
        if s2 < e1:
            raise ValidationError(f"时段{s1:%H:%M}—{e1:%H:%M}与{s2:%H:%M}开始的时段重叠")
    return [(f"{s:%H:%M}", f"{e:%H:%M}") for s, e in pairs]


@transaction.atomic
def day_set(*, actor, period: PeakPeriod, date: dt.date, times: str, note: str = "") -> PeakDay:
    """Set (or replace) the slot plan of one peak day. Refused once slots of
    that day were created (they may hold reservations)."""
    require(actor, "sweeping.manage", allow_job=True)
    if date is None:
        raise ValidationError("请填写日期")
    plan = parse_times(times)
    note = _text(note, "说明", 100, required=False)
    if SweepingSlot.objects.filter(period=period, day=date).exists():
        raise StateConflict(f"{date:%Y年%m月%d日}的时段已生成，不能再修改时段安排")
    days = set(period.days.values_list("date", flat=True)) | {date}
    if (max(days) - min(days)).days + 1 > MAX_PEAK_DAYS:
        raise ValidationError(f"一个高峰期最长{MAX_PEAK_DAYS}天")
    day, created = PeakDay.objects.update_or_create(period=period, date=date,
                                                    defaults={"times": [list(p) for p in plan], "note": note})
    audit_record(actor=actor, action="sweeping.period.day_set", object_type="PeakPeriod", object_id=period.pk,
                 scope_code=period.cemetery.street_id if period.cemetery else "",
                 changes={"date": date, "times": day.times_text(), "note": note, "created": created})
    return day


def period_areas(period: PeakPeriod):
    areas = SweepingArea.objects.filter(active=True).select_related("cemetery", "resource")
    return areas.filter(cemetery=period.cemetery) if period.cemetery_id else areas


@transaction.atomic
def period_generate_slots(*, actor, period: PeakPeriod) -> int:
    """Create the slots of every peak day for every active area of the
    period's cemetery (or of all cemeteries), each of capacity
    floor(physical × cap %) people. Idempotent: a slot that exists is left
    as it is (``bookings.slots_create_for_day``). Returns the slots created."""
    require(actor, "sweeping.manage", allow_job=True)
    days = list(period.days.all())
    if not days:
        raise ValidationError("请先设置高峰日及其时段安排")
    areas = list(period_areas(period))
    if not areas:
        raise ValidationError("没有可用的祭扫区域，请先登记祭扫区域")
    taken = set(SweepingSlot.objects.filter(area__in=areas).exclude(period=period).values_list("area_id", "day"))
    created = 0
    for area in areas:
        capacity = period.capacity_for(area.physical_capacity)
        if capacity < 1:
            raise ValidationError(f"{area}：按{period.cap_percent}%的上限，每个时段可约人数不足1人")
        for day in days:
            if (area.pk, day.date) in taken:
                raise ValidationError(f"{area}{day.date:%Y年%m月%d日}已属于另一个高峰期，不能重复安排")
            times = [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in day.times]
            result = bookings.slots_create_for_day(area.resource, day.date, times, capacity, actor)
            SweepingSlot.objects.bulk_create([
                SweepingSlot(slot=slot, area=area, period=period, cemetery_id=area.cemetery_id, day=day.date,
                             physical_capacity=area.physical_capacity) for slot in result.created])
            created += len(result.created)
    audit_record(actor=actor, action="sweeping.period.generate", object_type="PeakPeriod", object_id=period.pk,
                 scope_code=period.cemetery.street_id if period.cemetery else "",
                 changes={"created": created, "areas": len(areas), "days": len(days),
                          "cap_percent": period.cap_percent})
    return created


# --- reservations ------------------------------------------------------------------------------


def _clean_companions(companions) -> int:
    if isinstance(companions, bool) or not isinstance(companions, int):
        raise ValidationError("同行人数应为整数")
    if companions < 0:
        raise ValidationError("同行人数不能为负数")
    if companions > MAX_COMPANIONS:
        raise ValidationError(f"每位预约人最多携带{MAX_COMPANIONS}名同行人员")
    return companions


def opening_refusal(period: PeakPeriod, now: dt.datetime) -> str:
    """"" when the period takes reservations at ``now``, else the Chinese reason with the opening time."""
    if now < period.booking_opens_at:
        return (f"{period.title}：{_local(period.booking_opens_at):%Y年%m月%d日 %H:%M}开始预约，"
                f"现在还不能预约")
    return ""


@transaction.atomic
def reserve(*, actor, slot_id: int, name: str, id_number: str, phone: str, companions: int = 0,
            now: dt.datetime | None = None) -> Reservation:
    """Reserve a place for the booker and ``companions`` (0–4) people in the
    sweeping slot whose booking-core slot is ``slot_id``: one booking of
    ``1 + companions`` places, confirmed at once, and a reservation code.
    Refused before the period's opening time, when the slot has not enough
    places left (``SlotFull``), or when the ID number already has an active
    祭扫 reservation (``PersonLimitReached``; ADR 0026)."""
    require(actor, "sweeping.book", allow_job=True)
    companions = _clean_companions(companions)
    sweeping_slot = (SweepingSlot.objects.select_related("period", "area", "cemetery", "slot")
                     .get(slot_id=slot_id))
    require_cemetery_covered(actor, sweeping_slot.cemetery)
    name = _text(name, "预约人姓名", 64)
    if not (phone or "").strip():
        raise ValidationError("请填写联系电话")
    now = now or timezone.now()
    refusal = opening_refusal(sweeping_slot.period, now)
    if refusal:
        raise ValidationError(refusal)
    if not sweeping_slot.area.active:
        raise ValidationError("该祭扫区域已停用")
    places = 1 + companions
    # A read to refuse a full slot without writing anything (the Qingming morning: most attempts
    # find it full); the decision is the booking core's conditional UPDATE below, not this read.
    slot = Slot.objects.only("booked", "capacity").get(pk=slot_id)
    if slot.capacity - slot.booked < places:
        raise SlotFull("该时段已约满" if slot.booked >= slot.capacity else f"该时段剩余名额不足{places}人")
    booking = bookings.book(sweeping_slot.slot, parties=[(name, id_number)],
                            purpose=f"祭扫预约（{sweeping_slot.cemetery.name}）", actor=actor,
                            contact_phone=phone, places=places)
    party = booking.parties.get()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                reservation = Reservation.objects.create(
                    booking=booking, sweeping_slot=sweeping_slot, cemetery=sweeping_slot.cemetery,
                    day=sweeping_slot.day, code=codes.new_code(), name=party.name,
                    id_number_masked=party.id_number_masked, phone_masked=booking.contact_phone_masked,
                    companions=companions, created_by=_name(actor))
            break
        except IntegrityError:  # the same code drawn twice (1 in 10¹¹): draw again
            continue
    else:  # pragma: no cover - three collisions in a row do not happen
        raise RuntimeError("could not draw a unique reservation code")
    audit_record(actor=actor, action="sweeping.reservation.create", object_type="Reservation",
                 object_id=reservation.pk, scope_code=sweeping_slot.cemetery.street_id,
                 changes={"booking": booking.pk, "cemetery": sweeping_slot.cemetery.name,
                          "area": sweeping_slot.area.name, "start": booking.slot.start, "companions": companions,
                          "places": places, "id_number": party.id_number_masked})
    return reservation


@transaction.atomic
def cancel(*, actor, reservation: Reservation, reason: str) -> Reservation:
    """Cancel a reservation: its places are free again at once (``bookings.cancel``)."""
    require(actor, "sweeping.book", allow_job=True)
    require_cemetery_covered(actor, reservation.cemetery)
    bookings.cancel(reservation.booking, actor, reason)
    audit_record(actor=actor, action="sweeping.reservation.cancel", object_type="Reservation",
                 object_id=reservation.pk, scope_code=reservation.cemetery.street_id,
                 changes={"booking": reservation.booking_id, "reason": (reason or "").strip()})
    return reservation


def find_by_code(user, code: str) -> Reservation:
    """The reservation with ``code`` (typed or scanned), within ``user``'s cemeteries."""
    require(user, "sweeping.view", allow_job=True)
    return (scoped(Reservation.objects.select_related("booking", "booking__slot", "cemetery", "sweeping_slot__area"),
                   user).get(code=codes.normalise(code)))


@transaction.atomic
def check_in(*, actor, code: str, cemetery: Cemetery, now: dt.datetime | None = None) -> Reservation:
    """The gate: the visitor shows the code (or its QR code). Refused, with
    the reason, for an unknown code, another cemetery, another day, outside
    the slot (from ``EARLY_ENTRY_MINUTES`` before its start to its end), a
    cancelled reservation, or a code already checked in."""
    require(actor, "sweeping.check_in", allow_job=True)
    require_cemetery_covered(actor, cemetery)
    if not codes.normalise(code):
        raise ValidationError("请输入或扫描预约码")
    try:
        reservation = find_by_code(actor, code)
    except Reservation.DoesNotExist:
        raise ValidationError(f"预约码“{(code or '').strip()[:20]}”不存在，请核对") from None
    booking, slot = reservation.booking, reservation.booking.slot
    now = now or timezone.now()
    start, end = _local(slot.start), _local(slot.end)
    if reservation.checked_in_at or booking.status == BookingStatus.ARRIVED:
        when = _local(reservation.checked_in_at) if reservation.checked_in_at else None
        raise StateConflict(f"该预约码已于{when:%m月%d日 %H:%M}核验入园，不能重复核验" if when
                            else "该预约码已核验入园，不能重复核验")
    if booking.status != BookingStatus.CONFIRMED:
        raise StateConflict(f"该预约{booking.get_status_display()}，不能入园")
    if reservation.cemetery_id != cemetery.pk:
        raise ValidationError(f"该预约码预约的是{reservation.cemetery.name}，不是{cemetery.name}")
    today = timezone.localdate(now)
    if reservation.day != today:
        raise ValidationError(f"该预约的祭扫日期是{reservation.day:%Y年%m月%d日}，不是今天")
    if now < slot.start - dt.timedelta(minutes=EARLY_ENTRY_MINUTES):
        raise ValidationError(f"该预约的时段为{start:%H:%M}—{end:%H:%M}，尚未到入园时间"
                              f"（可提前{EARLY_ENTRY_MINUTES}分钟入园）")
    if now >= slot.end:
        raise ValidationError(f"该预约的时段{start:%H:%M}—{end:%H:%M}已结束，不能入园")
    if Reservation.objects.filter(pk=reservation.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=_name(actor)) != 1:
        raise StateConflict("该预约码已核验入园，不能重复核验")
    bookings.check_in(booking, actor)  # 已到场; a concurrent second check-in fails on the status
    reservation.refresh_from_db()
    audit_record(actor=actor, action="sweeping.reservation.check_in", object_type="Reservation",
                 object_id=reservation.pk, scope_code=cemetery.street_id,
                 changes={"booking": booking.pk, "cemetery": cemetery.name, "people": reservation.people})
    return reservation


# 代客祭扫 (proxy sweeping): its own module, part of this public interface.
from minzheng.sweeping.proxy import (  # noqa: E402
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
)
from minzheng.sweeping.proxy import order_cancel as proxy_order_cancel  # noqa: E402
from minzheng.sweeping.proxy import order_complete as proxy_order_complete  # noqa: E402
from minzheng.sweeping.proxy import order_create as proxy_order_create  # noqa: E402

__all__ = [
    "EARLY_ENTRY_MINUTES", "MAX_PHOTO_BYTES", "MAX_PHOTOS", "PersonLimitReached", "SlotFull", "area_create",
    "cancel", "check_in", "day_set", "find_by_code", "new_code", "opening_refusal", "parse_times", "period_areas",
    "period_create", "period_generate_slots", "proxy_order_cancel", "proxy_order_complete", "proxy_order_create",
    "reserve",
]
