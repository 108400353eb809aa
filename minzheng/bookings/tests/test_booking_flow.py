"""The booking flow: hold → confirm → check in / no-show, cancel, expiry;
capacity and the per-person limit (ADR 0021)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_id_number
from minzheng.bookings.models import (
    Booking,
    BookingParty,
    BookingStatus,
    Notice,
    SenderStatus,
    Slot,
)
from minzheng.bookings.services import (
    book,
    cancel,
    check_in,
    confirm,
    expire_holds,
    hold,
    mark_no_show,
)
from minzheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def booked(slot) -> int:
    return Slot.objects.get(pk=slot.pk).booked


def test_hold_takes_a_place_and_stores_the_id_numbers_encrypted(users, slot, couple):
    people = couple()
    booking = hold(slot, parties=people, purpose="结婚登记", actor=users["street"], contact_phone="13812345678")
    assert booking.status == BookingStatus.HELD
    assert booked(slot) == 1
    party = BookingParty.objects.filter(booking=booking).first()
    assert people[0][1] not in party.id_number_enc
    assert party.id_number_masked == people[0][1][:6] + "*" * 11 + people[0][1][-1]
    assert booking.contact_phone_masked == "138****5678"
    assert AuditEntry.objects.filter(action="bookings.booking.hold", object_id=str(booking.pk)).exists()


def test_confirm_records_a_notice_without_sending(users, slot, couple):
    booking = hold(slot, parties=couple(), purpose="结婚登记", actor=users["street"], contact_phone="13812345678")
    booking = confirm(booking, users["street"])
    assert booking.status == BookingStatus.CONFIRMED
    notice = Notice.objects.get(booking=booking)
    assert notice.sender_status == SenderStatus.RECORDED
    assert notice.recipient_masked == "138****5678"
    assert "13812345678" not in notice.text


def test_a_full_slot_refuses(users, slot, couple):
    book(slot, parties=couple("甲", "乙"), purpose="结婚登记", actor=users["bureau"])
    book(slot, parties=couple("丙", "丁"), purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="该时段已约满"):
        hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])
    assert booked(slot) == 2


def test_one_active_booking_per_id_number_per_domain(users, slots, couple):
    people = couple()
    book(slots[0], parties=people, purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="该身份证号码已有一个有效的婚姻登记预约"):
        hold(slots[1], parties=[people[0]], purpose="结婚登记", actor=users["bureau"])
    assert booked(slots[1]) == 0


def test_cancel_gives_the_place_back_and_frees_the_person(users, slots, couple):
    people = couple()
    booking = book(slots[0], parties=people, purpose="结婚登记", actor=users["bureau"], contact_phone="13812345678")
    cancel(booking, users["bureau"], "当事人改期")
    assert booked(slots[0]) == 0
    assert list(Notice.objects.filter(booking=booking).values_list("kind", flat=True)) == ["confirmation",
                                                                                          "cancellation"]
    again = book(slots[1], parties=people, purpose="结婚登记", actor=users["bureau"])
    assert again.status == BookingStatus.CONFIRMED
    with pytest.raises(ValidationError, match="已取消.*不能取消"):
        cancel(booking, users["bureau"], "再次取消")
    assert booked(slots[0]) == 0


def test_a_lapsed_hold_cannot_be_confirmed_and_expiry_frees_the_place(users, slot, couple):
    people = couple()
    booking = hold(slot, parties=people, purpose="结婚登记", actor=users["bureau"], hold_minutes=5)
    later = timezone.now() + dt.timedelta(minutes=6)
    assert expire_holds(now=later) == 1
    assert expire_holds(now=later) == 0  # idempotent
    assert booked(slot) == 0
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.EXPIRED
    with pytest.raises(ValidationError, match="已过期"):
        confirm(booking, users["bureau"])
    book(slot, parties=people, purpose="结婚登记", actor=users["bureau"])  # the person may book again


def test_check_in_and_no_show_only_when_due(users, slots, couple):
    first = book(slots[0], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    second = book(slots[1], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="未到，不能登记到场"):
        check_in(first, users["bureau"])
    with pytest.raises(ValidationError, match="尚未结束"):
        mark_no_show(second, users["bureau"])
    # the day comes (the slots are moved into the past, as the clock would)
    for n, moved in enumerate(slots[:2]):
        past = timezone.now() - dt.timedelta(hours=3 - n)
        Slot.objects.filter(pk=moved.pk).update(day=timezone.localdate(past), start=past,
                                                end=past + dt.timedelta(minutes=30))
    assert check_in(first, users["bureau"]).status == BookingStatus.ARRIVED
    assert mark_no_show(second, users["bureau"]).status == BookingStatus.NO_SHOW
    with pytest.raises(ValidationError, match="已到场"):
        mark_no_show(first, users["bureau"])
    assert booked(slots[0]) == 1 and booked(slots[1]) == 1  # the time was used


def test_invalid_id_number_and_roles(users, slot):
    valid = make_id_number(dt.date(1990, 1, 1))
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    with pytest.raises(ValidationError, match="校验位"):
        hold(slot, parties=[("张三", wrong)], purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(PermissionDenied):
        hold(slot, parties=[("张三", valid)], purpose="结婚登记", actor=users["committee"])
    assert booked(slot) == 0


def test_a_street_resource_is_out_of_another_streets_scope(users, street_hall, future_day, couple):
    from minzheng.bookings.services import generate_slots, special_day_add
    from minzheng.core.scope import OutOfScope

    special_day_add(actor=users["bureau"], resource=street_hall, date=future_day, name="测试开放日")
    generate_slots(street_hall, future_day, future_day, users["bureau"])
    slot = Slot.objects.filter(resource=street_hall).order_by("start").first()
    with pytest.raises(OutOfScope):
        hold(slot, parties=couple(), purpose="告别仪式", actor=users["street"])  # 岳阳 staff, 泗泾's hall
    booking = hold(slot, parties=couple(), purpose="告别仪式", actor=users["other_street"])
    assert booking.domain == "funeral"


def test_the_expire_holds_command_is_a_recorded_job(users, slot, couple):
    from django.core.management import call_command

    from minzheng.jobs.models import Job

    hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"], hold_minutes=1)
    Booking.objects.update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("bookings_expire_holds")
    assert booked(slot) == 0
    assert Job.objects.filter(kind="bookings_expire_holds").count() == 1


def test_a_lapsed_hold_in_a_full_slot_gives_its_place_to_the_next_person(users, slot, couple):
    first = hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"], hold_minutes=1)
    book(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="该时段已约满"):
        hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])
    # the first hold's minute runs out (the expiry job has not run yet)
    Booking.objects.filter(pk=first.pk).update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    third = hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.EXPIRED
    assert third.status == BookingStatus.HELD and booked(slot) == 2
    assert AuditEntry.objects.filter(action="bookings.booking.expire").exists()


def test_a_notice_sender_is_a_port_and_a_failure_does_not_undo_the_booking(users, slots, couple):
    from minzheng.bookings.notices import SendResult

    class Gateway:
        sent: list = []

        def send(self, *, channel, recipient, text):
            self.sent.append((channel, recipient))
            return SendResult(SenderStatus.SENT, "GW-1")

    class Broken:
        def send(self, *, channel, recipient, text):
            raise ConnectionError("gateway down")

    ok = book(slots[0], parties=couple(), purpose="结婚登记", actor=users["bureau"], contact_phone="13900001111",
              sender=Gateway())
    assert Gateway.sent == [("sms", "13900001111")]
    assert Notice.objects.get(booking=ok).sender_status == SenderStatus.SENT
    failed = book(slots[1], parties=couple(), purpose="结婚登记", actor=users["bureau"], contact_phone="13900002222",
                  sender=Broken())
    assert failed.status == BookingStatus.CONFIRMED
    assert Notice.objects.get(booking=failed).sender_status == SenderStatus.FAILED
    silent = book(slots[2], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    assert Notice.objects.get(booking=silent).sender_status == SenderStatus.NO_RECIPIENT


def test_two_people_cannot_share_one_id_number_and_places_are_bounded(users, slot, couple):
    person = couple()[0]
    with pytest.raises(ValidationError, match="填写了两次"):
        hold(slot, parties=[person, ("别名", person[1])], purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="最多可约2个名额"):
        hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"], places=3)
    assert booked(slot) == 0


def test_a_past_unattended_appointment_becomes_a_no_show_and_frees_the_person(users, slots, couple):
    people = couple()
    past = book(slots[0], parties=people, purpose="结婚登记", actor=users["bureau"])
    with pytest.raises(ValidationError, match="已有一个有效的"):
        book(slots[1], parties=people, purpose="结婚登记", actor=users["bureau"])
    # the appointment's day passes with no arrival recorded; today's job runs the morning after
    next_morning = slots[0].end + dt.timedelta(days=1)
    expire_holds(now=next_morning)
    assert Booking.objects.get(pk=past.pk).status == BookingStatus.NO_SHOW
    assert booked(slots[0]) == 1  # the time was used; the place is not given back
    assert AuditEntry.objects.filter(action="bookings.booking.no_show", changes__bookings=[past.pk]).exists()
    expire_holds(now=next_morning)  # idempotent
    assert AuditEntry.objects.filter(action="bookings.booking.no_show").count() == 1
    again = book(slots[1], parties=people, purpose="结婚登记", actor=users["bureau"])
    assert again.status == BookingStatus.CONFIRMED


def test_the_expiry_job_leaves_todays_appointments_alone(users, slots, couple):
    booking = book(slots[0], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    expire_holds(now=slots[-1].end + dt.timedelta(minutes=5))  # the same day, after the last slot
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
