"""Fixtures of the booking tests: the district's marriage registration office
(a resource owned by the district) with one session, a street's own resource,
and the slots of one open day in the future (a special opening day, so the
tests do not depend on which future years the holiday table holds)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.bookings.models import ResourceKind, Slot
from minzheng.bookings.services import (
    generate_slots,
    resource_create,
    special_day_add,
    template_add,
)


@pytest.fixture
def office(users, district):
    resource = resource_create(actor=users["bureau"], name="松江区婚姻登记处1号窗口",
                               kind=ResourceKind.MARRIAGE_WINDOW, division=district["district"])
    template_add(actor=users["bureau"], resource=resource, weekdays="12345", day_start=dt.time(9, 0),
                 day_end=dt.time(11, 30), slot_minutes=30, capacity=2)
    return resource


@pytest.fixture
def street_hall(users, district):
    resource = resource_create(actor=users["bureau"], name="思泾殡仪厅", kind=ResourceKind.FUNERAL_HALL,
                               division=district["sijing"])
    template_add(actor=users["bureau"], resource=resource, weekdays="1234567", day_start=dt.time(9, 0),
                 day_end=dt.time(10, 0), slot_minutes=60, capacity=1)
    return resource


@pytest.fixture
def future_day():
    return timezone.localdate() + dt.timedelta(days=10)


@pytest.fixture
def slots(users, office, future_day):
    special_day_add(actor=users["bureau"], resource=office, date=future_day, name="测试开放日")
    generate_slots(office, future_day, future_day, users["bureau"])
    return list(Slot.objects.filter(resource=office, day=future_day).order_by("start"))


@pytest.fixture
def slot(slots):
    return slots[0]


@pytest.fixture
def couple():
    """A fresh pair of (name, ID number)."""
    def _make(a: str = "张三", b: str = "李四"):
        return [(a, make_id_number(dt.date(1995, 3, 4), male=True)),
                (b, make_id_number(dt.date(1996, 7, 8), male=False))]
    return _make
