"""Hostile months and dates on the monitoring pages and services: a clear
Chinese refusal, never a 500, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from minzheng.core.bounds import latest_month
from minzheng.core.models import AuditEntry
from minzheng.monitoring.models import MonitorRun
from minzheng.monitoring.services import monitor_run_month


@pytest.mark.parametrize("month", ["1900-01", "1999-12", "9999-12", latest_month(months_ahead=2), "0001-01"])
@pytest.mark.django_db
def test_a_run_for_a_month_out_of_bounds_is_refused(users, month):
    client = Client()
    client.force_login(users["bureau"])
    audit_before = AuditEntry.objects.count()
    response = client.post("/monitoring/run/", {"month": month}, follow=True)
    assert response.status_code == 200
    assert "监测月份" in response.content.decode()
    assert not MonitorRun.objects.exists() and AuditEntry.objects.count() == audit_before
    with pytest.raises(ValidationError, match="监测月份"):
        monitor_run_month(actor="cli", month=month)


@pytest.mark.django_db
def test_next_month_is_still_allowed_by_the_bound(users):
    from minzheng.core.bounds import month_check

    assert month_check(latest_month(), "监测月份") == latest_month()
    with pytest.raises(ValidationError, match="过晚"):
        month_check(latest_month(months_ahead=2), "监测月份")
    assert month_check("2000-01", "监测月份", on=dt.date(2025, 1, 1)) == "2000-01"
