"""Finding what the rules say is due (ADR 0033): read-only, no writes here.

Each finder returns candidate windows ``(device_id, window_start, triggered_at,
detail)`` up to ``until``; the service (:func:`services.alerts_scan`) keeps the
new ones (the unique key rule + device + window_start decides) and opens tasks.

* Gas alarm: every alarm reading is a window (``window_start`` = its time),
  triggered at once.
* No water use: the *use events* of an in-use water meter are its readings with
  litres > 0, plus its first reading (a meter that never records any use is
  still watched from its first reading). A spell runs from a use event to the
  next one, or for the last one to the meter's last reading up to ``until``
  (not to ``until`` itself: after the last reading nothing is known, and
  missing data is not "no use" — the offline rule covers silence). The spell's
  daytime seconds (:mod:`daytime`) ≥ N × 3600 → an alert, triggered the moment
  the N-th daytime hour was reached. Exactly N hours alerts.
* Device offline: an in-use device (either kind) whose next reading — or, after
  its last one, ``until`` — is ``hours`` or more after a reading (exactly 24 h
  is offline); a device with no reading at all counts from its installation day
  (00:00 local).

On PostgreSQL the gap detection runs in SQL with window functions (``LEAD``
over (device, time), the unique index's order); elsewhere (SQLite) the same
rules run in Python over the ordered readings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import groupby
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.utils import timezone

from minzheng.elder_alerts.daytime import Daytime
from minzheng.elder_alerts.models import (
    AlertRule,
    DeviceStatus,
    SensorDevice,
    SensorKind,
    SensorReading,
)


class Window(NamedTuple):
    device_id: int
    window_start: dt.datetime
    triggered_at: dt.datetime
    detail: str


READINGS = SensorReading._meta.db_table
DEVICES = SensorDevice._meta.db_table


def _local(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def _hours(seconds: float) -> str:
    h = seconds / 3600
    return f"{h:g}" if h == int(h) else f"{h:.1f}"


def gas_windows(until: dt.datetime) -> Iterator[Window]:
    rows = (SensorReading.objects.filter(alarm=True, at__lte=until, device__kind=SensorKind.GAS_ALARM)
            .order_by("at").values_list("device_id", "at"))
    for device_id, at in rows.iterator():
        yield Window(device_id, at, at, f"{_local(at)} 燃气报警器报警")


def _counter_sql(column: str, daytime: Daytime) -> str:
    """``D(column)`` (:mod:`daytime`) as a PostgreSQL expression, in seconds."""
    local = f"extract(epoch from ({column} AT TIME ZONE %(tz)s))::bigint"
    return (f"(floor({local} / 86400)::bigint * {daytime.length} + "
            f"least(greatest({local} - floor({local} / 86400)::bigint * 86400 - {daytime.start}, 0), "
            f"{daytime.length}))")


def water_windows(until: dt.datetime, rule: AlertRule) -> Iterator[Window]:
    if rule.hours is None or rule.day_start is None or rule.day_end is None:
        return
    daytime = Daytime.of(rule.day_start, rule.day_end)
    meters = dict(SensorDevice.objects.filter(kind=SensorKind.WATER_METER, status=DeviceStatus.IN_USE)
                  .values_list("id", "quiet_hours"))
    if not meters:
        return
    pairs = _water_sql(until, rule, daytime) if connection.vendor == "postgresql" else _water_python(
        until, rule, daytime, meters)
    for device_id, start, end in pairs:
        n = meters.get(device_id) or rule.hours
        at = daytime.moment(daytime.counter(start) + n * 3600)
        yield Window(device_id, start, at, f"自 {_local(start)} 起白天累计 {n} 小时无用水（至 {_local(end)}）")


def _water_sql(until: dt.datetime, rule: AlertRule, daytime: Daytime) -> list[tuple[int, dt.datetime, dt.datetime]]:
    sql = f"""
    WITH meters AS (
        SELECT id, coalesce(quiet_hours, %(n)s) AS n FROM {DEVICES}
        WHERE kind = 'water_meter' AND status = 'in_use'
    ), bounds AS (
        SELECT r.device_id, min(r.at) AS first_at, max(r.at) AS last_at
        FROM {READINGS} r JOIN meters m ON m.id = r.device_id
        WHERE r.at <= %(until)s GROUP BY r.device_id
    ), uses AS (
        SELECT r.device_id, r.at FROM {READINGS} r JOIN meters m ON m.id = r.device_id
        WHERE r.at <= %(until)s AND r.litres > 0
        UNION ALL
        SELECT device_id, first_at FROM bounds
    ), spells AS (
        SELECT device_id, at, lead(at) OVER (PARTITION BY device_id ORDER BY at) AS next_at FROM uses
    ), ends AS (
        SELECT s.device_id, s.at, coalesce(s.next_at, b.last_at) AS end_at, m.n
        FROM spells s JOIN bounds b ON b.device_id = s.device_id JOIN meters m ON m.id = s.device_id
    )
    SELECT device_id, at, end_at FROM ends
    WHERE {_counter_sql("end_at", daytime)} - {_counter_sql("at", daytime)} >= n * 3600
    ORDER BY device_id, at
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"n": rule.hours, "until": until, "tz": settings.TIME_ZONE})
        return [(d, a, e) for d, a, e in cursor.fetchall() if a != e or rule.hours == 0]


