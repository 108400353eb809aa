"""Reads of the booking core, scoped to the acting user (``access``): the
resources, free slots, a day and a week of one resource, one booking.

Outside the user's scope a resource or booking is indistinguishable from a
missing one (``DoesNotExist`` → 404). Every read checks ``bookings.view``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from minzheng.bookings.access import visible_resources
from minzheng.bookings.models import OCCUPYING, Booking, BookingParty, Resource, Slot
from minzheng.bookings.opening_days import (
    HolidayArrangementMissing,
    OpeningDay,
    opening_day,
    opening_days,
)
from minzheng.core.permissions import require

MAX_RANGE_DAYS = 62  # free-slot queries cover at most two months


def resources(user) -> QuerySet[Resource]:
    require(user, "bookings.view", allow_job=True)
    return visible_resources(Resource.objects.select_related("division"), user)


def resource_get(user, pk: int) -> Resource:
    return resources(user).get(pk=pk)


def bookings(user) -> QuerySet[Booking]:
    require(user, "bookings.view", allow_job=True)
    return visible_resources(Booking.objects.select_related("slot", "resource"), user, prefix="resource__")


def booking_get(user, pk: int) -> Booking:
    return (bookings(user).prefetch_related("parties", "notices").get(pk=pk))


def slot_get(user, pk: int) -> Slot:
    require(user, "bookings.view", allow_job=True)
    return visible_resources(Slot.objects.select_related("resource"), user, prefix="resource__").get(pk=pk)


def _open_by_day(resource: Resource, days: set[dt.date]) -> dict[dt.date, OpeningDay]:
    """Whether each day that has slots is open today (a closure may have come since)."""
    if not days:
        return {}
    return {d.day: d for d in opening_days(resource, min(days), max(days)) if d.day in days}


def free_slots(user, resource: Resource, date_from: dt.date, date_to: dt.date,
               now: dt.datetime | None = None) -> list[Slot]:
    """Slots of ``resource`` with a free place, not yet started, on days the resource is open."""
    require(user, "bookings.view", allow_job=True)
    now = now or timezone.now()
    slots = list(Slot.objects.filter(resource=resource, day__range=(date_from, date_to), start__gt=now)
                 .order_by("start"))
    slots = [s for s in slots if s.booked < s.capacity]
    open_days = _open_by_day(resource, {s.day for s in slots})
    return [s for s in slots if open_days[s.day].open] if resource.active else []


@dataclass
class DaySlot:
    slot: Slot
    bookings: list[Booking] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.slot.booked / self.slot.capacity) if self.slot.capacity else 0


@dataclass
class Day:
    resource: Resource
    day: dt.date
    opening: OpeningDay | None  # None: the year's holiday arrangement is not recorded
    missing: str  # the Chinese reason when ``opening`` is unknown
    slots: list[DaySlot]

    @property
    def capacity(self) -> int:
        return sum(s.slot.capacity for s in self.slots)

    @property
    def booked(self) -> int:
        return sum(s.slot.booked for s in self.slots)


def _opening_or_reason(resource: Resource, day: dt.date) -> tuple[OpeningDay | None, str]:
    try:
        return opening_day(resource, day), ""
    except HolidayArrangementMissing as missing:
        return None, missing.messages[0]


def day_view(user, resource: Resource, day: dt.date) -> Day:
    """One day of one resource: its slots, fill, and the bookings that occupy them with their people."""
    require(user, "bookings.view", allow_job=True)
    parties = Prefetch("parties", queryset=BookingParty.objects.order_by("id"))
    occupying = Prefetch("bookings", queryset=Booking.objects.filter(status__in=OCCUPYING)
                         .prefetch_related(parties).order_by("id"), to_attr="occupying")
    slots = list(Slot.objects.filter(resource=resource, day=day).prefetch_related(occupying).order_by("start"))
    opening, missing = _opening_or_reason(resource, day)
    return Day(resource, day, opening, missing, [DaySlot(s, s.occupying) for s in slots])


@dataclass
class WeekCell:
    slot: Slot | None

    @property
    def percent(self) -> int:
        if self.slot is None or not self.slot.capacity:
            return 0
        return round(100 * self.slot.booked / self.slot.capacity)


@dataclass
class Week:
    resource: Resource
    days: list[dt.date]
    openings: list[OpeningDay | None]
    rows: list[tuple[dt.time, list[WeekCell]]]
    missing: str


def week_view(user, resource: Resource, monday: dt.date) -> Week:
    """Seven days from ``monday`` × the slot start times, each cell the slot's fill."""
    require(user, "bookings.view", allow_job=True)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    slots = list(Slot.objects.filter(resource=resource, day__range=(days[0], days[-1])).order_by("start"))
    by_key = {(s.day, timezone.localtime(s.start).time()): s for s in slots}
    times = sorted({t for _, t in by_key})
    rows = [(t, [WeekCell(by_key.get((d, t))) for d in days]) for t in times]
    openings: list[OpeningDay | None] = []
    missing = ""
    for d in days:
        opening, reason = _opening_or_reason(resource, d)
        openings.append(opening)
        missing = missing or reason
    return Week(resource, days, openings, rows, missing)


def bookings_of_person(user, id_number_index: str) -> QuerySet[Booking]:
    """The bookings of one person (by blind index), newest first, within scope."""
    return bookings(user).filter(parties__id_number_index=id_number_index).order_by("-created_at").distinct()
