"""Writes of the booking core — the public interface other apps use
(marriage registration, tomb sweeping, funeral services; ADR 0021).

Booking flow: :func:`hold` (暂留, lapses after ``hold_minutes``) →
:func:`confirm` (已确认, a notice is recorded) → :func:`check_in` (已到场) or
:func:`mark_no_show` (未到场); :func:`cancel` (已取消) from a hold or a
booking; :func:`expire_holds` (已过期) for lapsed holds; :func:`book` is
hold + confirm at once for staff at the window.

**No overbooking.** A place is taken by one conditional statement,
``UPDATE slot SET booked = booked + n WHERE id = … AND booked <= capacity - n``,
whose row count says whether it was free; the database serialises
concurrent updates of one row and re-checks the condition, and CHECK
constraints keep ``0 <= booked <= capacity`` whatever the code does. Giving a
place back is the mirror ``UPDATE … booked - n``, done exactly once per
booking because every status change is itself a conditional ``UPDATE … WHERE
status IN (…)`` whose row count decides who does the release.

**One active booking per ID number per domain**: the partial unique index on
``BookingParty(domain, id_number_index) WHERE active``; an insert that would
break it is refused with a Chinese sentence.

Every function runs in one transaction with an audit entry and checks the
permission (``bookings.book``) and the resource's scope.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from minzheng.bookings.access import require_resource_covered
from minzheng.bookings.models import (
    ACTIVE,
    Booking,
    BookingParty,
    BookingStatus,
    Domain,
    NoticeKind,
    Slot,
)
from minzheng.bookings.notices import (
    NoticeSender,
    RecordingNoticeSender,
    notice_send,
    notice_sender_set,
)
from minzheng.bookings.opening_days import HolidayArrangementMissing, opening_day
from minzheng.bookings.resources import (
    ClosureResult,
    DaySlotsResult,
    GenerationResult,
    closure_add,
    closure_remove,
    generate_slots,
    resource_create,
    resource_update,
    slots_create_for_day,
    special_day_add,
    special_day_remove,
    template_add,
    template_deactivate,
)
from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number, mask_phone
from minzheng.registry.services import InvalidIdNumber, parse_id_number

__all__ = [
    "ClosureResult", "DaySlotsResult", "GenerationResult", "HoldExpired", "HolidayArrangementMissing", "NoticeSender",
    "PersonLimitReached", "RecordingNoticeSender", "SlotFull",
    "book", "cancel", "check_in", "closure_add", "closure_remove", "confirm", "expire_holds", "generate_slots",
    "hold", "mark_no_show", "notice_sender_set", "resource_create", "resource_update", "slots_create_for_day", "special_day_add",
    "special_day_remove", "template_add", "template_deactivate",
]

logger = logging.getLogger("minzheng.bookings")

MAX_HOLD_MINUTES = 24 * 60
MAX_PARTIES = 20
_MOBILE = re.compile(r"^1\d{10}$")


class SlotFull(StateConflict):
    """「该时段已约满」 (the API answers 409)."""


class PersonLimitReached(StateConflict):
    """One active booking per ID number per domain (the API answers 409)."""


class HoldExpired(StateConflict):
    """The hold lapsed before it was confirmed; its place was given back."""


def _actor_name(actor) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:150]


def _book_permission(actor, resource) -> None:
    require(actor, "bookings.book", allow_job=True)
    require_resource_covered(actor, resource)


def _clean_parties(parties: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in parties or ():
        try:
            name, id_number = entry
        except (TypeError, ValueError):
            raise ValidationError("每位预约人须有姓名和身份证号码") from None
        name = (name or "").strip()
        if not name:
            raise ValidationError("请填写预约人姓名")
        if len(name) > 64:
            raise ValidationError("预约人姓名不能超过64个字")
        try:
            number = parse_id_number(id_number or "").number
        except InvalidIdNumber as err:
            raise ValidationError(f"{name}：{err}") from None
        if number in seen:
            raise ValidationError("同一身份证号码在本次预约中填写了两次")
        seen.add(number)
        cleaned.append((name, number))
    if not cleaned:
        raise ValidationError("请至少填写一位预约人")
    if len(cleaned) > MAX_PARTIES:
        raise ValidationError(f"一次预约最多{MAX_PARTIES}位预约人")
    return cleaned


def _clean_phone(phone: str) -> str:
    cleaned = (phone or "").replace(" ", "").replace("-", "").strip()
    if cleaned and not _MOBILE.match(cleaned):
        raise ValidationError("联系电话应为11位手机号码（用于短信通知）")
    return cleaned


def _take(slot_id: int, places: int) -> bool:
    """Take ``places`` places in one statement; False when they are not free."""
    return Slot.objects.filter(pk=slot_id, booked__lte=F("capacity") - places).update(
        booked=F("booked") + places) == 1


def _give_back(slot_id: int, places: int) -> None:
    if Slot.objects.filter(pk=slot_id, booked__gte=places).update(booked=F("booked") - places) != 1:
        # Cannot happen while every change goes through these services; the CHECK constraint backs it.
        raise RuntimeError(f"slot {slot_id}: releasing {places} places would make the booked count negative")


def _move(booking: Booking, *, from_statuses: Iterable[str], to: str, actor, only_if: dict | None = None,
          **fields) -> bool:
    """Change the status by a conditional UPDATE; True if this call made the change
    (then ``booking`` holds the new values). ``only_if``: further conditions on the row."""
    now = timezone.now()
    changes = {"status": to, "status_changed_by": _actor_name(actor), "status_changed_at": now, **fields}
    changed = Booking.objects.filter(pk=booking.pk, status__in=list(from_statuses), **(only_if or {})).update(
        **changes)
    if changed:
        if to not in ACTIVE:
            BookingParty.objects.filter(booking_id=booking.pk).update(active=False)
        for name, value in changes.items():
            setattr(booking, name, value)
    return changed == 1


def _wrong_status(booking: Booking, doing: str) -> ValidationError:
    booking.refresh_from_db(fields=["status"])
    return StateConflict(f"该预约当前状态为“{booking.get_status_display()}”，不能{doing}")


def _expire_lapsed(bookings, now: dt.datetime, actor) -> list[int]:
    """Expire the given lapsed holds; returns the ids this call expired."""
    done = []
    for booking in bookings:
        if _move(booking, from_statuses=[BookingStatus.HELD], to=BookingStatus.EXPIRED, actor=actor):
            _give_back(booking.slot_id, booking.places)
            done.append(booking.pk)
    return done


def _lapsed_holds(now: dt.datetime):
    return Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__lte=now).order_by("pk")


def _domain_label(domain: str) -> str:
    return Domain(domain).label


def _audit(entries: list[dict], actor) -> None:
    """Append the collected audit entries — last, so the audit chain's lock
    (held to the commit, ADR 0013) is taken as late as possible."""
    for entry in entries:
        audit_record(actor=actor, **entry)


@transaction.atomic
def hold(slot: Slot, *, parties: list[tuple[str, str]], purpose: str, actor, contact_phone: str = "",
         hold_minutes: int = 15, places: int = 1) -> Booking:
    """Hold ``places`` place(s) in ``slot`` for ``parties`` (name, ID number)
    for ``hold_minutes``; refused when the slot is full, past or on a day the
    resource is closed, when an ID number is invalid, or when a party already
    has an active booking in the resource's domain."""
    booking, entries = _hold(slot, parties=parties, purpose=purpose, actor=actor, contact_phone=contact_phone,
                             hold_minutes=hold_minutes, places=places)
    _audit(entries, actor)
    return booking


