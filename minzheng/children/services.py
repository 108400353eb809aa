"""Every write of 困境儿童 (ADR 0035): the permission, the jurisdiction, one
transaction, one audit entry; refusals are ``ValidationError`` in Chinese.

* The register: :func:`child_register` (a child with a first category),
  :func:`spell_start` / :func:`spell_end` (dated category history with its
  evidence), :func:`child_end`; after each, :func:`engine_facts_sync` makes the
  registry's ``orphan`` / ``unsupported_child`` follow the register (an open
  散居孤儿 or 事实无人抚养 spell on the day), so the monthly policy batch and the
  monitor run enrol (免申即享) and, through the exit review (应退尽退), stop
  ``child_basic_living`` from the register (REFERENCE § 7). No second engine.
* Guardians (民法典 art. 27, 31–32: changes are new rows, the old one ended)
  and the children's director (儿童主任) of each committee.
* The sweep (摸底排查, seed 2024 plan 一(六)): a campaign per year; checklists
  per child and per committee; leads from the data (:mod:`minzheng.children.leads`)
  accepted into the register or dismissed with the reason; a lead staff
  report themselves (父母服刑: no department source carries imprisonment).
* Care projects (困境儿童社工关爱项目), the children served and service records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.children import leads as lead_finder
from minzheng.children.models import (
    Campaign,
    Capacity,
    Category,
    CategorySpell,
    ChecklistItem,
    CheckOutcome,
    Child,
    ChildCheck,
    CommitteeCheck,
    Director,
    EngineFact,
    EvidenceKind,
    Guardian,
    GuardianRelation,
    ItemScope,
    Lead,
    LeadKind,
    LeadStatus,
    Project,
    ProjectChild,
    ServiceKind,
    ServiceRecord,
)
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.registry.models import Person

ACTOR = User | str
ADULT_AGE = 18


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _covers(actor: ACTOR, street: str, committee: str) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street, committee_code=committee)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字")
    return value


def _not_future(day: dt.date, label: str, today: dt.date) -> None:
    if day > today:
        raise ValidationError(f"{label}不能晚于今天")


def age_on(person: Person, day: dt.date) -> int:
    years = day.year - person.birth_date.year
    return years - ((day.month, day.day) < (person.birth_date.month, person.birth_date.day))


def _job_user(actor: ACTOR) -> User:
    """The account the registry's ``person_update`` runs as when the register
    changes an engine fact: a district-wide job account named after the actor
    (the registry's audit entry carries that name)."""
    return User(username=f"困境儿童名册（{_name(actor)}）", role=Role.BUREAU, is_superuser=True, is_active=True)


# --- engine facts: the register is their source ------------------------------------------

def facts_on(person_id: int, day: dt.date) -> dict[str, bool]:
    """The registry facts the register gives ``person`` on ``day``: an open
    spell (started on or before, not ended) of a category with an engine fact."""
    spells = CategorySpell.objects.filter(child__person_id=person_id, started_on__lte=day,
                                          category__engine_fact__in=[EngineFact.ORPHAN, EngineFact.UNSUPPORTED])
    live = {s.category.engine_fact for s in spells.select_related("category") if s.in_force(day)}
    return {EngineFact.ORPHAN.value: EngineFact.ORPHAN in live,
            EngineFact.UNSUPPORTED.value: EngineFact.UNSUPPORTED in live and EngineFact.ORPHAN not in live}


def engine_facts_sync(*, actor: ACTOR, today: dt.date | None = None, person_ids: list[int] | None = None) -> int:
    """Set ``orphan`` / ``unsupported_child`` of every person who is or was on
    the register to what the register says for ``today`` (through the
    registry's ``person_update``, audited there). A person never on the
    register is not touched. Idempotent; returns the number changed."""
    today = _today(today)
    ids = person_ids if person_ids is not None else list(Child.objects.values_list("person_id", flat=True).distinct())
    changed = 0
    from minzheng.registry.services import person_update

    for person in Person.objects.filter(pk__in=ids):
        wanted = facts_on(person.pk, today)
        if person.orphan != wanted["orphan"] or person.unsupported_child != wanted["unsupported_child"]:
            person_update(actor=_job_user(actor), person=person, **wanted)
            changed += 1
    return changed


# --- the register ---------------------------------------------------------------------

def _category(category: Category) -> None:
    if not category.active:
        raise ValidationError(f"类别“{category.label}”已停用")


def _evidence(kind: str, evidence: str) -> str:
    if kind not in EvidenceKind.values:
        raise ValidationError("请选择证明材料类型")
    return _text(evidence, "证明材料（文书名称、编号或核实情况）", 300)


@transaction.atomic
def child_register(*, actor: ACTOR, person: Person, category: Category, started_on: dt.date, evidence_kind: str,
                   evidence: str, note: str = "", today: dt.date | None = None) -> Child:
    """Put a child on the register with a first category (or add the category
    when the child is on it already)."""
    require(actor, "children.register", allow_job=True)
    today = _today(today)
    _covers(actor, person.street_id, person.committee_id)
    if not person.alive or person.merged_into_id:
        raise ValidationError("该人员已死亡或已合并，不能纳入困境儿童名册")
    _not_future(started_on, "起始日期", today)
    if started_on < person.birth_date or age_on(person, started_on) >= ADULT_AGE:
        raise ValidationError("困境儿童应为未满18周岁的未成年人（起始日期时）")
    child = Child.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    created = child is None
    if created:
        child = Child.objects.create(person=person, street_id=person.street_id, committee_id=person.committee_id,
                                     registered_on=started_on, note=_text(note, "备注", 300, required=False))
        audit_record(actor=actor, action="children.register", object_type="Child", object_id=child.pk,
                     scope_code=child.committee_id, changes={"person": person.pk, "registered_on": started_on})
    assert child is not None
    _spell_start(actor, child, category, started_on, evidence_kind, evidence, today)
    return child


def _spell_start(actor: ACTOR, child: Child, category: Category, started_on: dt.date, evidence_kind: str,
                 evidence: str, today: dt.date) -> CategorySpell:
    _category(category)
    evidence = _evidence(evidence_kind, evidence)
    _not_future(started_on, "起始日期", today)
    if started_on < child.registered_on:
        raise ValidationError("类别起始日期不能早于纳入名册的日期")
    if CategorySpell.objects.filter(child=child, category=category, ended_on__isnull=True).exists():
        raise ValidationError(f"该儿童已在“{category.label}”类别中")
    if CategorySpell.objects.filter(child=child, category=category, ended_on__gt=started_on).exists():
        raise ValidationError(f"起始日期与该儿童此前的“{category.label}”记录重叠")
    spell = CategorySpell.objects.create(child=child, category=category, started_on=started_on,
                                         evidence_kind=evidence_kind, evidence=evidence, recorded_by=_name(actor))
    audit_record(actor=actor, action="children.spell_start", object_type="CategorySpell", object_id=spell.pk,
                 scope_code=child.committee_id,
                 changes={"child": child.pk, "category": category.label, "effective_from": started_on,
                          "evidence_kind": evidence_kind, "evidence": evidence})
    if category.engine_fact:
        engine_facts_sync(actor=actor, today=today, person_ids=[child.person_id])
    return spell


@transaction.atomic
def spell_start(*, actor: ACTOR, child: Child, category: Category, started_on: dt.date, evidence_kind: str,
                evidence: str, today: dt.date | None = None) -> CategorySpell:
    require(actor, "children.register", allow_job=True)
    _covers(actor, child.street_id, child.committee_id)
    if child.ended_on:
        raise ValidationError("该儿童已移出名册")
    return _spell_start(actor, child, category, started_on, evidence_kind, evidence, _today(today))


@transaction.atomic
def spell_end(*, actor: ACTOR, spell: CategorySpell, ended_on: dt.date, reason: str,
              today: dt.date | None = None) -> CategorySpell:
    """End a category on ``ended_on`` (the first day it no longer holds)."""
    require(actor, "children.register", allow_job=True)
    child = spell.child
    _covers(actor, child.street_id, child.committee_id)
    today = _today(today)
    spell = CategorySpell.objects.select_for_update().get(pk=spell.pk)
    if spell.ended_on is not None:
        raise ValidationError("该类别记录已终止")
    _not_future(ended_on, "终止日期", today)
    if ended_on < spell.started_on:
        raise ValidationError("终止日期不能早于起始日期")
    spell.ended_on, spell.end_reason = ended_on, _text(reason, "终止原因", 200)
    spell.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=actor, action="children.spell_end", object_type="CategorySpell", object_id=spell.pk,
                 scope_code=child.committee_id,
                 changes={"child": child.pk, "category": spell.category.label, "effective_to": ended_on,
                          "reason": spell.end_reason})
    if spell.category.engine_fact:
        engine_facts_sync(actor=actor, today=today, person_ids=[child.person_id])
    return spell


