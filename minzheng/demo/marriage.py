"""The demo district's marriage registry office (婚姻登记处): its archive from
2023 to the demo's today, brought over like the caseload, so the statistics
page reproduces the bureau's 2023 report and the registrar has a day's work.

**2023, exactly the seed's figures** (the bureau's 2023 work report): 结婚登记
4,845 对, 离婚申请 2,707 对, 离婚登记 1,895 对, 补发婚姻证书 1,445 张; from
2023-06-01 (跨省通办 pilot) 953 cross-province marriages, 402 applications and
221 divorces, "分别占同期…29.09%、22.31%和17.64%". The shares are of the same
June–December period, so the June–December totals are the integers whose
shares round (half up, two decimals) to exactly those percentages:
953/3,276 = 29.09%, 402/1,802 = 22.31%, 221/1,253 = 17.64% (the only such
integers: 3,275 and 3,277 give 29.10% and 29.08%, and so on); January–May
is the rest (1,569 / 905 / 642). See :data:`SEED_2023`.

Assumptions (ours, docs/adr/0022-marriage-registration.md, "Demo"):

* Monthly spread: marriages peak in February (情人节 2月14日), May (5月20日),
  the month of 七夕 and October (after the National Day holiday); divorces
  and applications peak in March (after the Spring Festival) and in the
  autumn; re-issues are flat (:data:`MARRIAGE_WEIGHTS` …). Within a month
  records fall on working days (``core.workdays``), and 2月14日, 5月20日 and
  七夕 are open even on a weekend and take six times a normal day's couples.
* Later years to the demo's today: the 2023 totals times a factor drawn in
  ±4% per year and figure, the 2023 monthly weights, and the June–December
  2023 cross-province shares (through the nationwide rule from 2025-05-10,
  where the same couples count as 异地). The current month up to yesterday.
* Parties: synthetic, valid ID numbers (GB 11643, the demo's identity
  generator; non-residents get sequence numbers from 901, above anything the
  population draws). About 55% of the parties of a marriage since 2023 are
  registry residents of the right sex and age where enough are left (the
  couple lives in the district), the rest non-residents; residents get their
  marital status (已婚, then 离婚) in the registry.
* A divorce needs its marriage in this system (migration 0001 keeps no
  marriages registered elsewhere). Ordinary divorces and re-issues are of
  older marriages registered here before 2023 (at least one Shanghai party,
  as the rule of the time required), written only for them; so years before
  2023 are **not** complete and the statistics of those years mean nothing.
  A cross-province divorce needs a cross-province marriage, which exists
  here only from June 2023: in the demo those couples married here under the
  pilot (in reality most married in their home province). The counts are
  exact; those couples' histories are not realistic.
* The divorce clock of every application is ``marriage.clock`` (民法典 art.
  1077); each registered divorce lies in its application's appearance window.
  Applications whose window runs past today are open (冷静期 or 待双方到场),
  a few whose window ended are left for the daily 视为撤回 job; a last day
  in a year without a recorded holiday arrangement stays empty
  (``clock.divorce_clock_partial``, 期限待定) as the registration service
  leaves it, and the output names the year.
* 8 group ceremonies "上海之根 山水婚典" a year (seed: 8 in 2023) on 2月14日,
  5月20日, 七夕 and Saturdays, each with 8–16 couples (in force) who registered
  in the 60 days before — written with the archive; the next one (the Saturday
  after next) is being prepared through the ceremony service.
* Today's appointments: couples booked into the office's remaining slots
  of the first day with open slots (the booking core, ``demo.bookings``'s
  resource), 1–3 per slot, through the booking service.

**Bulk path.** Like the caseload, the archive is a data migration: rows are
written with ``BulkWriter`` (COPY on PostgreSQL), with one audit entry
``demo_data.marriage`` (seed, counts, id ranges); what a registrar does
(ceremonies) goes through the services, each audited. Deterministic for a
seed and a today; done once (a second run finds the office's records and
changes nothing).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import Division, Role, User
from minzheng.core.personal_data import blind_index_many, encrypt_many, mask_id_number
from minzheng.core.services import user_ensure
from minzheng.core.workdays import (
    HolidayArrangementMissing,
    calendar_held,
    is_working_day,
    known_years,
)
from minzheng.demo.bulk_write import BulkWriter
from minzheng.demo.identity import OTHER_PROVINCES, OTHER_SHANGHAI
from minzheng.demo.names import draw_names
from minzheng.marriage import ceremonies
from minzheng.marriage.clock import divorce_clock, divorce_clock_partial
from minzheng.marriage.models import (
    Ceremony,
    CeremonyCouple,
    CertificateCounter,
    CertificateKind,
    CertificateStatus,
    DivorceApplication,
    DivorceStatus,
    DocumentKind,
    MarriageCertificate,
    MarriageDocument,
    MarriageParty,
    MarriageRegistration,
    MarriageStatus,
)
from minzheng.marriage.services import OFFICE_SUFFIX  # the office's name as the services write it
from minzheng.marriage.statistics import CROSS_FROM
from minzheng.registry.models import MaritalStatus, MaritalStatusRecord, Person
from minzheng.registry.services import with_check_character

ACTOR = "demo_data"
OFFICE = "310117"
ACTION = "demo_data.marriage"
FIRST_YEAR = 2023
PILOT = CROSS_FROM  # the cross-province pilot's first day


@dataclass(frozen=True)
class YearFigures:
    """A year's totals split at the pilot's start (January–May, June–December)
    and the June–December cross-province counts."""

    marriages: tuple[int, int]
    applications: tuple[int, int]
    divorces: tuple[int, int]
    reissues: int
    cross: tuple[int, int, int]  # marriages, applications, divorces (June–December)


# The seed's 2023 (see the module docstring for the June–December denominators).
SEED_2023 = YearFigures(marriages=(4845 - 3276, 3276), applications=(2707 - 1802, 1802),
                        divorces=(1895 - 1253, 1253), reissues=1445, cross=(953, 402, 221))
SEED_2023_SHARES = ("29.09", "22.31", "17.64")

#                    1    2    3    4    5    6    7    8    9    10    11   12
MARRIAGE_WEIGHTS = (7.0, 8.5, 6.0, 6.5, 8.5, 7.0, 6.5, 9.0, 8.5, 10.0, 7.0, 7.5)
DIVORCE_WEIGHTS = (6.0, 6.5, 9.5, 8.5, 8.0, 7.5, 8.0, 8.5, 8.0, 7.0, 8.5, 8.0)
REISSUE_WEIGHTS = (8.0, 7.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 9.0, 8.0, 8.0)
# 七夕 (the 7th day of the 7th lunar month), from the lunar calendar
QIXI = {2023: dt.date(2023, 8, 22), 2024: dt.date(2024, 8, 10), 2025: dt.date(2025, 8, 29),
        2026: dt.date(2026, 8, 19), 2027: dt.date(2027, 8, 8), 2028: dt.date(2028, 8, 26)}
SPECIAL_WEIGHT = 6.0
RESIDENT_SHARE = 0.55
RATE_SPREAD = 0.04
CEREMONIES_PER_YEAR = 8
CEREMONY_PLACES = ("松江区婚姻登记处颁证厅", "广富林文化遗址", "泰晤士小镇", "醉白池公园", "佘山国家森林公园")
# a ceremony's theme by its month (七夕 falls in August in 2023–2028)
CEREMONY_THEMES = {1: "新春 同心", 2: "情定云间", 3: "春日 花开", 4: "春日 花开", 5: "五二〇 山水之约",
                   6: "初夏 相守", 7: "盛夏 相守", 8: "七夕 良缘", 9: "金秋 同心", 10: "国庆 家和",
                   11: "金秋 同心", 12: "岁末 长情"}


def split(total: int, weights: list[float] | tuple[float, ...]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder): the
    parts are integers and add up to ``total`` exactly."""
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() == 0:
        return [0] * len(weights)
    exact = weights / weights.sum() * total
    parts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[: total - parts.sum()]] += 1
    return parts.tolist()


