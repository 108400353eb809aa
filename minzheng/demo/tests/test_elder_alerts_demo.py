"""The demo's 一键通 and home-safety data (minzheng.demo.elder_alerts): most
elders get a terminal, the living-alone get sensors, the scan finds quiet
meters, alarms and silent devices; loaded once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minzheng.demo.elder_alerts import elder_alerts_seed
from minzheng.elder_alerts import services
from minzheng.elder_alerts.models import AlertTask, CallDevice, RuleCode, SensorDevice
from minzheng.registry.services import household_create


def test_demo_elder_alerts_once_with_tasks(users, make_person):
    services.rules_seed_missing()
    for i in range(12):
        elder = make_person(name=f"演示老人{i}", birth=dt.date(1940 + i, 1, 1))
        household_create(actor=users["bureau"], head=elder, address=f"演示路{i}号")
    make_person(name="青年", birth=dt.date(1995, 1, 1))
    message = elder_alerts_seed(bureau=users["bureau"], today=timezone.localdate(), seed=7)
    assert "独居老人 12 人" in message
    assert 8 <= CallDevice.objects.count() <= 12
    assert SensorDevice.objects.count() == 24
    kinds = set(AlertTask.objects.values_list("alert__rule__code", flat=True))
    assert kinds == {RuleCode.GAS_ALARM, RuleCode.WATER_QUIET, RuleCode.DEVICE_OFFLINE}
    assert elder_alerts_seed(bureau=users["bureau"], today=timezone.localdate()) == "一键通和居家安全监测演示数据已存在，跳过"