def _hold(slot: Slot, *, parties, purpose: str, actor, contact_phone: str, hold_minutes: int,
          places: int) -> tuple[Booking, list[dict]]:
    slot = Slot.objects.select_related("resource").get(pk=slot.pk)
    resource = slot.resource
    _book_permission(actor, resource)
    if not resource.active:
        raise ValidationError("该预约资源已停用")
    if not isinstance(hold_minutes, int) or not 1 <= hold_minutes <= MAX_HOLD_MINUTES:
        raise ValidationError(f"暂留时间应为1至{MAX_HOLD_MINUTES}分钟")
    if not isinstance(places, int) or places < 1:
        raise ValidationError("占用名额至少为1")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError("请填写预约事项")
    if len(purpose) > 200:
        raise ValidationError("预约事项不能超过200个字")
    people = _clean_parties(parties)
    phone = _clean_phone(contact_phone)
    now = timezone.now()
    if slot.start <= now:
        raise ValidationError("该时段已过，不能预约")
    if places > slot.capacity:
        raise SlotFull(f"该时段最多可约{slot.capacity}个名额")
    day = opening_day(resource, slot.day)
    if not day.open:
        raise ValidationError(f"{resource.name}{slot.day:%Y年%m月%d日}不开放（{day.reason}）")
    domain_label = _domain_label(resource.domain)
    indexes = {blind_index(number): (name, number) for name, number in people}
    holders = list(BookingParty.objects.filter(domain=resource.domain, active=True,
                                               id_number_index__in=list(indexes)).select_related("booking"))
    for party in holders:
        held = party.booking
        if not (held.status == BookingStatus.HELD and held.hold_expires_at <= now):
            name, number = indexes[party.id_number_index]
            raise PersonLimitReached(f"{name}（{mask_id_number(number)}）：该身份证号码已有一个有效的{domain_label}预约")
    # The same person's lapsed hold no longer counts: expire it first.
    expired = _expire_lapsed({party.booking_id: party.booking for party in holders}.values(), now, actor)
    booking = Booking.objects.create(
        slot=slot, resource=resource, domain=resource.domain, status=BookingStatus.HELD, places=places,
        hold_expires_at=now + dt.timedelta(minutes=hold_minutes), purpose=purpose,
        contact_phone_enc=encrypt(phone), contact_phone_masked=mask_phone(phone) if phone else "",
        created_by=_actor_name(actor))
    try:
        with transaction.atomic():
            BookingParty.objects.bulk_create([
                BookingParty(booking=booking, name=name, id_number_enc=encrypt(number),
                             id_number_index=blind_index(number), id_number_masked=mask_id_number(number),
                             domain=resource.domain, active=True)
                for name, number in people])
    except IntegrityError:
        # A concurrent booking of the same person committed between the check and the insert.
        raise PersonLimitReached(f"该身份证号码已有一个有效的{domain_label}预约") from None
    # The place is taken last: the slot's row stays locked only from here to the commit.
    if not _take(slot.pk, places):
        # Lapsed holds in this slot no longer count: expire them and try once more.
        expired += _expire_lapsed(_lapsed_holds(now).filter(slot=slot), now, actor)
        if not _take(slot.pk, places):
            raise SlotFull("该时段已约满" if places == 1 else f"该时段剩余名额不足{places}个")
    entries = []
    if expired:
        entries.append(dict(action="bookings.booking.expire", object_type="Resource", object_id=resource.pk,
                            scope_code=resource.division_id, changes={"bookings": expired}))
    entries.append(dict(action="bookings.booking.hold", object_type="Booking", object_id=booking.pk,
                        scope_code=resource.division_id,
                        changes={"slot": slot.pk, "start": slot.start, "places": places, "booking_purpose": purpose,
                                 "id_number": [mask_id_number(n) for _, n in people],
                                 "hold_expires_at": booking.hold_expires_at}))
    return booking, entries