def percent(part: int, whole: int) -> str:
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------
# The calendar of the office


class OfficeDays:
    """Working days (``core.workdays``, one pass per year) and the clock per
    receipt day (``marriage.clock``, memoised): years without a recorded
    holiday arrangement have no working days here."""

    def __init__(self) -> None:
        self.known = set(known_years())
        self._working: dict[int, list[dt.date]] = {}
        self._clock: dict[dt.date, object] = {}
        self._open: dict[int, set[dt.date]] = {}
        self.missing_years: set[int] = set()

    def is_open(self, day: dt.date) -> bool:
        key = day.year * 100 + day.month
        if key not in self._open:
            self._open[key] = set(self.working(day.year, day.month))
        return day in self._open[key]

    def working(self, year: int, month: int) -> list[dt.date]:
        key = year * 100 + month
        if key not in self._working:
            days = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
            self._working[key] = [d for d in days if year in self.known and is_working_day(d)]
            if year not in self.known:
                self.missing_years.add(year)
        return self._working[key]

    def clock(self, received: dt.date):
        """The clock of an application received on ``received``; a last day in a
        year without a recorded holiday arrangement is ``None`` (``divorce_clock_partial``,
        filled later by the daily job)."""
        if received not in self._clock:
            try:
                self._clock[received] = divorce_clock(received)
            except HolidayArrangementMissing as err:
                self.missing_years.add(err.year)
                self._clock[received] = divorce_clock_partial(received)
        return self._clock[received]


def special_days(year: int) -> set[dt.date]:
    days = {dt.date(year, 2, 14), dt.date(year, 5, 20)}
    if year in QIXI:
        days.add(QIXI[year])
    return days


# ---------------------------------------------------------------------------
# Monthly targets


@dataclass
class MonthTarget:
    marriages: int = 0
    cross_marriages: int = 0
    applications: int = 0
    cross_applications: int = 0
    divorces: int = 0
    cross_divorces: int = 0
    reissues: int = 0


def _year_figures(year: int, rng: np.random.Generator) -> YearFigures:
    if year == FIRST_YEAR:
        return SEED_2023
    factors = 1 + rng.uniform(-RATE_SPREAD, RATE_SPREAD, size=4)
    m, a, d = (round(sum(x) * f) for x, f in zip(
        (SEED_2023.marriages, SEED_2023.applications, SEED_2023.divorces), factors[:3], strict=True))
    return YearFigures(marriages=(0, m), applications=(0, a), divorces=(0, d),
                       reissues=round(SEED_2023.reissues * factors[3]), cross=(0, 0, 0))


def month_targets(year: int, rng: np.random.Generator, today: dt.date, days: OfficeDays) -> dict[int, MonthTarget]:
    """Month → targets for ``year`` (months before today; the current month
    pro rata of its working days before today)."""
    figures = _year_figures(year, rng)
    targets = {m: MonthTarget() for m in range(1, 13)}
    if year == FIRST_YEAR:
        # the seed's halves: January–May and June–December; cross counts from June
        # (divorces from July: a cross-province divorce needs an application from June 1)
        for key, (early, late), weights in (("marriages", figures.marriages, MARRIAGE_WEIGHTS),
                                            ("applications", figures.applications, DIVORCE_WEIGHTS),
                                            ("divorces", figures.divorces, DIVORCE_WEIGHTS)):
            for m, n in zip(range(1, 6), split(early, weights[:5]), strict=True):
                setattr(targets[m], key, n)
            for m, n in zip(range(6, 13), split(late, weights[5:]), strict=True):
                setattr(targets[m], key, n)
        cm, ca, cd = figures.cross
        for m, n in zip(range(6, 13), split(cm, [targets[m].marriages for m in range(6, 13)]), strict=True):
            targets[m].cross_marriages = n
        for m, n in zip(range(6, 13), split(ca, [targets[m].applications for m in range(6, 13)]), strict=True):
            targets[m].cross_applications = n
        for m, n in zip(range(7, 13), split(cd, [targets[m].divorces for m in range(7, 13)]), strict=True):
            targets[m].cross_divorces = n
    else:
        shares = [Decimal(c) / Decimal(t) for c, t in zip(
            SEED_2023.cross, (SEED_2023.marriages[1], SEED_2023.applications[1], SEED_2023.divorces[1]), strict=True)]
        for key, total, weights in (("marriages", figures.marriages[1], MARRIAGE_WEIGHTS),
                                    ("applications", figures.applications[1], DIVORCE_WEIGHTS),
                                    ("divorces", figures.divorces[1], DIVORCE_WEIGHTS)):
            for m, n in zip(range(1, 13), split(total, weights), strict=True):
                setattr(targets[m], key, n)
        for t in targets.values():
            t.cross_marriages = int((t.marriages * shares[0]).to_integral_value(ROUND_HALF_UP))
            t.cross_applications = int((t.applications * shares[1]).to_integral_value(ROUND_HALF_UP))
            t.cross_divorces = int((t.divorces * shares[2]).to_integral_value(ROUND_HALF_UP))
    for m, n in zip(range(1, 13), split(figures.reissues, REISSUE_WEIGHTS), strict=True):
        targets[m].reissues = n
    # months not yet over: none after today's month; the current month pro rata
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        if first > today or (first.year, first.month) == (today.year, today.month) and today.day == 1:
            targets[m] = MonthTarget()
        elif (year, m) == (today.year, today.month):
            open_days = days.working(year, m)
            share = sum(1 for d in open_days if d < today) / max(len(open_days), 1)
            t = targets[m]
            for key in ("marriages", "cross_marriages", "applications", "cross_applications", "divorces",
                        "cross_divorces", "reissues"):
                setattr(t, key, int(getattr(t, key) * share))
    return targets


