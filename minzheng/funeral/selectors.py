"""Reads of the funeral services, scoped (docs/adr/0024-funeral-services.md).

A funeral home belongs to a division; a staff member sees the homes whose
division lies in their jurisdiction (the district's home: district accounts).
Orders are read with ``funeral.view`` (殡仪服务员, 区民政局), the catalogue with
``funeral.catalogue_view``; outside the jurisdiction a record is missing (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from minzheng.bookings import selectors as bookings_selectors
from minzheng.bookings.models import Booking, BookingStatus, Slot
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index
from minzheng.core.scope import Scope
from minzheng.funeral.models import (
    OPEN_STATUSES,
    FuneralHall,
    FuneralHome,
    FuneralOrder,
    ItemPrice,
    OrderStatus,
    ServiceItem,
)
from minzheng.registry.services import InvalidIdNumber, parse_id_number

# Statuses of a booking that occupy its slot (ADR 0021): held, confirmed, arrived, no-show.
OCCUPYING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW)


def in_jurisdiction(qs: QuerySet, user, *, prefix: str = "") -> QuerySet:
    """``qs`` narrowed to the homes (reached by ``prefix``) in ``user``'s jurisdiction."""
    if isinstance(user, str):  # a command or job: the whole district
        return qs
    scope = Scope.of(user)
    if scope.level == "none":
        return qs.none()
    if not scope.code:
        return qs
    return qs.filter(**{f"{prefix}division__code__startswith": scope.code})


def homes(user, *, action: str = "funeral.view") -> QuerySet[FuneralHome]:
    require(user, action, allow_job=True)
    return in_jurisdiction(FuneralHome.objects.filter(active=True), user)


def home_get(user, pk: int, *, action: str = "funeral.view") -> FuneralHome:
    return homes(user, action=action).get(pk=pk)


def home_default(user, *, action: str = "funeral.view") -> FuneralHome | None:
    """The home a clerk works for: the first in their jurisdiction (the district has one)."""
    return homes(user, action=action).order_by("pk").first()


def orders_visible(user) -> QuerySet[FuneralOrder]:
    require(user, "funeral.view", allow_job=True)
    return in_jurisdiction(FuneralOrder.objects.all(), user, prefix="home__").select_related("home")


def order_search(user, q: str = "") -> QuerySet[FuneralOrder]:
    """By the deceased's or contact's name (part of it), a complete ID number or an order number."""
    rows = orders_visible(user)
    q = (q or "").strip()
    if not q:
        return rows
    try:
        number = parse_id_number(q).number
    except InvalidIdNumber:
        number = ""
    if number:
        return rows.filter(deceased_id_index=blind_index(number))
    if any(ch.isdigit() for ch in q):
        return rows.filter(number__icontains=q[:32])
    return rows.filter(Q(deceased_name__contains=q[:64]) | Q(contact_name__contains=q[:64]))


def order_get(user, pk: int) -> FuneralOrder:
    return orders_visible(user).select_related("hall_booking__slot", "hall_booking__resource", "person", "death_record").get(pk=pk)


def order_by_number(user, number: str) -> FuneralOrder:
    return orders_visible(user).get(number=number)


def order_lines(order: FuneralOrder):
    return order.lines.select_related("item").order_by("id")


def order_changes(order: FuneralOrder):
    return order.changes.order_by("changed_at", "id")


# --- catalogue ----------------------------------------------------------------------------


def price_on(item: ServiceItem, day: dt.date) -> ItemPrice | None:
    """The price in force on ``day``: the latest taking effect on or before it (None: no price yet)."""
    return item.prices.filter(effective_from__lte=day).order_by("-effective_from").first()


def catalogue(user, home: FuneralHome, *, active_only: bool = False) -> QuerySet[ServiceItem]:
    require(user, "funeral.catalogue_view", allow_job=True)
    if not in_jurisdiction(FuneralHome.objects.filter(pk=home.pk), user).exists():
        return ServiceItem.objects.none()
    rows = ServiceItem.objects.filter(home=home).prefetch_related("prices")
    return rows.filter(active=True) if active_only else rows


