"""The demo district's 探访关爱, 适老化改造 and 认知障碍筛查 (ADR 0034).

**Everything here is demo data**: visitors (named volunteers), visit dates and
findings, the adaptation applications, the contractors, the subsidy share
(演示比例 — REFERENCE gives none; the bureau sets the real one), screening
scores and risk levels.

What it shows:

* 探访关爱: the list refreshed from the demo registry and enrolments 60 days
  ago (through the service), a volunteer per committee, the demo committee
  account registered as a staff visitor, and visits for most entries at dates
  in the last two months — so some entries are overdue (the 80+ living alone,
  visited every 7 days, mostly) and the committee's inbox has work. Then the
  list is refreshed again for today (nothing or little changes: idempotent).
* 适老化改造: a dozen applications in each state, from 已申请 to 已申请补贴
  (a one-off payment 适老化改造补贴 queued in the payments app).
* 认知障碍筛查: a few hundred screenings this year spread over the streets,
  some referred and followed up.

Visits and screenings are written in bulk (thousands of rows; one audit
entry each kind, ``demo_data.eldercare_services``); the list refresh and the
adaptations go through the services. Safe to run again: it does nothing once a
list refresh exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction

from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.dementia_care.models import FollowUp, RiskLevel, Screening, ScreeningTool
from minzheng.hardship_visits import services as visits
from minzheng.hardship_visits.models import (
    TargetRefresh,
    Visitor,
    VisitorKind,
    VisitRecord,
    VisitTarget,
)
from minzheng.home_adaptations import services as adaptations
from minzheng.home_adaptations.models import CatalogueItem
from minzheng.registry.models import VISIBLE, Person
from minzheng.registry.selectors import person_current_membership, years_before

ACTOR = "demo-setup"
DEMO = "演示数据"
FINDINGS = ("身体状况良好，居家环境安全", "血压偏高，已提醒按时服药", "独自在家，情绪稳定，子女每周来电",
            "厨房燃气使用正常，已检查报警器", "行动不便，需要助餐服务", "天气转冷，已送去棉被")
FOLLOW_UPS = ("联系家庭医生上门", "转介助餐服务", "申请居家环境适老化改造")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("秀英", "建国", "桂英", "志强", "玉兰", "国庆", "丽华", "卫东", "美玲", "海燕")
CONTRACTORS = (("上海演示适老装饰工程有限公司", "91310117MA1FL0KX2"), ("松江演示居家改造服务有限公司", "91310117MA1G2B3C4"))


def _uscc(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def _visits(rng: random.Random, today: dt.date, committee_user: User | None) -> str:
    start = today - dt.timedelta(days=60)
    visits.targets_refresh(actor=ACTOR, today=start)
    targets = list(VisitTarget.objects.filter(ended_on__isnull=True).order_by("id"))
    committees = sorted({t.committee_id for t in targets})
    streets = dict(Division.objects.filter(code__in=committees).values_list("code", "parent_id"))
    Visitor.objects.bulk_create([
        Visitor(committee_id=c, street_id=streets[c], kind=VisitorKind.VOLUNTEER,
                name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（演示志愿者）", phone="")
        for c in committees])
    if committee_user is not None and committee_user.scope_id in streets:
        visits.visitor_create(actor=ACTOR, committee=committee_user.scope, user=committee_user)
    by_committee: dict[str, list[Visitor]] = {}
    for visitor in Visitor.objects.filter(committee_id__in=committees):
        by_committee.setdefault(visitor.committee_id, []).append(visitor)
    records, changed = [], []
    for target in targets:
        team = by_committee[target.committee_id]
        target.visitor = team[0]
        if rng.random() < 0.15:  # never visited since joining: overdue
            changed.append(target)
            continue
        day = start + dt.timedelta(days=rng.randint(1, 20))
        last = None
        while day <= today:
            records.append(VisitRecord(target=target, visited_on=day, visitor=rng.choice(team),
                                       mode="home" if rng.random() < 0.7 else "phone",
                                       findings=f"{rng.choice(FINDINGS)}（{DEMO}）",
                                       needs_follow_up=(follow := rng.random() < 0.08),
                                       follow_up_note=rng.choice(FOLLOW_UPS) if follow else "", recorded_by=ACTOR))
            last = day
            day += dt.timedelta(days=target.frequency_days + rng.randint(-2, 12))
        target.last_visited_on = last
        target.next_due_on = visits.next_due(started_on=target.started_on, last_visited_on=last,
                                             frequency_days=target.frequency_days)
        changed.append(target)
    VisitRecord.objects.bulk_create(records, batch_size=5000)
    table = VisitTarget._meta.db_table  # one executemany: bulk_update's CASE expressions cost seconds here
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET visitor_id = %s, last_visited_on = %s, next_due_on = %s WHERE id = %s",
                           [(t.visitor_id, t.last_visited_on, t.next_due_on, t.pk) for t in changed])
    run = visits.targets_refresh(actor=ACTOR, today=today)
    overdue = VisitTarget.objects.filter(ended_on__isnull=True, next_due_on__lt=today).count()
    return (f"探访关爱名单 {run.open_total} 人（今日刷新：新纳入 {run.added}，移出 {run.ended}），演示探访记录 "
            f"{len(records)} 条，逾期未探访 {overdue} 人")


def _elders(rng: random.Random, today: dt.date, n: int) -> list[Person]:
    ids = list(Person.objects.filter(VISIBLE, alive=True, in_institution=False,
                                     birth_date__lte=years_before(today, 62)).values_list("id", flat=True)[:20000])
    return list(Person.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))).order_by("id"))


PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)  # a stand-in picture (demo)


def _adaptations(rng: random.Random, today: dt.date) -> str:
    items = {i.code: i for i in CatalogueItem.objects.all()}
    for item in items.values():
        if item.subsidy_percent is None:
            adaptations.item_update(actor=ACTOR, item=item, unit_price_fen=item.unit_price_fen,
                                    price_basis=item.price_basis, subsidy_percent=80,
                                    subsidy_basis="演示比例（非政策规定，区民政局按文件设定后替换）")
    contractors = [adaptations.contractor_create(actor=ACTOR, name=name, uscc=_uscc(body), contact="演示联系人")
                   for name, body in CONTRACTORS]
    stages = ["applied", "assessed", "contracted", "completed", "accepted", "subsidised", "subsidised",
              "subsidised", "accepted", "completed", "contracted", "rejected"]
    done = 0
    for n, (elder, stage) in enumerate(zip(_elders(rng, today, len(stages)), stages, strict=False)):
        membership = person_current_membership(elder)
        applied = today - dt.timedelta(days=70 - 4 * n)
        a = adaptations.application_create(
            actor=ACTOR, elder=elder, household=membership.household if membership else None,
            address=(membership.household.address if membership else "（演示地址）"), applied_on=applied, today=today)
        if stage == "rejected":
            adaptations.application_reject(actor=ACTOR, application=a, reason="已入住养老机构，无需改造（演示）")
            continue
        if stage == "applied":
            continue
        chosen = rng.sample(sorted(items), 3)
        adaptations.assessment_record(actor=ACTOR, application=a, assessed_on=applied + dt.timedelta(days=3),
                                      assessor="演示评估员", lines=[(items[c], rng.randint(1, 3)) for c in chosen])
        if stage == "assessed":
            continue
        adaptations.contractor_assign(actor=ACTOR, application=a, contractor=contractors[n % 2],
                                      contracted_on=applied + dt.timedelta(days=7))
        if stage == "contracted":
            continue
        adaptations.photo_attach(actor=ACTOR, application=a, name="完工照片（演示）.png", content=PNG + bytes([n]))
        adaptations.completion_record(actor=ACTOR, application=a, completed_on=applied + dt.timedelta(days=20))
        if stage == "completed":
            continue
        adaptations.acceptance_record(actor=ACTOR, application=a, accepted_on=applied + dt.timedelta(days=25),
                                      accepted_by="演示验收员")
        done += 1
        if stage == "subsidised":
            adaptations.subsidy_request(actor=ACTOR, application=a)
    return f"适老化改造演示申请 {len(stages)} 件（已验收 {done} 件，含已申请补贴；补贴比例为演示比例）"


def _screenings(rng: random.Random, today: dt.date, n: int) -> str:
    tools = list(ScreeningTool.objects.filter(active=True))
    rows = []
    for person in _elders(rng, today, n):
        tool = rng.choice(tools)
        score = rng.randint(tool.score_min, tool.score_max)
        positive = tool.positive(score)
        risk = (RiskLevel.HIGH if positive and rng.random() < 0.4 else
                RiskLevel.MEDIUM if positive or rng.random() < 0.15 else RiskLevel.LOW)
        day = today - dt.timedelta(days=rng.randint(0, max(0, (today - dt.date(today.year, 1, 1)).days)))
        referred = risk == RiskLevel.HIGH and rng.random() < 0.7
        rows.append(Screening(person=person, street_id=person.street_id, committee_id=person.committee_id, tool=tool,
                              score=score, positive=positive, screened_on=day, screener="社区卫生服务中心（演示）",
                              risk_level=risk, referral_to="区精神卫生中心记忆门诊（演示）" if referred else "",
                              referred_on=day + dt.timedelta(days=3) if referred and day + dt.timedelta(days=3) <= today
                              else None, recorded_by=ACTOR))
    Screening.objects.bulk_create(rows, batch_size=2000)
    follow = [FollowUp(screening=s, visited_on=s.referred_on, visitor="社工（演示）", note="已陪同就诊（演示）",
                       recorded_by=ACTOR) for s in Screening.objects.filter(referred_on__isnull=False)]
    FollowUp.objects.bulk_create(follow)
    return f"认知障碍风险筛查演示记录 {len(rows)} 条（转介并随访 {len(follow)} 条）"


@transaction.atomic
def eldercare_services_seed(*, today: dt.date, seed: int = 2024, committee_user: User | None = None) -> str:
    if TargetRefresh.objects.exists():
        return "演示探访关爱、适老化改造和认知障碍筛查已存在，跳过"
    if not Division.objects.filter(level=DivisionLevel.COMMITTEE).exists():
        return "没有居村委，跳过探访关爱演示数据"
    rng = random.Random(seed)
    message = "；".join((_visits(rng, today, committee_user), _adaptations(rng, today), _screenings(rng, today, 400)))
    audit_record(actor=ACTOR, action="demo_data.eldercare_services", object_type="DemoData",
                 object_id="eldercare_services", changes={"note": message})
    return message
