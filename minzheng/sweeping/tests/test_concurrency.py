"""No overbooking under the peak (PostgreSQL: threads, each with its own
connection, committing for real; SQLite serialises every write, so these are
skipped there — see minzheng/bookings/tests/test_concurrency.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Sum

from conftest import run_together
from minzheng.bookings.models import OCCUPYING, Booking, Slot
from minzheng.sweeping import services
from minzheng.sweeping.models import Reservation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL (SQLite serialises)"),
]

THREADS = 24


def _reserve(user, slot_id, person, companions=0):
    name, number = person
    return services.reserve(actor=user, slot_id=slot_id, name=name, id_number=number, phone="13800001111",
                            companions=companions)


def test_parallel_reservations_of_one_slot_end_with_exactly_its_capacity(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[0].slot_id  # 5 places (10 people × 50 %)
    people = [person(100 + i) for i in range(THREADS)]

    outcomes = run_together(lambda i: _reserve(cemetery_user, slot_id, people[i]), THREADS)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 5
    assert outcomes.count("该时段已约满") == THREADS - 5
    assert Slot.objects.get(pk=slot_id).booked == 5
    assert Reservation.objects.filter(sweeping_slot__slot_id=slot_id).count() == 5


def test_parallel_groups_never_exceed_the_capacity_in_people(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[1].slot_id
    people = [person(200 + i) for i in range(THREADS)]

    outcomes = run_together(lambda i: _reserve(cemetery_user, slot_id, people[i], companions=i % 3), THREADS)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    taken = Booking.objects.filter(slot_id=slot_id, status__in=OCCUPYING).aggregate(n=Sum("places"))["n"]
    slot = Slot.objects.get(pk=slot_id)
    assert taken == slot.booked <= slot.capacity == 5
    assert slot.booked >= 3  # the last refusals were for groups larger than what was left


def test_cancellation_frees_exactly_one_place_for_the_parallel_crowd(cemetery_user, sweeping_slots, person):
    slot_id = sweeping_slots[0].slot_id
    made = [_reserve(cemetery_user, slot_id, person(300 + i)) for i in range(5)]
    services.cancel(actor=cemetery_user, reservation=made[0], reason="改期")
    people = [person(400 + i) for i in range(THREADS)]

    outcomes = run_together(lambda i: _reserve(cemetery_user, slot_id, people[i]), THREADS)

    assert outcomes.count("ok") == 1, outcomes
    assert Slot.objects.get(pk=slot_id).booked == 5
