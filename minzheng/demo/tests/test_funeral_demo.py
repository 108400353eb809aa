"""The demo funeral home: catalogue (demo prices), six halls with slots, a
year of orders in proportion to the district with the online share of the
report, today's orders with halls; run twice, nothing is duplicated."""

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.bookings.models import Slot
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.funeral import HOME, funeral_seed, orders_per_year
from minzheng.funeral.models import Channel, FuneralHall, FuneralOrder, OrderStatus, ServiceItem
from minzheng.funeral.statistics import funeral_statistics

pytestmark = pytest.mark.django_db


def test_orders_scale_with_the_district():
    assert orders_per_year(1_900_000) == 6530
    assert orders_per_year(20_000) == 69
    assert orders_per_year(100) == 4


def test_the_demo_home_has_halls_orders_and_runs_twice(users):
    clerk = user_create(actor="test", username="funeral", password="pass-12345", role=Role.FUNERAL_HOME,
                        scope_code="310117")
    text = funeral_seed(clerk=clerk, bureau=users["bureau"], persons=60_000, seed=7)
    assert "演示价格" in text
    assert FuneralHall.objects.count() == 6
    assert sorted(FuneralHall.objects.values_list("size", flat=True)) == ["large"] + ["medium"] * 2 + ["small"] * 3
    today = timezone.localdate()
    # 8 one-hour slots a day, every day (funeral halls open every day), for 4 weeks
    assert Slot.objects.filter(day=today + dt.timedelta(days=5)).count() == 6 * 8
    orders = FuneralOrder.objects.all()
    assert orders.count() == orders_per_year(60_000) + 3
    assert orders.filter(ordered_on=today).exclude(hall_booking=None).count() >= 3
    assert orders.filter(status=OrderStatus.SETTLED).count() > orders.count() // 2
    online = orders.filter(channel=Channel.ONLINE).count()
    assert online / orders.count() > 0.85
    assert ServiceItem.objects.filter(prices__effective_from__gt=dt.date(2024, 1, 1)).exists()  # a price change
    stats = funeral_statistics(clerk, today.year)
    assert stats.total.orders == orders.filter(ordered_on__year=today.year).count()
    count = FuneralOrder.objects.count()
    assert "未重复生成" in funeral_seed(clerk=clerk, bureau=users["bureau"], persons=60_000, seed=7)
    assert FuneralOrder.objects.count() == count
    assert FuneralOrder.objects.filter(home__name=HOME).count() == count
