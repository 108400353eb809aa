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

import numpy as np
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

    def in_force_many(self, tier: str, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`in_force` for many days (ordinals): the rate rows' ids (0: none
        in force, 参数缺失) and amounts in fen (0 where none)."""
        starts, rows = self._by_tier[tier]
        i = np.searchsorted(np.array([d.toordinal() for d in starts], dtype=np.int64), days, side="right")
        ids = np.array([0] + [r.pk for r in rows], dtype=np.int64)
        fen = np.array([0] + [r.amount_fen for r in rows], dtype=np.int64)
        return ids[i], fen[i]


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


_ALIVE = _FAR.toordinal() + 1  # the "dead from" day of a living person: never


class FactColumns:
    """The facts of the persons met so far in one import, in columns (numpy
    arrays by position), each person read once (:func:`person_facts`): birth
    year and month-day, hukou, the first day counted as dead, and the day
    ranges of assistance status or severe disability (the 4-yuan tier)."""

    def __init__(self) -> None:
        self._position: dict[int, int] = {}
        self._rows: list[tuple[int, int, bool, int]] = []
        self._ranges: list[tuple[int, int, int]] = []  # (position, first day, last day), ordinals
        self.birth_year = self.birth_md = self.dead_from = self.range_position = np.zeros(0, dtype=np.int64)
        self.range_start = self.range_end = np.zeros(0, dtype=np.int64)
        self.hukou = np.zeros(0, dtype=bool)

    def load(self, person_ids: Iterable[int]) -> None:
        new = [pk for pk in person_ids if pk not in self._position]
        if new:
            self.add(person_facts(new))

    def add(self, facts: dict[int, PersonFacts]) -> None:
        """Persons' facts as read by :func:`person_facts`, into the columns."""
        for pk, f in facts.items():
            position = self._position[pk] = len(self._rows)
            dead_from = f.death_date.toordinal() if f.death_date else (_ALIVE if f.alive else 0)
            self._rows.append((f.birth_date.year, f.birth_date.month * 100 + f.birth_date.day, f.hukou, dead_from))
            self._ranges += [(position, a.toordinal(), b.toordinal()) for a, b in (*f.assistance, *f.disability)]
        years, mds, hukou, dead = zip(*self._rows, strict=True)
        self.birth_year, self.birth_md = np.array(years, dtype=np.int64), np.array(mds, dtype=np.int64)
        self.hukou, self.dead_from = np.array(hukou, dtype=bool), np.array(dead, dtype=np.int64)
        ranges = np.array(sorted(self._ranges), dtype=np.int64).reshape(-1, 3)
        self.range_position, self.range_start, self.range_end = ranges[:, 0], ranges[:, 1], ranges[:, 2]

    def positions(self, person_ids: np.ndarray) -> np.ndarray:
        """Each person's position in the columns (all must be loaded)."""
        unique, inverse = np.unique(person_ids, return_inverse=True)
        return np.array([self._position[pk] for pk in unique.tolist()], dtype=np.int64)[inverse.reshape(-1)]

    def in_ranges(self, position: np.ndarray, day: np.ndarray) -> np.ndarray:
        """True where ``day`` falls in one of the person's ranges (4-yuan tier)."""
        lo = np.searchsorted(self.range_position, position, side="left")
        hi = np.searchsorted(self.range_position, position, side="right")
        inside = np.zeros(len(position), dtype=bool)
        for k in range(int((hi - lo).max(initial=0))):
            i = np.minimum(lo + k, len(self.range_start) - 1)
            inside |= (lo + k < hi) & (self.range_start[i] <= day) & (day <= self.range_end[i])
        return inside


@dataclass(frozen=True)
class Decisions:
    """:class:`Decision` for many rows: tier ("" when not eligible), the rate
    row's id and amount (0 when none) and the reason for no subsidy."""

    tier: np.ndarray  # object
    rate_id: np.ndarray  # int64
    amount_fen: np.ndarray  # int64
    reason: np.ndarray  # object


def decide_many(facts: FactColumns, person_ids: np.ndarray, days: np.ndarray, rates: RateTable) -> Decisions:
    """:func:`decide` for whole arrays of persons and days (ordinals) — the
    same rules in the same order: dead, not hukou, under 65, then the tier
    (80+, assistance status, severe disability) and the rate in force."""
    n = len(person_ids)
    position = facts.positions(person_ids)
    unique_days, inverse = np.unique(days, return_inverse=True)
    calendar = [dt.date.fromordinal(d) for d in unique_days.tolist()]
    year = np.array([d.year for d in calendar], dtype=np.int64)[inverse.reshape(-1)]
    md = np.array([d.month * 100 + d.day for d in calendar], dtype=np.int64)[inverse.reshape(-1)]
    age = year - facts.birth_year[position] - (md < facts.birth_md[position])
    dead = days >= facts.dead_from[position]
    outsider = ~dead & ~facts.hukou[position]
    young = ~dead & ~outsider & (age < MIN_AGE)
    eligible = ~(dead | outsider | young)
    high = eligible & ((age >= HIGH_AGE) | facts.in_ranges(position, days))
    tier = np.full(n, "", dtype=object)
    tier[eligible] = Tier.BASIC.value
    tier[high] = Tier.HIGH.value
    rate_id = np.zeros(n, dtype=np.int64)
    amount = np.zeros(n, dtype=np.int64)
    for value, rows in ((Tier.HIGH.value, high), (Tier.BASIC.value, eligible & ~high)):
        ids, fen = rates.in_force_many(value, days[rows])
        rate_id[rows], amount[rows] = ids, fen
    reason = np.full(n, "", dtype=object)
    reason[dead], reason[outsider], reason[young] = REASON_DEAD, REASON_HUKOU, REASON_YOUNG
    reason[eligible & (rate_id == 0)] = REASON_PARAMETER
    return Decisions(tier, rate_id, amount, reason)