@transaction.atomic
def child_end(*, actor: ACTOR, child: Child, ended_on: dt.date, reason: str, today: dt.date | None = None) -> Child:
    """Take a child off the register (turned 18, no longer in difficulty,
    moved away …): every open category ends on the same day."""
    require(actor, "children.register", allow_job=True)
    _covers(actor, child.street_id, child.committee_id)
    today = _today(today)
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.ended_on:
        raise ValidationError("该儿童已移出名册")
    reason = _text(reason, "移出原因", 200)
    _not_future(ended_on, "移出日期", today)
    if ended_on < child.registered_on:
        raise ValidationError("移出日期不能早于纳入日期")
    CategorySpell.objects.filter(child=child, ended_on__isnull=True).update(ended_on=ended_on, end_reason=reason)
    child.ended_on, child.end_reason = ended_on, reason
    child.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=actor, action="children.end", object_type="Child", object_id=child.pk,
                 scope_code=child.committee_id, changes={"effective_to": ended_on, "reason": reason})
    engine_facts_sync(actor=actor, today=today, person_ids=[child.person_id])
    return child


# --- guardians and directors ----------------------------------------------------------------

@transaction.atomic
def guardian_add(*, actor: ACTOR, child: Child, relation: str, capacity: str, started_on: dt.date,
                 person: Person | None = None, name: str = "", capacity_note: str = "",
                 replaces: Guardian | None = None, change_reason: str = "",
                 today: dt.date | None = None) -> Guardian:
    """A guardian from ``started_on``: a registry person or a named outsider.
    With ``replaces``, that guardian ends the same day with ``change_reason``
    (监护变更)."""
    require(actor, "children.register", allow_job=True)
    _covers(actor, child.street_id, child.committee_id)
    today = _today(today)
    if relation not in GuardianRelation.values:
        raise ValidationError("请选择与儿童的关系")
    if capacity not in Capacity.values:
        raise ValidationError("请选择监护能力")
    _not_future(started_on, "起始日期", today)
    if person is not None:
        if person.pk == child.person_id:
            raise ValidationError("儿童本人不能作为自己的监护人")
        name = person.name
    name = _text(name, "监护人姓名", 64)
    if replaces is not None:
        if replaces.child_id != child.pk or replaces.ended_on is not None:
            raise ValidationError("被变更的监护人应为该儿童的现任监护人")
        if started_on < replaces.started_on:
            raise ValidationError("变更日期不能早于原监护人的起始日期")
        replaces.ended_on, replaces.end_reason = started_on, _text(change_reason, "变更原因", 200)
        replaces.save(update_fields=["ended_on", "end_reason"])
    guardian = Guardian.objects.create(child=child, person=person, name=name, relation=relation, capacity=capacity,
                                       capacity_note=_text(capacity_note, "监护情况说明", 300, required=False),
                                       started_on=started_on, recorded_by=_name(actor))
    audit_record(actor=actor, action="children.guardian_add", object_type="Guardian", object_id=guardian.pk,
                 scope_code=child.committee_id,
                 changes={"child": child.pk, "name": name, "guardian_relation": relation, "guardian_capacity": capacity,
                          "effective_from": started_on, "replaces": replaces.name if replaces else None})
    return guardian


