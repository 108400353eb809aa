"""Every write of 一键通 and the home-safety alerts (ADR 0033): one transaction,
the permission (``elder_alerts.*``), the elder's committee in the actor's
jurisdiction, an audit entry each. Business refusals are ``ValidationError``
with a Chinese message. A plain-name actor is the operator (command line,
scheduled scan, demo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.file_import import ImportFileError
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.elder_alerts import feed_files, scan
from minzheng.elder_alerts.models import (
    VISIT_OUTCOMES,
    Alert,
    AlertRule,
    AlertTask,
    Call,
    CallDevice,
    CallThreshold,
    DeviceStatus,
    FeedImport,
    FeedKind,
    Outcome,
    RuleCode,
    SensorDevice,
    SensorKind,
    SensorReading,
    TaskKind,
    TaskStatus,
)
from minzheng.registry.models import Person

ACTOR = User | str
BATCH = 5_000


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _guard(actor: ACTOR, action: str, person: Person | None = None) -> None:
    require(actor, action, allow_job=True)
    if person is not None and not isinstance(actor, str):
        require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)


def _audit(actor: ACTOR, action: str, obj: Any, scope_code: str, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type=type(obj).__name__, object_id=obj.pk,
                 scope_code=scope_code, changes=changes)


def _elder_check(person: Person) -> None:
    if not person.alive or person.merged_into_id is not None:
        raise ValidationError("该人员已死亡或已合并，不能登记设备")


# --- devices -------------------------------------------------------------------------

@transaction.atomic
def call_device_create(*, actor: ACTOR, person: Person, number: str, installed_on: dt.date,
                       status: str = DeviceStatus.IN_USE, note: str = "") -> CallDevice:
    """Register a 一键通 terminal for an elder."""
    _guard(actor, "elder_alerts.devices", person)
    _elder_check(person)
    number = number.strip()
    if not number:
        raise ValidationError("请填写终端编号")
    if status not in DeviceStatus.values:
        raise ValidationError("状态应为在用、停用或故障")
    if installed_on > timezone.localdate():
        raise ValidationError("安装日期不能晚于今天")
    if CallDevice.objects.filter(number=number).exists():
        raise ValidationError(f"终端编号 {number} 已登记")
    device = CallDevice.objects.create(person=person, number=number, installed_on=installed_on, status=status,
                                       note=note.strip())
    _audit(actor, "elder_alerts.call_device_create", device, person.committee_id,
           {"number": number, "person": person.pk, "status": status})
    return device


@transaction.atomic
def call_device_set_status(*, actor: ACTOR, device: CallDevice, status: str) -> CallDevice:
    _guard(actor, "elder_alerts.devices", device.person)
    if status not in DeviceStatus.values:
        raise ValidationError("状态应为在用、停用或故障")
    old, device.status = device.status, status
    device.save(update_fields=["status"])
    _audit(actor, "elder_alerts.call_device_update", device, device.person.committee_id, {"status": [old, status]})
    return device


@transaction.atomic
def sensor_device_create(*, actor: ACTOR, person: Person, kind: str, number: str, installed_on: dt.date,
                         quiet_hours: int | None = None, status: str = DeviceStatus.IN_USE) -> SensorDevice:
    """Register a water meter or gas alarm; ``quiet_hours`` is this elder's N for
    the no-water rule (empty: the rule's default)."""
    _guard(actor, "elder_alerts.devices", person)
    _elder_check(person)
    number = number.strip()
    if kind not in SensorKind.values:
        raise ValidationError("设备类型应为智能水表或燃气报警器")
    if not number:
        raise ValidationError("请填写设备编号")
    if status not in DeviceStatus.values:
        raise ValidationError("状态应为在用、停用或故障")
    if quiet_hours is not None and (kind != SensorKind.WATER_METER or not 1 <= quiet_hours <= 72):
        raise ValidationError("无用水提醒时长只适用于智能水表，应为 1 至 72 小时")
    if installed_on > timezone.localdate():
        raise ValidationError("安装日期不能晚于今天")
    if SensorDevice.objects.filter(number=number).exists():
        raise ValidationError(f"设备编号 {number} 已登记")
    device = SensorDevice.objects.create(person=person, kind=kind, number=number, installed_on=installed_on,
                                         quiet_hours=quiet_hours, status=status)
    _audit(actor, "elder_alerts.sensor_device_create", device, person.committee_id,
           {"number": number, "person": person.pk, "device_kind": kind, "quiet_hours": quiet_hours})
    return device


@transaction.atomic
def sensor_device_update(*, actor: ACTOR, device: SensorDevice, status: str | None = None,
                         quiet_hours: int | None = None, clear_quiet_hours: bool = False) -> SensorDevice:
    _guard(actor, "elder_alerts.devices", device.person)
    changes: dict[str, Any] = {}
    if status is not None:
        if status not in DeviceStatus.values:
            raise ValidationError("状态应为在用、停用或故障")
        changes["status"] = [device.status, status]
        device.status = status
    if clear_quiet_hours or quiet_hours is not None:
        if quiet_hours is not None and (device.kind != SensorKind.WATER_METER or not 1 <= quiet_hours <= 72):
            raise ValidationError("无用水提醒时长只适用于智能水表，应为 1 至 72 小时")
        changes["quiet_hours"] = [device.quiet_hours, quiet_hours]
        device.quiet_hours = quiet_hours
    device.save()
    _audit(actor, "elder_alerts.sensor_device_update", device, device.person.committee_id, changes)
    return device


# --- feeds ---------------------------------------------------------------------------

def _feed(kind: str, data: bytes, filename: str, actor: ACTOR) -> FeedImport:
    return FeedImport(kind=kind, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
                      actor=_name(actor))


@transaction.atomic
def calls_import(*, actor: ACTOR, data: bytes, filename: str) -> FeedImport:
    """The call centre's feed (CSV/JSONL, :mod:`feed_files`): a new (device, time)
    is a new call; a known one only gets its missing dispatch/arrival/resolution
    filled in (a later export of the same call); bad rows quarantined."""
    require(actor, "elder_alerts.import", allow_job=True)
    run = _feed(FeedKind.CALLS, data, filename, actor)
    devices = dict(CallDevice.objects.values_list("number", "id"))
    problems = []
    seen: set[tuple[int, dt.datetime]] = set()
    for row in feed_files.rows_of(data, filename):
        run.total_rows += 1
        try:
            if "_error" in row.values:
                raise feed_files.RowError("整行", row.values["_error"])
            values = feed_files.call_values(row.values)
            device_id = devices.get(values["device"])
            if device_id is None:
                raise feed_files.RowError("终端编号", f"未登记的终端 {values['device'][:32]}")
            if (device_id, values["called_at"]) in seen:
                raise feed_files.RowError("时间", "与本文件中前面的一行重复（同一终端同一时间）")
        except feed_files.RowError as err:
            problems.append(feed_files.problem(row, err).as_text())
            continue
        seen.add((device_id, values["called_at"]))
        existing = Call.objects.filter(device_id=device_id, called_at=values["called_at"]).first()
        if existing is None:
            Call.objects.create(device_id=device_id, called_at=values["called_at"], kind=values["kind"],
                                responder=values["responder"], dispatched_at=values["dispatched_at"],
                                arrived_at=values["arrived_at"], resolved_at=values["resolved_at"],
                                note=values["note"])
            run.imported_rows += 1
            continue
        filled = [f for f in ("responder", "dispatched_at", "arrived_at", "resolved_at")
                  if values[f] and not getattr(existing, f)]
        for f in filled:
            setattr(existing, f, values[f])
        if filled:
            existing.save(update_fields=filled)
            run.updated_rows += 1
        else:
            run.unchanged_rows += 1
    run.rejected_rows, run.problems = len(problems), problems[:1000]
    run.save()
    audit_record(actor=actor, action="elder_alerts.calls_import", object_type="FeedImport", object_id=run.pk,
                 changes={"filename": run.filename, "imported": run.imported_rows, "updated": run.updated_rows,
                          "unchanged": run.unchanged_rows, "rejected": run.rejected_rows})
    return run


@transaction.atomic
def readings_import(*, actor: ACTOR, data: bytes, filename: str) -> FeedImport:
    """The sensors' feed: readings and alarm events, idempotent by device + time
    (a row already present changes nothing); bad rows quarantined."""
    require(actor, "elder_alerts.import", allow_job=True)
    run = _feed(FeedKind.SENSORS, data, filename, actor)
    devices = {n: (pk, kind) for n, pk, kind in SensorDevice.objects.values_list("number", "id", "kind")}
    problems: list[str] = []
    batch: dict[tuple[int, dt.datetime], SensorReading] = {}

    def flush() -> None:
        if not batch:
            return
        ids = {k[0] for k in batch}
        times = [k[1] for k in batch]
        known = set(SensorReading.objects.filter(device_id__in=ids, at__gte=min(times), at__lte=max(times))
                    .values_list("device_id", "at"))
        new = [r for k, r in batch.items() if k not in known]
        SensorReading.objects.bulk_create(new, batch_size=BATCH)
        run.imported_rows += len(new)
        run.unchanged_rows += len(batch) - len(new)
        batch.clear()

    for row in feed_files.rows_of(data, filename):
        run.total_rows += 1
        try:
            if "_error" in row.values:
                raise feed_files.RowError("整行", row.values["_error"])
            values = feed_files.sensor_values(row.values)
            device = devices.get(values["device"])
            if device is None:
                raise feed_files.RowError("设备编号", f"未登记的设备 {values['device'][:32]}")
            if device[1] == SensorKind.GAS_ALARM and values["litres"] is not None:
                raise feed_files.RowError("用水量", "燃气报警器没有用水量")
            if device[1] == SensorKind.WATER_METER and values["alarm"]:
                raise feed_files.RowError("报警", "智能水表没有燃气报警")
        except feed_files.RowError as err:
            problems.append(feed_files.problem(row, err).as_text())
            continue
        key = (device[0], values["at"])
        if key in batch:
            run.unchanged_rows += 1
            continue
        batch[key] = SensorReading(device_id=device[0], at=values["at"], litres=values["litres"],
                                   alarm=values["alarm"])
        if len(batch) >= BATCH:
            flush()
    flush()
    run.rejected_rows, run.problems = len(problems), problems[:1000]
    run.save()
    audit_record(actor=actor, action="elder_alerts.readings_import", object_type="FeedImport", object_id=run.pk,
                 changes={"filename": run.filename, "imported": run.imported_rows, "unchanged": run.unchanged_rows,
                          "rejected": run.rejected_rows})
    return run


def feed_read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as err:
        raise ImportFileError(f"无法读取文件：{err.strerror}") from None


@transaction.atomic
def call_response_record(*, actor: ACTOR, call: Call, responder: str, dispatched_at: dt.datetime | None,
                         arrived_at: dt.datetime | None, resolved_at: dt.datetime | None) -> Call:
    """Record (or correct) a call's dispatch, arrival and resolution at the desk."""
    _guard(actor, "elder_alerts.respond", call.device.person)
    if responder and responder not in {"family", "committee", "ambulance"}:
        raise ValidationError("派单对象应为家属、居委或120")
    for label, value in (("派单时间", dispatched_at), ("到达时间", arrived_at), ("处置完成时间", resolved_at)):
        if value is not None and value < call.called_at:
            raise ValidationError(f"{label}不能早于呼叫时间")
        if value is not None and value > timezone.now():
            raise ValidationError(f"{label}不能晚于现在")
    changes = {f: [str(getattr(call, f) or ""), str(v or "")] for f, v in (
        ("responder", responder), ("dispatched_at", dispatched_at), ("arrived_at", arrived_at),
        ("resolved_at", resolved_at)) if getattr(call, f) != v}
    call.responder, call.dispatched_at, call.arrived_at, call.resolved_at = (responder, dispatched_at, arrived_at,
                                                                             resolved_at)
    call.save()
    _audit(actor, "elder_alerts.call_response", call, call.device.person.committee_id, changes)
    return call


# --- the scan ------------------------------------------------------------------------

FINDERS = {
    RuleCode.GAS_ALARM: lambda until, rule: scan.gas_windows(until),
    RuleCode.WATER_QUIET: scan.water_windows,
    RuleCode.DEVICE_OFFLINE: scan.offline_windows,
}


@transaction.atomic
def alerts_scan(*, actor: ACTOR, until: dt.datetime) -> dict[str, Any]:
    """Create every alert (and its task) the enabled rules say is due up to
    ``until``; a window already alerted is skipped (the database's unique key
    rule + device + window_start), so running it again creates nothing.
    Returns the counts (Chinese keys, for the command's JSON)."""
    require(actor, "elder_alerts.scan", allow_job=True)
    if until > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError("扫描截止时间不能晚于当前时间（之后的数据尚未到达）")
    scan.begin()
    created: dict[str, int] = {label: 0 for label in RuleCode.labels}
    already = 0
    tasks = 0
    for rule in AlertRule.objects.filter(enabled=True).order_by("code"):
        windows = list(FINDERS[RuleCode(rule.code)](until, rule))
        if not windows:
            continue
        device_ids = {w.device_id for w in windows}
        known = set(Alert.objects.filter(rule=rule, device_id__in=device_ids).values_list("device_id", "window_start"))
        fresh = [w for w in windows if (w.device_id, w.window_start) not in known]
        already += len(windows) - len(fresh)
        if not fresh:
            continue
        people = {pk: (person, street, committee) for pk, person, street, committee in SensorDevice.objects.filter(
            id__in={w.device_id for w in fresh}).values_list("id", "person_id", "person__street_id",
                                                              "person__committee_id")}
        alerts = Alert.objects.bulk_create([
            Alert(rule=rule, device_id=w.device_id, person_id=people[w.device_id][0], window_start=w.window_start,
                  triggered_at=w.triggered_at, detail=w.detail[:200]) for w in fresh], batch_size=BATCH)
        response = dt.timedelta(minutes=rule.response_minutes)
        AlertTask.objects.bulk_create([
            AlertTask(alert=a, kind=rule.task_kind, street_id=people[a.device_id][1],
                      committee_id=people[a.device_id][2], due_at=a.triggered_at + response) for a in alerts],
            batch_size=BATCH)
        created[RuleCode(rule.code).label] += len(alerts)
        tasks += len(alerts)
    counts = {"截止时间": f"{timezone.localtime(until):%Y-%m-%d %H:%M}", "新增提醒": created, "新增任务": tasks,
              "已有提醒（未重复创建）": already}
    scan.begin()
    audit_record(actor=actor, action="elder_alerts.scan", object_type="AlertRule",
                 changes={"until": counts["截止时间"], "created": sum(created.values()), "already": already})
    return counts


# --- tasks ---------------------------------------------------------------------------

@transaction.atomic
def task_close(*, actor: ACTOR, task: AlertTask, outcome: str, cause: str = "", note: str = "",
               visited_at: dt.datetime | None = None) -> AlertTask:
    """Close a task with its outcome (平安 / 需要帮助 / 送医 / 误报 + cause for a
    visit; 设备已修复 / 误报 for maintenance)."""
    require(actor, "elder_alerts.task", allow_job=True)
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=task.street_id, committee_code=task.committee_id)
    task = AlertTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError("该任务已办结")
    allowed = VISIT_OUTCOMES if task.kind == TaskKind.VISIT else (Outcome.REPAIRED, Outcome.FALSE_ALARM)
    if outcome not in allowed:
        raise ValidationError("处置结果应为" + "、".join(Outcome(o).label for o in allowed))
    cause, note = cause.strip(), note.strip()
    if outcome == Outcome.FALSE_ALARM and not cause:
        raise ValidationError("误报应写明原因")
    now = timezone.now()
    if visited_at is not None and (visited_at > now or visited_at < task.alert.triggered_at):
        raise ValidationError("到场时间应在提醒触发之后、现在之前")
    task.status, task.outcome, task.cause, task.note = TaskStatus.CLOSED, outcome, cause[:200], note[:500]
    task.visited_at, task.closed_at, task.closed_by = visited_at, now, _name(actor)
    task.save()
    _audit(actor, "elder_alerts.task_close", task, task.committee_id,
           {"outcome": outcome, "cause": cause, "late": now > task.due_at})
    return task