@transaction.atomic
def confirm(booking: Booking, actor, *, sender: NoticeSender | None = None) -> Booking:
    """Confirm a hold that has not lapsed, and record the confirmation notice."""
    booking = Booking.objects.select_related("resource", "slot").get(pk=booking.pk)
    _book_permission(actor, booking.resource)
    _audit([_confirm(booking, actor, sender)], actor)
    return booking


def _confirm(booking: Booking, actor, sender: NoticeSender | None) -> dict:
    now = timezone.now()
    if not _move(booking, from_statuses=[BookingStatus.HELD], to=BookingStatus.CONFIRMED, actor=actor,
                 only_if={"hold_expires_at__gt": now}):
        if booking.status == BookingStatus.HELD and booking.hold_expires_at <= now:
            raise HoldExpired("暂留已过期，名额已释放，请重新预约")
        raise _wrong_status(booking, "确认")
    notice = notice_send(booking, NoticeKind.CONFIRMATION, sender=sender)
    return dict(action="bookings.booking.confirm", object_type="Booking", object_id=booking.pk,
                scope_code=booking.resource.division_id,
                changes={"status": [BookingStatus.HELD, BookingStatus.CONFIRMED], "notice": notice.pk,
                         "sender_status": notice.sender_status})


@transaction.atomic
def cancel(booking: Booking, actor, reason: str, *, sender: NoticeSender | None = None) -> Booking:
    """Cancel a hold or a confirmed booking; its places are given back at once.
    A confirmed booking's holder gets a cancellation notice."""
    booking = Booking.objects.select_related("resource", "slot").get(pk=booking.pk)
    _book_permission(actor, booking.resource)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写取消原因")
    if len(reason) > 200:
        raise ValidationError("取消原因不能超过200个字")
    before = booking.status
    if not _move(booking, from_statuses=ACTIVE, to=BookingStatus.CANCELLED, actor=actor, cancel_reason=reason):
        raise _wrong_status(booking, "取消")
    _give_back(booking.slot_id, booking.places)
    notice = notice_send(booking, NoticeKind.CANCELLATION, sender=sender) if before == BookingStatus.CONFIRMED \
        else None
    audit_record(actor=actor, action="bookings.booking.cancel", object_type="Booking", object_id=booking.pk,
                 scope_code=booking.resource.division_id,
                 changes={"status": [before, BookingStatus.CANCELLED], "reason": reason,
                          "notice": notice.pk if notice else None})
    return booking


