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
    need = {device_id: n for device_id, n in SensorDevice.objects.filter(
        kind=SensorKind.WATER_METER, status=DeviceStatus.IN_USE).values_list("id", "quiet_hours")}
    longest: dict[tuple[int, dt.datetime], dt.datetime] = {}
    for device_id, at, _prev, _next, start, kind in _pg_pass(until):
        if kind != SensorKind.WATER_METER or start is None:
            continue
        if at - start >= dt.timedelta(hours=need.get(device_id) or rule.hours):
            key = (device_id, start)
            longest[key] = max(longest.get(key, at), at)
    return sorted((d, s, e) for (d, s), e in longest.items()
                  if daytime.between(s, e) >= (need.get(d) or rule.hours) * 3600)


_passes: dict[dt.datetime, list[tuple]] = {}


def begin() -> None:
    """Forget the last pass: each scan reads the readings afresh (``services.alerts_scan``)."""
    _passes.clear()


def _pg_pass(until: dt.datetime) -> list[tuple]:
    """The one pass both rules share within a scan (see :func:`_pg_rows`)."""
    if until not in _passes:
        rules = {r.code: r for r in AlertRule.objects.filter(enabled=True)}
        water, offline = rules.get("water_quiet"), rules.get("device_offline")
        _passes.clear()
        _passes[until] = _pg_rows(until, water.hours if water else None,
                                  dt.timedelta(hours=offline.hours) if offline and offline.hours else None)
    return _passes[until]


def _pg_rows(until: dt.datetime, water_hours: int | None, offline: dt.timedelta | None) -> list[tuple]:
    """One pass over the readings up to ``until`` in the unique index's order
    (device, time), with ``LAG``/``LEAD`` and the running last use before each
    reading (``max(…) FILTER`` over the rows before it): the rows that may end
    an offline gap or a quiet spell. Only a cheap wall-clock test runs in SQL
    (a spell of N daytime hours lasts at least N hours); the daytime count of
    the few candidates is done by the caller."""
    water = f"""(d.kind = 'water_meter' AND r.at - coalesce(r.prev_use, r.first_at)
                 >= make_interval(hours => coalesce(d.quiet_hours, {int(water_hours)})))""" if water_hours else "false"
    gaps = "(r.at - r.prev_at >= %(span)s OR (r.next_at IS NULL AND %(until)s - r.at >= %(span)s))" if offline \
        else "false"
    sql = f"""
    SELECT r.device_id, r.at, r.prev_at, r.next_at, coalesce(r.prev_use, r.first_at), d.kind
    FROM (
        SELECT device_id, at,
               lag(at) OVER w AS prev_at, lead(at) OVER w AS next_at, first_value(at) OVER w AS first_at,
               max(CASE WHEN litres > 0 THEN at END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   AS prev_use
        FROM {READINGS} WHERE at <= %(until)s
        WINDOW w AS (PARTITION BY device_id ORDER BY at)
    ) r JOIN {DEVICES} d ON d.id = r.device_id
    WHERE d.status = 'in_use' AND ({water} OR {gaps})
    ORDER BY r.device_id, r.at
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"until": until, "span": offline})
        return cursor.fetchall()


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
    out = []
    for device_id, at, prev_at, next_at, _start, _kind in _pg_pass(until):
        if prev_at is not None and at - prev_at >= span:
            out.append((device_id, prev_at, at))
        if next_at is None and until - at >= span:
            out.append((device_id, at, None))
    return sorted(out, key=lambda g: (g[0], g[1]))


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
