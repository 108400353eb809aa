"""Reads of tomb sweeping, scoped to the acting user's cemeteries (``access``):
the cemeteries taking reservations and their days, the slots of a day with
the places left, reservations, proxy orders, and the work of today.

Outside the user's scope a record is indistinguishable from a missing one
(``DoesNotExist`` / ``OutOfScope`` → 404). Every read checks ``sweeping.view``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from minzheng.bookings.models import BookingStatus
from minzheng.cemeteries.models import Cemetery
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope
from minzheng.sweeping.access import scoped, visible_cemeteries
from minzheng.sweeping.models import (
    PeakPeriod,
    ProxyOrder,
    ProxyStatus,
    Reservation,
    SweepingArea,
    SweepingSlot,
)


def cemeteries(user) -> QuerySet[Cemetery]:
    """The user's cemeteries that have a sweeping area."""
    require(user, "sweeping.view", allow_job=True)
    return visible_cemeteries(user).filter(pk__in=SweepingArea.objects.values("cemetery_id"))


def cemetery_get(user, pk: int) -> Cemetery:
    try:
        return cemeteries(user).get(pk=pk)
    except Cemetery.DoesNotExist:
        raise OutOfScope("没有这个公墓，或不在您的辖区内") from None


def reservation_days(cemetery_ids: list[int], *, today: dt.date) -> dict[int, list[dt.date]]:
    """Days from ``today`` on with sweeping slots, per cemetery."""
    days: dict[int, list[dt.date]] = {pk: [] for pk in cemetery_ids}
    rows = (SweepingSlot.objects.filter(cemetery_id__in=cemetery_ids, day__gte=today)
            .values_list("cemetery_id", "day").distinct().order_by("cemetery_id", "day"))
    for cemetery_id, day in rows:
        days[cemetery_id].append(day)
    return days


def areas(user) -> QuerySet[SweepingArea]:
    require(user, "sweeping.view", allow_job=True)
    return scoped(SweepingArea.objects.select_related("cemetery", "resource"), user)


def periods(user) -> QuerySet[PeakPeriod]:
    """Periods for all cemeteries, or for one of the user's."""
    require(user, "sweeping.view", allow_job=True)
    own = scoped(PeakPeriod.objects.filter(cemetery__isnull=False), user).values("pk")
    return (PeakPeriod.objects.filter(cemetery__isnull=True) | PeakPeriod.objects.filter(pk__in=own)) \
        .select_related("cemetery").prefetch_related("days")


def period_get(user, pk: int) -> PeakPeriod:
    return periods(user).get(pk=pk)


def day_slots(user, cemetery: Cemetery, day: dt.date) -> list[SweepingSlot]:
    """The sweeping slots of ``cemetery`` on ``day``, with their booking-core slot (capacity, booked)."""
    require(user, "sweeping.view", allow_job=True)
    return list(scoped(SweepingSlot.objects.filter(cemetery=cemetery, day=day), user)
                .select_related("slot", "area", "period").order_by("slot__start", "area__name"))


def sweeping_slot_get(user, slot_id: int) -> SweepingSlot:
    """By the booking-core slot's id (the API's ``slot``)."""
    require(user, "sweeping.view", allow_job=True)
    return scoped(SweepingSlot.objects.select_related("slot", "area", "period", "cemetery"), user).get(
        slot_id=slot_id)


def reservations(user) -> QuerySet[Reservation]:
    require(user, "sweeping.view", allow_job=True)
    return scoped(Reservation.objects.select_related("booking", "booking__slot", "cemetery", "sweeping_slot__area"),
                  user)


def reservation_get(user, code: str) -> Reservation:
    from minzheng.sweeping.codes import normalise

    return reservations(user).get(code=normalise(code))


def proxy_orders(user) -> QuerySet[ProxyOrder]:
    require(user, "sweeping.view", allow_job=True)
    return scoped(ProxyOrder.objects.select_related("cemetery"), user).prefetch_related("photos")


def proxy_order_get(user, pk: int) -> ProxyOrder:
    return proxy_orders(user).get(pk=pk)


def proxy_order_by_code(user, code: str) -> ProxyOrder:
    from minzheng.sweeping.codes import normalise

    return proxy_orders(user).get(code=normalise(code))


# --- the workbench inbox (the cemetery's staff) ------------------------------------------------


def reservations_today_todo(user, today: dt.date | None = None) -> QuerySet[Reservation]:
    """Today's reservations not yet checked in at the gate."""
    today = today or timezone.localdate()
    return reservations(user).filter(day=today, booking__status=BookingStatus.CONFIRMED).order_by(
        "booking__slot__start", "pk")


def proxy_orders_open_todo(user) -> QuerySet[ProxyOrder]:
    """Proxy orders taken and not yet done; ``due_on`` is the service date."""
    from django.db.models import F

    return proxy_orders(user).filter(status=ProxyStatus.ACCEPTED).annotate(due_on=F("service_date")).order_by(
        "service_date", "pk")