# ---------------------------------------------------------------------------
# The rows being built (ids assigned here, written column-wise at the end)


@dataclass
class Party:
    sex: str
    name: str
    number: str  # plain ID number ('' for a registry resident: enc/index/masked given)
    birth: dt.date
    province: str
    person_id: int | None = None
    enc: str = ""
    index: str = ""
    masked: str = ""


@dataclass
class Marriage:
    id: int
    day: dt.date
    cross: bool
    man: Party
    woman: Party
    status: str = MarriageStatus.IN_FORCE
    ended_on: dt.date | None = None
    busy: bool = False  # has an application (each marriage at most one in the demo)
    certificates: dict[str, int] = field(default_factory=dict)  # sex → certificate id


@dataclass
class Application:
    id: int
    marriage: Marriage
    received: dt.date
    withdrawal_until: dt.date
    appear_until: dt.date
    status: str = DivorceStatus.PENDING
    closed_on: dt.date | None = None
    registered_on: dt.date | None = None
    withdrawn_by: str = ""
    note: str = ""


@dataclass
class Certificate:
    id: int
    kind: str
    prefix: str
    marriage: Marriage
    holder_sex: str
    day: dt.date
    divorce: Application | None = None
    reissue_of: int | None = None
    reason: str = ""
    status: str = CertificateStatus.VALID
    superseded_on: dt.date | None = None
    number: str = ""


class PartyFactory:
    """Residents from the registry (right sex and age, each used once) or
    synthetic non-residents."""

    AGES = {"M": (22, 38), "F": (20, 36)}

    def __init__(self, rng: np.random.Generator, existing_index: set[str]) -> None:
        self.rng = rng
        self.existing = existing_index
        self.pools: dict[tuple[str, bool], tuple[list[dt.date], list[dict]]] = {}
        self.used: set[int] = set()
        self.sequences: dict[tuple[str, dt.date, str], int] = defaultdict(int)
        self.names: dict[tuple[str, bool, int], list[str]] = defaultdict(list)
        rows = (Person.objects.filter(alive=True, merged_into__isnull=True, marital_statuses__isnull=True)
                .values("id", "sex", "birth_date", "hukou_shanghai", "name", "id_number_enc", "id_number_index",
                        "id_number_masked").order_by("birth_date", "id"))
        grouped: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        for row in rows:
            grouped[(row["sex"], row["hukou_shanghai"])].append(row)
        for key, people in grouped.items():
            self.pools[key] = ([p["birth_date"] for p in people], people)
        self.residents = 0

    def resident(self, sex: str, local: bool, on: dt.date, ages: tuple[int, int]) -> Party | None:
        births, people = self.pools.get((sex, local), ([], []))
        low = bisect.bisect_left(births, _years_before(on, ages[1]))
        high = bisect.bisect_right(births, _years_before(on, ages[0]))
        for _ in range(6):
            if high <= low:
                return None
            row = people[int(self.rng.integers(low, high))]
            if row["id"] in self.used:
                continue
            self.used.add(row["id"])
            self.residents += 1
            number_province = "31" if local else row["id_number_masked"][:2]
            return Party(sex, row["name"], "", row["birth_date"], number_province, row["id"],
                         row["id_number_enc"], row["id_number_index"], row["id_number_masked"])
        return None

    def synthetic(self, sex: str, local: bool, on: dt.date, ages: tuple[int, int]) -> Party:
        age_days = int(self.rng.integers(ages[0] * 366, (ages[1] + 1) * 365))
        birth = on - dt.timedelta(days=age_days)
        if local:
            area = OTHER_SHANGHAI[int(self.rng.integers(0, len(OTHER_SHANGHAI)))]
        else:
            weights = np.array([w for _, w in OTHER_PROVINCES], dtype=float)
            area = OTHER_PROVINCES[int(self.rng.choice(len(OTHER_PROVINCES), p=weights / weights.sum()))][0]
        name = self._name(sex, local, birth.year)
        while True:
            k = 450 + self.sequences[(area, birth, sex)]
            self.sequences[(area, birth, sex)] += 1
            if k > 499:
                birth -= dt.timedelta(days=1)
                continue
            order = 2 * k + (1 if sex == "M" else 2)
            number = with_check_character(f"{area}{birth:%Y%m%d}{order:03d}")
            if blind_index_many([number])[0] not in self.existing:
                return Party(sex, name, number, birth, "31" if local else area[:2])

    def _name(self, sex: str, local: bool, birth_year: int) -> str:
        """A name from the demo's tables, drawn in blocks per (sex, hukou, birth era)."""
        era = 1960 if birth_year < 1970 else 1985 if birth_year < 1995 else 2000  # names.draw_given_names' eras
        key = (sex, local, era)
        if not self.names[key]:
            block = 512
            self.names[key] = draw_names(self.rng, sex=np.full(block, sex), birth_year=np.full(block, era),
                                         local=np.full(block, local))[::-1]
        return self.names[key].pop()

    def party(self, sex: str, local: bool, on: dt.date, *, resident_share: float,
              ages: tuple[int, int] | None = None) -> Party:
        ages = ages or self.AGES[sex]
        if self.rng.random() < resident_share:
            found = self.resident(sex, local, on, ages)
            if found is not None:
                return found
        return self.synthetic(sex, local, on, ages)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------------------
