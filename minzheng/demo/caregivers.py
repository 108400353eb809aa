"""The demo district's caregivers (养老护理员, ADR 0028).

**Demo data, not published figures**: synthetic names and ID numbers (valid
check characters), employers among the demo facilities (the 33 养老院, the
centres, day care and rural care homes in operation), certificates drawn so
that about nine in ten hold one — the certified share is then *computed* from
these records like from real ones (the seed's 88.1 % is 2023's figure, never
written here) — 2024's training towards the 297 target (partial), and a few
最美护理员 awards. Safe to run again (nothing once demo caregivers exist).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.caregivers.models import (
    Caregiver,
    CaregiverAward,
    CaregiverTraining,
    CertificateLevel,
)
from minzheng.core.audit import audit_record
from minzheng.core.personal_data import blind_index_many, encrypt_many, mask_id_number
from minzheng.registry.services import with_check_character

ACTOR = "demo-setup"
DEMO = "（演示）"
# caregivers' home areas: Songjiang and provinces many caregivers come from (synthetic numbers)
AREAS = ("310117", "310117", "342401", "341221", "320323", "412722", "511325", "362330")


@transaction.atomic
def caregivers_seed(*, today: dt.date, seed: int = 2024) -> str:
    """A few hundred caregivers across the 33 homes and the centres: about nine in ten
    certified (drawn, then computed like any figure), 2024's training towards the 297
    target, a few awards. Written in bulk (one audit entry for the batch, like the demo
    population): the services' per-record audit would make the demo slow; the rows are
    built with the same storage rules (encrypted ID, blind index, masked copy)."""
    if Caregiver.objects.filter(note="演示数据").exists():
        return "演示养老护理员已存在，未重复生成。"
    rng = random.Random(seed + 15)
    employers = list(Facility.objects.filter(kind__in=[FacilityKind.CARE_HOME, FacilityKind.CENTRE,
                                                       FacilityKind.DAY_CARE, FacilityKind.RURAL_CARE_HOME],
                                             status=FacilityStatus.OPERATING, name__endswith=DEMO).order_by("id"))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
    given = ("秀英", "桂兰", "玉梅", "丽华", "春燕", "红梅", "建华", "国芳", "美玲", "海燕", "金凤", "晓梅", "雪琴",
             "志强", "卫东", "小红", "翠萍", "淑珍", "凤英", "爱华")
    levels = [CertificateLevel.JUNIOR] * 50 + [CertificateLevel.INTERMEDIATE] * 35 + [CertificateLevel.SENIOR] * 12 + \
        [CertificateLevel.TECHNICIAN] * 3
    used: set[str] = set()
    rows: list[tuple[Caregiver, str]] = []
    trainings: list[tuple[int, CaregiverTraining]] = []
    awards: list[tuple[int, CaregiverAward]] = []
    for employer in employers:
        if employer.kind == FacilityKind.CARE_HOME:
            count = max(4, min(60, (employer.beds or 100) // 14))
        elif employer.kind == FacilityKind.CENTRE:
            count = rng.randrange(2, 5)
        else:
            count = rng.randrange(1, 3)
        for _ in range(count):
            born = dt.date(rng.randrange(1965, 1996), rng.randrange(1, 13), rng.randrange(1, 29))
            while True:
                number = with_check_character(f"{rng.choice(AREAS)}{born:%Y%m%d}{rng.randrange(600, 999):03d}")
                if number not in used:
                    used.add(number)
                    break
            level = rng.choice(levels) if rng.random() < 0.85 else ""
            caregiver = Caregiver(
                name=rng.choice(surnames) + rng.choice(given), id_number_masked=mask_id_number(number),
                birth_date=born, sex="M" if int(number[16]) % 2 else "F", employer=employer,
                employed_since=dt.date(rng.randrange(2012, 2024), rng.randrange(1, 13), 1), certificate_level=level,
                certificate_number=f"YL{rng.randrange(10**9, 10**10)}" if level else "",
                certificate_issued_on=dt.date(rng.randrange(2015, 2024), rng.randrange(1, 13), 10) if level else None,
                note="演示数据")
            index = len(rows)
            rows.append((caregiver, number))
            # 2024 training: about half of those below 中级 reach it (short of the 297 target)
            if level in ("", CertificateLevel.JUNIOR) and rng.random() < 0.5 and today >= dt.date(2024, 12, 1):
                start = dt.date(2024, rng.randrange(2, 10), rng.randrange(1, 28))
                ended = start + dt.timedelta(days=60)
                trainings.append((index, CaregiverTraining(
                    course="养老护理员职业技能培训（中级）", hours=rng.choice((96, 120, 144)), started_on=start,
                    ended_on=ended, resulting_level=CertificateLevel.INTERMEDIATE)))
                caregiver.certificate_level = CertificateLevel.INTERMEDIATE
                caregiver.certificate_number = f"YL{rng.randrange(10**9, 10**10)}"
                caregiver.certificate_issued_on = ended
            if rng.random() < 0.02:
                awards.append((index, CaregiverAward(title="最美护理员", year=rng.choice((2023, 2024)),
                                                     awarded_by="松江区民政局（演示）")))
    numbers = [n for _, n in rows]
    for (caregiver, _), enc, idx in zip(rows, encrypt_many(numbers), blind_index_many(numbers), strict=True):
        caregiver.id_number_enc, caregiver.id_number_index = enc, idx
    made = Caregiver.objects.bulk_create([c for c, _ in rows], batch_size=500)
    for index, training in trainings:
        training.caregiver = made[index]
    for index, award in awards:
        award.caregiver = made[index]
    CaregiverTraining.objects.bulk_create([t for _, t in trainings], batch_size=500)
    CaregiverAward.objects.bulk_create([a for _, a in awards], batch_size=500)
    audit_record(actor=ACTOR, action="demo_data.caregivers", object_type="DemoData", object_id="caregivers",
                 changes={"caregivers": len(made), "trainings": len(trainings), "awards": len(awards)})
    return f"演示养老护理员 {len(made)} 名（2024年培训取得中级 {len(trainings)} 名，获奖 {len(awards)} 人次）"
