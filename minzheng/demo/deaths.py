"""The demo district's deaths of the past twelve months (公民身故“一件事”, ADR 0023),
recorded through the death record's services so that the consequences are real
(registry marked dead, spouse 丧偶, benefits stopped, paid months to recover).

Figures: the bureau handled 6,530 funeral cases in 2023 for about 1.9 million
residents, about **3.4 deaths per 1,000 residents a year**; the demo records
``round(persons × 3.4 / 1,000)`` deaths (at least 3). Everything else below is
**synthetic demo data** (our assumptions, not the bureau's figures):

* The deceased are mostly elderly: 80% drawn among residents aged 75 and over,
  20% among those aged 55-74 (fewer if the district has too few).
* A few of them (15%, at least 2) are on the caseload (an open enrolment):
  they die in the previous month, so the benefits stop from this month and a
  month already paid (this month's approved batch, when the demo has one)
  becomes an overpayment case; a household enrolment with survivors is
  flagged for re-review. The others have no open enrolment and die on any day
  of the past year (the caseload starts this month: an earlier death of an
  enrolled person would be inconsistent).
* Sources: every resident's cremation record (殡仪馆火化记录, the ``funeral``
  account, 2-5 days after death); 40% also a hospital's medical certificate
  (医院死亡医学证明, the ``bureau`` account, the day of death or the next);
  25% also a family report at the window (家属窗口申报, the ``street`` account
  for its street, else ``bureau``, 3-10 days after death); 30% also the
  police's 死亡注销 in a department file imported today (户籍变动) and turned
  into reports by the daily job 部门死亡数据入库 — one of them with a date one
  day earlier than the cremation record, so one record is 待核实（来源日期不一致）.
* 3% (at least 1) are non-residents cremated at the district's funeral home
  (未匹配人口库), with synthetic ID numbers of other provinces (sequence from
  901, above anything the population draws).
* The reports' registration times are set to their report days (a data
  migration's liberty, like the marriage archive's dates).

Idempotent: a district that has death records is left as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from minzheng.casework.models import Enrolment
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.personal_data import decrypt
from minzheng.core.scope import Scope
from minzheng.deaths.models import DeathRecord, DeathReport, SourceKind
from minzheng.deaths.services import death_report, death_report_for_person
from minzheng.feeds.selectors import source_get
from minzheng.feeds.services import feed_file_import
from minzheng.jobs.services import job_run_now
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.registry.services import with_check_character

PER_THOUSAND_A_YEAR = 3.4  # 6,530 cases in 2023 / ~1.9 million residents
NON_RESIDENT_NAMES = ("王建国", "李桂英", "张德明", "刘秀珍", "陈福生", "杨玉兰")
NON_RESIDENT_AREAS = ("340102", "320321", "410102", "511321")
PLACES = ("松江区中心医院", "家中", "松江区方塔中医医院", "养老机构")


@dataclass
class _Death:
    person: Person | None
    death_date: dt.date
    reports: list[tuple[dt.date, str]] = field(default_factory=list)  # (day, source)
    feed_date: dt.date | None = None
    name: str = ""
    id_number: str = ""


def _years_ago(today: dt.date, years: int) -> dt.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _enrolled_person_ids() -> tuple[set[int], set[int]]:
    """Persons with an open enrolment of their own, and members of households with one."""
    open_rows = Enrolment.objects.filter(status__in=("active", "suspended"))
    own = set(open_rows.filter(person__isnull=False).values_list("person_id", flat=True))
    households = open_rows.filter(person__isnull=True).values("household_id")
    members = set(HouseholdMembership.objects.filter(household_id__in=households, end_date__isnull=True)
                  .values_list("person_id", flat=True))
    return own, members


def _plan(today: dt.date, persons: int, rng: random.Random) -> list[_Death]:
    total = max(3, round(persons * PER_THOUSAND_A_YEAR / 1000))
    non_residents = max(1, round(total * 0.03))
    residents = total - non_residents
    alive = Person.objects.filter(alive=True, merged_into__isnull=True)
    own, members = _enrolled_person_ids()
    enrolled = own | members
    old = list(alive.filter(birth_date__lte=_years_ago(today, 75)).order_by("id").values_list("id", flat=True))
    middle = list(alive.filter(birth_date__lte=_years_ago(today, 55), birth_date__gt=_years_ago(today, 75))
                  .order_by("id").values_list("id", flat=True))
    enrolled_old = sorted(pid for pid in old + middle if pid in enrolled)
    chosen_enrolled = rng.sample(enrolled_old, min(len(enrolled_old), max(2, round(residents * 0.15))))
    rest = residents - len(chosen_enrolled)
    free_old = [pid for pid in old if pid not in enrolled]
    free_middle = [pid for pid in middle if pid not in enrolled]
    n_old = min(len(free_old), round(rest * 0.8))
    chosen = rng.sample(free_old, n_old) + rng.sample(free_middle, min(len(free_middle), rest - n_old))
    first_of_month = today.replace(day=1)
    previous_month_start = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    deaths: list[_Death] = []
    people = Person.objects.in_bulk(chosen_enrolled + chosen)
    for pid in chosen_enrolled:
        span = (first_of_month - previous_month_start).days
        deaths.append(_Death(people[pid], previous_month_start + dt.timedelta(days=rng.randrange(span))))
    for pid in chosen:
        deaths.append(_Death(people[pid], today - dt.timedelta(days=rng.randint(6, 365))))
    for death in deaths:
        day = death.death_date
        death.reports.append((min(today, day + dt.timedelta(days=rng.randint(2, 5))), SourceKind.FUNERAL_HOME))
        if rng.random() < 0.40:
            death.reports.append((min(today, day + dt.timedelta(days=rng.randint(0, 1))), SourceKind.HOSPITAL))
        if rng.random() < 0.25:
            death.reports.append((min(today, day + dt.timedelta(days=rng.randint(3, 10))), SourceKind.FAMILY))
        if rng.random() < 0.30:
            death.feed_date = day
        death.reports.sort()
    with_feed = [d for d in deaths if d.feed_date is not None] or deaths[:1]
    with_feed[0].feed_date = with_feed[0].death_date - dt.timedelta(days=1)  # the one conflicting source
    for n in range(non_residents):
        born = dt.date(rng.randint(1930, 1950), rng.randint(1, 12), rng.randint(1, 28))
        number = with_check_character(f"{rng.choice(NON_RESIDENT_AREAS)}{born:%Y%m%d}{901 + n:03d}")
        day = today - dt.timedelta(days=rng.randint(6, 365))
        deaths.append(_Death(None, day, [(min(today, day + dt.timedelta(days=3)), SourceKind.FUNERAL_HOME)],
                             name=NON_RESIDENT_NAMES[n % len(NON_RESIDENT_NAMES)], id_number=number))
    return deaths


def _police_file(deaths: list[_Death]) -> bytes:
    source = source_get("police_hukou")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(source.headers)
    for death in deaths:
        if death.person is None or death.feed_date is None:
            continue
        row = {"id_number": decrypt(death.person.id_number_enc), "name": death.person.name, "change": "死亡注销",
               "changed_on": death.feed_date.isoformat()}
        writer.writerow([row.get(c.field, "") for c in source.columns])
    return out.getvalue().encode("utf-8-sig")


def deaths_seed(*, persons: int, seed: int, today: dt.date | None = None) -> str:
    """Record the demo year of deaths once; returns a Chinese line for the set-up log."""
    if DeathRecord.objects.exists():
        return "演示死亡登记已存在"
    today = today or timezone.localdate()
    rng = random.Random(seed * 7919 + 23)
    accounts = {u.username: u for u in User.objects.filter(username__in=("funeral", "bureau", "street"))}
    funeral, bureau, street = accounts["funeral"], accounts["bureau"], accounts["street"]
    street_scope = Scope.of(street)
    deaths = _plan(today, persons, rng)
    times: dict[int, dt.datetime] = {}
    calls = sorted(((day, i, source) for i, d in enumerate(deaths) for day, source in d.reports),
                   key=lambda x: (x[0], x[1]))
    for day, i, source in calls:
        death = deaths[i]
        if death.person is None:
            record = death_report(actor=funeral, source=source, id_number=death.id_number, name=death.name,
                                  death_date=death.death_date, reference=f"火化-{day:%Y%m%d}-{i:03d}", today=day)
        else:
            if source == SourceKind.FUNERAL_HOME:
                actor, reference, place = funeral, f"火化-{day:%Y%m%d}-{i:03d}", ""
            elif source == SourceKind.HOSPITAL:
                actor, reference, place = bureau, f"医证-{day:%Y%m%d}-{i:03d}", rng.choice(PLACES)
            else:
                person = death.person
                actor = street if street_scope.covers(street_code=person.street_id,
                                                      committee_code=person.committee_id) else bureau
                reference, place = "", ""
            record = death_report_for_person(actor=actor, person=death.person, source=source,
                                             death_date=death.death_date, reference=reference, place=place,
                                             reporter="家属" if source == SourceKind.FAMILY else "", today=day)
        report = record.reports.order_by("-id").first()
        assert report is not None
        times[report.pk] = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    for pk, at in times.items():
        DeathReport.objects.filter(pk=pk).update(recorded_at=at)
    for record in DeathRecord.objects.all():
        first = record.reports.order_by("recorded_at").values_list("recorded_at", flat=True).first()
        DeathRecord.objects.filter(pk=record.pk).update(
            created_at=first, processed_at=first if record.processed_at else None)
    police = sum(1 for d in deaths if d.person is not None and d.feed_date is not None)
    if police:
        feed_file_import(actor=bureau, source_code="police_hukou", filename=f"户籍变动-死亡注销-{today:%Y%m%d}.csv",
                         content=_police_file(deaths), today=today)
    _job, outcome = job_run_now(actor="demo-setup", kind="deaths_from_feeds", params={})
    records = DeathRecord.objects.count()
    audit_record(actor="demo-setup", action="demo_data.deaths", object_type="DeathRecord",
                 changes={"records": records, "reports": DeathReport.objects.count(), "seed": seed})
    conflicts = DeathRecord.objects.filter(status="conflict").count()
    unmatched = DeathRecord.objects.filter(person__isnull=True).count()
    stopped = DeathRecord.objects.filter(~Q(consequences__stopped=[]), person__isnull=False).count()
    return (f"演示死亡登记 {records} 人（近12个月，按每千人每年约{PER_THOUSAND_A_YEAR}人）：来源 "
            f"{DeathReport.objects.count()} 条，待核实 {conflicts} 人，未匹配人口库 {unmatched} 人，"
            f"有待遇停发的 {stopped} 人；{outcome.summary}")
