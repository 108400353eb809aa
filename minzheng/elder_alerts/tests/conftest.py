"""Fixtures: the seeded rules (re-created if a transactional test flushed them),
an elder in 谷阳居委会 (the ``committee`` user's) and one in 乐都居委会, local times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.elder_alerts import services
from minzheng.elder_alerts.models import SensorKind


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> dt.datetime:
    """An aware local (Asia/Shanghai) time in November 2026."""
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


@pytest.fixture
def rules(db):
    services.rules_seed_missing()


@pytest.fixture
def elder(make_person, rules):
    return make_person(name="王阿婆", birth=dt.date(1940, 3, 8), male=False)


@pytest.fixture
def other_elder(make_person, rules):
    return make_person(name="李老伯", birth=dt.date(1938, 6, 1), committee="310117001002")


@pytest.fixture
def meter(elder, users):
    return services.sensor_device_create(actor=users["bureau"], person=elder, kind=SensorKind.WATER_METER,
                                         number="WM-001", installed_on=dt.date(2026, 11, 1))


@pytest.fixture
def gas(elder, users):
    return services.sensor_device_create(actor=users["bureau"], person=elder, kind=SensorKind.GAS_ALARM,
                                         number="GA-001", installed_on=dt.date(2026, 11, 1))
