"""The demo marriage registration office: resource, slots for the coming
weeks as far as the holiday table reaches, two sample bookings; run twice,
nothing is duplicated."""

import datetime as dt

import pytest

from minzheng.bookings.models import Booking, Resource, Slot
from minzheng.core.services import division_load_tree
from minzheng.demo.bookings import OFFICE, bookings_seed

pytestmark = pytest.mark.django_db


def test_the_office_gets_slots_within_the_holiday_table_and_runs_twice():
    division_load_tree(actor="test")
    text = bookings_seed(today=dt.date(2026, 12, 14))  # 4 weeks reach into 2027, not in the table
    office = Resource.objects.get(name=OFFICE)
    days = set(Slot.objects.filter(resource=office).values_list("day", flat=True))
    assert max(days) <= dt.date(2026, 12, 31)
    assert "2027年节假日安排尚未录入" in text
    # 11 slots a working day (9:00-11:30: 5, 13:30-16:30: 6), each for 6 couples
    assert Slot.objects.filter(resource=office, day=dt.date(2026, 12, 14)).count() == 11
    assert set(Slot.objects.filter(resource=office).values_list("capacity", flat=True)) == {6}
    count = Slot.objects.count()
    bookings_seed(today=dt.date(2026, 12, 14))
    assert Slot.objects.count() == count
    assert Resource.objects.filter(name=OFFICE).count() == 1
    assert Booking.objects.filter(resource=office).count() <= 2
