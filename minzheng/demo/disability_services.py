"""The demo district's 残疾人服务 (ADR 0037). Certificates already come with the
synthetic registry (ten-year validity, so some end within the coming months);
this adds, through the services:

* 康复辅具社区租赁: a service point in every town (the seed: "确保社区康复辅具租赁
  全覆盖"), rentals by certificate holders over the last year (some still
  running), and applications — all waiting for review with 参数缺失: REFERENCE
  gives no rate and the demo invents none (the bureau enters the real values
  on the 补贴标准 page; one application is refused to show the refusal).
* 精神障碍社区康复: a site in each of the 5 pilot towns the 2023 summary names
  (叶榭镇、九亭镇、泖港镇、岳阳街道、方松街道), working since 2023, and 3 more towns'
  sites 筹建中 (the 2024 plan adds 7); people served drawn from each town's
  residents (mental-disability certificate holders first), a few exited.
* 重度残疾人照护床位: three sites of the 2024 实事项目 (100 beds) with beds put
  into use in 2024 — 70 of 100 — so the progress shows a gap.

**Everything here is demo data** (names of points, operators, devices, rents,
dates, people served). Safe to run again: it does nothing once a service
point exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from minzheng.core.models import Division, DivisionLevel, User
from minzheng.disability_services import services
from minzheng.disability_services.models import CareBedProject, CoverageTarget, ServicePoint
from minzheng.registry.models import DisabilityCertificate, Person

ACTOR = "demo-setup"
PILOTS = ("310117120", "310117107", "310117109", "310117001", "310117003")  # 叶榭 九亭 泖港 岳阳 方松
PLANNED = ("310117102", "310117104", "310117105")  # 泗泾 车墩 新桥: 筹建中
DEVICES = (("wheelchair", "手动轮椅（演示）", (3000, 9000)), ("walker", "四脚助行器（演示）", (1500, 4000)),
           ("care_bed", "电动护理床（演示）", (12000, 30000)), ("commode", "坐便椅（演示）", (1000, 3000)),
           ("bath_chair", "洗澡椅（演示）", (800, 2500)))
BED_SITES = (("310117102", "泗泾镇养护院老养残照护单元（演示）", 40, ((dt.date(2024, 5, 20), 40),)),
             ("310117107", "九亭镇社区养护中心（演示）", 30, ((dt.date(2024, 7, 1), 20), (dt.date(2024, 8, 26), 10))),
             ("310117116", "石湖荡镇重残养护之家（演示）", 30, ()))


def _holders(today: dt.date, street: str, committee: str | None, n: int, rng: random.Random) -> list[Person]:
    """Certificate holders living in ``street`` whose certificate was valid a year ago and is valid today."""
    year_ago = today - dt.timedelta(days=365)
    rows = list(DisabilityCertificate.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=year_ago, person__street_id=street,
        person__alive=True, person__merged_into__isnull=True).values_list("person_id", "person__committee_id")
        .order_by("person_id")[:400])
    ours = [p for p, c in rows if c == committee]
    others = [p for p, c in rows if c != committee]
    picked = ours[:3] + rng.sample(others, min(len(others), max(0, n - len(ours[:3]))))
    return list(Person.objects.filter(pk__in=picked).order_by("id"))


def _rentals(rng: random.Random, today: dt.date, committee: str | None) -> tuple[int, int]:
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    rentals = applications = 0
    for street in streets:
        point = services.point_create(actor=ACTOR, name=f"{street.name}康复辅具租赁服务点（演示）",
                                      street_code=street.code, address=f"{street.name}社区服务中心一楼（演示地址）",
                                      operator="松江演示康复辅具租赁有限公司", opened_on=dt.date(2023, 3, 1),
                                      today=today)
        per_street = 6 if street.code == "310117001" else 3
        for n, person in enumerate(_holders(today, street.code, committee, per_street, rng)):
            category, name, (low, high) = DEVICES[(n + len(street.code)) % len(DEVICES)]
            start = max(point.opened_on, today - dt.timedelta(days=rng.randint(60, 330)))
            end = None if n % 3 == 2 else min(today, start + dt.timedelta(days=rng.randint(30, 120)))
            rental = services.rental_record(actor=ACTOR, point=point, person=person, device_category=category,
                                            device_name=name, start_on=start, end_on=end,
                                            monthly_rent_fen=rng.randint(low, high) // 10 * 10, today=today)
            rentals += 1
            if end is not None:
                relation = ("self", "family", "guardian")[n % 3]
                application = services.application_create(
                    actor=ACTOR, rental=rental, applicant_name="" if relation == "self" else f"{person.name}家属（演示）",
                    applicant_relation=relation, applied_on=end, today=today)
                applications += 1
                if street.code == "310117102" and n == 0:
                    services.application_reject(actor=ACTOR, application=application, today=today,
                                                reason="同期已享受其他辅具补贴（演示）")
    return rentals, applications


def _rehab(rng: random.Random, today: dt.date) -> tuple[int, int]:
    served = 0
    streets = dict(Division.objects.filter(code__in=PILOTS + PLANNED).values_list("code", "name"))
    for code in PILOTS + PLANNED:
        site = services.rehab_site_create(actor=ACTOR, name=f"{streets[code]}阳光心园（演示）", street_code=code,
                                          address=f"{streets[code]}某路（演示地址）", operator="松江演示精神康复服务社")
        if code in PLANNED:
            services.rehab_site_status_set(actor=ACTOR, site=site, status="planned", effective_on=dt.date(2024, 3, 1),
                                           note="2024年新增街镇（演示）", today=today)
            continue
        services.rehab_site_status_set(actor=ACTOR, site=site, status="working", effective_on=dt.date(2023, 4, 1),
                                       note="精神障碍社区康复试点街镇（2023年工作总结）", today=today)
        mental = list(DisabilityCertificate.objects.filter(person__street_id=code, kind="精神", person__alive=True,
                                                           person__merged_into__isnull=True)
                      .values_list("person_id", flat=True).distinct().order_by("person_id")[:12])
        people = list(Person.objects.filter(pk__in=mental).order_by("id"))
        for n, person in enumerate(people):
            row = services.participant_enrol(actor=ACTOR, site=site, person=person,
                                             enrolled_on=dt.date(2023, 4, 1) + dt.timedelta(days=20 * n), today=today)
            served += 1
            if n % 5 == 4:
                services.participant_exit(actor=ACTOR, participant=row, reason="康复后回归社区就业（演示）",
                                          exited_on=min(today, row.enrolled_on + dt.timedelta(days=rng.randint(90, 300))),
                                          today=today)
    return len(PILOTS), served


def _beds(today: dt.date) -> int:
    project = CareBedProject.objects.filter(year=2024).first()
    if project is None:  # the data migration's row (gone after a test flush): the same sentence
        project = services.care_bed_project_create(
            actor=ACTOR, name="2024年困难重度残疾人养护床位（市政府实事项目）", year=2024, target_beds=100,
            due_on=dt.date(2024, 8, 31), source="《2024年松江民政工作要点》一(六)：全力推进困难重度残疾人100张养护床位建设任务")
    opened = 0
    for code, name, planned, openings in BED_SITES:
        site = services.care_bed_site_create(actor=ACTOR, project=project, name=name, street_code=code,
                                             address="（演示地址）", planned_beds=planned)
        for day, beds in openings:
            services.beds_open(actor=ACTOR, site=site, opened_on=min(day, today), beds=beds, today=today)
            opened += beds
    return opened


def disability_services_seed(*, today: dt.date, seed: int = 2024, committee_user: User | None = None) -> str:
    if ServicePoint.objects.exists():
        return "残疾人服务演示数据已存在，跳过"
    rng = random.Random(seed)
    if not CoverageTarget.objects.filter(year=2024).exists():  # the data migration's rows, after a test flush
        services.coverage_target_set(actor=ACTOR, year=2024, percent=70, source="《2024年松江民政工作要点》一(六)："
                                     "在原有5个街镇试点基础上再增加7个街镇开展，年内达到70%街镇覆盖率")
    committee = committee_user.scope_id if committee_user is not None else None
    rentals, applications = _rentals(rng, today, committee)
    towns, served = _rehab(rng, today)
    beds = _beds(today)
    return (f"残疾人服务：租赁服务点 17 个、租赁记录 {rentals} 条、补贴申请 {applications} 件（补贴标准未录入，参数缺失）；"
            f"精神障碍社区康复试点街镇 {towns} 个、服务对象 {served} 人；照护床位已投用 {beds} 张")
