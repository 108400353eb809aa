"""No overbooking and one active booking per person under concurrency
(PostgreSQL: threads, each with its own connection, committing for real).

SQLite serialises every write, so the race cannot happen there; these tests
are skipped on SQLite and run in the PostgreSQL suite (ADR 0021)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from conftest import make_id_number, run_together
from minzheng.bookings.models import OCCUPYING, Booking, BookingParty, Slot
from minzheng.bookings.services import book, hold

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL (SQLite serialises)"),
]

THREADS = 24


def test_many_parallel_bookings_of_one_slot_fill_exactly_its_capacity(users, slot):
    Slot.objects.filter(pk=slot.pk).update(capacity=6)
    people = [[(f"甲{i}", make_id_number(dt.date(1990, 1, 1) + dt.timedelta(days=i))),
               (f"乙{i}", make_id_number(dt.date(1991, 1, 1) + dt.timedelta(days=i), male=False))]
              for i in range(THREADS)]

    outcomes = run_together(lambda i: book(slot, parties=people[i], purpose="结婚登记", actor=users["bureau"]),
                            THREADS)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 6
    assert outcomes.count("该时段已约满") == THREADS - 6
    assert Slot.objects.get(pk=slot.pk).booked == 6
    assert Booking.objects.filter(slot=slot, status__in=OCCUPYING).count() == 6


def test_the_same_person_booking_in_parallel_gets_one_booking(users, slots):
    person = ("张三", make_id_number(dt.date(1990, 6, 1)))
    partners = [(f"乙{i}", make_id_number(dt.date(1992, 1, 1) + dt.timedelta(days=i), male=False))
                for i in range(THREADS)]

    outcomes = run_together(
        lambda i: hold(slots[i % len(slots)], parties=[person, partners[i]], purpose="结婚登记",
                       actor=users["bureau"]),
        THREADS)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 1
    assert all("该身份证号码已有一个有效的婚姻登记预约" in o or "约满" in o for o in outcomes if o != "ok")
    assert BookingParty.objects.filter(active=True, name="张三").count() == 1
    assert sum(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 1
