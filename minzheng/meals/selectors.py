"""Reads of the meal assistance, scoped (ADR 0010): everything follows the
canteens the user may see (``care_facilities.selectors.facilities_visible``:
a canteen's staff see only their canteens; the bureau, streets and
committees their jurisdiction); anything else is 404 (``OutOfScope``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from minzheng.care_facilities.models import MEAL_KINDS, Facility
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.core.models import User
from minzheng.core.scope import OutOfScope
from minzheng.meals.models import MealImport, MealRecord, QuarantinedRow, Settlement, SubsidyRate
from minzheng.meals.rules import month_first, month_last


def canteens_visible(user: User) -> QuerySet[Facility]:
    return facilities_visible(user).filter(kind__in=MEAL_KINDS)


def canteen_get(user: User, pk: int) -> Facility:
    canteen = canteens_visible(user).filter(pk=pk).first()
    if canteen is None:
        raise OutOfScope()
    return canteen


def imports_visible(user: User) -> QuerySet[MealImport]:
    return MealImport.objects.filter(canteen__in=canteens_visible(user)).select_related("canteen")


def import_get(user: User, pk: int) -> MealImport:
    meal_import = imports_visible(user).filter(pk=pk).first()
    if meal_import is None:
        raise OutOfScope()
    return meal_import


def import_quarantine(meal_import: MealImport) -> QuerySet[QuarantinedRow]:
    return meal_import.quarantined.order_by("row_number")


def records_visible(user: User) -> QuerySet[MealRecord]:
    return (MealRecord.objects.filter(canteen__in=canteens_visible(user))
            .select_related("canteen", "person"))


def settlements_visible(user: User) -> QuerySet[Settlement]:
    return Settlement.objects.filter(canteen__in=canteens_visible(user)).select_related("canteen", "street")


def settlement_get(user: User, pk: int) -> Settlement:
    settlement = settlements_visible(user).filter(pk=pk).first()
    if settlement is None:
        raise OutOfScope()
    return settlement


def covered_q(settlements) -> Q | None:
    """The records the given settlements (of one canteen) cover: of their month
    or before, and not newer than their watermark (``last_record_id``)."""
    q = None
    for month, last_id in settlements:
        part = Q(day__lte=month_last(month), id__lte=last_id)
        q = part if q is None else q | part
    return q


def settlement_records(settlement: Settlement) -> QuerySet[MealRecord]:
    """The records ``settlement`` covers (its month's and the late ones of
    earlier months), derived: records are never marked."""
    qs = MealRecord.objects.filter(canteen_id=settlement.canteen_id, day__lte=month_last(settlement.month),
                                   id__lte=settlement.last_record_id)
    earlier = covered_q(Settlement.objects.filter(canteen_id=settlement.canteen_id, pk__lt=settlement.pk)
                        .values_list("month", "last_record_id"))
    if earlier is not None:
        qs = qs.exclude(earlier)
    return qs.select_related("person").order_by("day", "person_id", "slot")


def rates_all() -> QuerySet[SubsidyRate]:
    return SubsidyRate.objects.order_by("tier", "-valid_from")


def month_by_street(user: User, month: str) -> dict[str, tuple[int, int]]:
    """Street code → (meals, subsidised meals) in ``month`` at the canteens the user sees."""
    rows = (records_visible(user).filter(day__range=(month_first(month), month_last(month)))
            .values("street_id").annotate(meals=Count("id"), subsidised=Count("id", filter=Q(subsidised=True)))
            .order_by())
    return {r["street_id"]: (r["meals"], r["subsidised"]) for r in rows}


def canteen_day(canteen: Facility, day: dt.date) -> QuerySet[MealRecord]:
    return MealRecord.objects.filter(canteen=canteen, day=day).select_related("person").order_by("-id")


def totals(qs: QuerySet[MealRecord]) -> dict:
    return qs.aggregate(meals=Count("id"), subsidised=Count("id", filter=Q(subsidised=True)),
                        fen=Sum("subsidy_fen"))
