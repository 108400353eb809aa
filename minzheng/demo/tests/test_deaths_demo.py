"""The demo's year of deaths (ADR 0023): in proportion to the district, through
the death record's services (the consequences are real), several sources for a
share, one conflicting date, a few unmatched non-residents; once, and fast."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from minzheng.casework.models import OverpaymentCase
from minzheng.deaths.models import DeathRecord, DeathReport, DeathStatus
from minzheng.demo.deaths import deaths_seed


@pytest.mark.django_db
def test_the_demo_year_of_deaths(holiday_table, monkeypatch):
    from minzheng.demo.management.commands import demo_setup

    took: list[float] = []
    seeded: list[int] = []

    def timed(**kwargs):
        started = time.perf_counter()
        line = deaths_seed(**kwargs)
        took.append(time.perf_counter() - started)
        seeded.append(DeathRecord.objects.count())  # the funeral demo adds cremations of non-residents later
        return line

    monkeypatch.setattr(demo_setup, "deaths_seed", timed)
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    assert took and took[0] < 3, took  # the brief's limit at 2,000 persons
    records = DeathRecord.objects.all()
    assert seeded == [round(2000 * 3.4 / 1000)]
    assert records.filter(status=DeathStatus.CONFLICT).count() == 1
    assert records.filter(person__isnull=True, status=DeathStatus.UNMATCHED).count() >= 1
    assert all(not r.person.alive for r in records.filter(person__isnull=False))
    assert DeathReport.objects.filter(source="feed").exists()
    assert DeathReport.objects.count() > records.count()
    assert records.exclude(consequences__stopped=[]).filter(person__isnull=False).exists()
    # a second run changes nothing
    started = time.perf_counter()
    assert deaths_seed(persons=2000, seed=2024) == "演示死亡登记已存在"
    assert time.perf_counter() - started < 1
    assert OverpaymentCase.objects.filter(reason__contains="死亡").count() == sum(
        len(r.consequences.get("overpayments", [])) for r in records)
