"""The register's counts: never negative, sold ≤ capacity, used ≤ sold (services
and the database), and the eco-burial share (ADR 0025)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from minzheng.cemeteries import services
from minzheng.cemeteries.models import CemeteryKind, PlotKind, PlotStock
from minzheng.cemeteries.selectors import counts_by_cemetery
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted


@pytest.fixture
def section(users, sites):
    return services.section_create(actor=users["bureau"], cemetery=sites["commercial"], name="松柏园")


def test_sales_and_burials_stay_within_capacity_and_sold(users, section):
    bureau = users["bureau"]
    stock = services.stock_set_capacity(actor=bureau, section=section, plot_kind=PlotKind.TRADITIONAL, capacity=10)
    stock = services.stock_record(actor=bureau, stock=stock, sold=8, used=5)
    assert (stock.capacity, stock.sold, stock.used) == (10, 8, 5)
    with pytest.raises(ValidationError, match="不能再售出3个"):
        services.stock_record(actor=bureau, stock=stock, sold=3)
    with pytest.raises(ValidationError, match="不能超过已售数"):
        services.stock_record(actor=bureau, stock=stock, used=4)
    with pytest.raises(ValidationError, match="请说明原因"):
        services.stock_record(actor=bureau, stock=stock, sold=-1)
    with pytest.raises(ValidationError, match="不能超过已售数"):  # correcting sales below the burials
        services.stock_record(actor=bureau, stock=stock, sold=-4, reason="录入错误")
    with pytest.raises(ValidationError, match="容量不能少于已售数"):
        services.stock_set_capacity(actor=bureau, section=section, plot_kind=PlotKind.TRADITIONAL, capacity=7)
    stock.refresh_from_db()
    assert (stock.capacity, stock.sold, stock.used) == (10, 8, 5)
    assert AuditEntry.objects.filter(action="cemetery.stock_record").count() == 1


@pytest.mark.parametrize("values", [{"sold": 11}, {"used": 9}, {"capacity": 7}])
def test_database_refuses_counts_out_of_order(users, section, values):
    stock = services.stock_set_capacity(actor=users["bureau"], section=section, plot_kind=PlotKind.TREE, capacity=10)
    services.stock_record(actor=users["bureau"], stock=stock, sold=8, used=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlotStock.objects.filter(pk=stock.pk).update(**values)


def test_eco_share_of_sold_and_capacity(users, sites, section):
    bureau = users["bureau"]
    for kind, capacity, sold in ((PlotKind.TRADITIONAL, 100, 60), (PlotKind.SMALL, 50, 10), (PlotKind.WALL, 40, 20),
                                 (PlotKind.TREE, 10, 10)):
        stock = services.stock_set_capacity(actor=bureau, section=section, plot_kind=kind, capacity=capacity)
        services.stock_record(actor=bureau, stock=stock, sold=sold)
    counts = counts_by_cemetery()[sites["commercial"].pk]
    assert (counts.capacity, counts.sold, counts.eco_sold) == (200, 100, 30)
    assert counts.eco_share_sold == Decimal("30.0")
    assert counts.eco_share_capacity == Decimal("25.0")
    assert counts.small_share_sold == Decimal("10.0")


def test_share_of_nothing_is_unknown(users, section):
    services.stock_set_capacity(actor=users["bureau"], section=section, plot_kind=PlotKind.WALL, capacity=0)
    counts = counts_by_cemetery()[section.cemetery_id]
    assert counts.eco_share_sold is None and counts.eco_share_capacity is None


def test_street_manages_only_its_own_street(users, sites, district):
    with pytest.raises(Http404):
        services.section_create(actor=users["street"], cemetery=sites["public"], name="一区")
    with pytest.raises(NotPermitted):
        services.section_create(actor=users["auditor"], cemetery=sites["commercial"], name="一区")
    with pytest.raises(Http404):
        services.cemetery_create(actor=users["street"], name="别的镇公墓", kind=CemeteryKind.PUBLIC_CEMETERY,
                                 street=district["sijing"], operator="泗泾镇", licence_number="X")
    site = services.cemetery_create(actor=users["street"], name="岳阳骨灰堂", kind=CemeteryKind.PUBLIC_COLUMBARIUM,
                                    street=district["yueyang"], operator="岳阳街道办事处", status="planned")
    assert site.get_status_display() == "规划中"
    with pytest.raises(ValidationError, match="批准文号"):
        services.cemetery_update(actor=users["street"], cemetery=site, status="open")


def test_kind_is_fixed_once_priced(users, sites):
    services.price_add(actor=users["bureau"], cemetery=sites["commercial"], plot_kind=PlotKind.TREE,
                       price_fen=100_000, effective_from=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="不能更改类型"):
        services.cemetery_update(actor=users["bureau"], cemetery=sites["commercial"],
                                 kind=CemeteryKind.PUBLIC_CEMETERY)
    updated = services.cemetery_update(actor=users["bureau"], cemetery=sites["commercial"], operator="新运营公司",
                                       address="松江区某路1号")
    assert updated.operator == "新运营公司"
    entry = AuditEntry.objects.filter(action="cemetery.update").last()
    assert entry.changes["operator"] == ["测试陵园有限公司", "新运营公司"]