@transaction.atomic
def director_appoint(*, actor: ACTOR, committee: Division, name: str, started_on: dt.date, phone: str = "",
                     user: User | None = None, today: dt.date | None = None) -> Director:
    """The committee's children's director (儿童主任) from ``started_on``; the
    one in office leaves the day before."""
    require(actor, "children.manage", allow_job=True)
    if committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("儿童主任应属于一个居村委")
    _covers(actor, committee.parent_id, committee.code)
    _not_future(started_on, "任职日期", _today(today))
    if user is not None and (user.role != Role.COMMITTEE or user.scope_id != committee.code):
        raise ValidationError("工作人员账号应为本居村委的居村委工作人员账号")
    name = _text(name, "姓名", 64)
    current = Director.objects.select_for_update().filter(committee=committee, ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError("任职日期应晚于现任儿童主任的任职日期")
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    director = Director.objects.create(committee=committee, street_id=committee.parent_id, name=name, user=user,
                                       phone=_text(phone, "联系电话", 32, required=False), started_on=started_on)
    audit_record(actor=actor, action="children.director_appoint", object_type="Director", object_id=director.pk,
                 scope_code=committee.code, changes={"name": name, "effective_from": started_on,
                                                     "replaces": current.name if current else None})
    return director


# --- the sweep -------------------------------------------------------------------------------

@transaction.atomic
def campaign_open(*, actor: ACTOR, year: int, started_on: dt.date, due_on: dt.date, title: str = "") -> Campaign:
    require(actor, "children.campaign", allow_job=True)
    if not 2000 <= year <= 2100:
        raise ValidationError("年度应在2000至2100之间")
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError(f"{year}年度的摸底排查已发起")
    if due_on < started_on:
        raise ValidationError("完成期限不能早于开始日期")
    campaign = Campaign.objects.create(year=year, title=_text(title, "名称", 100, required=False)
                                       or f"{year}年度困境儿童摸底排查", started_on=started_on, due_on=due_on,
                                       created_by=_name(actor))
    audit_record(actor=actor, action="children.campaign_open", object_type="Campaign", object_id=campaign.pk,
                 changes={"year": year, "effective_from": started_on, "due_on": due_on})
    return campaign


@transaction.atomic
def campaign_close(*, actor: ACTOR, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    require(actor, "children.campaign", allow_job=True)
    if campaign.closed_on:
        raise ValidationError("该摸底排查已结束")
    campaign.closed_on = _today(today)
    campaign.save(update_fields=["closed_on"])
    audit_record(actor=actor, action="children.campaign_close", object_type="Campaign", object_id=campaign.pk,
                 changes={"on": campaign.closed_on})
    return campaign


def _answers(scope: str, answers: dict[str, Any]) -> dict[str, bool]:
    items = {i.code: i for i in ChecklistItem.objects.filter(scope=scope, active=True)}
    unknown = set(answers) - set(items)
    if unknown:
        raise ValidationError("有未知的排查事项")
    missing = [items[c].text for c in items if c not in answers]
    if missing:
        raise ValidationError(f"请逐项填写排查事项：{'；'.join(missing)}")
    if any(not isinstance(v, bool) for v in answers.values()):
        raise ValidationError("排查事项应填写“是”或“否”")
    return {c: answers[c] for c in items}


def _open_campaign(campaign: Campaign, checked_on: dt.date, today: dt.date) -> None:
    if campaign.closed_on:
        raise ValidationError("该年度摸底排查已结束，不能再登记")
    _not_future(checked_on, "排查日期", today)
    if checked_on < campaign.started_on:
        raise ValidationError("排查日期不能早于摸底排查开始日期")


@transaction.atomic
def child_check_record(*, actor: ACTOR, campaign: Campaign, child: Child, checked_on: dt.date,
                       answers: dict[str, Any], outcome: str, note: str = "",
                       today: dt.date | None = None) -> ChildCheck:
    """The year's checklist for one child (recorded again: replaced, audited)."""
    require(actor, "children.register", allow_job=True)
    _covers(actor, child.street_id, child.committee_id)
    today = _today(today)
    _open_campaign(campaign, checked_on, today)
    if child.ended_on:
        raise ValidationError("该儿童已移出名册")
    clean = _answers(ItemScope.CHILD, answers)
    if outcome not in CheckOutcome.values:
        raise ValidationError("请选择排查结论")
    note = _text(note, "情况说明", 500, required=outcome != CheckOutcome.UNCHANGED or not all(clean.values()))
    check, created = ChildCheck.objects.update_or_create(
        campaign=campaign, child=child,
        defaults={"street_id": child.street_id, "committee_id": child.committee_id, "checked_on": checked_on,
                  "answers": clean, "outcome": outcome, "note": note, "checked_by": _name(actor)})
    audit_record(actor=actor, action="children.child_check", object_type="ChildCheck", object_id=check.pk,
                 scope_code=child.committee_id,
                 changes={"child": child.pk, "year": campaign.year, "on": checked_on,
                          "check_outcome": outcome, "problems": sum(not v for v in clean.values()),
                          "again": not created})
    return check


@transaction.atomic
def committee_check_record(*, actor: ACTOR, campaign: Campaign, committee: Division, checked_on: dt.date,
                           answers: dict[str, Any], note: str = "", today: dt.date | None = None) -> CommitteeCheck:
    require(actor, "children.register", allow_job=True)
    if committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("请选择居村委")
    _covers(actor, committee.parent_id, committee.code)
    today = _today(today)
    _open_campaign(campaign, checked_on, today)
    clean = _answers(ItemScope.COMMITTEE, answers)
    note = _text(note, "情况说明", 500, required=not all(clean.values()))
    check, created = CommitteeCheck.objects.update_or_create(
        campaign=campaign, committee=committee,
        defaults={"street_id": committee.parent_id, "checked_on": checked_on, "answers": clean, "note": note,
                  "checked_by": _name(actor)})
    audit_record(actor=actor, action="children.committee_check", object_type="CommitteeCheck", object_id=check.pk,
                 scope_code=committee.code,
                 changes={"year": campaign.year, "on": checked_on,
                          "problems": sum(not v for v in clean.values()), "again": not created})
    return check


# --- leads ---------------------------------------------------------------------------------------

@transaction.atomic
def leads_generate(*, actor: ACTOR, today: dt.date | None = None) -> dict[str, int]:
    """Candidates found by the data (:mod:`minzheng.children.leads`) become
    leads of the year's campaign (if opened). Idempotent: a lead exists once
    per child, kind and source record, whatever became of it."""
    require(actor, "children.campaign", allow_job=True)
    today = _today(today)
    campaign = Campaign.objects.filter(year=today.year).first()
    categories = {c.code: c for c in Category.objects.all()}
    existing = set(Lead.objects.values_list("person_id", "kind", "source_ref"))
    counts = dict.fromkeys(LeadKind.values, 0)
    new: list[Lead] = []
    for found in lead_finder.candidates(today):
        key = (found.person.pk, found.kind, found.source_ref)
        if key in existing:
            continue
        existing.add(key)
        new.append(Lead(campaign=campaign, person=found.person, street_id=found.person.street_id,
                        committee_id=found.person.committee_id, kind=found.kind, source_ref=found.source_ref,
                        category=categories[found.category], detail=found.detail[:300], created_on=today))
        counts[found.kind] += 1
    Lead.objects.bulk_create(new, batch_size=1000)
    result = {"created": len(new), **{k: v for k, v in counts.items()},
              "open_total": Lead.objects.filter(status=LeadStatus.OPEN).count()}
    audit_record(actor=actor, action="children.leads_generate", object_type="ChildLead", object_id=today.isoformat(),
                 changes={"created": len(new), "open_total": result["open_total"], "year": today.year})
    return result


@transaction.atomic
def lead_report(*, actor: ACTOR, person: Person, kind: str, category: Category, detail: str,
                today: dt.date | None = None) -> Lead:
    """A lead staff found themselves, e.g. a parent in prison (父母服刑): no
    department source of the feeds catalogue carries imprisonment, so staff
    record it with the document they saw."""
    require(actor, "children.register", allow_job=True)
    _covers(actor, person.street_id, person.committee_id)
    today = _today(today)
    if kind not in (LeadKind.PARENT_IMPRISONED, LeadKind.STAFF):
        raise ValidationError("工作人员登记的线索应为“父母服刑”或“工作人员发现”")
    if not person.alive or age_on(person, today) >= ADULT_AGE:
        raise ValidationError("线索对象应为在世的未满18周岁儿童")
    detail = _text(detail, "线索内容", 300)
    n = Lead.objects.filter(person=person, kind=kind).count() + 1
    lead = Lead.objects.create(campaign=Campaign.objects.filter(year=today.year).first(), person=person,
                               street_id=person.street_id, committee_id=person.committee_id, kind=kind,
                               source_ref=f"staff:{today.isoformat()}:{n}", category=category, detail=detail,
                               created_on=today)
    audit_record(actor=actor, action="children.lead_report", object_type="ChildLead", object_id=lead.pk,
                 scope_code=person.committee_id, changes={"lead_kind": kind, "category": category.label})
    return lead


def _lead_open(lead: Lead) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status != LeadStatus.OPEN:
        raise ValidationError("该线索已处理")
    return lead


@transaction.atomic
def lead_accept(*, actor: ACTOR, lead: Lead, started_on: dt.date, evidence_kind: str, evidence: str,
                category: Category | None = None, today: dt.date | None = None) -> Child:
    """Accept a lead: the child joins the register in the category (the
    suggested one unless staff choose another), with the evidence checked."""
    require(actor, "children.register", allow_job=True)
    _covers(actor, lead.street_id, lead.committee_id)
    lead = _lead_open(lead)
    category = category or lead.category
    person = Person.objects.get(pk=lead.person_id)
    child = Child.objects.filter(person=person, ended_on__isnull=True).first()
    if child is None:
        child = child_register(actor=actor, person=person, category=category, started_on=started_on,
                               evidence_kind=evidence_kind, evidence=evidence, today=today)
    else:
        child = spell_start(actor=actor, child=child, category=category, started_on=started_on,
                            evidence_kind=evidence_kind, evidence=evidence, today=today).child
    lead.status, lead.resolved_on, lead.resolved_by = LeadStatus.ACCEPTED, _today(today), _name(actor)
    lead.resolution = f"纳入“{category.label}”"
    lead.save(update_fields=["status", "resolved_on", "resolved_by", "resolution"])
    audit_record(actor=actor, action="children.lead_accept", object_type="ChildLead", object_id=lead.pk,
                 scope_code=lead.committee_id, changes={"child": child.pk, "category": category.label})
    return child


@transaction.atomic
def lead_dismiss(*, actor: ACTOR, lead: Lead, reason: str, today: dt.date | None = None) -> Lead:
    require(actor, "children.register", allow_job=True)
    _covers(actor, lead.street_id, lead.committee_id)
    lead = _lead_open(lead)
    lead.status, lead.resolution = LeadStatus.DISMISSED, _text(reason, "不予纳入的理由", 300)
    lead.resolved_on, lead.resolved_by = _today(today), _name(actor)
    lead.save(update_fields=["status", "resolution", "resolved_on", "resolved_by"])
    audit_record(actor=actor, action="children.lead_dismiss", object_type="ChildLead", object_id=lead.pk,
                 scope_code=lead.committee_id, changes={"reason": lead.resolution})
    return lead


# --- care projects ------------------------------------------------------------------------------

@transaction.atomic
def project_create(*, actor: ACTOR, name: str, year: int, provider: str, planned_children: int,
                   started_on: dt.date, target_category: Category | None = None, basis: str = "") -> Project:
    require(actor, "children.manage", allow_job=True)
    if isinstance(actor, User) and actor.role != Role.BUREAU and not actor.is_superuser:
        raise ValidationError("关爱服务项目由区民政局设立")
    if not 2000 <= year <= 2100:
        raise ValidationError("年度应在2000至2100之间")
    if isinstance(planned_children, bool) or not 1 <= planned_children <= 10000:
        raise ValidationError("计划服务人数应为1至10000")
    name = _text(name, "项目名称", 100)
    if Project.objects.filter(name=name, year=year).exists():
        raise ValidationError("同一年度已有同名项目")
    project = Project.objects.create(name=name, year=year, provider=_text(provider, "承接机构", 100),
                                     planned_children=planned_children, started_on=started_on,
                                     target_category=target_category, basis=_text(basis, "依据", 300, required=False))
    audit_record(actor=actor, action="children.project_create", object_type="Project", object_id=project.pk,
                 changes={"name": name, "year": year, "provider": project.provider,
                          "planned_children": planned_children})
    return project


@transaction.atomic
def project_child_add(*, actor: ACTOR, project: Project, child: Child, joined_on: dt.date,
                      today: dt.date | None = None) -> ProjectChild:
    require(actor, "children.register", allow_job=True)
    _covers(actor, child.street_id, child.committee_id)
    _not_future(joined_on, "纳入服务日期", _today(today))
    if child.ended_on:
        raise ValidationError("该儿童已移出名册")
    if ProjectChild.objects.filter(project=project, child=child).exists():
        raise ValidationError("该儿童已是本项目的服务对象")
    served = ProjectChild.objects.create(project=project, child=child, street_id=child.street_id,
                                         committee_id=child.committee_id, joined_on=joined_on)
    audit_record(actor=actor, action="children.project_child_add", object_type="ProjectChild", object_id=served.pk,
                 scope_code=child.committee_id, changes={"project": str(project), "child": child.pk,
                                                         "joined_on": joined_on})
    return served


@transaction.atomic
def service_record_add(*, actor: ACTOR, served: ProjectChild, served_on: dt.date, kind: str, description: str,
                       today: dt.date | None = None) -> ServiceRecord:
    require(actor, "children.register", allow_job=True)
    _covers(actor, served.street_id, served.committee_id)
    _not_future(served_on, "服务日期", _today(today))
    if served_on < served.joined_on:
        raise ValidationError("服务日期不能早于纳入服务的日期")
    if kind not in ServiceKind.values:
        raise ValidationError("请选择服务内容")
    record = ServiceRecord.objects.create(served=served, street_id=served.street_id, committee_id=served.committee_id,
                                          served_on=served_on, kind=kind,
                                          description=_text(description, "服务情况", 500), recorded_by=_name(actor))
    audit_record(actor=actor, action="children.service_record", object_type="ChildServiceRecord", object_id=record.pk,
                 scope_code=served.committee_id, changes={"child": served.child_id, "served_on": served_on,
                                                          "service_kind": kind})
    return record
