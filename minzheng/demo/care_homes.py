"""The demo district's care institutions from the inside (养老机构, ADR 0029).

**Everything here is demo data (演示)**: for every 养老院 of the facility
register that is in operation and has its beds recorded, rooms of three beds
(the first ``dementia_beds`` beds 认知障碍照护床位, about a fifth 护理床位),
synthetic residents filling 70–90 % of the beds in service (names drawn like the demo
population's, ID numbers of other Shanghai districts with sequence numbers the
demo population does not use, so none matches the registry), earlier residents
already discharged, care levels 1–6 leaning to the higher levels, staff (about
one caregiver per four to seven residents, nurses, a doctor, a social worker,
managers, logistics) and a few incidents of the last three months, most closed
with their follow-up. The assessments' validity dates are synthetic (no
validity period is known from REFERENCE); a few run out within the month so
the operator's inbox shows them.

The demo account ``carehome`` is linked to one institution (the first whose
name has 福利院, else the first) when the facilities demo has not linked it.

Fast: bulk inserts, one audit entry; nothing to do when there is no such
facility (the facilities demo has not run) or when beds already exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import numpy as np
from django.db import transaction
from django.utils import timezone

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.care_homes.models import (
    Bed,
    BedKind,
    DischargeReason,
    Incident,
    IncidentKind,
    IncidentStep,
    Post,
    Resident,
    Room,
    StaffMember,
)
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.personal_data import blind_index_many, encrypt_many, mask_id_number
from minzheng.demo.names import draw_names
from minzheng.registry.services import with_check_character

ACTOR = "demo-setup"
AREAS = ("310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310115", "310120")
LEVEL_WEIGHTS = (5, 8, 14, 22, 26, 25)  # 照护等级 1–6 (demo)
REASONS = ((DischargeReason.DEATH, 50), (DischargeReason.HOME, 25), (DischargeReason.TRANSFER, 20),
           (DischargeReason.OTHER, 5))
INCIDENTS = (
    (IncidentKind.FALL, "老人夜间如厕时在卫生间跌倒，护理员巡房发现（演示）", "送医检查，通知家属；卫生间加装扶手（演示）"),
    (IncidentKind.INFECTION, "同楼层两名老人出现发热、咳嗽（演示）", "隔离观察，全楼层消毒，报告社区卫生服务中心（演示）"),
    (IncidentKind.FIRE, "厨房油烟报警器报警，无明火（演示）", "检查排烟管道，组织消防演练（演示）"),
    (IncidentKind.MISSING, "认知障碍老人随探视家属离开后未归（演示）", "联系家属和派出所，两小时后找回；门禁登记改进（演示）"),
    (IncidentKind.OTHER, "电梯故障停运半天（演示）", "维保单位修复，楼层间由护理员协助上下楼（演示）"),
)


def _link_operator(homes: list[Facility]) -> str:
    user = User.objects.filter(username="carehome").first()
    if user is None or FacilityStaff.objects.filter(user=user).exists():
        return ""
    home = next((f for f in homes if "福利院" in f.name), homes[0])
    FacilityStaff.objects.create(user=user, facility=home)
    return home.name


def care_homes_seed(*, today: dt.date | None = None, seed: int = 2024) -> str:
    today = today or timezone.localdate()
    homes = list(Facility.objects.filter(kind=FacilityKind.CARE_HOME, status=FacilityStatus.OPERATING,
                                         beds__gt=0).order_by("pk"))
    if not homes:
        return "养老机构演示数据：没有运营中且登记了床位的养老院（先生成养老服务设施演示数据），跳过。"
    if Bed.objects.filter(facility__in=homes).exists():
        return "养老机构演示数据已存在，跳过。"
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    with transaction.atomic():
        linked = _link_operator(homes)
        # rooms and beds
        rooms = []
        for home in homes:
            n_rooms = (home.beds + 2) // 3
            rooms += [Room(facility=home, number=f"{1 + i // 20}{1 + i % 20:02d}", floor=f"{1 + i // 20}楼")
                      for i in range(n_rooms)]
        Room.objects.bulk_create(rooms)
        room_ids = {}
        for room in Room.objects.filter(facility__in=homes).order_by("pk"):
            room_ids.setdefault(room.facility_id, []).append(room)
        beds = []
        for home in homes:
            dementia = min(home.dementia_beds or 0, home.beds)
            for n in range(home.beds):
                room = room_ids[home.pk][n // 3]
                kind = (BedKind.DEMENTIA if n < dementia
                        else BedKind.NURSING if rng.random() < 0.2 else BedKind.ORDINARY)
                beds.append(Bed(facility=home, room=room, number=f"{room.number}-{n % 3 + 1}", kind=kind,
                                in_service=rng.random() > 0.02))
        Bed.objects.bulk_create(beds)
        beds_by_home: dict[int, list[Bed]] = {}
        for bed in Bed.objects.filter(facility__in=homes).order_by("pk"):
            beds_by_home.setdefault(bed.facility_id, []).append(bed)

        # residents: current ones on 70–90 % of the beds in service, and earlier, discharged ones
        rows: list[dict] = []
        for home in homes:
            usable = [b for b in beds_by_home[home.pk] if b.in_service]
            rng.shuffle(usable)
            current = usable[: round(len(usable) * rng.uniform(0.70, 0.90))]
            since = home.operating_since or today - dt.timedelta(days=3650)
            for bed in current:
                rows.append({"home": home, "bed": bed, "since": since, "discharged": None})
            for _ in range(max(1, len(current) // 10)):  # earlier stays (their beds are not kept in the demo)
                rows.append({"home": home, "bed": None, "since": since, "discharged": True})
        numbers, births, sexes = [], [], []
        seq = 0
        used: set[str] = set()
        for _row in rows:
            while True:
                seq += 1
                born = dt.date(rng.randint(1925, 1950), rng.randint(1, 12), rng.randint(1, 28))
                male = rng.random() < 0.38
                order = 2 * (250 + seq % 250) + (1 if male else 0)  # 500–999: the demo population uses 001 up
                number = with_check_character(f"{AREAS[seq % len(AREAS)]}{born:%Y%m%d}{order:03d}")
                if number not in used:
                    break
            used.add(number)
            numbers.append(number)
            births.append(born)
            sexes.append("M" if male else "F")
        names = draw_names(nprng, sex=np.array(sexes), birth_year=np.array([b.year for b in births]),
                           local=np.ones(len(rows), dtype=bool))
        encrypted = encrypt_many(numbers)
        indexes = blind_index_many(numbers)
        residents = []
        for i, row in enumerate(rows):
            home, bed = row["home"], row["bed"]
            window = max(30, (today - max(row["since"], births[i] + dt.timedelta(days=365 * 60))).days)
            admitted = today - dt.timedelta(days=rng.randint(1, window))
            discharged = reason = note = ""
            if row["discharged"]:
                stay = rng.randint(0, max(0, (today - admitted).days - 1))
                discharged = admitted + dt.timedelta(days=stay)
                reason = rng.choices([r for r, _ in REASONS], [w for _, w in REASONS])[0]
                note = "演示：家属安排居家照护" if reason == DischargeReason.OTHER else ""
            level = rng.choices(range(1, 7), LEVEL_WEIGHTS)[0] if rng.random() > 0.05 else None
            assessed = due = None
            if level is not None:
                assessed = max(admitted, today - dt.timedelta(days=rng.randint(15, 720)))
                due = assessed + dt.timedelta(days=rng.randint(300, 760))  # synthetic validity (demo)
            residents.append(Resident(
                facility=home, name=names[i], id_number_enc=encrypted[i], id_number_index=indexes[i],
                id_number_masked=mask_id_number(numbers[i]), sex=sexes[i], birth_date=births[i], bed=bed,
                admitted_on=admitted, discharged_on=discharged or None, discharge_reason=reason, discharge_note=note,
                care_level=level, assessed_on=assessed, reassess_due_on=due, note="演示数据"))
        Resident.objects.bulk_create(residents, batch_size=1000)

        # staff
        staff = []
        living = Counter(r.facility_id for r in residents if r.discharged_on is None)
        for home in homes:
            in_residence = living[home.pk]
            counts = {Post.CAREGIVER: max(1, round(in_residence / rng.uniform(4, 7))),
                      Post.NURSE: 1 + home.beds // 40, Post.DOCTOR: 1, Post.SOCIAL_WORKER: 1,
                      Post.MANAGEMENT: 2, Post.LOGISTICS: 1 + home.beds // 25}
            total = sum(counts.values())
            sex = np.array(["F" if rng.random() < 0.8 else "M" for _ in range(total)])
            names = draw_names(nprng, sex=sex, birth_year=nprng.integers(1965, 2000, size=total),
                               local=nprng.random(total) < 0.4)
            k = 0
            for post, n in counts.items():
                for _ in range(n):
                    hired = today - dt.timedelta(days=rng.randint(30, 3000))
                    staff.append(StaffMember(facility=home, name=names[k], post=post, hired_on=hired, note="演示数据"))
                    k += 1
        StaffMember.objects.bulk_create(staff, batch_size=1000)

        # incidents of the last three months (a few open)
        current_by_home: dict[int, list[Resident]] = {}
        for r in Resident.objects.filter(facility__in=homes, discharged_on__isnull=True).only("pk", "facility_id"):
            current_by_home.setdefault(r.facility_id, []).append(r)
        incidents, steps = [], []
        for home in homes:
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                kind, what, done = rng.choice(INCIDENTS)
                when = timezone.now() - dt.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 23))
                who = rng.choice(current_by_home.get(home.pk) or [None]) if kind in (
                    IncidentKind.FALL, IncidentKind.MISSING) else None
                closed = rng.random() < 0.7
                day = timezone.localtime(when).date()
                incidents.append((Incident(facility=home, kind=kind, occurred_at=when, resident=who, description=what,
                                           closed_on=min(today, day + dt.timedelta(days=3)) if closed else None,
                                           closure=done if closed else ""), day, done))
        Incident.objects.bulk_create([i for i, _, _ in incidents])
        for incident, day, done in incidents:
            steps.append(IncidentStep(incident=incident, on=day, text=done.split("；")[0].split("，")[0] + "（演示）"))
        IncidentStep.objects.bulk_create(steps)

        # the demo operator's inbox: two assessments running out this month, one open incident
        own = FacilityStaff.objects.filter(user__username="carehome").values_list("facility_id", flat=True).first()
        if own:
            soon = Resident.objects.filter(facility_id=own, discharged_on__isnull=True, care_level__isnull=False)
            for n, r in enumerate(soon.order_by("pk")[:2]):
                Resident.objects.filter(pk=r.pk).update(reassess_due_on=today + dt.timedelta(days=5 + 10 * n))
            if not Incident.objects.filter(facility_id=own, closed_on__isnull=True).exists():
                Incident.objects.create(facility_id=own, kind=IncidentKind.FALL, occurred_at=timezone.now()
                                        - dt.timedelta(hours=20), description="老人起床时在床边滑倒，无明显外伤（演示）")
        current = sum(1 for r in residents if r.discharged_on is None)
        audit_record(actor=ACTOR, action="demo_data.care_homes", object_type="DemoData", changes={
            "rooms": len(rooms), "beds": len(beds), "residents": current, "staff": len(staff),
            "incidents": len(incidents)})
    in_service = sum(1 for b in beds if b.in_service)
    message = (f"养老机构演示数据：{len(homes)} 家养老院，床位 {len(beds)} 张（在用 {in_service}），"
               f"在院老人 {current} 人（入住率 {current * 100 / max(1, in_service):.1f}%），工作人员 {len(staff)} 人，"
               f"意外事件 {len(incidents)} 起")
    return message + (f"；演示账号 carehome 关联到{linked}" if linked else "")
