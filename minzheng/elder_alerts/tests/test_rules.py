"""The alert rules at their edges (ADR 0033): exactly N daytime hours alerts,
a quarter of an hour less does not; night hours do not count; a device silent
for exactly 24 h is offline, 23 h 45 min is not; a gas alarm alerts at once;
the deadlines; the scan is idempotent (and the database refuses a duplicate)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minzheng.elder_alerts import services
from minzheng.elder_alerts.daytime import Daytime
from minzheng.elder_alerts.models import (
    Alert,
    AlertRule,
    AlertTask,
    RuleCode,
    SensorReading,
    TaskKind,
)
from minzheng.elder_alerts.tests.conftest import at

pytestmark = pytest.mark.django_db

WATER, OFFLINE, GAS = RuleCode.WATER_QUIET.label, RuleCode.DEVICE_OFFLINE.label, RuleCode.GAS_ALARM.label


def readings(device, start, end, *, every=dt.timedelta(minutes=15), uses=()):
    """Readings every 15 minutes from ``start`` to ``end`` inclusive; litres > 0 at ``uses``."""
    rows, t = [], start
    while t <= end:
        rows.append(SensorReading(device=device, at=t, litres=5 if t in uses else 0))
        t += every
    SensorReading.objects.bulk_create(rows)


def scan(until):
    return services.alerts_scan(actor="test", until=until)


def water_alerts():
    return Alert.objects.filter(rule__code=RuleCode.WATER_QUIET)


def test_daytime_counter_skips_the_night():
    day = Daytime.of(dt.time(6), dt.time(22))
    assert day.between(at(10, 18), at(11, 10)) == 8 * 3600  # 18–22 and 06–10
    assert day.between(at(10, 23), at(11, 5, 59)) == 0
    assert day.moment(day.counter(at(10, 18)) + 4 * 3600) == at(10, 22)  # reached at 22:00, not 06:00 next day
    assert day.moment(day.counter(at(10, 18)) + 5 * 3600) == at(11, 7)


def test_exactly_n_daytime_hours_alerts_between_two_uses(meter):
    readings(meter, at(10, 8), at(10, 21), uses={at(10, 8), at(10, 20)})  # 08:00 → 20:00: exactly 12 h
    out = scan(at(10, 21))
    assert out["新增提醒"][WATER] == 1
    alert = water_alerts().get()
    assert alert.window_start == at(10, 8) and alert.triggered_at == at(10, 20)
    assert alert.task.kind == TaskKind.VISIT and alert.task.committee_id == "310117001001"


def test_a_quarter_of_an_hour_less_does_not_alert(meter):
    readings(meter, at(10, 8), at(10, 21), uses={at(10, 8), at(10, 19, 45)})
    assert scan(at(10, 21))["新增提醒"][WATER] == 0


def test_the_open_spell_counts_to_the_last_reading(meter):
    readings(meter, at(10, 8), at(10, 19, 45), uses={at(10, 8)})
    assert scan(at(10, 19, 45))["新增提醒"][WATER] == 0  # 11 h 45 min
    readings(meter, at(10, 20), at(10, 20))
    assert scan(at(10, 20))["新增提醒"][WATER] == 1  # now exactly 12 h
    assert water_alerts().get().triggered_at == at(10, 20)


def test_missing_readings_are_not_quiet_hours(meter):
    """After the last reading nothing is known: the scan time alone never makes a spell longer."""
    readings(meter, at(10, 8), at(10, 12), uses={at(10, 8)})
    assert scan(at(10, 22))["新增提醒"][WATER] == 0


def test_night_hours_do_not_count(meter):
    readings(meter, at(10, 18), at(11, 13, 45), uses={at(10, 18)})
    assert scan(at(11, 13, 45))["新增提醒"][WATER] == 0  # 4 h (18–22) + 7 h 45 (06–13:45)
    readings(meter, at(11, 14), at(11, 15))
    assert scan(at(11, 15))["新增提醒"][WATER] == 1
    alert = water_alerts().get()
    assert alert.window_start == at(10, 18) and alert.triggered_at == at(11, 14)  # the 12th daytime hour


def test_the_elders_own_hours_and_the_rules_daytime_are_data(meter, users):
    services.sensor_device_update(actor=users["committee"], device=meter, quiet_hours=6)
    readings(meter, at(10, 8), at(10, 14), uses={at(10, 8)})
    assert scan(at(10, 14))["新增提醒"][WATER] == 1
    rule = AlertRule.objects.get(code=RuleCode.WATER_QUIET)
    with pytest.raises(ValidationError):
        services.rule_update(actor=users["bureau"], rule=rule, label=rule.label, enabled=True, hours=12,
                             day_start=dt.time(22), day_end=dt.time(6), response_minutes=240)


def test_offline_exactly_a_day_opens_a_maintenance_task(gas):
    SensorReading.objects.create(device=gas, at=at(10, 9))
    assert scan(at(11, 8, 45))["新增提醒"][OFFLINE] == 0  # 23 h 45 min
    out = scan(at(11, 9))  # exactly 24 h
    assert out["新增提醒"][OFFLINE] == 1
    task = AlertTask.objects.get(alert__rule__code=RuleCode.DEVICE_OFFLINE)
    assert task.kind == TaskKind.MAINTENANCE
    assert task.alert.triggered_at == at(11, 9) and task.due_at == at(14, 9)  # 3 days, the rule's data


def test_offline_between_two_readings(gas):
    SensorReading.objects.create(device=gas, at=at(10, 9))
    SensorReading.objects.create(device=gas, at=at(11, 8, 45))
    SensorReading.objects.create(device=gas, at=at(12, 8, 45))  # exactly 24 h after the previous one
    SensorReading.objects.create(device=gas, at=at(12, 9))
    assert scan(at(12, 9))["新增提醒"][OFFLINE] == 1
    assert Alert.objects.get().window_start == at(11, 8, 45)


def test_gas_alarm_alerts_at_once_with_a_deadline_in_minutes(gas):
    SensorReading.objects.create(device=gas, at=at(10, 9))
    SensorReading.objects.create(device=gas, at=at(10, 9, 10), alarm=True)
    out = scan(at(10, 9, 15))
    assert out["新增提醒"][GAS] == 1 and out["新增任务"] == 1
    task = AlertTask.objects.get()
    assert task.alert.triggered_at == at(10, 9, 10) and task.due_at == at(10, 9, 40)


def test_the_scan_is_idempotent_and_the_database_refuses_a_duplicate(gas, meter):
    SensorReading.objects.create(device=gas, at=at(10, 9, 10), alarm=True)
    readings(meter, at(10, 6), at(10, 20), uses={at(10, 6)})
    first = scan(at(12, 0))
    assert first["新增任务"] == sum(first["新增提醒"].values()) >= 3  # gas, water, both offline
    again = scan(at(12, 0))
    assert again["新增任务"] == 0 and sum(again["新增提醒"].values()) == 0
    assert again["已有提醒（未重复创建）"] == first["新增任务"]
    existing = Alert.objects.filter(rule__code=RuleCode.GAS_ALARM).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(rule=existing.rule, device=existing.device, person=existing.person,
                             window_start=existing.window_start, triggered_at=existing.triggered_at, detail="重复")


def test_a_disabled_rule_finds_nothing_and_the_scan_refuses_the_future(gas, users):
    SensorReading.objects.create(device=gas, at=at(10, 9, 10), alarm=True)
    rule = AlertRule.objects.get(code=RuleCode.GAS_ALARM)
    services.rule_update(actor=users["bureau"], rule=rule, label="燃气报警", enabled=False, hours=None,
                         day_start=None, day_end=None, response_minutes=30)
    assert scan(at(10, 10))["新增提醒"][GAS] == 0
    with pytest.raises(ValidationError):
        scan(at(1, 0, month=12) + dt.timedelta(days=400))


def test_closing_a_task_needs_an_outcome_and_a_false_alarm_its_cause(gas, users):
    SensorReading.objects.create(device=gas, at=at(10, 9, 10), alarm=True)
    scan(at(10, 9, 20))
    task = AlertTask.objects.get()
    with pytest.raises(ValidationError):
        services.task_close(actor=users["committee"], task=task, outcome="false_alarm")
    with pytest.raises(ValidationError):
        services.task_close(actor=users["committee"], task=task, outcome="repaired")
    closed = services.task_close(actor=users["committee"], task=task, outcome="false_alarm", cause="烧水溢出",
                                 visited_at=at(10, 9, 30))
    assert closed.get_outcome_display() == "误报" and not closed.is_overdue(at(10, 10))
    with pytest.raises(ValidationError):
        services.task_close(actor=users["committee"], task=task, outcome="safe")