# The archive


@dataclass
class Summary:
    marriages: int = 0
    older_marriages: int = 0
    applications: int = 0
    divorces: int = 0
    reissues: int = 0
    open_applications: int = 0
    due_for_expiry: int = 0
    residents: int = 0
    ceremonies: int = 0
    ceremony_couples: int = 0
    next_ceremony: str = ""
    seconds: float = 0.0
    skipped: bool = False
    missing_years: list[int] = field(default_factory=list)
    undated: int = 0  # open applications whose last day falls in a year without recorded holidays
    message: str = ""


class Archive:
    """Builds the office's records in memory, then writes them."""

    def __init__(self, *, seed: int, today: dt.date, writer: BulkWriter) -> None:
        self.rng = np.random.default_rng([seed, 13])
        self.today = today
        self.days = OfficeDays()
        self.writer = writer
        self.next = {model: writer.next_id(model) for model in
                     (MarriageRegistration, MarriageParty, MarriageCertificate, DivorceApplication, MarriageDocument,
                      MaritalStatusRecord)}
        existing = set(Person.objects.values_list("id_number_index", flat=True))
        existing |= set(MarriageParty.objects.values_list("id_number_index", flat=True))
        self.parties = PartyFactory(self.rng, existing)
        self.marriages: list[Marriage] = []
        self.applications: list[Application] = []
        self.certificates: list[Certificate] = []
        self.certificate_by_id: dict[int, Certificate] = {}
        self.divorce_certificates: dict[tuple[int, str], Certificate] = {}  # (application id, sex) →
        self.shortfall: dict[tuple[int, int], int] = {}  # applications not made: no clock (holidays missing)
        self.cross_pool: list[Marriage] = []  # cross-province marriages since the pilot, by day

    def _id(self, model) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value

    # -- marriages

    def marriage(self, day: dt.date, *, cross: bool, resident_share: float) -> Marriage:
        if cross:
            man = self.parties.party("M", False, day, resident_share=resident_share)
            woman = self.parties.party("F", False, day, resident_share=resident_share)
        else:
            man_local = bool(self.rng.random() < 0.7)
            man = self.parties.party("M", man_local, day, resident_share=resident_share)
            # at least one Shanghai party (the rule before the pilot; not cross-province after it)
            woman_local = True if man.province != "31" else bool(self.rng.random() < 0.6)
            woman = self.parties.party("F", woman_local, day, resident_share=resident_share)
        marriage = Marriage(self._id(MarriageRegistration), day, cross, man, woman)
        for sex in ("M", "F"):
            marriage.certificates[sex] = self.certificate(CertificateKind.MARRIAGE, CertificateKind.MARRIAGE,
                                                          marriage, sex, day).id
        self.marriages.append(marriage)
        return marriage

    def older_marriage(self, before: dt.date) -> Marriage:
        """A marriage registered here before 2023 (and at least a year before
        ``before``), at least one Shanghai party."""
        latest = min(before - dt.timedelta(days=365), dt.date(FIRST_YEAR - 1, 12, 31))
        first = dt.date(1995, 1, 1)
        day = first + dt.timedelta(days=int(self.rng.integers(0, (latest - first).days + 1)))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return self.marriage(day, cross=False, resident_share=0.35)

    def certificate(self, kind: str, prefix: str, marriage: Marriage, sex: str, day: dt.date, **extra) -> Certificate:
        certificate = Certificate(self._id(MarriageCertificate), kind, prefix, marriage, sex, day, **extra)
        self.certificates.append(certificate)
        self.certificate_by_id[certificate.id] = certificate
        return certificate

    def daily(self, year: int, month: int, n: int, *, special: bool) -> list[dt.date]:
        """``n`` days of the month before today, working days (and the special
        days when ``special``), drawn with weights."""
        if n == 0:
            return []
        days = [d for d in self.days.working(year, month) if d < self.today]
        if special:
            extra = [d for d in special_days(year) if d.month == month and d < self.today and d not in days]
            days = sorted(days + extra)
        if not days:
            raise ValueError(f"no open day in {year}-{month:02d} before {self.today}")
        weights = np.array([SPECIAL_WEIGHT if special and d in special_days(year) else 1.0 for d in days])
        counts = self.rng.multinomial(n, weights / weights.sum())
        return [d for d, c in zip(days, counts.tolist(), strict=True) for _ in range(c)]

    # -- the whole archive

    def build(self, report: Callable[[str], None]) -> dict[tuple[int, int], MonthTarget]:
        targets: dict[tuple[int, int], MonthTarget] = {}
        for year in range(FIRST_YEAR, self.today.year + 1):
            for month, target in month_targets(year, self.rng, self.today, self.days).items():
                targets[(year, month)] = target
        report("结婚登记")
        for (year, month), t in sorted(targets.items()):
            days = self.daily(year, month, t.marriages, special=True)
            cross = set(self.rng.choice(len(days), size=t.cross_marriages, replace=False).tolist()) if days else set()
            for i, day in enumerate(days):
                marriage = self.marriage(day, cross=i in cross, resident_share=RESIDENT_SHARE)
                if marriage.cross:
                    self.cross_pool.append(marriage)
        self.cross_pool.sort(key=lambda m: (m.day, m.id))
        self.cross_days = [m.day for m in self.cross_pool]
        report("离婚登记")
        capacity = {key: [t.applications - t.cross_applications, t.cross_applications] for key, t in targets.items()}
        self._divorces(targets, capacity)
        report("离婚申请")
        self._other_applications(capacity)
        report("补发婚姻证书")
        self._reissues(targets)
        return targets

    def _divorces(self, targets, capacity) -> None:
        for (year, month), t in sorted(targets.items()):
            days = self.daily(year, month, t.divorces, special=False)
            # a cross-province divorce comes from a cross-province application (from the pilot's first
            # day) of a couple married here under the pilot: not in its first weeks
            eligible = [i for i, d in enumerate(days) if d >= PILOT + dt.timedelta(days=45)]
            if len(eligible) < t.cross_divorces:
                raise RuntimeError(f"{year}-{month:02d}: too few days for the cross-province divorces")
            cross = set(self.rng.choice(eligible, size=t.cross_divorces, replace=False).tolist()) if eligible else set()
            for i, day in enumerate(days):
                self._divorce(day, cross=i in cross, capacity=capacity)

    def _receipt_days(self, day: dt.date) -> list[tuple[dt.date, object]]:
        """Receipt days whose appearance window holds ``day`` (民法典 art. 1077)."""
        found = []
        for back in range(31, 66):
            received = day - dt.timedelta(days=back)
            if not self.days.is_open(received):
                continue
            clock = self.days.clock(received)
            if clock.appear_until is not None and clock.withdrawal_until < day <= clock.appear_until:
                found.append((received, clock))
        return found

    def _divorce(self, day: dt.date, *, cross: bool, capacity) -> None:
        slot = 1 if cross else 0
        options = []
        for received, clock in self._receipt_days(day):
            key = (received.year, received.month)
            room = capacity[key][slot] if key in capacity else 10**9  # before 2023: no target
            if room > 0 and (not cross or received >= PILOT):
                options.append((room, received, clock))
        self.rng.shuffle(options)
        options.sort(key=lambda o: -min(o[0], 10**6))
        for _room, received, clock in options:
            marriage = self._marriage_for(received, cross)
            if marriage is None:
                continue
            key = (received.year, received.month)
            if key in capacity:
                capacity[key][slot] -= 1
            application = self._application(marriage, received, clock)
            application.status = DivorceStatus.REGISTERED
            application.registered_on = application.closed_on = day
            marriage.status, marriage.ended_on = MarriageStatus.DIVORCED, day
            for sex in ("M", "F"):
                self.divorce_certificates[(application.id, sex)] = self.certificate(
                    CertificateKind.DIVORCE, CertificateKind.DIVORCE, marriage, sex, day, divorce=application)
            return
        raise RuntimeError(f"no receipt day with room for a {'cross-province ' if cross else ''}divorce on {day}")

    def _marriage_for(self, received: dt.date, cross: bool) -> Marriage | None:
        if not cross:
            return self.older_marriage(received)
        end = bisect.bisect_left(self.cross_days, received)
        free = [m for m in self.cross_pool[:end] if not m.busy and m.status == MarriageStatus.IN_FORCE]
        if not free:
            return None
        return free[int(self.rng.integers(0, len(free)))]

    def _application(self, marriage: Marriage, received: dt.date, clock) -> Application:
        marriage.busy = True
        application = Application(self._id(DivorceApplication), marriage, received, clock.withdrawal_until,
                                  clock.appear_until)
        self.applications.append(application)
        return application

    def _other_applications(self, capacity) -> None:
        """The applications that did not end in a divorce before today:
        withdrawn in the cooling-off period, deemed withdrawn, or still open.
        A cross-province one needs a cross-province couple married here before
        it: when the drawn day has none, the next working day that has one."""
        for (year, month), (plain, cross) in sorted(capacity.items()):
            if plain < 0 or cross < 0:
                raise RuntimeError(f"{year}-{month:02d}: more divorces than applications")
            days = [d for d in self.days.working(year, month) if d < self.today]
            short = 0
            for is_cross, n in ((False, plain), (True, cross)):
                if n and not days:
                    short += n
                    continue
                for received in sorted(self.rng.choice(days, size=n).tolist()) if n else []:
                    later = [d for d in days if d >= received]
                    marriage = None
                    for day in later:
                        marriage = self._marriage_for(day, is_cross)
                        if marriage is not None:
                            received = day
                            break
                    if marriage is None:
                        raise RuntimeError(f"{year}-{month:02d}: no cross-province couple for an application")
                    self._close(self._application(marriage, received, self.days.clock(received)))
            if short:
                self.shortfall[(year, month)] = short

    def _close(self, application: Application) -> None:
        """What became of an application that is not a divorce, as of today."""
        today = self.today
        withdraw = self.rng.random() < 0.55
        if application.withdrawal_until is None or application.appear_until is None:
            return  # a last day not known yet (holidays not recorded): surely still open
        if withdraw and application.withdrawal_until < today:
            span = (min(application.withdrawal_until, today - dt.timedelta(days=1)) - application.received).days
            on = application.received + dt.timedelta(days=int(self.rng.integers(1, max(span, 1) + 1)))
            application.status, application.closed_on = DivorceStatus.WITHDRAWN, on
            application.withdrawn_by = f"{'男方' if self.rng.random() < 0.5 else '女方'}"
            sex = "M" if application.withdrawn_by == "男方" else "F"
            application.withdrawn_by += (application.marriage.man if sex == "M" else application.marriage.woman).name
            application.note = "当事人不愿意离婚，撤回离婚登记申请"
        elif application.appear_until < today - dt.timedelta(days=3):
            application.status = DivorceStatus.DEEMED_WITHDRAWN
            application.closed_on = application.appear_until + dt.timedelta(days=1)
            application.note = "到场期限内双方未申请发给离婚证，视为撤回离婚登记申请（《民法典》第一千零七十七条）"
        # else: open — in the cooling-off period, in the appearance window, or due for 视为撤回

    def _reissues(self, targets) -> None:
        divorced = sorted((a for a in self.applications if a.status == DivorceStatus.REGISTERED),
                          key=lambda a: (a.registered_on, a.id))
        divorce_days = [a.registered_on for a in divorced]
        reissued: set[int] = set()
        for (year, month), t in sorted(targets.items()):
            for day in self.daily(year, month, t.reissues, special=False):
                sex = "M" if self.rng.random() < 0.5 else "F"
                old = None
                if self.rng.random() < 0.15:  # a 离婚证
                    end = bisect.bisect_left(divorce_days, day)
                    for _ in range(4):
                        if end == 0:
                            break
                        application = divorced[int(self.rng.integers(0, end))]
                        candidate = self.divorce_certificates[(application.id, sex)]
                        if candidate.id not in reissued:
                            old = candidate
                            break
                if old is None:  # a 结婚证 of a marriage in force
                    marriage = self.older_marriage(day)
                    old = self.certificate_by_id[marriage.certificates[sex]]
                reissued.add(old.id)
                old.status, old.superseded_on = CertificateStatus.SUPERSEDED, day
                prefix = "BJ" if old.kind == CertificateKind.MARRIAGE else "BL"
                self.certificate(old.kind, prefix, old.marriage, sex, day, divorce=old.divorce, reissue_of=old.id,
                                 reason="遗失" if self.rng.random() < 0.8 else "损毁")


