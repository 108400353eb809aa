"""Reads of 困境儿童, scoped to the user's jurisdiction (committee, street,
district); outside → 404 (ADR 0035). ``figures_by_street`` gives the seed's
figures (2023 summary: 困境儿童 1762 人，其中散居孤儿、家庭贫困儿童、残疾和患重病儿童、
家庭监护缺失或监护不当的儿童; 发放散居孤儿、困境儿童经费 1504 人次、279.65 万元)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from minzheng.casework.models import Enrolment, EnrolmentEvent
from minzheng.children.models import (
    Campaign,
    Category,
    CategorySpell,
    ChecklistItem,
    Child,
    ChildCheck,
    CommitteeCheck,
    Director,
    Guardian,
    ItemScope,
    Lead,
    LeadStatus,
    Project,
    ProjectChild,
    SeedGroup,
    ServiceRecord,
)
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.monitoring.models import ExitReview, ExitStatus
from minzheng.monitoring.selectors import exit_reasons
from minzheng.payments.models import FINAL_STATUSES, PaymentLine

PROGRAM = "child_basic_living"


def children_visible(user: User) -> QuerySet[Child]:
    require(user, "children.view")
    return restrict(Child.objects.select_related("person", "street", "committee"), user)


def children_open(user: User) -> QuerySet[Child]:
    return children_visible(user).filter(ended_on__isnull=True)


def child_get(user: User, pk: int) -> Child:
    try:
        return children_visible(user).get(pk=pk)
    except Child.DoesNotExist:
        raise OutOfScope("没有这名儿童，或不在您的辖区内") from None


def child_spells(child: Child) -> QuerySet[CategorySpell]:
    return child.spells.select_related("category").order_by("ended_on", "-started_on", "-id")


def open_categories(child: Child) -> list[Category]:
    return [s.category for s in child.spells.filter(ended_on__isnull=True).select_related("category")]


def child_guardians(child: Child) -> QuerySet[Guardian]:
    return child.guardians.select_related("person").order_by("ended_on", "-started_on", "-id")


def categories(*, active_only: bool = False) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(active=True) if active_only else qs


def checklist(scope: str) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(scope=scope, active=True)


# --- the living allowance (child_basic_living), read from casework, monitoring, payments ------

@dataclass
class Allowance:
    enrolments: list[Enrolment]
    events: list[EnrolmentEvent]
    exit_reviews: list[dict]
    payments: list[PaymentLine]
    paid_fen: int


def allowance_of(child: Child) -> Allowance:
    """The child's 基本生活费: enrolments (auto-enrolled by the monitor run
    from the engine, which reads the register's facts), their events (start,
    stop with the reason), open or resolved exit reviews (应退尽退) with the
    engine's reasons (e.g. 已满18周岁), and payment lines."""
    enrolments = list(Enrolment.objects.filter(person_id=child.person_id, program=PROGRAM).order_by("-start_month"))
    events = list(EnrolmentEvent.objects.filter(enrolment__in=enrolments).order_by("-recorded_at", "-id"))
    reviews = []
    for r in ExitReview.objects.filter(enrolment__in=enrolments).select_related("decision_run").order_by("-id"):
        reviews.append({"review": r, "reasons": [x["text"] for x in exit_reasons(r)],
                        "register_reason": register_stop_reason(child, r.month),
                        "open": r.status == ExitStatus.OPEN})
    lines = list(PaymentLine.objects.filter(program=PROGRAM, beneficiary=f"p{child.person_id}")
                 .select_related("batch").order_by("-benefit_month", "-id")[:60])
    paid = sum(x.amount_fen for x in lines if x.batch.status in FINAL_STATUSES)
    return Allowance(enrolments, events, reviews, lines, paid)


