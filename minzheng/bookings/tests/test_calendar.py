"""Opening calendar and slot generation (ADR 0021, "Calendars"): working days
from the holiday table with make-up working days, special opening days,
closures, a missing holiday year refused; generation idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minzheng.bookings.models import Slot
from minzheng.bookings.opening_days import opening_day
from minzheng.bookings.services import (
    HolidayArrangementMissing,
    book,
    closure_add,
    generate_slots,
    hold,
    special_day_add,
)

pytestmark = pytest.mark.django_db
D = dt.date


def day_slots(resource, day):
    return list(Slot.objects.filter(resource=resource, day=day).order_by("start"))


def test_make_up_workday_is_open_with_every_session(users, office):
    # given 2026-02-14, a Saturday declared a make-up working day (Spring Festival 2026)
    result = generate_slots(office, D(2026, 2, 14), D(2026, 2, 14), users["bureau"])
    # then the Monday-to-Friday session runs: 9:00–11:30 in 30 minutes = 5 slots
    assert result.created == 5
    assert [timezone.localtime(s.start).strftime("%H:%M") for s in day_slots(office, D(2026, 2, 14))] == [
        "09:00", "09:30", "10:00", "10:30", "11:00"]
    assert opening_day(office, D(2026, 2, 14)).reason == "调休上班日"


def test_public_holiday_and_weekend_closed_unless_special_day(users, office):
    # 2025-10-06 (Monday) is in the National Day holiday; 2025-10-12 an ordinary Sunday
    assert not opening_day(office, D(2025, 10, 6)).open
    assert not opening_day(office, D(2025, 10, 12)).open
    special_day_add(actor=users["bureau"], resource=office, date=D(2025, 10, 6), name="特别开放")
    result = generate_slots(office, D(2025, 10, 6), D(2025, 10, 12), users["bureau"])
    # then the special day, the working days 10-09 and 10-10 and the make-up Saturday 10-11 got
    # slots; the holidays 10-07 and 10-08 and Sunday 10-12 none
    assert {s.day for s in Slot.objects.filter(resource=office)} == {D(2025, 10, 6), D(2025, 10, 9),
                                                                      D(2025, 10, 10), D(2025, 10, 11)}
    assert result.created == 20 and result.open_days == 4 and result.closed_days == 3


def test_closure_wins_over_working_day_and_special_day(users, office):
    special_day_add(actor=users["bureau"], resource=office, date=D(2026, 5, 20), name="5月20日")
    closure_add(actor=users["bureau"], resource=office, date_from=D(2026, 5, 19), date_to=D(2026, 5, 21),
                reason="系统升级")
    assert opening_day(office, D(2026, 5, 20)).reason == "暂停开放：系统升级"
    assert generate_slots(office, D(2026, 5, 18), D(2026, 5, 22), users["bureau"]).created == 10  # Mon + Fri


def test_missing_holiday_year_is_refused_and_nothing_is_created(users, office):
    with pytest.raises(HolidayArrangementMissing, match="2098年节假日安排尚未录入，无法确定哪些日期开放"):
        generate_slots(office, D(2098, 12, 30), D(2099, 1, 3), users["bureau"])
    assert not Slot.objects.filter(resource=office).exists()


def test_generation_is_idempotent_and_leaves_booked_slots_alone(users, office, slots, future_day, couple):
    booking = book(slots[0], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    again = generate_slots(office, future_day, future_day, users["bureau"])
    assert again.created == 0 and again.existing == 5
    first = Slot.objects.get(pk=slots[0].pk)
    assert (first.booked, first.capacity) == (1, 2)
    assert Slot.objects.filter(resource=office).count() == 5
    assert booking.slot_id == first.pk


def test_a_slot_on_a_day_closed_later_takes_no_booking(users, office, slot, future_day, couple):
    closure_add(actor=users["bureau"], resource=office, date_from=future_day, date_to=future_day, reason="停电检修")
    with pytest.raises(ValidationError, match="不开放（暂停开放：停电检修）"):
        hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])


def test_a_past_slot_takes_no_booking(users, slot, couple):
    past = timezone.now() - dt.timedelta(days=1)
    Slot.objects.filter(pk=slot.pk).update(start=past, end=past + dt.timedelta(minutes=30))
    with pytest.raises(ValidationError, match="该时段已过"):
        hold(slot, parties=couple(), purpose="结婚登记", actor=users["bureau"])


def test_funeral_hall_opens_weekends_and_public_holidays_but_not_in_a_closure(users, street_hall):
    # given a hall open every day (EVERY_DAY_KINDS), on National Day 2025-10-01 and Sunday 2025-10-12
    assert opening_day(street_hall, D(2025, 10, 1)).reason == "每日开放"
    assert opening_day(street_hall, D(2025, 10, 12)).open
    closure_add(actor=users["bureau"], resource=street_hall, date_from=D(2025, 10, 2), date_to=D(2025, 10, 2),
                reason="设备检修")
    # then slots are made for every day but the closed one
    result = generate_slots(street_hall, D(2025, 10, 1), D(2025, 10, 3), users["bureau"])
    assert {s.day for s in Slot.objects.filter(resource=street_hall)} == {D(2025, 10, 1), D(2025, 10, 3)}
    assert result.created == 2 and result.closed_days == 1