# ---------------------------------------------------------------------------
# Writing


def _numbers(certificates: list[Certificate]) -> dict[str, int]:
    """Certificate numbers per series in issue order; the last number per series."""
    last: dict[str, int] = defaultdict(int)
    for c in sorted(certificates, key=lambda c: (c.day, c.id)):
        key = f"{c.prefix}{OFFICE}-{c.day.year}"
        last[key] += 1
        c.number = f"{key}-{last[key]:06d}"
    return dict(last)


def _declaration(kind: str, name: str, masked: str, other: str) -> str:
    # the registration service's wording (婚姻登记条例 as revised: the two declarations)
    if kind == DocumentKind.NO_SPOUSE:
        return f"本人{name}（身份证号 {masked}）郑重声明：本人目前无配偶。以上声明如有不实，本人愿承担法律责任。"
    return (f"本人{name}（身份证号 {masked}）郑重声明：本人与{other}没有直系血亲和三代以内旁系血亲关系。"
            "以上声明如有不实，本人愿承担法律责任。")


def _write(archive: Archive, registrar: User, office: Division) -> dict[str, int]:
    writer, now = archive.writer, archive.writer.datetime(timezone.now())
    marriages, applications, certificates = archive.marriages, archive.applications, archive.certificates
    last = _numbers(certificates)
    # parties: synthetic numbers encrypted and indexed in bulk
    parties: list[tuple[Marriage, Party, int]] = []
    for m in marriages:
        for p in (m.man, m.woman):
            parties.append((m, p, archive._id(MarriageParty)))
    plain = [p.number for _, p, _ in parties if p.person_id is None]
    encrypted = iter(encrypt_many(plain))
    indexed = iter(blind_index_many(plain))
    for _, p, _ in parties:
        if p.person_id is None:
            p.enc, p.index, p.masked = next(encrypted), next(indexed), mask_id_number(p.number)
    party_id = {(m.id, p.sex): pid for m, p, pid in parties}
    cert_by_id = {c.id: c for c in certificates}

    def column(rows, n):
        return [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in range(n)]

    counts: dict[str, int] = {}
    reg_cols = ("id", "office_id", "registered_on", "registrar_id", "cross_province", "status", "ended_on",
                "booking_ref", "created_at")
    counts["marriages"] = writer.write(MarriageRegistration, reg_cols, column(
        [(m.id, office.code, m.day, registrar.pk, m.cross, m.status, m.ended_on, "", now) for m in marriages],
        len(reg_cols)))
    party_cols = ("id", "registration_id", "sex", "name", "id_number_enc", "id_number_index", "id_number_masked",
                  "birth_date", "domicile_province", "person_id")
    counts["parties"] = writer.write(MarriageParty, party_cols, column(
        [(pid, m.id, p.sex, p.name, p.enc, p.index, p.masked, p.birth, p.province, p.person_id)
         for m, p, pid in parties], len(party_cols)))
    app_cols = ("id", "marriage_id", "office_id", "received_on", "received_by_id", "withdrawal_until", "appear_until",
                "cross_province", "status", "closed_on", "withdrawn_by", "close_note", "registered_on",
                "registrar_id", "created_at")
    counts["applications"] = writer.write(DivorceApplication, app_cols, column(
        [(a.id, a.marriage.id, office.code, a.received, registrar.pk, a.withdrawal_until, a.appear_until,
          a.marriage.cross, a.status, a.closed_on, a.withdrawn_by, a.note, a.registered_on,
          registrar.pk if a.registered_on else None, now) for a in applications], len(app_cols)))
    cert_cols = ("id", "number", "kind", "registration_id", "divorce_id", "holder_id", "office_id", "issued_on",
                 "issued_by_id", "status", "reissue_of_id", "reissue_reason", "superseded_on")
    counts["certificates"] = writer.write(MarriageCertificate, cert_cols, column(
        [(c.id, c.number, c.kind, c.marriage.id, c.divorce.id if c.divorce else None,
          party_id[(c.marriage.id, c.holder_sex)], office.code, c.day, registrar.pk, c.status, c.reissue_of,
          c.reason, c.superseded_on) for c in sorted(certificates, key=lambda c: c.id)], len(cert_cols)))
    docs = []
    for m in marriages:
        if m.day.year < FIRST_YEAR:  # older marriages: the paper file stays in the archive
            continue
        for p, other in ((m.man, m.woman), (m.woman, m.man)):
            for kind in (DocumentKind.NO_SPOUSE, DocumentKind.NO_KINSHIP):
                text = _declaration(kind, p.name, p.masked, other.name)
                docs.append((archive._id(MarriageDocument), m.id, None, kind, p.name, m.day, text, "", "",
                             hashlib.sha256(text.encode()).hexdigest(), registrar.username, now))
    for a in applications:
        text = f"{a.marriage.man.name}与{a.marriage.woman.name}自愿离婚，对子女抚养、财产及债务处理等事项协商一致。（演示数据）"
        docs.append((archive._id(MarriageDocument), a.marriage.id, a.id, DocumentKind.DIVORCE_AGREEMENT,
                     f"{a.marriage.man.name}、{a.marriage.woman.name}", a.received, text, "", "",
                     hashlib.sha256(text.encode()).hexdigest(), registrar.username, now))
    for c in certificates:
        if c.reissue_of is not None:
            old = cert_by_id[c.reissue_of]
            holder = c.marriage.man if c.holder_sex == "M" else c.marriage.woman
            text = f"{holder.name}申请补领{CertificateKind(c.kind).label}（原证 {old.number}），原因：{c.reason}"
            docs.append((archive._id(MarriageDocument), c.marriage.id, c.divorce.id if c.divorce else None,
                         DocumentKind.REISSUE_APPLICATION, holder.name, c.day, text, "", "",
                         hashlib.sha256(text.encode()).hexdigest(), registrar.username, now))
    doc_cols = ("id", "registration_id", "divorce_id", "kind", "signed_by", "signed_on", "text", "file",
                "original_name", "sha256", "recorded_by", "recorded_at")
    counts["documents"] = writer.write(MarriageDocument, doc_cols, column(docs, len(doc_cols)))
    statuses = []
    divorce_of = {a.marriage.id: a for a in applications if a.registered_on}
    for m in marriages:
        for p in (m.man, m.woman):
            if p.person_id is None:
                continue
            # as the registration service writes it: the office, not the certificate (the registry's
            # readers are not registrars)
            statuses.append((archive._id(MaritalStatusRecord), p.person_id, MaritalStatus.MARRIED, m.day,
                             f"结婚登记（{office.name}{OFFICE_SUFFIX}）", f"marriage:{m.id}", ACTOR, now))
            if m.status == MarriageStatus.DIVORCED:
                application = divorce_of[m.id]
                statuses.append((archive._id(MaritalStatusRecord), p.person_id, MaritalStatus.DIVORCED, m.ended_on,
                                 f"离婚登记（{office.name}{OFFICE_SUFFIX}）", f"divorce:{application.id}", ACTOR, now))
    status_cols = ("id", "person_id", "status", "since", "source", "reference", "recorded_by", "recorded_at")
    counts["marital_statuses"] = writer.write(MaritalStatusRecord, status_cols, column(statuses, len(status_cols)))
    for key, value in last.items():
        counter, _ = CertificateCounter.objects.get_or_create(key=key, defaults={"last": 0})
        if counter.last < value:
            counter.last = value
            counter.save(update_fields=["last"])
    return counts