def _water_python(until: dt.datetime, rule: AlertRule, daytime: Daytime,
                  meters: dict[int, int | None]) -> Iterator[tuple[int, dt.datetime, dt.datetime]]:
    rows = (SensorReading.objects.filter(device_id__in=list(meters), at__lte=until)
            .order_by("device_id", "at").values_list("device_id", "at", "litres"))
    for device_id, group in groupby(rows.iterator(chunk_size=20_000), key=lambda r: r[0]):
        need = (meters[device_id] or rule.hours) * 3600
        start = last = None
        for _, at, litres in group:
            if start is None:
                start = at
            elif litres is not None and litres > 0:
                if daytime.between(start, at) >= need:
                    yield device_id, start, at
                start = at
            last = at
        if start is not None and last is not None and daytime.between(start, last) >= need:
            yield device_id, start, last


def offline_windows(until: dt.datetime, rule: AlertRule) -> Iterator[Window]:
    if not rule.hours:
        return
    span = dt.timedelta(hours=rule.hours)
    devices = dict(SensorDevice.objects.filter(status=DeviceStatus.IN_USE).values_list("id", "installed_on"))
    if not devices:
        return
    if connection.vendor == "postgresql":
        gaps = _offline_sql(until, span)
    else:
        gaps = _offline_python(until, span, list(devices))
    seen: set[int] = set()
    for device_id, start, end in gaps:
        seen.add(device_id)
        yield Window(device_id, start, start + span,
                     f"自 {_local(start)} 起 {_hours(span.total_seconds())} 小时以上无数据"
                     + (f"（{_local(end)} 恢复）" if end is not None else ""))
    with_readings = set(SensorReading.objects.filter(device_id__in=list(devices), at__lte=until)
                        .values_list("device_id", flat=True).distinct())
    for device_id, installed_on in devices.items():
        if device_id in with_readings or device_id in seen:
            continue
        start = timezone.make_aware(dt.datetime.combine(installed_on, dt.time()))
        if until - start >= span:
            yield Window(device_id, start, start + span, f"自安装日 {installed_on:%Y-%m-%d} 起没有任何数据")


def _offline_sql(until: dt.datetime, span: dt.timedelta) -> list[tuple[int, dt.datetime, dt.datetime | None]]:
    sql = f"""
    WITH g AS (
        SELECT r.device_id, r.at, lead(r.at) OVER (PARTITION BY r.device_id ORDER BY r.at) AS next_at
        FROM {READINGS} r JOIN {DEVICES} d ON d.id = r.device_id
        WHERE d.status = 'in_use' AND r.at <= %(until)s
    )
    SELECT device_id, at, next_at FROM g WHERE coalesce(next_at, %(until)s) - at >= %(span)s
    ORDER BY device_id, at
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"until": until, "span": span})
        return cursor.fetchall()


def _offline_python(until: dt.datetime, span: dt.timedelta,
                    ids: list[int]) -> Iterator[tuple[int, dt.datetime, dt.datetime | None]]:
    rows = (SensorReading.objects.filter(device_id__in=ids, at__lte=until)
            .order_by("device_id", "at").values_list("device_id", "at"))
    for device_id, group in groupby(rows.iterator(chunk_size=20_000), key=lambda r: r[0]):
        previous = None
        for _, at in group:
            if previous is not None and at - previous >= span:
                yield device_id, previous, at
            previous = at
        if previous is not None and until - previous >= span:
            yield device_id, previous, None
