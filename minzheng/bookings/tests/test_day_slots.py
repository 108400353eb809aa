"""slots_create_for_day: explicit start/end times for one day (a tomb-sweeping
peak day with one more slot on 清明, ADR 0026) — idempotent, refused on a
closed day, overlapping times refused, bureau only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.bookings.models import ResourceKind, Slot
from minzheng.bookings.services import closure_add, resource_create, slots_create_for_day
from minzheng.core.permissions import NotPermitted

pytestmark = pytest.mark.django_db

TIMES = [(dt.time(7, 0), dt.time(8, 30)), (dt.time(8, 30), dt.time(10, 0)), (dt.time(16, 0), dt.time(17, 30))]


@pytest.fixture
def area(users, district):
    return resource_create(actor=users["bureau"], name="测试祭扫区域", kind=ResourceKind.TOMB_AREA,
                           division=district["yueyang"])


def test_explicit_times_once(users, area, future_day):
    made = slots_create_for_day(area, future_day, TIMES, 18, users["bureau"])
    assert len(made.created) == 3 and made.existing == 0
    assert [s.capacity for s in Slot.objects.filter(resource=area)] == [18, 18, 18]
    again = slots_create_for_day(area, future_day, TIMES, 18, users["bureau"])
    assert again.created == [] and again.existing == 3 and Slot.objects.filter(resource=area).count() == 3


def test_refusals(users, area, future_day):
    with pytest.raises(ValidationError, match="重叠"):
        slots_create_for_day(area, future_day, [(dt.time(7, 0), dt.time(9, 0)), (dt.time(8, 0), dt.time(9, 30))],
                             5, users["bureau"])
    with pytest.raises(NotPermitted):
        slots_create_for_day(area, future_day, TIMES, 5, users["street"])
    closure_add(actor=users["bureau"], resource=area, date_from=future_day, date_to=future_day, reason="整修")
    with pytest.raises(ValidationError, match="不开放"):
        slots_create_for_day(area, future_day, TIMES, 5, users["bureau"])
    assert not Slot.objects.filter(resource=area).exists()