def register_stop_reason(child: Child, month: str) -> str:
    """Why the register no longer supports the allowance in ``month`` (the
    engine uses the age on the month's last day, REFERENCE conventions): 18
    reached, or the last 散居孤儿/事实无人抚养 spell ended (with its reason)."""
    year, mon = (int(x) for x in month.split("-"))
    last = dt.date(year + mon // 12, mon % 12 + 1, 1) - dt.timedelta(days=1)
    born = child.person.birth_date
    if last.year - born.year - ((last.month, last.day) < (born.month, born.day)) >= 18:
        return f"年满18周岁（{born.year + 18}年{born.month}月{born.day}日）"
    spells = child.spells.filter(category__engine_fact__in=["orphan", "unsupported_child"]).select_related("category")
    if any(s.in_force(last) for s in spells):
        return ""
    ended = [s for s in spells if s.ended_on is not None and s.ended_on <= last]
    if ended:
        s = max(ended, key=lambda x: x.ended_on)
        return f"“{s.category.label}”类别于{s.ended_on:%Y年%m月%d日}终止：{s.end_reason}"
    return "名册中没有散居孤儿或事实无人抚养儿童类别"


# --- the sweep -----------------------------------------------------------------------------------

def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def campaign_get(user: User, pk: int) -> Campaign:
    require(user, "children.view")
    try:
        return Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist:
        raise OutOfScope("没有这次摸底排查") from None


def committees_visible(user: User) -> QuerySet[Division]:
    require(user, "children.view")
    return restrict(Division.objects.filter(level=DivisionLevel.COMMITTEE), user, street_field="parent_id",
                    committee_field="code").order_by("code")


def committee_get(user: User, code: str) -> Division:
    try:
        return committees_visible(user).get(code=code)
    except Division.DoesNotExist:
        raise OutOfScope("没有这个居村委，或不在您的辖区内") from None


def child_checks(user: User, campaign: Campaign) -> QuerySet[ChildCheck]:
    require(user, "children.view")
    return restrict(campaign.child_checks.select_related("child__person"), user)


def committee_check(campaign: Campaign, committee: Division) -> CommitteeCheck | None:
    return CommitteeCheck.objects.filter(campaign=campaign, committee=committee).first()


@dataclass
class CommitteeSweep:
    committee: Division
    children: list[tuple[Child, ChildCheck | None]]
    check: CommitteeCheck | None
    director: Director | None
    items_child: list[ChecklistItem] = field(default_factory=list)
    items_committee: list[ChecklistItem] = field(default_factory=list)


def committee_sweep(user: User, campaign: Campaign, committee: Division) -> CommitteeSweep:
    kids = list(children_open(user).filter(committee=committee).order_by("person__name", "id"))
    checks = {c.child_id: c for c in ChildCheck.objects.filter(campaign=campaign, child__in=kids)}
    return CommitteeSweep(committee, [(k, checks.get(k.pk)) for k in kids], committee_check(campaign, committee),
                          director_of(committee), list(checklist(ItemScope.CHILD)),
                          list(checklist(ItemScope.COMMITTEE)))


@dataclass(frozen=True)
class SweepProgress:
    street: Division
    committees: int
    committees_done: int
    children: int
    children_checked: int
    changed: int
    leads_open: int


def sweep_progress(user: User, campaign: Campaign) -> list[SweepProgress]:
    """Per street in scope: committees and children checked this year, changes found, open leads."""
    streets = _streets(user)
    comms = dict(committees_visible(user).values("parent_id").order_by().annotate(n=Count("code"))
                 .values_list("parent_id", "n"))
    done = dict(restrict(CommitteeCheck.objects.filter(campaign=campaign), user).values("street_id").order_by()
                .annotate(n=Count("id")).values_list("street_id", "n"))
    kids = dict(children_open(user).values("street_id").order_by().annotate(n=Count("id"))
                .values_list("street_id", "n"))
    checked = {r["street_id"]: r for r in restrict(ChildCheck.objects.filter(campaign=campaign), user)
               .values("street_id").order_by().annotate(n=Count("id"), changed=Count("id", filter=~Q(outcome="unchanged")))}
    leads = dict(leads_visible(user).filter(status=LeadStatus.OPEN).values("street_id").order_by()
                 .annotate(n=Count("id")).values_list("street_id", "n"))
    return [SweepProgress(s, comms.get(s.code, 0), done.get(s.code, 0), kids.get(s.code, 0),
                          checked.get(s.code, {}).get("n", 0), checked.get(s.code, {}).get("changed", 0),
                          leads.get(s.code, 0)) for s in streets]


def leads_visible(user: User) -> QuerySet[Lead]:
    require(user, "children.view")
    return restrict(Lead.objects.select_related("person", "street", "committee", "category"), user)


def lead_get(user: User, pk: int) -> Lead:
    try:
        return leads_visible(user).get(pk=pk)
    except Lead.DoesNotExist:
        raise OutOfScope("没有这条线索，或不在您的辖区内") from None


# --- directors, projects ------------------------------------------------------------------------

def director_of(committee: Division) -> Director | None:
    return Director.objects.filter(committee=committee, ended_on__isnull=True).first()


def directors_visible(user: User) -> QuerySet[Director]:
    require(user, "children.view")
    return restrict(Director.objects.select_related("committee", "street"), user)


def projects() -> QuerySet[Project]:
    return Project.objects.select_related("target_category")


def project_get(user: User, pk: int) -> Project:
    require(user, "children.view")
    try:
        return Project.objects.get(pk=pk)
    except Project.DoesNotExist:
        raise OutOfScope("没有这个项目") from None


def project_served(user: User, project: Project) -> QuerySet[ProjectChild]:
    require(user, "children.view")
    return restrict(project.served.select_related("child__person", "committee"), user)


def served_get(user: User, pk: int) -> ProjectChild:
    require(user, "children.view")
    try:
        return restrict(ProjectChild.objects.select_related("project", "child__person"), user).get(pk=pk)
    except ProjectChild.DoesNotExist:
        raise OutOfScope("没有这名服务对象，或不在您的辖区内") from None


def service_records(user: User, project: Project) -> QuerySet[ServiceRecord]:
    require(user, "children.view")
    return restrict(ServiceRecord.objects.filter(served__project=project).select_related("served__child__person"),
                    user)


def child_projects(child: Child) -> QuerySet[ProjectChild]:
    return child.projects.select_related("project").prefetch_related("records")


# --- figures by street in the seed's terms ---------------------------------------------------------

GROUPS = [g for g in SeedGroup if g != SeedGroup.OTHER]


@dataclass(frozen=True)
class StreetFigures:
    street: Division
    total: int  # distinct children in any counted category
    by_group: dict[str, int]
    allowance_children: int  # active child_basic_living enrolments
    paid_lines: int  # person-times paid in the year
    paid_fen: int


def _streets(user: User) -> list[Division]:
    return list(restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                         committee_field="children__code").distinct().order_by("code"))


