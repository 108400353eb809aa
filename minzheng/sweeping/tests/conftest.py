"""Sweeping fixtures: the cemeteries' staff account, a cemetery in 岳阳街道 with
one sweeping area of 10 people per slot, a 清明-like peak with a 50 % cap
(2022's figure) that opened yesterday, one future day with two slots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.cemeteries.models import Cemetery, CemeteryKind
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.sweeping import services
from minzheng.sweeping.models import PeakKind, SweepingSlot


@pytest.fixture
def cemetery_user(users):
    return user_create(actor="test", username="cemetery", password="pass-12345", role=Role.CEMETERY,
                       scope_code="310117", full_name="钱伟", post="公墓 工作人员")


@pytest.fixture
def cemetery(district):
    return Cemetery.objects.create(name="测试福寿园", kind=CemeteryKind.COMMERCIAL_CEMETERY,
                                   street=district["yueyang"], operator="测试陵园有限公司")


@pytest.fixture
def other_cemetery(district):
    return Cemetery.objects.create(name="测试泗泾公墓", kind=CemeteryKind.PUBLIC_CEMETERY,
                                   street=district["sijing"], operator="泗泾镇人民政府")


@pytest.fixture
def area(users, cemetery):
    return services.area_create(actor=users["bureau"], cemetery=cemetery, name="一区", physical_capacity=10)


@pytest.fixture
def peak_day():
    return timezone.localdate() + dt.timedelta(days=5)


@pytest.fixture
def period(users, area, peak_day):
    period = services.period_create(actor=users["bureau"], kind=PeakKind.QINGMING, title="测试清明", cemetery=None,
                                    booking_opens_at=timezone.now() - dt.timedelta(days=1), cap_percent=50)
    services.day_set(actor=users["bureau"], period=period, date=peak_day, times="07:00-08:30\n08:30-10:00")
    services.period_generate_slots(actor=users["bureau"], period=period)
    return period


@pytest.fixture
def sweeping_slots(period):
    return list(SweepingSlot.objects.filter(period=period).select_related("slot").order_by("slot__start"))


@pytest.fixture
def person():
    def _make(i: int = 0):
        return f"祭扫人{i}", make_id_number(dt.date(1960, 1, 1) + dt.timedelta(days=i * 3))
    return _make
