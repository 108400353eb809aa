"""The demo district's 困境儿童 (ADR 0035).

**Everything here is demo data**: the children's directors (names), the
guardians' capacity, the sweep's answers, the project's provider and the
service records. What it shows, in the seed's proportions (2023 summary:
1762 困境儿童 per 1.9 million residents — about 18 at the default 20,000
persons — of them 散居孤儿 7, 家庭监护缺失或监护不当 95):

* the register built from the data: the generator's orphans and unsupported
  children (their registry flags), children with a disability certificate,
  children of dibao and low-income households — the last two through the
  sweep's leads (``services.leads_generate``) accepted with their evidence;
  leads about parents (death, severe disability) stay open for the committees;
* guardians from the household (the head, or the grandparent), a director
  per committee, this year's sweep with about two thirds of the children and
  half of the committees checked;
* the 困境儿童社工关爱项目 (15 children planned, seed 2024 plan) with the
  children served and two service records each.

Through the services (audited). Safe to run again: does nothing once the
register has a child.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random

from django.apps import apps
from django.db.models import Q

from minzheng.children import services
from minzheng.children.models import Category, ChecklistItem, Child, Lead, LeadStatus
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.registry.models import DisabilityCertificate, HouseholdMembership, Person, Relation

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("丽娟", "志华", "美芳", "建平", "晓燕", "海军", "红梅", "国平")
SERVICES = (("care", "个案心理辅导，情绪稳定"), ("study", "课业辅导，完成本周作业"), ("growth", "参加小组成长活动"),
            ("home", "家访了解监护情况，祖辈照料尚可"))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _guardian(bureau: User, child: Child, today: dt.date) -> None:
    membership = HouseholdMembership.objects.filter(person_id=child.person_id, end_date__isnull=True).first()
    if membership is None:
        return
    head = (HouseholdMembership.objects.filter(household_id=membership.household_id, end_date__isnull=True,
                                               relation=Relation.HEAD).select_related("person").first())
    if head is None or head.person_id == child.person_id:
        return
    relation = {Relation.CHILD: "father" if head.person.sex == "M" else "mother",
                Relation.GRANDCHILD: "grandparent"}.get(membership.relation, "relative")
    capacity = "none" if child.person.orphan or child.person.unsupported_child else "full"
    if child.person.orphan or child.person.unsupported_child:
        relation = "grandparent" if relation in ("father", "mother") else relation
    services.guardian_add(actor=bureau, child=child, person=head.person, relation=relation, capacity=capacity,
                          started_on=child.registered_on, capacity_note="演示数据", today=today)


def children_seed(*, bureau: User, committee_user: User, today: dt.date, seed: int = 20240101) -> str:
    if Child.objects.exists():
        return "\n困境儿童：名册已有数据，跳过"
    if not Category.objects.exists() or not ChecklistItem.objects.exists():
        importlib.import_module("minzheng.children.migrations.0002_seed_categories_checklist").seed(apps, None)
    rng = random.Random(seed)
    cats = {c.code: c for c in Category.objects.all()}
    start = today - dt.timedelta(days=60)
    minors = Person.objects.filter(alive=True, merged_into__isnull=True, birth_date__gt=_years_before(start, 18),
                                   birth_date__lte=start - dt.timedelta(days=1))
    # the generator's orphans and unsupported children: their flags become register entries
    for person in minors.filter(Q(orphan=True) | Q(unsupported_child=True)):
        code = "orphan" if person.orphan else "unsupported"
        services.child_register(actor=bureau, person=person, category=cats[code], started_on=start,
                                evidence_kind="investigation", evidence="演示数据：居村委调查核实", today=today)
    # the sweep's leads from the data; children's certificates and poor households accepted
    services.leads_generate(actor=bureau, today=today)
    for lead in Lead.objects.filter(status=LeadStatus.OPEN, kind__in=("child_disability", "poor_household"),
                                    person__birth_date__lte=start).select_related("person"):
        evidence = ("disability_cert", "残疾人证（演示数据）") if lead.kind == "child_disability" else (
            "enrolment", "低保、低收入保障记录（演示数据）")
        services.lead_accept(actor=bureau, lead=lead, started_on=start, evidence_kind=evidence[0],
                             evidence=evidence[1], today=today)
    children = list(Child.objects.filter(ended_on__isnull=True).select_related("person"))
    for child in children:
        _guardian(bureau, child, today)
    # a director per committee
    committees = list(Division.objects.filter(level=DivisionLevel.COMMITTEE).order_by("code"))
    for committee in committees:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        services.director_appoint(actor=bureau, committee=committee, name=name, phone="",
                                  started_on=today - dt.timedelta(days=365), today=today,
                                  user=committee_user if committee.code == committee_user.scope_id else None)
    # this year's sweep: two thirds of the children, half of the committees (not the demo committee's own)
    campaign = services.campaign_open(actor=bureau, year=today.year, started_on=start,
                                      due_on=today + dt.timedelta(days=30))
    child_items = [i.code for i in ChecklistItem.objects.filter(scope="child", active=True)]
    committee_items = [i.code for i in ChecklistItem.objects.filter(scope="committee", active=True)]
    checked = 0
    for child in children:
        if child.committee_id == committee_user.scope_id or rng.random() > 0.67:
            continue
        school_ok = rng.random() > 0.1
        services.child_check_record(actor=bureau, campaign=campaign, child=child,
                                    checked_on=start + dt.timedelta(days=rng.randrange(1, 50)),
                                    answers={**dict.fromkeys(child_items, True), "school": school_ok},
                                    outcome="unchanged" if school_ok else "changed",
                                    note="" if school_ok else "演示数据：辍学在家，已联系学校", today=today)
        checked += 1
    for committee in committees[::2]:
        if committee.code == committee_user.scope_id:
            continue
        services.committee_check_record(actor=bureau, campaign=campaign, committee=committee,
                                        checked_on=start + dt.timedelta(days=rng.randrange(1, 50)),
                                        answers=dict.fromkeys(committee_items, True), today=today)
    # the social-work care project (seed 2024 plan: 15 children lacking guardianship)
    project = services.project_create(actor=bureau, name="困境儿童社工关爱项目", year=today.year,
                                      provider="演示社会工作服务社", planned_children=15, started_on=start,
                                      target_category=cats["guardianship"],
                                      basis="2024年工作计划：为15名义务教育阶段家庭监护缺失或不当的儿童提供社工关爱服务")
    order = sorted(children, key=lambda c: (not (c.person.orphan or c.person.unsupported_child), c.pk))
    served = 0
    for child in order[:15]:
        link = services.project_child_add(actor=bureau, project=project, child=child, joined_on=start, today=today)
        for kind, text in rng.sample(SERVICES, 2):
            services.service_record_add(actor=bureau, served=link, served_on=start + dt.timedelta(
                days=rng.randrange(1, 55)), kind=kind, description=f"{text}（演示数据）", today=today)
        served += 1
    open_leads = Lead.objects.filter(status=LeadStatus.OPEN).count()
    certs = DisabilityCertificate.objects.filter(person__in=[c.person_id for c in children]).count()
    return (f"\n困境儿童：名册 {len(children)} 人（残疾人证 {certs} 张），待核实线索 {open_leads} 条，"
            f"{today.year}年摸底排查已核查 {checked} 人，关爱服务项目服务 {served} 人（演示数据）")