MODELS = (MarriageRegistration, MarriageParty, DivorceApplication, MarriageCertificate, MarriageDocument,
          MaritalStatusRecord, Ceremony, CeremonyCouple)


def demo_registrar(password: str) -> User:
    """The demo registrar (婚姻登记员) of the district office; signs in like the other demo accounts."""
    return user_ensure(actor="demo-setup", username="registrar", password=password, role=Role.REGISTRAR,
                       scope_code=OFFICE, full_name="王丽", post="松江区民政局婚姻登记处 婚姻登记员")


def marriage_archive_seed(*, registrar: User, seed: int = 2024, today: dt.date | None = None,
                          progress: Callable[[str], None] | None = None) -> Summary:
    """The office's records from 2023 to the day before ``today`` (see the
    module docstring), ceremonies included. Once: a second run skips."""
    say = progress or (lambda _m: None)
    today = today or timezone.localdate()
    office = Division.objects.get(code=OFFICE)
    if MarriageRegistration.objects.filter(office=office).exists():
        return Summary(skipped=True, message="婚姻登记处已有登记档案，未重新生成演示数据。")
    started = time.perf_counter()
    writer = BulkWriter()
    summary = Summary()
    # inside one transaction: on PostgreSQL the tables' indexes and foreign keys are dropped and rebuilt
    # within it (``BulkWriter.loading``), so a crash leaves the schema as it was
    with transaction.atomic(), writer.loading(writer.secondary_schema(MODELS)), calendar_held():
        archive = Archive(seed=seed, today=today, writer=writer)
        archive.build(lambda stage: say(f"生成演示婚姻登记档案：{stage}"))
        first = {model._meta.model_name: writer.next_id(model) for model in MODELS}
        counts = _write(archive, registrar, office)
        drafts = ceremony_drafts(archive, np.random.default_rng([seed, 14]), writer.next_id(Ceremony))
        summary.ceremonies, summary.ceremony_couples = _write_ceremonies(writer, drafts, registrar)
        counts.update(ceremonies=summary.ceremonies, ceremony_couples=summary.ceremony_couples)
        summary.marriages = sum(1 for m in archive.marriages if m.day.year >= FIRST_YEAR)
        summary.older_marriages = len(archive.marriages) - summary.marriages
        summary.applications = len(archive.applications)
        summary.divorces = sum(1 for a in archive.applications if a.status == DivorceStatus.REGISTERED)
        summary.reissues = sum(1 for c in archive.certificates if c.reissue_of is not None)
        open_ = [a for a in archive.applications if a.status == DivorceStatus.PENDING]
        summary.open_applications = sum(1 for a in open_ if a.appear_until is None or a.appear_until >= today)
        summary.due_for_expiry = len(open_) - summary.open_applications
        summary.residents = archive.parties.residents
        summary.missing_years = sorted(y for y in archive.days.missing_years if y <= today.year + 1)
        summary.undated = sum(1 for a in open_ if a.appear_until is None)
        audit_record(actor=ACTOR, action=ACTION, object_type="DemoData", object_id=OFFICE, scope_code=OFFICE,
                     changes={"seed": seed, "today": today, **counts,
                              "id_ranges": {name: [first[name], writer.next_id(model) - 1]
                                            for model in MODELS if (name := model._meta.model_name)}})
    writer.reset_sequences(MODELS)
    writer.analyze(MODELS)
    summary.next_ceremony = next_ceremony_seed(registrar=registrar, today=today, seed=seed)
    summary.seconds = round(time.perf_counter() - started, 2)
    summary.message = _message(summary, today)
    return summary


