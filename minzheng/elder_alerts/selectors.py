"""Reads of 一键通 and the home-safety alerts, scoped (ADR 0033).

Devices, calls and alerts belong to the elder's current committee (the
registry person's ``committee``/``street``); a task to the committee it was
opened for. A committee sees its own, a street its street, the bureau and the
auditor the district; anything else is 404 (:class:`OutOfScope`).

Public interface: ``tasks_todo(user)`` (the workbench inbox) and
``dashboard_figures`` (the elderly-care dashboard section).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, Scope, restrict
from minzheng.elder_alerts.models import (
    AlertRule,
    AlertTask,
    Call,
    CallDevice,
    CallKind,
    CallThreshold,
    DeviceStatus,
    FeedImport,
    SensorDevice,
    TaskStatus,
)
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.registry.selectors import persons_visible, years_before

ELDER_AGE = 60  # 老年人: 60 周岁以上 (老年人权益保障法 第二条); the 一键通 target population (ADR 0033)
MIN_FOR_P50 = 5  # fewer arrived calls: the median is not shown ("事件过少")
MIN_FOR_P90 = 10  # nearest-rank p90 of fewer than 10 values is just the maximum


def _by_person(qs: QuerySet, user: User, path: str = "person") -> QuerySet:
    return restrict(qs, user, street_field=f"{path}__street_id", committee_field=f"{path}__committee_id")


def call_devices(user: User) -> QuerySet[CallDevice]:
    require(user, "elder_alerts.view")
    return _by_person(CallDevice.objects.select_related("person", "person__street", "person__committee"), user)


def call_device_get(user: User, pk: int) -> CallDevice:
    try:
        return call_devices(user).get(pk=pk)
    except CallDevice.DoesNotExist:
        raise OutOfScope("没有这个一键通终端，或不在您的辖区内") from None


def sensor_devices(user: User) -> QuerySet[SensorDevice]:
    require(user, "elder_alerts.view")
    return _by_person(SensorDevice.objects.select_related("person", "person__street", "person__committee"), user)


def sensor_device_get(user: User, pk: int) -> SensorDevice:
    try:
        return sensor_devices(user).get(pk=pk)
    except SensorDevice.DoesNotExist:
        raise OutOfScope("没有这个监测设备，或不在您的辖区内") from None


def calls(user: User) -> QuerySet[Call]:
    require(user, "elder_alerts.view")
    return _by_person(Call.objects.select_related("device", "device__person", "device__person__street",
                                                  "device__person__committee"), user, "device__person")


def call_get(user: User, pk: int) -> Call:
    try:
        return calls(user).get(pk=pk)
    except Call.DoesNotExist:
        raise OutOfScope("没有这个呼叫记录，或不在您的辖区内") from None


def tasks(user: User) -> QuerySet[AlertTask]:
    require(user, "elder_alerts.view")
    return restrict(AlertTask.objects.select_related("alert", "alert__rule", "alert__device", "alert__person",
                                                     "street", "committee"), user)


def task_get(user: User, pk: int) -> AlertTask:
    try:
        return tasks(user).get(pk=pk)
    except AlertTask.DoesNotExist:
        raise OutOfScope("没有这个处置任务，或不在您的辖区内") from None


def tasks_todo(user: User) -> QuerySet[AlertTask]:
    """Open tasks in the user's scope, earliest deadline first, with ``due_on``
    (the deadline's local date) for the inbox."""
    return tasks(user).filter(status=TaskStatus.OPEN).annotate(due_on=TruncDate("due_at")).order_by("due_at")


def tasks_overdue(user: User, now: dt.datetime | None = None) -> QuerySet[AlertTask]:
    now = now or timezone.now()
    return tasks(user).filter(status=TaskStatus.OPEN, due_at__lt=now).order_by("due_at")


def rules() -> QuerySet[AlertRule]:
    return AlertRule.objects.order_by("code")


def thresholds() -> dict[str, int | None]:
    return dict(CallThreshold.objects.values_list("kind", "arrive_within_minutes"))


def feed_imports(user: User) -> QuerySet[FeedImport]:
    """The feed imports (the district's: the feeds are whole-district files)."""
    require(user, "elder_alerts.view")
    if Scope.of(user).level != DivisionLevel.DISTRICT:
        return FeedImport.objects.none()
    return FeedImport.objects.all()


# --- living alone (独居) ----------------------------------------------------------------

def living_alone(person_ids: list[int]) -> set[int]:
    """Of ``person_ids``, those living alone: their current registry household
    (membership without an end date) has exactly one current member (ADR 0033).
    A person with no current household is not counted as living alone (unknown)."""
    if not person_ids:
        return set()
    households = dict(HouseholdMembership.objects.filter(person_id__in=person_ids, end_date__isnull=True,
                                                         household__archived=False)
                      .values_list("person_id", "household_id"))
    sizes = dict(HouseholdMembership.objects.filter(household_id__in=set(households.values()), end_date__isnull=True)
                 .values("household_id").annotate(n=Count("id")).values_list("household_id", "n"))
    return {p for p, h in households.items() if sizes.get(h) == 1}


# --- 一键通 coverage -------------------------------------------------------------------

@dataclass
class Coverage:
    street: Division
    elders: int
    covered: int

    @property
    def share(self) -> float | None:
        return None if not self.elders else round(100 * self.covered / self.elders, 1)


def elders(user: User, today: dt.date) -> QuerySet[Person]:
    """The target population: alive registry persons aged 60 or more on ``today``."""
    return persons_visible(user).filter(alive=True, birth_date__lte=years_before(today, ELDER_AGE))


def coverage_by_street(user: User, today: dt.date) -> list[Coverage]:
    """Per street: elders (60+), and those with an in-use 一键通 terminal."""
    require(user, "elder_alerts.view")
    base = elders(user, today)
    counts = dict(base.values("street_id").annotate(n=Count("id")).values_list("street_id", "n"))
    covered_ids = CallDevice.objects.filter(status=DeviceStatus.IN_USE).values("person_id")
    covered = dict(base.filter(id__in=covered_ids).values("street_id").annotate(n=Count("id"))
                   .values_list("street_id", "n"))
    streets = Division.objects.filter(code__in=counts).order_by("code")
    return [Coverage(s, counts.get(s.code, 0), covered.get(s.code, 0)) for s in streets]


# --- response times --------------------------------------------------------------------

def nearest_rank(values: list[float], p: int) -> float:
    """The p-th percentile by the nearest-rank method: the value at rank
    ⌈p/100 × n⌉ of the sorted values (an actual observed value)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


@dataclass
class ResponseFigure:
    calls: int = 0
    arrived: int = 0
    minutes: list[float] = field(default_factory=list)
    overdue: int = 0

    @property
    def p50(self) -> float | None:
        return round(nearest_rank(self.minutes, 50), 1) if len(self.minutes) >= MIN_FOR_P50 else None

    @property
    def p90(self) -> float | None:
        return round(nearest_rank(self.minutes, 90), 1) if len(self.minutes) >= MIN_FOR_P90 else None

    @property
    def too_few(self) -> bool:
        return len(self.minutes) < MIN_FOR_P90


@dataclass
class ResponseFigures:
    by_kind: dict[str, ResponseFigure]
    by_kind_street: dict[tuple[str, str], ResponseFigure]
    by_street: dict[str, ResponseFigure]
    total: ResponseFigure
    streets: dict[str, str]


def _late(called_at: dt.datetime, arrived_at: dt.datetime | None, resolved_at: dt.datetime | None,
          limit: int | None, now: dt.datetime) -> bool:
    """Arrived after the kind's limit, or not arrived past it (a call resolved
    without a visit counts until its resolution)."""
    if limit is None:
        return False
    deadline = called_at + dt.timedelta(minutes=limit)
    return (arrived_at or (now if resolved_at is None else resolved_at)) > deadline


def response_figures(user: User, since: dt.datetime, until: dt.datetime,
                     now: dt.datetime | None = None) -> ResponseFigures:
    """Response time (minutes from the call to the responder's arrival) of the
    calls in [since, until): count, arrived, p50 and p90 (nearest rank; None
    below :data:`MIN_FOR_P50`/:data:`MIN_FOR_P90` arrived calls) by kind, by kind
    and street, by street and in all; and how many were late against the
    kind's threshold (arrival after it, or still none past it)."""
    now = now or timezone.now()
    limits = thresholds()
    rows = calls(user).filter(called_at__gte=since, called_at__lt=until).values_list(
        "called_at", "arrived_at", "resolved_at", "kind", "device__person__street_id")
    by_kind: dict[str, ResponseFigure] = {k: ResponseFigure() for k in CallKind.values}
    by_kind_street: dict[tuple[str, str], ResponseFigure] = defaultdict(ResponseFigure)
    by_street: dict[str, ResponseFigure] = defaultdict(ResponseFigure)
    total = ResponseFigure()
    streets: dict[str, str] = {}
    for called_at, arrived_at, resolved_at, kind, street in rows.iterator(chunk_size=5000):
        late = _late(called_at, arrived_at, resolved_at, limits.get(kind), now)
        for figure in (by_kind[kind], by_kind_street[(kind, street)], by_street[street], total):
            figure.calls += 1
            figure.overdue += late
            if arrived_at is not None:
                figure.arrived += 1
                figure.minutes.append((arrived_at - called_at).total_seconds() / 60)
        streets[street] = ""
    for code, name in Division.objects.filter(code__in=streets).values_list("code", "name"):
        streets[code] = name
    return ResponseFigures(by_kind, dict(by_kind_street), dict(by_street), total, streets)


def overdue_calls(user: User, now: dt.datetime | None = None, since: dt.datetime | None = None) -> list[Call]:
    """Calls of kinds with a threshold where the responder arrived late or has
    not arrived (and the call is not resolved) past the threshold."""
    now = now or timezone.now()
    limits = {k: m for k, m in thresholds().items() if m is not None}
    qs = calls(user).filter(kind__in=list(limits)).order_by("-called_at")
    if since is not None:
        qs = qs.filter(called_at__gte=since)
    return [c for c in qs[:5000] if _late(c.called_at, c.arrived_at, c.resolved_at, limits[c.kind], now)]


# --- the elderly-care dashboard section ------------------------------------------------

def dashboard_figures(user: User, today: dt.date) -> tuple[list[str], dict[str, list], list | None]:
    """Columns, rows by street and the district row: 一键通 terminals in use,
    coverage of elders 60+, calls in the last 30 days, p90 response (minutes),
    open tasks (overdue)."""
    now = timezone.now()
    since = now - dt.timedelta(days=30)
    cover = {c.street.code: c for c in coverage_by_street(user, today)}
    figures = response_figures(user, since, now, now)
    open_tasks = dict(tasks(user).filter(status=TaskStatus.OPEN).values("street_id").annotate(n=Count("id"))
                      .values_list("street_id", "n"))
    late_tasks = dict(tasks(user).filter(status=TaskStatus.OPEN, due_at__lt=now).values("street_id")
                      .annotate(n=Count("id")).values_list("street_id", "n"))
    rows: dict[str, list] = {}
    for code in sorted(set(cover) | set(figures.by_street) | set(open_tasks)):
        c, f = cover.get(code), figures.by_street.get(code)
        rows[code] = [c.covered if c else 0, (f"{c.share}%" if c and c.share is not None else None),
                      f.calls if f else 0, f.p90 if f else None, open_tasks.get(code, 0), late_tasks.get(code, 0)]
    covered = sum(c.covered for c in cover.values())
    elders_n = sum(c.elders for c in cover.values())
    totals = [covered, f"{round(100 * covered / elders_n, 1)}%" if elders_n else None, figures.total.calls,
              figures.total.p90, sum(open_tasks.values()), sum(late_tasks.values())]
    return ["一键通在用终端", "60岁以上老人覆盖率", "近30天呼叫", "响应时间P90（分钟）", "待处置任务", "其中超时"], rows, totals


def open_task_counts(user: User) -> dict[str, int]:
    return dict(tasks(user).filter(status=TaskStatus.OPEN).values("committee_id").annotate(n=Count("id"))
                .values_list("committee_id", "n"))