def figures_by_street(user: User, *, year: int, day: dt.date) -> list[StreetFigures]:
    """困境儿童 on ``day`` by the seed's groups (a child in several groups counts
    once in the total), the allowance's active enrolments, and the allowance's
    payments in ``year`` (lines of approved batches: 人次 and amount)."""
    spells = (CategorySpell.objects.filter(child__in=children_open(user), started_on__lte=day)
              .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day)).exclude(category__seed_group=SeedGroup.OTHER))
    total = dict(spells.values("child__street_id").order_by().annotate(n=Count("child_id", distinct=True))
                 .values_list("child__street_id", "n"))
    groups: dict[str, dict[str, int]] = {}
    for street, group, n in (spells.values("child__street_id", "category__seed_group").order_by()
                             .annotate(n=Count("child_id", distinct=True))
                             .values_list("child__street_id", "category__seed_group", "n")):
        groups.setdefault(street, {})[group] = n
    enrolled = dict(restrict(Enrolment.objects.filter(program=PROGRAM, status="active"), user)
                    .values("street_id").order_by().annotate(n=Count("id")).values_list("street_id", "n"))
    paid = {r["street_id"]: r for r in restrict(PaymentLine.objects.filter(
        program=PROGRAM, batch__status__in=FINAL_STATUSES, benefit_month__startswith=f"{year}-"), user)
        .values("street_id").order_by().annotate(n=Count("id"), fen=Sum("amount_fen"))}
    return [StreetFigures(s, total.get(s.code, 0), {g.value: groups.get(s.code, {}).get(g.value, 0) for g in GROUPS},
                          enrolled.get(s.code, 0), paid.get(s.code, {}).get("n", 0),
                          paid.get(s.code, {}).get("fen") or 0) for s in _streets(user)]


def leads_todo(user: User) -> QuerySet[Lead]:
    """The inbox's 困境儿童 section: leads of the sweep waiting for the committee's check, oldest first."""
    return leads_visible(user).filter(status=LeadStatus.OPEN).order_by("created_on", "id")
