"""The demo district's meal assistance (老年人助餐, ADR 0032).

**Everything here is demo data (演示)**: the meals are synthetic. For each
demo canteen (a ``Facility`` of kind 社区长者食堂 / 社区助餐点 from the
facilities demo, which runs before this one; nothing when there is none),
up to 20 elders aged 65+ living in the canteen's street eat lunch on most
days of the last two full months, some also dinner (recorded, unsubsidised)
and some have it delivered (送餐). The files go through the import service
(one CSV per canteen and month, labelled 演示); the earlier month is settled
by the demo operator and approved by the bureau account (maker-checker); the
later month is left for staff to settle on the page.

Safe to run again: the same files change nothing and a settled month is
left as it is. A few thousand rows: well under a second or two.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.db import transaction

from minzheng.care_facilities.models import MEAL_KINDS, Facility
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.months import month_of, month_shift
from minzheng.core.personal_data import decrypt
from minzheng.meals import services
from minzheng.meals.models import Settlement, SettlementStatus
from minzheng.meals.selectors import month_first, month_last
from minzheng.registry.models import Person

ACTOR = "demo-setup"
PER_CANTEEN = 20


def _elders(canteen: Facility, today: dt.date) -> list[Person]:
    born_before = today.replace(year=today.year - 66)
    return list(Person.objects.filter(street_id=canteen.street_id, alive=True, birth_date__lte=born_before)
                .order_by("pk")[:PER_CANTEEN])


def _file(elders: list[Person], month: str, rng: random.Random) -> io.BytesIO:
    lines = [",".join(services.HEADERS)]
    day = month_first(month)
    while day <= month_last(month):
        for person in elders:
            if rng.random() < 0.8:
                number = decrypt(person.id_number_enc)
                kind = "送餐" if person.pk % 5 == 0 else "堂食"
                lines.append(",".join([number, person.name, day.isoformat(), "午餐", kind]))
                if rng.random() < 0.1:
                    lines.append(",".join([number, person.name, day.isoformat(), "晚餐", kind]))
        day += dt.timedelta(days=1)
    return io.BytesIO(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def meals_seed(*, bureau: User, today: dt.date) -> str:
    from minzheng.jobs.services import job_run_now, upload_store

    canteens = list(Facility.objects.filter(kind__in=MEAL_KINDS).order_by("pk"))
    last = month_shift(month_of(today), -1)
    first = month_shift(last, -1)
    if not canteens:
        job_run_now(actor=bureau, kind="meals_settle", params={"month": first})  # the job page lists its kind
        return "演示助餐记录：没有演示助餐点（养老服务设施演示数据未生成），跳过"
    rng = random.Random(16)
    rows = 0
    for canteen in canteens:
        elders = _elders(canteen, today)
        if not elders:
            continue
        for month in (first, last):
            stream = _file(elders, month, rng)
            name = f"演示-{canteen.name}-{month}.csv"
            if month == last:  # the later month through the page's background job (导入助餐记录)
                upload = upload_store(actor=bureau, name=name, content=stream.getvalue())
                _, outcome = job_run_now(actor=bureau, kind="meals_import",
                                         params={"canteen": canteen.pk, "upload": upload.pk})
                meal_import = outcome.value
            else:
                meal_import, _ = services.meal_file_import(actor=ACTOR, canteen_id=canteen.pk, stream=stream,
                                                           file_name=name)
            rows += meal_import.rows_total
    job_run_now(actor=ACTOR, kind="meals_settle", params={"month": first})  # 助餐月度结算, as the operator
    approved = 0
    for settlement in Settlement.objects.filter(month=first, status=SettlementStatus.PREPARED):
        services.settlement_approve(actor=bureau, settlement_id=settlement.pk)
        approved += 1
    with transaction.atomic():
        audit_record(actor=ACTOR, action="demo_data.meals", object_type="DemoData",
                     changes={"canteens": len(canteens), "rows": rows, "month": first})
    return f"演示助餐记录：{len(canteens)} 个助餐点，{rows} 行用餐记录（{first}、{last}），{first} 已结算并审批 {approved} 份"