@dataclass(frozen=True)
class CatalogueRow:
    item: ServiceItem
    price: ItemPrice | None  # in force on the day
    next_price: ItemPrice | None  # the next change, if one is set


def catalogue_rows(user, home: FuneralHome, day: dt.date, *, active_only: bool = False) -> list[CatalogueRow]:
    rows = []
    for item in catalogue(user, home, active_only=active_only):
        prices = sorted(item.prices.all(), key=lambda p: p.effective_from)
        current = [p for p in prices if p.effective_from <= day]
        later = [p for p in prices if p.effective_from > day]
        rows.append(CatalogueRow(item, current[-1] if current else None, later[0] if later else None))
    return rows


def item_get(user, pk: int, *, action: str = "funeral.catalogue_view") -> ServiceItem:
    require(user, action, allow_job=True)
    return in_jurisdiction(ServiceItem.objects.select_related("home"), user, prefix="home__").get(pk=pk)


# --- halls ---------------------------------------------------------------------------------


def halls(user, home: FuneralHome | None = None) -> QuerySet[FuneralHall]:
    require(user, "funeral.view", allow_job=True)
    rows = in_jurisdiction(FuneralHall.objects.select_related("resource", "item", "home"), user, prefix="home__")
    rows = rows.filter(resource__active=True)
    return rows.filter(home=home) if home is not None else rows


def hall_free_slots(user, order: FuneralOrder, day: dt.date) -> list[tuple[FuneralHall, Slot]]:
    """Free slots of the order's home's halls on ``day``: not yet begun, on a day
    the hall is open (the booking core's ``free_slots``: closures respected)."""
    found = []
    for hall in halls(user, order.home):
        found += [(hall, slot) for slot in bookings_selectors.free_slots(user, hall.resource, day, day)]
    return sorted(found, key=lambda pair: (pair[1].start, pair[0].resource.name))


@dataclass(frozen=True)
class HallCell:
    slot: Slot
    order: FuneralOrder | None
    free: bool


@dataclass(frozen=True)
class HallRow:
    hall: FuneralHall
    cells: list[HallCell]


def hall_day(user, home: FuneralHome, day: dt.date) -> list[HallRow]:
    """Every hall of ``home`` on ``day``: its slots and the order holding each (if any)."""
    hall_rows = list(halls(user, home))
    slots = list(Slot.objects.filter(resource_id__in=[h.resource_id for h in hall_rows], day=day).order_by("start"))
    active = Booking.objects.filter(slot__in=slots, status__in=list(OCCUPYING))
    booking_slot = dict(active.values_list("pk", "slot_id"))
    orders = {booking_slot[o.hall_booking_id]: o for o in
              FuneralOrder.objects.filter(hall_booking_id__in=list(booking_slot))}
    rows = []
    for hall in hall_rows:
        cells = [HallCell(s, orders.get(s.pk), s.booked < s.capacity) for s in slots if s.resource_id == hall.resource_id]
        rows.append(HallRow(hall, cells))
    return rows


# --- the workbench ------------------------------------------------------------------------------


def orders_unsettled_todo(user) -> QuerySet[FuneralOrder]:
    """Open orders (已下单/服务中), oldest first, with ``due_on`` None (no deadline is set)."""
    from django.db.models import DateField, Value

    return orders_visible(user).filter(status__in=list(OPEN_STATUSES)).order_by("ordered_on", "pk").annotate(
        due_on=Value(None, output_field=DateField()))


def hall_bookings_todo(user, today: dt.date) -> QuerySet[FuneralOrder]:
    """Orders with a farewell hall booked for ``today`` (not cancelled), by start time."""
    from django.db.models import DateField, Value

    return orders_visible(user).filter(hall_booking__slot__day=today, hall_booking__status__in=list(OCCUPYING)).exclude(
        status=OrderStatus.CANCELLED).select_related("hall_booking__slot", "hall_booking__resource").order_by(
        "hall_booking__slot__start").annotate(due_on=Value(None, output_field=DateField()))