def _message(s: Summary, today: dt.date) -> str:
    text = (f"演示婚姻登记档案：{FIRST_YEAR}年起结婚登记 {s.marriages} 对（另有此前登记、后来离婚或补证的 "
            f"{s.older_marriages} 对），离婚申请 {s.applications} 对，离婚登记 {s.divorces} 对，补发证书 {s.reissues} 张；"
            f"办理中的离婚申请 {s.open_applications} 件，到场期限已过待视为撤回 {s.due_for_expiry} 件；"
            f"人口库居民当事人 {s.residents} 人；集体颁证 {s.ceremonies} 场（{s.ceremony_couples} 对新人）；{s.next_ceremony}"
            f"用时 {s.seconds} 秒。")
    if s.missing_years:
        text += (f"\n注意：{'、'.join(map(str, s.missing_years))}年节假日安排尚未录入，{s.undated} 件办理中的离婚申请"
                 "期限待定（录入后由每日作业补算）。")
    return text


# ---------------------------------------------------------------------------
# Group ceremonies: the past ones with the archive (bulk), the next one through
# the service (the registrar's work in progress, each step audited)


def ceremony_days(year: int, rng: np.random.Generator) -> list[dt.date]:
    """8 days a year: 2月14日, 5月20日, 七夕 and five Saturdays of other months."""
    days = sorted(special_days(year))
    for month in (4, 6, 9, 10, 11, 12):
        saturdays = [d for d in (dt.date(year, month, n) for n in range(1, calendar.monthrange(year, month)[1] + 1))
                     if d.weekday() == 5]
        days.append(saturdays[int(rng.integers(0, len(saturdays)))])
    return sorted(days)[:CEREMONIES_PER_YEAR]


