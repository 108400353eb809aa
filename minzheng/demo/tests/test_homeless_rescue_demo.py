"""The demo's year of rescues (ADR 0038): scaled volume, campaigns with shifts, repeat
persons matched by ID number, one merge, outcomes present, idempotent."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from minzheng.demo.homeless_rescue import FLOOR, homeless_rescue_seed, rescues_per_year
from minzheng.homeless_rescue.models import (
    Campaign,
    FinderKind,
    Outcome,
    PersonMerge,
    Rescue,
    RescuedPerson,
)

pytestmark = pytest.mark.django_db


def test_volume_scales_with_the_floor():
    assert rescues_per_year(20_000) == FLOOR
    assert rescues_per_year(1_900_000) == 366


def test_demo_seed(district):
    if not FinderKind.objects.exists():
        importlib.import_module("minzheng.homeless_rescue.migrations.0002_seed_kinds_2023_report").seed(apps, None)
    today = dt.date(2026, 6, 30)
    message = homeless_rescue_seed(persons=20_000, today=today)
    assert "演示数据" in message
    assert Rescue.objects.count() == FLOOR + 1  # and the later-identified person's rescue
    assert Campaign.objects.filter(kind="cold").exists() and Campaign.objects.filter(kind="heat").exists()
    assert Rescue.objects.filter(campaign__isnull=False, shift__isnull=False).exists()
    assert RescuedPerson.objects.filter(merged_into__isnull=True).count() < Rescue.objects.count()
    assert PersonMerge.objects.count() == 1
    outcomes = set(Rescue.objects.values_list("outcome", flat=True))
    assert {Outcome.RETURNED_HOME, Outcome.PLACED, Outcome.LEFT} <= outcomes
    assert not Rescue.objects.filter(found_at__date__gt=today).exists()
    assert "跳过" in homeless_rescue_seed(persons=20_000, today=today)
