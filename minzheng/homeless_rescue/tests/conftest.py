"""流浪乞讨人员救助 fixtures: the seeded kinds (restored after a flush), a campaign."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from minzheng.homeless_rescue.models import FinderKind, ServiceKind


@pytest.fixture
def kinds(db):
    if not FinderKind.objects.exists():
        importlib.import_module("minzheng.homeless_rescue.migrations.0002_seed_kinds_2023_report").seed(apps, None)
    return {"police": FinderKind.objects.get(code="police"), "patrol": FinderKind.objects.get(code="patrol"),
            "food": ServiceKind.objects.get(code="food"), "ticket": ServiceKind.objects.get(code="ticket_home"),
            "shelter": ServiceKind.objects.get(code="shelter")}


def at(day: dt.date, hour: int = 22) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def cold_campaign(users, kinds):
    """A cold wave last week: warning, 寒冬送温暖 from then, a night shift in 岳阳 three days ago."""
    from minzheng.homeless_rescue import services

    today = timezone.localdate()
    warning = services.warning_record(actor=users["bureau"], kind="cold_wave", level="blue",
                                      issued_at=at(today - dt.timedelta(days=7), 10), issuer="上海中心气象台")
    campaign = services.campaign_create(actor=users["bureau"], name="寒冬送温暖专项救助行动", kind="cold",
                                        warning=warning, starts_on=today - dt.timedelta(days=7))
    shift = services.shift_create(actor=users["street"], campaign=campaign, street="310117001",
                                  starts_at=at(today - dt.timedelta(days=3), 20),
                                  ends_at=at(today - dt.timedelta(days=3), 23), team="岳阳街道救助巡查队 3人")
    return {"warning": warning, "campaign": campaign, "shift": shift}
