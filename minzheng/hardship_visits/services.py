"""Every write of 探访关爱 (ADR 0034): one transaction, the permission, the
jurisdiction, an audit entry. Refusals are ``ValidationError`` in Chinese.

* :func:`targets_refresh` recomputes the list from the registry and the
  enrolments (:mod:`targeting`); idempotent: a second run on the same data
  changes nothing. Elders who no longer qualify are ended with a reason.
* :func:`visit_record` records a visit and moves the target's next due date:
  last visit + frequency (:func:`next_due`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.hardship_visits import targeting
from minzheng.hardship_visits.models import (
    TargetRefresh,
    VisitCategory,
    VisitMode,
    Visitor,
    VisitorKind,
    VisitRecord,
    VisitTarget,
)
from minzheng.registry.models import Person

ACTOR = User | str
LEFT_LIST = "不再符合任何探访对象类别"
DIED = "已死亡"
MERGED = "人员记录已合并"
IN_INSTITUTION = "已入住养老机构（机构集中供养）"


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _covers(actor: ACTOR, street: str, committee: str) -> None:
    if not isinstance(actor, str):
        require_scope_covers(actor, street_code=street, committee_code=committee)


def next_due(*, started_on: dt.date, last_visited_on: dt.date | None, frequency_days: int) -> dt.date:
    """Next visit due: the last visit + the frequency; never visited: the day
    the elder joined the list + the frequency (ADR 0034 § overdue)."""
    return (last_visited_on or started_on) + dt.timedelta(days=frequency_days)


# --- categories ------------------------------------------------------------------

@transaction.atomic
def category_update(*, actor: ACTOR, category: VisitCategory, frequency_days: int, active: bool,
                    basis: str = "") -> VisitCategory:
    """The bureau sets a category's visit frequency (1–366 days) and whether it
    is in use; the list takes it at the next refresh."""
    require(actor, "hardship_visits.manage", allow_job=True)
    if isinstance(frequency_days, bool) or not isinstance(frequency_days, int) or not 1 <= frequency_days <= 366:
        raise ValidationError("探访周期应为1至366天")
    before = {"frequency_days": category.frequency_days, "active": category.active}
    category.frequency_days, category.active = frequency_days, active
    category.basis = basis.strip()[:300] or category.basis
    category.save(update_fields=["frequency_days", "active", "basis"])
    audit_record(actor=actor, action="hardship_visits.category_update", object_type="VisitCategory",
                 object_id=category.pk, changes={"category": category.label, "before": before,
                                                 "frequency_days": frequency_days, "active": active})
    return category


# --- the list -------------------------------------------------------------------

def _end_reason(person: Person | None) -> str:
    if person is None:
        return LEFT_LIST
    if not person.alive:
        return DIED
    if person.merged_into_id:
        return MERGED
    if person.in_institution:
        return IN_INSTITUTION
    return LEFT_LIST


@transaction.atomic
def targets_refresh(*, actor: ACTOR, today: dt.date | None = None) -> TargetRefresh:
    """Recompute the visit list for ``today`` (bureau; the demo and the command
    line run it by name). New elders join (next due = today + frequency);
    elders whose categories changed keep their entry with the new categories
    and frequency; elders who no longer qualify are ended with the reason."""
    require(actor, "hardship_visits.manage", allow_job=True)
    today = today or timezone.localdate()
    categories = list(VisitCategory.objects.filter(active=True))
    by_id = {c.pk: c for c in categories}
    pool, met = targeting.matches(today, categories)
    open_targets = {t.person_id: t for t in VisitTarget.objects.filter(ended_on__isnull=True)
                    .prefetch_related("categories")}
    added = ended = changed = 0
    new_targets: list[VisitTarget] = []
    links: list[tuple[int, set[int]]] = []
    for pid, cats in met.items():
        frequency = min(by_id[c].frequency_days for c in cats)
        elder = pool[pid]
        target = open_targets.pop(pid, None)
        if target is None:
            new_targets.append(VisitTarget(person_id=pid, street_id=elder.street_id, committee_id=elder.committee_id,
                                           frequency_days=frequency, started_on=today,
                                           next_due_on=today + dt.timedelta(days=frequency)))
            links.append((pid, cats))
            continue
        have = {c.pk for c in target.categories.all()}
        place = (elder.street_id, elder.committee_id)
        if have == cats and target.frequency_days == frequency and (target.street_id, target.committee_id) == place:
            continue
        if have != cats:
            target.categories.set(cats)
        target.frequency_days = frequency
        target.street_id, target.committee_id = place
        if target.visitor_id and target.visitor.committee_id != elder.committee_id:
            target.visitor = None  # moved to another committee: its visitors take over
        target.next_due_on = next_due(started_on=target.started_on, last_visited_on=target.last_visited_on,
                                      frequency_days=frequency)
        target.save(update_fields=["frequency_days", "street", "committee", "visitor", "next_due_on"])
        changed += 1
    if new_targets:
        created = VisitTarget.objects.bulk_create(new_targets, batch_size=2000)
        ids = {t.person_id: t.pk for t in created}
        if None in ids.values():  # a backend that does not return primary keys
            ids = dict(VisitTarget.objects.filter(ended_on__isnull=True, started_on=today)
                       .values_list("person_id", "id"))
        through = VisitTarget.categories.through
        through.objects.bulk_create([through(visittarget_id=ids[pid], visitcategory_id=c)
                                     for pid, cats in links for c in sorted(cats)], batch_size=5000)
        added = len(new_targets)
    if open_targets:
        leaving = Person.objects.in_bulk([t.person_id for t in open_targets.values()])
        for target in open_targets.values():
            target.ended_on, target.end_reason = today, _end_reason(leaving.get(target.person_id))
        VisitTarget.objects.bulk_update(list(open_targets.values()), ["ended_on", "end_reason"], batch_size=2000)
        ended = len(open_targets)
    run = TargetRefresh.objects.create(run_on=today, run_by=_name(actor), added=added, ended=ended, changed=changed,
                                       open_total=VisitTarget.objects.filter(ended_on__isnull=True).count())
    audit_record(actor=actor, action="hardship_visits.refresh", object_type="TargetRefresh", object_id=run.pk,
                 changes={"as_of": today.isoformat(), "added": added, "ended": ended, "changed": changed,
                          "open_total": run.open_total})
    return run


# --- visitors -------------------------------------------------------------------

@transaction.atomic
def visitor_create(*, actor: ACTOR, committee: Division, name: str = "", phone: str = "",
                   user: User | None = None) -> Visitor:
    """A visitor of ``committee``: a committee staff account (``user``, of that
    committee) or a named volunteer (``name``)."""
    require(actor, "hardship_visits.visit", allow_job=True)
    if committee.level != DivisionLevel.COMMITTEE:
        raise ValidationError("探访人员应属于一个居村委")
    _covers(actor, committee.parent_id, committee.code)
    if user is not None:
        if user.role != Role.COMMITTEE or user.scope_id != committee.code:
            raise ValidationError("工作人员探访人员应为本居村委的居村委工作人员账号")
        if Visitor.objects.filter(committee=committee, user=user).exists():
            raise ValidationError("该工作人员已登记为本居村委的探访人员")
        visitor = Visitor(committee=committee, street_id=committee.parent_id, kind=VisitorKind.STAFF, user=user,
                          name=(user.full_name or user.username)[:64], phone=phone.strip()[:32])
    else:
        if not name.strip():
            raise ValidationError("请填写志愿者姓名")
        visitor = Visitor(committee=committee, street_id=committee.parent_id, kind=VisitorKind.VOLUNTEER,
                          name=name.strip()[:64], phone=phone.strip()[:32])
    visitor.save()
    audit_record(actor=actor, action="hardship_visits.visitor_create", object_type="Visitor", object_id=visitor.pk,
                 scope_code=committee.code, changes={"name": visitor.name, "visitor_kind": visitor.kind})
    return visitor


@transaction.atomic
def visitor_assign(*, actor: ACTOR, target: VisitTarget, visitor: Visitor | None) -> VisitTarget:
    require(actor, "hardship_visits.visit", allow_job=True)
    _covers(actor, target.street_id, target.committee_id)
    if target.ended_on is not None:
        raise ValidationError("该老年人已移出探访名单")
    if visitor is not None and (visitor.committee_id != target.committee_id or not visitor.active):
        raise ValidationError("探访人员应为该老年人所在居村委的在岗探访人员")
    target.visitor = visitor
    target.save(update_fields=["visitor"])
    audit_record(actor=actor, action="hardship_visits.assign", object_type="VisitTarget", object_id=target.pk,
                 scope_code=target.committee_id, changes={"visitor": visitor.name if visitor else None})
    return target


# --- visits ---------------------------------------------------------------------

@transaction.atomic
def visit_record(*, actor: ACTOR, target: VisitTarget, visited_on: dt.date, visitor: Visitor, mode: str,
                 findings: str, needs_follow_up: bool = False, follow_up_note: str = "",
                 today: dt.date | None = None) -> VisitRecord:
    """Record a visit (上门 or 电话) and move the next due date."""
    require(actor, "hardship_visits.visit", allow_job=True)
    _covers(actor, target.street_id, target.committee_id)
    today = today or timezone.localdate()
    target = VisitTarget.objects.select_for_update().get(pk=target.pk)
    if target.ended_on is not None:
        raise ValidationError("该老年人已移出探访名单，不能再登记探访")
    if visited_on > today:
        raise ValidationError("探访日期不能晚于今天")
    if visited_on < target.started_on:
        raise ValidationError("探访日期不能早于纳入探访名单的日期")
    if mode not in VisitMode.values:
        raise ValidationError("探访方式应为上门或电话")
    if visitor.committee_id != target.committee_id:
        raise ValidationError("探访人员应为该老年人所在居村委的探访人员")
    if not findings.strip():
        raise ValidationError("请填写探访情况")
    if needs_follow_up and not follow_up_note.strip():
        raise ValidationError("需要跟进时请写明跟进事项")
    record = VisitRecord.objects.create(target=target, visited_on=visited_on, visitor=visitor, mode=mode,
                                        findings=findings.strip(), needs_follow_up=needs_follow_up,
                                        follow_up_note=follow_up_note.strip()[:200], recorded_by=_name(actor))
    if target.last_visited_on is None or visited_on > target.last_visited_on:
        target.last_visited_on = visited_on
        target.next_due_on = next_due(started_on=target.started_on, last_visited_on=visited_on,
                                      frequency_days=target.frequency_days)
        target.save(update_fields=["last_visited_on", "next_due_on"])
    audit_record(actor=actor, action="hardship_visits.visit_record", object_type="VisitRecord", object_id=record.pk,
                 scope_code=target.committee_id,
                 changes={"target": target.pk, "visited_on": visited_on.isoformat(), "visit_mode": mode,
                          "visitor": visitor.name, "needs_follow_up": needs_follow_up})
    return record

