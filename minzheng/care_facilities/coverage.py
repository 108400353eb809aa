"""Coverage of the facility network against the elderly population (ADR 0028).

* Elders: living persons of the registry (merged duplicates excluded) aged 60
  or more, the age counted on the **last day of the month** of the day asked
  (REFERENCE, Conventions), by the committee they live in.
* Facilities: those **运营** on that day (opened on or before it, not closed).
* The "15-minute" reach (seed: 15分钟养老服务圈) is simplified as the issue
  says: the register has no road network, so the **street is the reach unit**.
  An elder is out of reach of a 社区综合为老服务中心 (or of a meal service: a
  社区长者食堂 or 助餐点) when their street has none operating. Counted per
  committee; the coordinates on the register are not used for distance.

A street with no person in the registry has no population figure (``None``,
shown as 无数据), never 0 elders.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from minzheng.care_facilities.models import MEAL_KINDS, FacilityKind, FacilityStatus
from minzheng.care_facilities.selectors import facilities_visible
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.scope import restrict
from minzheng.registry.selectors import persons_visible, years_before


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def elder_birth_cutoff(today: dt.date, age: int = 60) -> dt.date:
    """Born on or before this day: aged ``age`` or more on the last day of ``today``'s month."""
    return years_before(month_end(today), age)


@dataclass(frozen=True)
class StreetCoverage:
    street: Division
    elders: int | None  # None: no person of the street in the registry
    facilities: int  # operating, every kind
    centres: int
    meal_services: int  # 社区长者食堂 + 助餐点
    elders_without_centre: int | None
    elders_without_meals: int | None

    @property
    def elders_per_facility(self) -> int | None:
        if self.elders is None or not self.facilities:
            return None
        return round(self.elders / self.facilities)


@dataclass(frozen=True)
class CommitteeReach:
    committee: Division
    street: Division
    elders: int
    centre_in_street: bool
    meals_in_street: bool


def _operating(user: User, today: dt.date):
    return facilities_visible(user).filter(
        Q(status=FacilityStatus.OPERATING) | Q(status=FacilityStatus.CLOSED, closed_on__gt=today),
        operating_since__lte=today)


def elders_by_committee(user: User, today: dt.date) -> dict[str, int]:
    rows = (persons_visible(user).filter(alive=True, birth_date__lte=elder_birth_cutoff(today))
            .order_by().values_list("committee_id").annotate(n=Count("id")))
    return dict(rows)


def persons_by_street(user: User) -> dict[str, int]:
    return dict(persons_visible(user).filter(alive=True).order_by().values_list("street_id").annotate(n=Count("id")))


def committee_reach(user: User, today: dt.date) -> list[CommitteeReach]:
    """Every committee in the user's scope with its elders and whether its street has an
    operating centre / meal service (the street is the reach unit)."""
    operating = _operating(user, today)
    centre_streets = set(operating.filter(kind=FacilityKind.CENTRE).values_list("street_id", flat=True))
    meal_streets = set(operating.filter(kind__in=MEAL_KINDS).values_list("street_id", flat=True))
    elders = elders_by_committee(user, today)
    committees = restrict(Division.objects.filter(level=DivisionLevel.COMMITTEE, active=True)
                          .select_related("parent"), user, street_field="parent_id", committee_field="code")
    return [CommitteeReach(committee=c, street=c.parent, elders=elders.get(c.code, 0),
                           centre_in_street=c.parent_id in centre_streets, meals_in_street=c.parent_id in meal_streets)
            for c in committees.order_by("code")]


def street_coverage(user: User, today: dt.date) -> list[StreetCoverage]:
    """One row per street in the user's scope."""
    operating = _operating(user, today)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for street, kind, n in operating.order_by().values_list("street_id", "kind").annotate(n=Count("id")):
        counts[street][kind] += n
    populated = persons_by_street(user)
    elders_by_street: dict[str, int] = defaultdict(int)
    without_centre: dict[str, int] = defaultdict(int)
    without_meals: dict[str, int] = defaultdict(int)
    for reach in committee_reach(user, today):
        code = reach.street.code
        elders_by_street[code] += reach.elders
        if not reach.centre_in_street:
            without_centre[code] += reach.elders
        if not reach.meals_in_street:
            without_meals[code] += reach.elders
    streets = _streets(user)
    out = []
    for street in streets:
        c = counts.get(street.code, {})
        known = populated.get(street.code, 0) > 0
        out.append(StreetCoverage(
            street=street, elders=elders_by_street[street.code] if known else None,
            facilities=sum(c.values()), centres=c.get(FacilityKind.CENTRE, 0),
            meal_services=sum(c.get(k, 0) for k in MEAL_KINDS),
            elders_without_centre=without_centre[street.code] if known else None,
            elders_without_meals=without_meals[street.code] if known else None))
    return out


def _streets(user: User) -> list[Division]:
    """The streets the user's scope reaches (a committee user: its own street)."""
    from minzheng.core.scope import Scope

    scope = Scope.of(user)
    streets = Division.objects.filter(level=DivisionLevel.STREET, active=True).order_by("code")
    if scope.level == DivisionLevel.DISTRICT:
        return list(streets)
    if scope.level == "none":
        return []
    if scope.level == "advisor":
        return list(streets.filter(code__in={c[:9] for c in scope.committees}))
    return list(streets.filter(code=scope.code[:9]))
