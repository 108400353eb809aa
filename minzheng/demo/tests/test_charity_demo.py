"""The demo's charity supermarkets and lottery figures: a year of flows, the
books balance, no negative stock, the committee account has a supermarket,
the fund shows 参数缺失, idempotent (ADR 0040)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.charity import selectors
from minzheng.charity.models import (
    Distribution,
    Donation,
    MonthlySales,
    Outlet,
    Stock,
    StockEntry,
    Supermarket,
)
from minzheng.demo.charity import charity_seed

pytestmark = pytest.mark.django_db


def test_demo_seed(users, make_person):
    today = dt.date(2026, 6, 30)
    for n in range(6):
        make_person(name=f"演示居民{n}", birth=dt.date(1950 + n, 1, 1),
                    committee=("310117001001", "310117102201")[n % 2])
    message = charity_seed(today=today, committee_user=users["committee"])
    assert "演示慈善超市" in message
    assert Supermarket.objects.count() == 2 * 17
    assert Supermarket.objects.filter(committee_id="310117001001").exists()
    assert Donation.objects.filter(kind="money").exists() and Donation.objects.filter(donor_kind="anonymous").exists()
    assert Distribution.objects.count() > 100
    assert selectors.ledger_imbalances() == []
    assert not Stock.objects.filter(quantity__lt=0).exists() and not StockEntry.objects.filter(balance__lt=0).exists()
    assert Outlet.objects.count() == 3 * 17 and MonthlySales.objects.count() == 3 * 17 * 12
    rows = selectors.lottery_by_street(users["bureau"], 2026)
    assert all(r.fund_total is None for r in rows if r.months)
    assert selectors.supermarkets_visible(users["committee"]).exists()
    assert "跳过" in charity_seed(today=today, committee_user=users["committee"])
