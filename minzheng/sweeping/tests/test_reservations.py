"""Reservations on the booking core: capacity as the cap percentage of the
physical capacity counted in people, companions, full slot, opening time,
cancellation, one active reservation per ID number (ADR 0026)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minzheng.bookings.models import BookingStatus, Slot
from minzheng.core.permissions import NotPermitted
from minzheng.sweeping import services
from minzheng.sweeping.models import PeakKind, Reservation, SweepingSlot

pytestmark = pytest.mark.django_db


def test_slots_have_the_cap_percent_of_the_physical_capacity(sweeping_slots):
    assert [s.slot.capacity for s in sweeping_slots] == [5, 5]  # floor(10 × 50 %)
    assert [s.physical_capacity for s in sweeping_slots] == [10, 10]
    assert [timezone.localtime(s.slot.start).strftime("%H:%M") for s in sweeping_slots] == ["07:00", "08:30"]


def test_the_cap_rounds_down_and_100_is_the_default(users, cemetery):
    area = services.area_create(actor=users["bureau"], cemetery=cemetery, name="二区", physical_capacity=7)
    period = services.period_create(actor=users["bureau"], kind=PeakKind.WINTER_SOLSTICE, title="冬至", cemetery=cemetery,
                                    booking_opens_at=timezone.now())
    assert period.cap_percent == 100
    day = timezone.localdate() + dt.timedelta(days=3)
    services.day_set(actor=users["bureau"], period=period, date=day, times="07:00-08:30")
    assert services.period_generate_slots(actor=users["bureau"], period=period) == 1
    assert SweepingSlot.objects.get(area=area).slot.capacity == 7
    capped = services.period_create(actor=users["bureau"], kind=PeakKind.OTHER, title="其他", cemetery=cemetery,
                                    booking_opens_at=timezone.now(), cap_percent=33)
    assert capped.capacity_for(7) == 2


def test_generation_is_idempotent(users, period, sweeping_slots):
    assert services.period_generate_slots(actor=users["bureau"], period=period) == 0
    assert SweepingSlot.objects.filter(period=period).count() == 2


def test_reservation_counts_people_and_gives_a_code(cemetery_user, sweeping_slots, person):
    slot = sweeping_slots[0].slot
    name, number = person(1)
    r = services.reserve(actor=cemetery_user, slot_id=slot.pk, name=name, id_number=number, phone="13800001111",
                         companions=2)
    assert r.booking.status == BookingStatus.CONFIRMED and r.booking.places == 3 and r.people == 3
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert len(r.code) == 8 and r.code.isalnum() and r.code.isupper()
    assert r.id_number_masked != number and "*" in r.id_number_masked
    assert r.phone_masked.startswith("138") and "1111" in r.phone_masked and r.phone_masked != "13800001111"


def test_more_than_four_companions_are_refused(cemetery_user, sweeping_slots, person):
    name, number = person(2)
    with pytest.raises(ValidationError, match="最多携带4名同行人员"):
        services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=name, id_number=number,
                         phone="13800001111", companions=5)
    assert Reservation.objects.count() == 0


def test_a_full_slot_is_refused_in_chinese(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[0].slot_id
    services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(3)[0], id_number=person(3)[1],
                     phone="13800001111", companions=4)  # 5 of 5
    with pytest.raises(services.SlotFull, match="该时段已约满"):
        services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(4)[0], id_number=person(4)[1],
                         phone="13800001112")
    assert Slot.objects.get(pk=slot_id).booked == 5


def test_a_group_larger_than_the_places_left_is_refused(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[0].slot_id
    services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(5)[0], id_number=person(5)[1],
                     phone="13800001111", companions=2)
    with pytest.raises(services.SlotFull, match="剩余名额不足3人"):
        services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(6)[0], id_number=person(6)[1],
                         phone="13800001112", companions=2)


def test_before_the_opening_time_the_reservation_is_refused_with_the_time(users, cemetery_user, area, person):
    opens = timezone.now() + dt.timedelta(days=2)
    period = services.period_create(actor=users["bureau"], kind=PeakKind.QINGMING, title="明年清明",
                                    cemetery=None, booking_opens_at=opens, cap_percent=50)
    day = timezone.localdate() + dt.timedelta(days=9)
    services.day_set(actor=users["bureau"], period=period, date=day, times="07:00-08:30")
    services.period_generate_slots(actor=users["bureau"], period=period)
    slot_id = SweepingSlot.objects.get(period=period).slot_id
    with pytest.raises(ValidationError) as refused:
        services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(7)[0], id_number=person(7)[1],
                         phone="13800001111")
    assert f"{timezone.localtime(opens):%Y年%m月%d日 %H:%M}开始预约" in refused.value.messages[0]
    assert not isinstance(refused.value, services.SlotFull)
    # once open it goes through
    services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(7)[0], id_number=person(7)[1],
                     phone="13800001111", now=opens + dt.timedelta(seconds=1))


def test_cancellation_frees_the_places(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[0].slot_id
    r = services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(8)[0], id_number=person(8)[1],
                         phone="13800001111", companions=4)
    with pytest.raises(services.SlotFull):
        services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(9)[0], id_number=person(9)[1],
                         phone="13800001112")
    services.cancel(actor=cemetery_user, reservation=r, reason="家中有事")
    assert Slot.objects.get(pk=slot_id).booked == 0
    r.booking.refresh_from_db()
    assert r.booking.status == BookingStatus.CANCELLED
    services.reserve(actor=cemetery_user, slot_id=slot_id, name=person(9)[0], id_number=person(9)[1],
                     phone="13800001112")


def test_one_active_reservation_per_id_number(cemetery_user, sweeping_slots, person):
    name, number = person(10)
    services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=name, id_number=number,
                     phone="13800001111")
    with pytest.raises(services.PersonLimitReached, match="已有一个有效的祭扫预约"):
        services.reserve(actor=cemetery_user, slot_id=sweeping_slots[1].slot_id, name=name, id_number=number,
                         phone="13800001111")


def test_bad_input_is_refused(cemetery_user, sweeping_slots):
    slot_id = sweeping_slots[0].slot_id
    with pytest.raises(ValidationError):
        services.reserve(actor=cemetery_user, slot_id=slot_id, name="张三", id_number="123", phone="13800001111")
    with pytest.raises(ValidationError, match="联系电话"):
        services.reserve(actor=cemetery_user, slot_id=slot_id, name="张三", id_number="310117196001010011",
                         phone="")


def test_roles(users, sweeping_slots, person):
    with pytest.raises(NotPermitted):
        services.reserve(actor=users["committee"], slot_id=sweeping_slots[0].slot_id, name=person(11)[0],
                         id_number=person(11)[1], phone="13800001111")


def test_the_plan_is_validated(users, period, peak_day):
    with pytest.raises(ValidationError, match="重叠"):
        services.parse_times("07:00-08:30\n08:00-09:00")
    with pytest.raises(ValidationError, match="格式"):
        services.parse_times("七点到八点")
    assert services.parse_times("08:30-10:00，07:00—08:30") == [("07:00", "08:30"), ("08:30", "10:00")]
    with pytest.raises(ValidationError, match="已生成"):
        services.day_set(actor=users["bureau"], period=period, date=peak_day, times="07:00-08:00")
