"""The demo district's 一键通 terminals, calls and home-safety sensors (ADR 0033).

**Everything here is demo data (演示数据), not published figures**: terminal and
device numbers, installation dates, calls, response times, readings and alarms
are synthetic. What it shows: 一键通 terminals for most elders 60+ (about nine
in ten: the seed's "all elders covered" is the target, the gap shows on the
coverage page), a month of calls of the four kinds with dispatch and arrival
times (a few late, one never arrived); for elders living alone (独居: a
household of one) a gas alarm each and smart water meters for up to 100 of
them (the seed's 2024 figure), with the last three days of hourly readings — a
few meters quiet all day, two alarms, two silent devices — and then the scan up
to now, so the committees find visit and maintenance tasks; two are closed.

Bulk writes (thousands of rows) with one audit entry for the whole load; the
scan and the closings go through the services. Safe to run again: it does
nothing once a demo terminal exists. Well under a second per thousand elders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bulk_copy import copy_rows
from minzheng.core.models import User
from minzheng.elder_alerts import selectors, services
from minzheng.elder_alerts.models import (
    AlertTask,
    Call,
    CallDevice,
    CallKind,
    DeviceStatus,
    SensorDevice,
    SensorKind,
    SensorReading,
    TaskStatus,
)
from minzheng.jobs.services import job_run_now, upload_store
from minzheng.registry.models import Person
from minzheng.registry.selectors import years_before

ACTOR = "demo-setup"
DEMO = "演示数据"
COVERED_SHARE = 0.9
WATER_METERS = 100  # the seed: 100 smart water meters in 2024
DAYS_OF_CALLS = 30
KINDS = ((CallKind.CHAT, 0.4), (CallKind.CONSULT, 0.3), (CallKind.MEDICAL, 0.15), (CallKind.EMERGENCY, 0.15))
WATER_HOURS = (7, 8, 12, 18, 20)


def elder_alerts_seed(*, bureau: User, today: dt.date, seed: int = 2024) -> str:
    if CallDevice.objects.filter(number__startswith="YJT-D").exists():
        return "一键通和居家安全监测演示数据已存在，跳过"
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    elders = list(Person.objects.filter(alive=True, merged_into__isnull=True,
                                        birth_date__lte=years_before(today, 60)).order_by("id")
                  .values_list("id", flat=True))
    with transaction.atomic():
        devices = _terminals(rng, elders, today)
        calls = _calls(rng, devices, now)
        alone = sorted(selectors.living_alone(elders))
        sensors, readings, alarm_events = _sensors(rng, alone, today, now)
        audit_record(actor=ACTOR, action="demo_data.elder_alerts", object_type="DemoData",
                     changes={"call_devices": len(devices), "calls": calls, "sensors": sensors,
                              "readings": readings})
    fed = _feeds(rng, bureau, devices, alarm_events, now)
    _, outcome = job_run_now(actor=ACTOR, kind="elder_alerts_scan",
                             params={"until": f"{timezone.localtime(now):%Y-%m-%d %H:%M}"})
    counts = outcome.value
    closed = 0
    for task in AlertTask.objects.filter(status=TaskStatus.OPEN, kind="visit").order_by("due_at")[:2]:
        services.task_close(actor=bureau, task=task, outcome="safe" if closed == 0 else "false_alarm",
                            cause="" if closed == 0 else "演示：烹饪油烟触发报警", note=f"{DEMO}：社工上门查看",
                            visited_at=min(now, task.alert.triggered_at + dt.timedelta(minutes=20)))
        closed += 1
    return (f"一键通和居家安全监测（演示数据）：一键通终端 {len(devices)} 台（60岁以上老人 {len(elders)} 人），"
            f"呼叫 {calls + fed} 次（其中 {fed} 次经呼叫记录文件导入）；独居老人 {len(alone)} 人，监测设备 {sensors} 台、数据 {readings} 条；"
            f"扫描新增提醒 {counts['新增任务']} 条，办结 {closed} 条")


def _terminals(rng: random.Random, elders: list[int], today: dt.date) -> list[CallDevice]:
    rows = []
    for n, person_id in enumerate(elders, start=1):
        if rng.random() > COVERED_SHARE:
            continue
        status = DeviceStatus.IN_USE if rng.random() > 0.03 else rng.choice([DeviceStatus.STOPPED,
                                                                             DeviceStatus.FAULTY])
        rows.append(CallDevice(person_id=person_id, number=f"YJT-D{n:06d}", status=status, note=DEMO,
                               installed_on=today - dt.timedelta(days=rng.randint(60, 1500))))
    return CallDevice.objects.bulk_create(rows, batch_size=5000)


def _calls(rng: random.Random, devices: list[CallDevice], now: dt.datetime) -> int:
    if not devices:
        return 0
    rows: dict[tuple[int, dt.datetime], Call] = {}
    for _ in range(min(400, 3 * len(devices))):
        device = rng.choice(devices)
        called = now - dt.timedelta(minutes=rng.randint(60, DAYS_OF_CALLS * 24 * 60))
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        call = Call(device=device, called_at=called, kind=kind, note=DEMO)
        if kind in (CallKind.EMERGENCY, CallKind.MEDICAL):
            call.responder = "ambulance" if kind == CallKind.MEDICAL and rng.random() < 0.5 else rng.choice(
                ["family", "committee"])
            call.dispatched_at = called + dt.timedelta(minutes=rng.randint(1, 4))
            if rng.random() > 0.02:
                call.arrived_at = call.dispatched_at + dt.timedelta(minutes=max(3, rng.lognormvariate(2.7, 0.45)))
                call.resolved_at = call.arrived_at + dt.timedelta(minutes=rng.randint(10, 90))
        else:
            call.resolved_at = called + dt.timedelta(minutes=rng.randint(2, 15))
        rows[(device.pk, called)] = call
    Call.objects.bulk_create(rows.values(), batch_size=5000)
    return len(rows)


def _sensors(rng: random.Random, alone: list[int], today: dt.date,
             now: dt.datetime) -> tuple[int, int, list[tuple[str, dt.datetime]]]:
    installed = today - dt.timedelta(days=90)
    gas = SensorDevice.objects.bulk_create([
        SensorDevice(person_id=p, kind=SensorKind.GAS_ALARM, number=f"GA-D{n:05d}", installed_on=installed)
        for n, p in enumerate(alone, start=1)])
    meters = SensorDevice.objects.bulk_create([
        SensorDevice(person_id=p, kind=SensorKind.WATER_METER, number=f"WM-D{n:05d}", installed_on=installed)
        for n, p in enumerate(alone[:WATER_METERS], start=1)])
    start = now.replace(minute=0) - dt.timedelta(days=3)
    hours = [start + dt.timedelta(hours=h) for h in range(3 * 24 + 1)]
    rows: list[tuple] = []
    events: list[tuple[str, dt.datetime]] = []
    silent = {d.pk for d in (gas[:1] + meters[-1:])}  # two devices stop reporting 30 hours ago
    quiet = {d.pk for d in meters[:3]}  # three elders use no water since two days ago
    alarms = {d.pk for d in gas[1:3]}
    for device in gas:
        for t in hours[::6]:
            if device.pk in silent and t > now - dt.timedelta(hours=30):
                break
            rows.append((device.pk, t, None, False))
        if device.pk in alarms:  # the alarm events come in through the sensors' feed (_feeds)
            events.append((device.number, now - dt.timedelta(minutes=rng.randint(10, 200), seconds=1)))
    for device in meters:
        for t in hours:
            if device.pk in silent and t > now - dt.timedelta(hours=30):
                break
            local = timezone.localtime(t)
            used = local.hour in WATER_HOURS and not (device.pk in quiet and t > now - dt.timedelta(days=2))
            rows.append((device.pk, t, rng.randint(5, 60) if used else 0, False))
    copy_rows(SensorReading._meta.db_table, ["device_id", "at", "litres", "alarm"], rows)  # plain rows: fast
    return len(gas) + len(meters), len(rows), events


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _at(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}"


def _feeds(rng: random.Random, bureau: User, devices: list[CallDevice], alarm_events: list[tuple[str, dt.datetime]],
           now: dt.datetime) -> int:
    """The last hour's calls and the gas alarms arrive as the call centre's and
    the sensors' files, imported through the page's background jobs (one row
    with an unregistered device, as real files have, is set aside with its reason)."""
    calls = []
    for device in rng.sample(devices, min(5, len(devices))):
        called = now - dt.timedelta(minutes=rng.randint(5, 55))
        calls.append([_at(called), device.number, CallKind.CONSULT.label, "", "", "", _at(called + dt.timedelta(minutes=6))])
    calls.append([_at(now - dt.timedelta(minutes=3)), "YJT-X000000", CallKind.CHAT.label, "", "", "", ""])
    content = _csv(["呼叫时间", "终端编号", "类型", "派单对象", "派单时间", "到达时间", "处置完成时间"], calls)
    upload = upload_store(actor=bureau, name=f"演示-呼叫中心-{now:%Y%m%d}.csv", content=content)
    job_run_now(actor=bureau, kind="elder_alerts_calls_import", params={"upload": upload.pk})
    alarms = [[_at(at), number, "是"] for number, at in alarm_events]
    upload = upload_store(actor=bureau, name=f"演示-燃气报警-{now:%Y%m%d}.csv",
                          content=_csv(["时间", "设备编号", "报警"], alarms))
    job_run_now(actor=bureau, kind="elder_alerts_readings_import", params={"upload": upload.pk})
    return len(calls) - 1
