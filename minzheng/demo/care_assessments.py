"""Demo care-needs assessments (照护需求评估, 照护等级 1-6) for elders of the
demo district, so the month's batch shows 养老服务补贴 results (REFERENCE §10,
ADR 0031).

Synthetic and labelled 演示 (source ``demo``, the assessor's name ends in
（演示）). Who gets one: about half of the elders (60+) who are dibao
beneficiaries or members of low-income households this month — found by the
engine on the registry's columns, the same way the batch will — and a few of
the other elders (who are then "not in the covered group"). Levels lean to the
lighter ones; dates fall in the last three years, a few in the current month
after its 1st (not yet valid: they count from next month). Deterministic from
the seed; written with one ``bulk_create`` and one audit entry.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.eligibility.services import month_evaluate
from minzheng.registry.models import CareAssessmentSource, CareNeedsAssessment
from policy.months import Month, ages_on, birth_ymd_keys

ASSESSORS = ("松江区老年照护统一需求评估中心（演示）", "上海某第三方评估机构松江站（演示）")
LEVEL_WEIGHTS = (0.28, 0.24, 0.18, 0.13, 0.10, 0.07)  # 照护一级 … 六级
COVERED_SHARE = 0.5  # of the elders in dibao / low-income households
OTHER_SHARE = 0.02  # of the other elders
IN_MONTH_SHARE = 0.05  # dated after the 1st of this month (not yet valid)
_EPOCH = np.datetime64("1970-01-01", "D")


def care_assessments_seed(*, actor: str = "demo-setup", seed: int = 2024, today: dt.date | None = None) -> str:
    """Once: demo assessments for this month's elders; a line for the console."""
    if CareNeedsAssessment.objects.filter(source=CareAssessmentSource.DEMO).exists():
        return "演示照护需求评估已存在，跳过"
    today = today or timezone.localdate()
    month = Month.of(today)
    evaluation = month_evaluate(str(month))  # as the batch: households with unknown facts are left out
    kept, batch = evaluation.cols, evaluation.batch
    if kept.persons == 0:
        return "没有演示人口，未生成照护需求评估"
    covered = np.zeros(kept.persons, dtype=bool)
    for program in ("dibao", "low_income"):
        eligible_households = batch.programs[program].eligible
        covered |= eligible_households[kept.person_household_index] & kept.hukou_shanghai
    birth = _EPOCH + kept.birth_days.astype("timedelta64[D]")
    elder = ages_on(month.last_day, birth_ymd_keys(birth)) >= 60
    rng = np.random.default_rng(seed + 31)
    draw = rng.random(kept.persons)
    chosen = elder & np.where(covered, draw < COVERED_SHARE, draw < OTHER_SHARE)
    index = np.flatnonzero(chosen)
    levels = rng.choice(np.arange(1, 7), size=len(index), p=LEVEL_WEIGHTS)
    span = (month.first_day - dt.date(month.first_day.year - 3, 1, 1)).days
    days_back = rng.integers(0, span, size=len(index))
    in_month = rng.random(len(index)) < IN_MONTH_SHARE
    in_month_days = (today - month.first_day).days
    rows = []
    for i, person_row in enumerate(index.tolist()):
        if in_month[i] and in_month_days > 0:
            assessed = month.first_day + dt.timedelta(days=1 + int(days_back[i]) % in_month_days)
        else:
            assessed = month.first_day - dt.timedelta(days=int(days_back[i]))
        rows.append(CareNeedsAssessment(
            person_id=int(kept.person_id[person_row]), level=int(levels[i]), assessed_on=assessed,
            assessor_org=ASSESSORS[i % len(ASSESSORS)], source=CareAssessmentSource.DEMO, recorded_by=actor))
    with transaction.atomic():
        CareNeedsAssessment.objects.bulk_create(rows, batch_size=2000)
        audit_record(actor=actor, action="person.care_assessment_seed_demo", object_type="CareNeedsAssessment",
                     object_id=str(month), changes={"month": str(month), "created": len(rows),
                                                    "covered_elders": int((elder & covered).sum()), "seed": seed})
    return (f"演示照护需求评估 {len(rows)} 条（低保/低收入家庭老人 {int((chosen & covered).sum())} 人，"
            f"其他老人 {int((chosen & ~covered).sum())} 人）")
