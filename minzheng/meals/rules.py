"""Who gets a meal subsidy on a day, at which tier and rate (REFERENCE § 10;
ADR 0032).

Songjiang meal subsidy (老年人助餐补贴, ~2024-12, secondary, unverified):

* 4 yuan per meal per day (tier ``high``) for elders aged 65+ in dibao /
  low-income / extreme-poverty / severe-disability (重残) households, and for
  hukou elders aged 80+;
* 2 yuan (tier ``basic``) for other hukou elders aged 65+.

Facts, read in bulk for a whole file (the registry and casework models are
public interfaces, ADR 0009):

* age in completed years **on the meal's day** (the issue: "tier by age on the
  day"; the REFERENCE month-end convention is for monthly benefits, and this
  subsidy is per meal per day — ADR 0032);
* hukou: ``Person.hukou_shanghai`` (the registry is Songjiang's);
* alive on the day: no subsidy on or after ``death_date`` (or for a person
  recorded dead without a date);
* assistance status on the day: an active ``casework.Enrolment`` in
  ``dibao`` / ``low_income`` / ``extreme_poverty`` covering the day's month,
  for the elder or a household the elder belongs to on that day;
* severe disability: a ``DisabilityCertificate`` valid on the day of grade
  1–2, or grade 3 intellectual / mental (the 重残 definition of REFERENCE § 5).

The rate is the :class:`~.models.SubsidyRate` row of the tier with the latest
``valid_from`` not after the day; none → 参数缺失, no subsidy (never a guess).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from minzheng.casework.models import Enrolment, EnrolmentStatus
from minzheng.meals.models import SubsidyRate, Tier
from minzheng.registry.models import (
    DisabilityCertificate,
    DisabilityKind,
    HouseholdMembership,
    Person,
)

ASSISTANCE_PROGRAMS = ("dibao", "low_income", "extreme_poverty")
MIN_AGE, HIGH_AGE = 65, 80

REASON_REPEAT = "当日已享受一次助餐补贴"
REASON_DEAD = "老人已死亡"
REASON_YOUNG = "未满65周岁"
REASON_HUKOU = "非本市户籍"
REASON_PARAMETER = "参数缺失：该日没有适用的补贴标准"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` (a 29 February birthday counts on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class PersonFacts:
    birth_date: dt.date
    hukou: bool
    alive: bool
    death_date: dt.date | None
    assistance: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # inclusive day ranges
    disability: list[tuple[dt.date, dt.date]] = field(default_factory=list)

    def dead_on(self, day: dt.date) -> bool:
        if self.death_date is not None:
            return day >= self.death_date
        return not self.alive

    def in_ranges(self, ranges: list[tuple[dt.date, dt.date]], day: dt.date) -> bool:
        return any(start <= day <= end for start, end in ranges)


_FAR = dt.date(9999, 12, 31)


def month_first(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def month_last(month: str) -> dt.date:
    first = month_first(month)
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _enrolment_range(e: dict) -> tuple[dt.date, dt.date]:
    start = month_first(e["start_month"])
    end = month_last(e["end_month"]) if e["end_month"] else _FAR
    return start, end


def person_facts(person_ids: Iterable[int]) -> dict[int, PersonFacts]:
    """The facts of every person in ``person_ids`` (a few queries, chunked)."""
    ids = sorted(set(person_ids))
    facts: dict[int, PersonFacts] = {}
    for i in range(0, len(ids), 5000):
        chunk = ids[i:i + 5000]
        for pk, birth, hukou, alive, death in Person.objects.filter(pk__in=chunk).values_list(
                "pk", "birth_date", "hukou_shanghai", "alive", "death_date"):
            facts[pk] = PersonFacts(birth, hukou, alive, death)
        memberships = defaultdict(list)
        for person_id, household_id, start, end in HouseholdMembership.objects.filter(
                person_id__in=chunk).values_list("person_id", "household_id", "start_date", "end_date"):
            memberships[household_id].append((person_id, start, end or _FAR))
        active = Q(status=EnrolmentStatus.ACTIVE) & Q(program__in=ASSISTANCE_PROGRAMS)
        for e in Enrolment.objects.filter(active, Q(person_id__in=chunk) | Q(household_id__in=list(memberships))
                                          ).values("person_id", "household_id", "start_month", "end_month"):
            start, end = _enrolment_range(e)
            if e["person_id"] in facts:
                facts[e["person_id"]].assistance.append((start, end))
            for person_id, m_start, m_end in memberships.get(e["household_id"], ()):
                lo, hi = max(start, m_start), min(end, m_end)
                if lo <= hi:
                    facts[person_id].assistance.append((lo, hi))
        severe = Q(grade__lte=2) | Q(grade=3, kind__in=(DisabilityKind.INTELLECTUAL, DisabilityKind.MENTAL))
        for person_id, start, end in DisabilityCertificate.objects.filter(severe, person_id__in=chunk).values_list(
                "person_id", "valid_from", "valid_to"):
            facts[person_id].disability.append((start, end or _FAR))
    return facts


class RateTable:
    """The rate rows by tier, looked up by day (bisect over ``valid_from``)."""

    def __init__(self, rates: Iterable[SubsidyRate] | None = None) -> None:
        rows = list(rates) if rates is not None else list(SubsidyRate.objects.order_by("valid_from"))
        self._by_tier: dict[str, tuple[list[dt.date], list[SubsidyRate]]] = {}
        for tier in Tier.values:
            mine = sorted((r for r in rows if r.tier == tier), key=lambda r: r.valid_from)
            self._by_tier[tier] = ([r.valid_from for r in mine], mine)

    def in_force(self, tier: str, day: dt.date) -> SubsidyRate | None:
        days, rows = self._by_tier[tier]
        i = bisect.bisect_right(days, day)
        return rows[i - 1] if i else None


@dataclass(frozen=True)
class Decision:
    tier: str  # "" when not eligible
    rate: SubsidyRate | None
    reason: str  # why no subsidy ("" when a subsidy applies)


def decide(facts: PersonFacts, day: dt.date, rates: RateTable) -> Decision:
    """The tier and rate of one elder on one day, or the reason for none
    (before the one-meal-a-day rule, which the caller applies)."""
    if facts.dead_on(day):
        return Decision("", None, REASON_DEAD)
    if not facts.hukou:
        return Decision("", None, REASON_HUKOU)
    age = age_on(facts.birth_date, day)
    if age < MIN_AGE:
        return Decision("", None, REASON_YOUNG)
    high = (age >= HIGH_AGE or facts.in_ranges(facts.assistance, day) or facts.in_ranges(facts.disability, day))
    tier = Tier.HIGH.value if high else Tier.BASIC.value
    rate = rates.in_force(tier, day)
    if rate is None:
        return Decision(tier, None, REASON_PARAMETER)
    return Decision(tier, rate, "")
