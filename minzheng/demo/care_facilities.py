"""The demo district's elderly-care facility network and its caregivers (ADR 0028).

**Everything here is demo data, not published figures**: every name carries
（演示）, the operators, their credit codes (valid check characters, otherwise
invented), addresses, coordinates, beds, opening dates and the caregivers are
synthetic. What follows the seed: the kinds, exactly 33 facilities of kind
养老院 (the seed's "全区33家养老机构均纳入云监管"), one large district welfare
home (the seed's 区级福利院 with 1000 beds), about 60 canteens and meal points,
and for 2024 a mix of opened, building and planned facilities so that the
2024 targets (data rows of migration 0003) show partial progress. One street
has no meal service and two have no operating 综合为老服务中心 yet, so the
"15-minute" reach shows gaps. Figures (progress, coverage, certified share)
are computed from these records like from real ones; none is written here.

Safe to run again: it does nothing once the first demo facility exists.
Writes go through the services (audited), under the plain-name actor
``demo-setup``. Other demo loaders run after this one and pick facilities by
kind (``Facility.objects.filter(kind=...)``).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from stdnum.cn import uscc

from minzheng.care_facilities import services
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionKind, DivisionLevel, User

ACTOR = "demo-setup"
DEMO = "（演示）"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CARE_HOMES = 33
HOURS = {FacilityKind.CENTRE: "8:00-20:00", FacilityKind.CANTEEN: "10:30-13:00，16:30-18:30",
         FacilityKind.MEAL_POINT: "11:00-12:30", FacilityKind.STATION: "8:30-17:00",
         FacilityKind.DAY_CARE: "8:00-17:30", FacilityKind.HEALTH_HOME: "8:30-20:00",
         FacilityKind.RURAL_CARE_HOME: "全天", FacilityKind.CARE_HOME: "全天"}
SUFFIX = {FacilityKind.CENTRE: "社区综合为老服务中心", FacilityKind.CANTEEN: "社区长者食堂",
          FacilityKind.MEAL_POINT: "社区助餐点", FacilityKind.STATION: "家门口养老服务站",
          FacilityKind.RURAL_CARE_HOME: "乡村长者照护之家", FacilityKind.HEALTH_HOME: "长者运动健康之家",
          FacilityKind.DAY_CARE: "日间照料中心", FacilityKind.CARE_HOME: "养老院"}


def _uscc(rng: random.Random) -> str:
    body = "52310117" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _short(name: str) -> str:
    for tail in ("街道", "镇", "居委会", "村委会", "居民委员会", "村民委员会"):
        if name.endswith(tail) and len(name) > len(tail):
            return name[: -len(tail)]
    return name


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.made: list[Facility] = []
        self.names: set[tuple[str, str, str]] = set()

    def day(self, year: int) -> dt.date:
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), self.today)
        return start + dt.timedelta(days=self.rng.randrange(max((end - start).days, 1)))

    def add(self, street: Division, committee: Division, kind: str, *, name: str | None = None,
            status: str = FacilityStatus.OPERATING, opened: int | None = None, **extra) -> Facility:
        rng = self.rng
        opened_year = opened or rng.randrange(2012, 2024)
        dates: dict = {}
        if status == FacilityStatus.PLANNED:
            dates["planned_on"] = self.day(opened_year)
        else:
            building = self.day(opened_year - 1 if status != FacilityStatus.BUILDING else opened_year)
            dates["planned_on"] = building - dt.timedelta(days=rng.randrange(60, 300))
            dates["building_since"] = building
            if status == FacilityStatus.OPERATING:
                dates["operating_since"] = max(self.day(opened_year), building)
        label = name or f"{_short(committee.name)}{SUFFIX[kind]}"
        base, n = label, 1
        while (committee.code, kind, label) in self.names:
            n += 1
            label = f"{base}{n}号"
        self.names.add((committee.code, kind, label))
        facility = services.facility_create(
            actor=ACTOR, today=self.today, name=f"{label}{DEMO}", kind=kind, committee=committee, status=status,
            address=f"{street.name}{_short(committee.name)}路{rng.randrange(1, 999)}号（演示地址）",
            longitude=Decimal(f"{rng.uniform(121.08, 121.36):.6f}"), latitude=Decimal(f"{rng.uniform(30.92, 31.12):.6f}"),
            operator_name=f"松江区{_short(street.name)}{rng.choice(('乐龄', '颐康', '福寿', '安心', '康乐'))}"
                          f"养老服务社{DEMO}",
            operator_uscc=_uscc(rng), opening_hours=HOURS[kind], **dates, **extra)
        self.made.append(facility)
        return facility


def _pick(committees: list[Division], n: int) -> Division:
    return committees[n % len(committees)]


@transaction.atomic
def care_facilities_seed(*, today: dt.date, seed: int = 2024) -> str:
    if Facility.objects.filter(name__endswith=DEMO).exists():
        return "演示养老服务设施已存在，未重复生成。"
    rng = random.Random(seed)
    b = _Builder(rng, today)
    streets = list(Division.objects.filter(level=DivisionLevel.STREET, active=True).order_by("code"))
    plan: list[tuple[Division, list[Division], list[Division]]] = []
    for street in streets:
        committees = list(Division.objects.filter(parent=street, level=DivisionLevel.COMMITTEE, active=True)
                          .order_by("code"))
        if committees:
            villages = [c for c in committees if c.kind == DivisionKind.VILLAGE]
            plan.append((street, committees, villages))
    if not plan:
        return "没有居村委，未生成演示养老服务设施（请先运行 demo_data）。"
    last = len(plan) - 1
    for i, (street, committees, villages) in enumerate(plan):
        # 综合为老服务中心: one per street; the 2024 pair: one opened, one still building
        if i == last - 1:
            b.add(street, committees[0], FacilityKind.CENTRE, opened=2024, beds=20)
        elif i == last:
            b.add(street, committees[0], FacilityKind.CENTRE, status=FacilityStatus.BUILDING, opened=2024)
        else:
            b.add(street, committees[0], FacilityKind.CENTRE, beds=rng.randrange(10, 40))
        # meals: canteens and meal points (about 60 in all); the third street from the end has none yet
        if i == last - 2:
            pass
        elif i == last - 1:
            b.add(street, _pick(committees, 1), FacilityKind.CANTEEN, opened=2024)
        elif i == last:
            for n in range(3):
                b.add(street, _pick(committees, n + 1), FacilityKind.MEAL_POINT)
        else:
            for n in range(2):
                b.add(street, _pick(committees, n + 1), FacilityKind.CANTEEN)
                b.add(street, _pick(committees, n + 3), FacilityKind.MEAL_POINT)
        # 家门口养老服务站: three per street, day care one per street
        for n in range(3):
            b.add(street, _pick(committees, n + 2), FacilityKind.STATION)
        b.add(street, _pick(committees, 5), FacilityKind.DAY_CARE, beds=rng.randrange(15, 40))
        # 乡村长者照护之家 in the towns' villages
        if villages:
            b.add(street, villages[0], FacilityKind.RURAL_CARE_HOME, beds=rng.randrange(12, 30))
        # 长者运动健康之家 in about a third of the streets
        if i % 3 == 0:
            b.add(street, _pick(committees, 4), FacilityKind.HEALTH_HOME)
    # 2024 work plan: stations 3 opened, 1 building, 1 planned; rural care homes 2/1/1; one health home
    towns = [(s, c, v) for s, c, v in plan if v]
    for n, status in enumerate([FacilityStatus.OPERATING] * 3 + [FacilityStatus.BUILDING, FacilityStatus.PLANNED]):
        street, committees, _ = plan[(n * 3) % len(plan)]
        b.add(street, _pick(committees, n + 7), FacilityKind.STATION, status=status, opened=2024,
              name=f"{_short(_pick(committees, n + 7).name)}第二家门口养老服务站")
    for n, status in enumerate([FacilityStatus.OPERATING] * 2 + [FacilityStatus.BUILDING, FacilityStatus.PLANNED]):
        if towns:
            street, _, villages = towns[n % len(towns)]
            village = villages[(n // len(towns) + 1) % len(villages)]
            b.add(street, village, FacilityKind.RURAL_CARE_HOME, status=status, opened=2024,
                  name=f"{_short(village.name)}第二乡村长者照护之家", beds=rng.randrange(12, 25))
    street, committees, _ = plan[1 % len(plan)]
    b.add(street, _pick(committees, 6), FacilityKind.HEALTH_HOME, opened=2024,
          name=f"{_short(_pick(committees, 6).name)}第二长者运动健康之家")
    homes = _care_homes(b, plan)
    audit_record(actor=ACTOR, action="demo_data.care_facilities", object_type="DemoData", object_id="care_facilities",
                 changes={"facilities": len(b.made)})
    counts = {k.label: sum(1 for f in b.made if f.kind == k) for k in FacilityKind}
    return (f"\n演示养老服务设施 {len(b.made)} 个（其中养老院 {len(homes)} 家）：" +
            "，".join(f"{k} {n}" for k, n in counts.items() if n))


def _care_homes(b: _Builder, plan) -> list[Facility]:
    """Exactly 33 养老院: the district welfare home (1000 beds) and 32 others; 2023's
    upgrades (2 smart, 10 internet-hospital links, 136 dementia beds) and 2024's
    (1 smart of 1, 1 internet-hospital link of 2, 60 dementia beds of 100)."""
    rng = b.rng
    homes: list[Facility] = []
    street, committees, _ = plan[0]
    homes.append(b.add(street, committees[-1], FacilityKind.CARE_HOME, name="松江区社会福利院", opened=2023,
                       beds=1000, dementia_beds=60, dementia_beds_since=dt.date(2023, 10, 1),
                       internet_hospital=True, internet_hospital_since=dt.date(2023, 11, 1)))
    n = 0
    while len(homes) < CARE_HOMES:
        street, committees, _ = plan[n % len(plan)]
        committee = committees[-1 - (n // len(plan)) % len(committees)]
        index = len(homes)
        extra: dict = {"beds": rng.randrange(60, 400)}
        if index <= 3:  # 2023: 76 more dementia beds (136 with the welfare home's 60)
            extra.update(dementia_beds=(20, 20, 36)[index - 1], dementia_beds_since=dt.date(2023, 6, index))
        elif index in (4, 5):  # 2024: 60 dementia beds
            extra.update(dementia_beds=30, dementia_beds_since=dt.date(2024, 5 + index, 1))
        elif rng.random() < 0.3:  # earlier units (before 2023)
            extra.update(dementia_beds=rng.randrange(8, 30),
                         dementia_beds_since=dt.date(rng.randrange(2016, 2023), rng.randrange(1, 13), 1))
        if index in (6, 7):  # 2023's two smart care homes
            extra.update(smart=True, smart_since=dt.date(2023, 9, index))
        if index == 8:  # 2024's smart care home
            extra.update(smart=True, smart_since=dt.date(2024, 8, 15))
        if 9 <= index <= 18:  # 10 earlier pilots, then 2023's
            extra.update(internet_hospital=True,
                         internet_hospital_since=dt.date(2022 if index < 14 else 2023, 3, index))
        if index == 19:  # 2024: one link of the two planned
            extra.update(internet_hospital=True, internet_hospital_since=dt.date(2024, 10, 8))
        if "dementia_beds" in extra and extra["dementia_beds"] > extra["beds"]:
            extra["beds"] = extra["dementia_beds"] + 40
        homes.append(b.add(street, committee, FacilityKind.CARE_HOME, name=f"{_short(committee.name)}养老院",
                           **extra))
        n += 1
    return homes


def facility_staff_seed(*, carehome: User, canteen: User) -> str:
    """Link the demo accounts: carehome to two 养老院 (the welfare home first), canteen to one 社区长者食堂."""
    homes = list(Facility.objects.filter(kind=FacilityKind.CARE_HOME, name__endswith=DEMO).order_by("id")[:2])
    canteens = list(Facility.objects.filter(kind=FacilityKind.CANTEEN, name__endswith=DEMO,
                                            status=FacilityStatus.OPERATING).order_by("id")[:1])
    linked = []
    for user, facilities in ((carehome, homes), (canteen, canteens)):
        for facility in facilities:
            if not facility.staff_accounts.filter(user=user).exists():
                services.facility_staff_link(actor=ACTOR, facility=facility, user=user)
                linked.append(f"{user.username}→{facility.name}")
    return "关联设施工作人员账号：" + ("；".join(linked) if linked else "已关联")