# --- rules as data -------------------------------------------------------------------

@transaction.atomic
def rule_update(*, actor: ACTOR, rule: AlertRule, label: str, enabled: bool, hours: int | None,
                day_start: dt.time | None, day_end: dt.time | None, response_minutes: int) -> AlertRule:
    """The bureau edits a rule: its label, on/off, hours, daytime and deadline."""
    require(actor, "elder_alerts.rules", allow_job=True)
    label = label.strip()
    if not label:
        raise ValidationError("请填写规则名称")
    if response_minutes is None or not 1 <= response_minutes <= 10080:
        raise ValidationError("处置时限应为 1 至 10080 分钟（一周）")
    if rule.code != RuleCode.GAS_ALARM and (hours is None or not 1 <= hours <= 168):
        raise ValidationError("时长应为 1 至 168 小时")
    if rule.code == RuleCode.WATER_QUIET:
        if day_start is None or day_end is None or not day_start < day_end:
            raise ValidationError("白天开始时间应早于结束时间（白天不跨午夜）")
    values = {"label": label, "enabled": enabled, "hours": hours if rule.code != RuleCode.GAS_ALARM else None,
              "day_start": day_start if rule.code == RuleCode.WATER_QUIET else None,
              "day_end": day_end if rule.code == RuleCode.WATER_QUIET else None,
              "response_minutes": response_minutes}
    changes = {k: [str(getattr(rule, k)), str(v)] for k, v in values.items() if getattr(rule, k) != v}
    for k, v in values.items():
        setattr(rule, k, v)
    rule.save()
    _audit(actor, "elder_alerts.rule_update", rule, "", changes)
    return rule


@transaction.atomic
def threshold_update(*, actor: ACTOR, threshold: CallThreshold, minutes: int | None) -> CallThreshold:
    require(actor, "elder_alerts.rules", allow_job=True)
    if minutes is not None and not 1 <= minutes <= 24 * 60:
        raise ValidationError("应到达时限应为 1 至 1440 分钟，或留空（无需到场）")
    old, threshold.arrive_within_minutes = threshold.arrive_within_minutes, minutes
    threshold.save()
    _audit(actor, "elder_alerts.threshold_update", threshold, "", {"minutes": [old, minutes]})
    return threshold


def rules_seed_missing() -> int:
    """Re-create the seeded rules and thresholds if a test flushed them (the
    data migration's rows); returns how many were missing."""
    import importlib

    from django.apps import apps

    before = AlertRule.objects.count() + CallThreshold.objects.count()
    importlib.import_module("minzheng.elder_alerts.migrations.0002_seed_rules").seed(apps, None)
    return AlertRule.objects.count() + CallThreshold.objects.count() - before