@transaction.atomic
def check_in(booking: Booking, actor) -> Booking:
    """The people arrived (已到场): from the day of the slot on."""
    booking = Booking.objects.select_related("resource", "slot").get(pk=booking.pk)
    _book_permission(actor, booking.resource)
    if timezone.localdate() < booking.slot.day:
        raise ValidationError(f"预约日期（{booking.slot.day:%Y年%m月%d日}）未到，不能登记到场")
    if not _move(booking, from_statuses=[BookingStatus.CONFIRMED], to=BookingStatus.ARRIVED, actor=actor):
        raise _wrong_status(booking, "登记到场")
    audit_record(actor=actor, action="bookings.booking.check_in", object_type="Booking", object_id=booking.pk,
                 scope_code=booking.resource.division_id,
                 changes={"status": [BookingStatus.CONFIRMED, BookingStatus.ARRIVED]})
    return booking


@transaction.atomic
def mark_no_show(booking: Booking, actor) -> Booking:
    """Nobody came (未到场): only once the slot has ended. The place stays used
    (the time has passed); the people may book again."""
    booking = Booking.objects.select_related("resource", "slot").get(pk=booking.pk)
    _book_permission(actor, booking.resource)
    if timezone.now() < booking.slot.end:
        raise ValidationError("该时段尚未结束，不能登记未到场")
    if not _move(booking, from_statuses=[BookingStatus.CONFIRMED], to=BookingStatus.NO_SHOW, actor=actor):
        raise _wrong_status(booking, "登记未到场")
    audit_record(actor=actor, action="bookings.booking.no_show", object_type="Booking", object_id=booking.pk,
                 scope_code=booking.resource.division_id,
                 changes={"status": [BookingStatus.CONFIRMED, BookingStatus.NO_SHOW]})
    return booking


@transaction.atomic
def expire_holds(now: dt.datetime | None = None, *, actor="system") -> int:
    """Expire every hold whose time has run out and give its places back;
    and mark 未到场 every confirmed booking whose slot ended before today
    began (nobody recorded an arrival by the end of that day), so a past
    appointment no longer counts as the person's one upcoming appointment.
    Returns the number of holds expired. Idempotent: a booking is changed
    once (a second run finds nothing)."""
    require(actor, "bookings.manage", allow_job=True)
    now = now or timezone.now()
    expired = _expire_lapsed(_lapsed_holds(now), now, actor)
    if expired:
        audit_record(actor=actor, action="bookings.booking.expire", object_type="Booking",
                     object_id=expired[0] if len(expired) == 1 else "",
                     changes={"bookings": expired, "as_of": now})
        logger.info("expired %d lapsed booking holds", len(expired))
    day_began = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    unattended = [booking.pk for booking in
                  Booking.objects.filter(status=BookingStatus.CONFIRMED, slot__end__lte=day_began).order_by("pk")
                  if _move(booking, from_statuses=[BookingStatus.CONFIRMED], to=BookingStatus.NO_SHOW, actor=actor)]
    if unattended:
        audit_record(actor=actor, action="bookings.booking.no_show", object_type="Booking",
                     object_id=unattended[0] if len(unattended) == 1 else "",
                     changes={"bookings": unattended, "as_of": now,
                              "status": [BookingStatus.CONFIRMED, BookingStatus.NO_SHOW]})
        logger.info("marked %d past unattended bookings as no-shows", len(unattended))
    return len(expired)


@transaction.atomic
def book(slot: Slot, *, parties: list[tuple[str, str]], purpose: str, actor, contact_phone: str = "",
         places: int = 1, sender: NoticeSender | None = None) -> Booking:
    """Staff at the window: hold and confirm at once (one transaction)."""
    booking, entries = _hold(slot, parties=parties, purpose=purpose, actor=actor, contact_phone=contact_phone,
                             hold_minutes=15, places=places)
    entries.append(_confirm(booking, actor, sender))  # _hold checked the permission and the scope
    _audit(entries, actor)
    return booking