@dataclass
class CeremonyDraft:
    id: int
    day: dt.date
    place: str
    theme: str
    couples: list[int]


def _theme(day: dt.date) -> str:
    return f"{CEREMONY_THEMES[day.month]}——结婚登记主题颁证仪式"


def ceremony_drafts(archive: Archive, rng: np.random.Generator, first_id: int) -> list[CeremonyDraft]:
    """The past ceremonies, each with 8–16 couples (in force) registered in the 60 days before it."""
    in_force = sorted((m for m in archive.marriages if m.status == MarriageStatus.IN_FORCE
                       and m.day.year >= FIRST_YEAR - 1), key=lambda m: (m.day, m.id))
    days = [m.day for m in in_force]
    taken: set[int] = set()
    drafts = []
    for year in range(FIRST_YEAR, archive.today.year + 1):
        for day in ceremony_days(year, rng):
            if day >= archive.today:
                continue
            low, high = bisect.bisect_right(days, day - dt.timedelta(days=60)), bisect.bisect_right(days, day)
            free = [m.id for m in in_force[low:high] if m.id not in taken]
            chosen = sorted(rng.choice(free, size=min(len(free), int(rng.integers(8, 17))), replace=False).tolist())
            taken.update(chosen)
            drafts.append(CeremonyDraft(first_id + len(drafts), day,
                                        CEREMONY_PLACES[int(rng.integers(0, len(CEREMONY_PLACES)))], _theme(day),
                                        chosen))
    return drafts


def _write_ceremonies(writer: BulkWriter, drafts: list[CeremonyDraft], registrar: User) -> tuple[int, int]:
    now = writer.datetime(timezone.now())
    rows = [(d.id, OFFICE, "上海之根 山水婚典", d.day, d.place, d.theme, registrar.pk, ACTOR, now) for d in drafts]
    cols = ("id", "office_id", "name", "held_on", "place", "theme", "registrar_id", "created_by", "created_at")
    made = writer.write(Ceremony, cols, [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in cols])
    next_id = writer.next_id(CeremonyCouple)
    couples = [(next_id + i, d.id, pk, ACTOR, now) for i, (d, pk) in
               enumerate((d, pk) for d in drafts for pk in d.couples)]
    cols = ("id", "ceremony_id", "registration_id", "added_by", "added_at")
    added = writer.write(CeremonyCouple, cols,
                         [list(c) for c in zip(*couples, strict=True)] if couples else [[] for _ in cols])
    return made, added


def next_ceremony_seed(*, registrar: User, today: dt.date, seed: int) -> str:
    """The next ceremony, being prepared: recorded and filled through the
    service (audited) with couples registered here in the last weeks."""
    rng = np.random.default_rng([seed, 15])
    day = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)  # the Saturday after next
    ceremony = ceremonies.ceremony_create(actor=registrar, name="上海之根 山水婚典", held_on=day,
                                          place=CEREMONY_PLACES[int(rng.integers(0, len(CEREMONY_PLACES)))],
                                          theme=_theme(day),
                                          registrar=registrar)
    candidates = list(ceremonies.couple_candidates(registrar, ceremony, limit=30))
    for marriage in candidates[: min(len(candidates), 6)]:
        ceremonies.ceremony_couple_add(actor=registrar, ceremony=ceremony, registration=marriage)
    return f"筹备中的集体颁证：{day:%Y年%m月%d日}，已确定新人 {min(len(candidates), 6)} 对。"


# ---------------------------------------------------------------------------
# Today's appointments (the booking core, ADR 0021)

APPOINTMENT_PURPOSE = "结婚登记"
APPOINTMENTS_PER_SLOT = (1, 3)


def appointments_for_today_seed(*, registrar: User, today: dt.date, seed: int = 2024) -> str:
    """Couples booked for the office's remaining slots of the first open day
    from ``today`` (today if slots remain, else the next day with slots), 1–3
    per slot, synthetic non-residents, booked by the registrar through the
    booking service (each audited). Once: a day that already has demo
    appointments is left alone."""
    from minzheng.bookings.models import Booking, Resource, ResourceKind, Slot
    from minzheng.bookings.services import book
    from minzheng.demo.bookings import OFFICE as BOOKING_OFFICE

    office = Resource.objects.filter(name=BOOKING_OFFICE, kind=ResourceKind.MARRIAGE_WINDOW).first()
    if office is None:
        return "婚姻登记预约：预约资源尚未建立，未生成当日预约。"
    # slots starting within the next half hour are left out: booking a day's appointments takes time, and a
    # slot that starts meanwhile refuses bookings (该时段已过)
    now = timezone.now() + dt.timedelta(minutes=30)
    first = Slot.objects.filter(resource=office, start__gt=now, day__gte=today).order_by("start").first()
    if first is None:
        return "婚姻登记预约：近期没有开放的预约时段（节假日安排未录入或已约满），未生成当日预约。"
    slots = list(Slot.objects.filter(resource=office, day=first.day, start__gt=now).order_by("start"))
    if Booking.objects.filter(slot__in=slots, purpose=APPOINTMENT_PURPOSE).exists():
        return f"婚姻登记预约：{first.day:%Y年%m月%d日}已有演示预约，未重复生成。"
    rng = np.random.default_rng([seed, 16, first.day.toordinal()])
    existing = set(Person.objects.values_list("id_number_index", flat=True))
    existing |= set(MarriageParty.objects.values_list("id_number_index", flat=True))
    people = PartyFactory(rng, existing)
    made = 0
    for slot in slots:
        for _ in range(min(slot.capacity - slot.booked, int(rng.integers(*APPOINTMENTS_PER_SLOT, endpoint=True)))):
            local = bool(rng.random() < 0.6)
            man = people.synthetic("M", local, first.day, PartyFactory.AGES["M"])
            woman = people.synthetic("F", bool(rng.random() < 0.6) if local else local, first.day,
                                     PartyFactory.AGES["F"])
            book(slot, parties=[(man.name, man.number), (woman.name, woman.number)], purpose=APPOINTMENT_PURPOSE,
                 actor=registrar)
            made += 1
    when = "今天" if first.day == today else f"{first.day:%Y年%m月%d日}（今天已无可约时段）"
    return f"婚姻登记预约：{when}演示预约结婚登记 {made} 对（虚构人员，经预约服务登记）。"
