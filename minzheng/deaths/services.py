"""Writes of the death record (公民身故“一件事”, ADR 0023).

:func:`death_report` records one source's report of a death in ONE
transaction: it validates, creates or merges the one record per ID number,
and, the first time the record is matched to a registry person, carries out
the consequences the same day:

1. ``registry.services.person_record_death`` — the person is marked dead and
   leaves their household; the registry's death listeners run in the same
   transaction (marriage: the spouse becomes 丧偶; payments: unpaid future
   lines held, paid months charged for recovery);
2. ``casework.services.enrolment_stop_for_death`` — enrolments stop from the
   month after death, paid months become overpayment cases, a household
   enrolment with survivors is flagged for re-review;
3. a consequences summary (from the audit entries the steps wrote) is stored
   on the record for the family checklist.

The consequences run under a **system actor naming the reporter**
(:func:`consequences_actor`): an unsaved district-wide bureau account named
``<reporter>（死亡登记联动）`` — the way the monitoring run's jobs act — because
the window or the funeral home may report a death but holds neither
``registry.write`` nor ``casework.stop_for_death``. Every audit entry of the
consequences names the reporting account that way.

Merging and conflicting dates: several sources for the same ID number (keyed
blind index) become reports of ONE record; the first reported date stands (as
in the registry, "the first recorded death date stands"). A report with
another date is kept as reported and flags the record 待核实（来源日期不一致）;
nothing is overwritten and no consequence is redone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from minzheng.casework.models import EnrolledProgram, Enrolment, OverpaymentCase
from minzheng.casework.services import enrolment_stop_for_death
from minzheng.core.audit import audit_record
from minzheng.core.audit_labels import ACTION_LABELS
from minzheng.core.models import AuditEntry, DivisionLevel, Role, User
from minzheng.core.months import month_label
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.core.scope import Scope
from minzheng.deaths.checklist import ChecklistItem as ChecklistItem
from minzheng.deaths.checklist import Contributor, contributor_register
from minzheng.deaths.models import DeathRecord, DeathReport, DeathStatus, SourceKind
from minzheng.feeds.models import FeedEvent
from minzheng.registry.models import Person
from minzheng.registry.services import InvalidIdNumber, parse_id_number, person_record_death

__all__ = ["ChecklistItem", "checklist_contributor_register", "consequences_actor", "death_report",
           "death_checklist_printed", "death_report_for_person", "death_report_from_feed_event"]

# The audit actions the summary reads itself; any other action the consequences
# wrote (payments' hold and recovery, …) is counted under "other" with its label.
_OWN_ACTIONS = {"enrolment.terminate", "enrolment.flag_for_review", "overpayment.create",
                "person.marital_status_record", "person.record_death", "death.report", "marriage.end_by_death"}


def checklist_contributor_register(contributor: Contributor) -> None:
    """Register ``contributor(record) -> list[ChecklistItem]`` (from an app's
    ``AppConfig.ready``; once per contributor): its items are shown on the
    family checklist, section 家属可申领的补贴 unless an item names another."""
    contributor_register(contributor)


def _actor_name(actor: Any) -> str:
    return actor if isinstance(actor, str) else getattr(actor, "username", str(actor))


def consequences_actor(actor: User | str) -> User:
    """The account the consequences run as: unsaved, district-wide, named after the reporter."""
    return User(username=f"{_actor_name(actor)}（死亡登记联动）", role=Role.BUREAU, is_superuser=True, is_active=True)


def _clean_text(value: str, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


@transaction.atomic
def death_report(*, actor: User | str, source: str, id_number: str, name: str, death_date: dt.date,
                 reference: str = "", place: str = "", reporter: str = "", note: str = "",
                 today: dt.date | None = None) -> DeathRecord:
    """Record one source's report of a death (see the module docstring)."""
    require(actor, "deaths.report", allow_job=True)
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if source not in SourceKind.values:
        errors["source"] = f"未知的死亡信息来源：{str(source)[:20]}"
    name = _clean_text(name, 64)
    if not name:
        errors["name"] = "请填写死者姓名"
    try:
        facts = parse_id_number(id_number or "")
    except InvalidIdNumber as err:
        errors["id_number"] = str(err)
        facts = None
    if not isinstance(death_date, dt.date):
        errors["death_date"] = "请填写死亡日期"
    elif death_date > today:
        errors["death_date"] = "死亡日期不能晚于今天"
    elif facts is not None and death_date < facts.birth_date:
        errors["death_date"] = (f"死亡日期早于身份证号码所示的出生日期（{facts.birth_date.year}年"
                                f"{facts.birth_date.month}月{facts.birth_date.day}日）")
    if errors:
        raise ValidationError(errors)
    assert facts is not None
    return _report(actor=actor, source=source, index=blind_index(facts.number),
                   masked=mask_id_number(facts.number), enc=encrypt(facts.number), name=name, death_date=death_date,
                   reference=_clean_text(reference, 60), place=_clean_text(place, 100),
                   reporter=_clean_text(reporter, 64), note=_clean_text(note, 200), today=today)


@transaction.atomic
def death_report_for_person(*, actor: User | str, person: Person, source: str, death_date: dt.date,
                            reference: str = "", place: str = "", reporter: str = "", note: str = "",
                            today: dt.date | None = None) -> DeathRecord:
    """:func:`death_report` for a registry person picked on a page (the
    window's person search): the ID number is the person's, never retyped."""
    require(actor, "deaths.report", allow_job=True)
    today = today or dt.date.today()
    if source not in SourceKind.values:
        raise ValidationError({"source": f"未知的死亡信息来源：{str(source)[:20]}"})
    if not isinstance(death_date, dt.date):
        raise ValidationError({"death_date": "请填写死亡日期"})
    if death_date > today:
        raise ValidationError({"death_date": "死亡日期不能晚于今天"})
    if death_date < person.birth_date:
        raise ValidationError({"death_date": f"死亡日期早于出生日期（{person.birth_date.year}年"
                                             f"{person.birth_date.month}月{person.birth_date.day}日）"})
    return _report(actor=actor, source=source, index=person.id_number_index, masked=person.id_number_masked,
                   enc=person.id_number_enc, name=person.name, death_date=death_date,
                   reference=_clean_text(reference, 60), place=_clean_text(place, 100),
                   reporter=_clean_text(reporter, 64), note=_clean_text(note, 200), today=today)


def death_report_from_feed_event(*, actor: User | str, event: FeedEvent, today: dt.date) -> DeathRecord | None:
    """A department-data death event as a report of source 部门数据 (the
    ``deaths_from_feeds`` job), once per event; ``None`` when the event cannot
    be a report (a date after ``today`` or before the person's birth: left for
    a person to look at in the feed's event list). Runs in its own transaction."""
    require(actor, "deaths.import_feeds", allow_job=True)
    if DeathReport.objects.filter(feed_event=event).exists():
        return None
    person = event.person
    if event.event_date > today or (person is not None and event.event_date < person.birth_date):
        return None
    with transaction.atomic():
        source_name = str((event.details or {}).get("source") or "部门数据")[:60]
        if person is not None:
            return _report(actor=actor, source=SourceKind.FEED, index=person.id_number_index,
                           masked=person.id_number_masked, enc=person.id_number_enc, name=person.name,
                           death_date=event.event_date, reference=source_name, today=today, feed_event_id=event.pk)
        return _report(actor=actor, source=SourceKind.FEED, index=event.person_index, masked=event.id_number_masked,
                       enc="", name=event.name or "（部门数据未提供姓名）", death_date=event.event_date,
                       reference=source_name, today=today, feed_event_id=event.pk)


def _reporter_street(actor: User | str) -> str | None:
    if isinstance(actor, User):
        scope = Scope.of(actor)
        if scope.level == DivisionLevel.STREET:
            return scope.code
    return None


def _report(*, actor: User | str, source: str, index: str, masked: str, enc: str, name: str,
            death_date: dt.date, reference: str = "", place: str = "", reporter: str = "", note: str = "",
            today: dt.date, feed_event_id: int | None = None) -> DeathRecord:
    """Create or merge the record for ``index`` and carry out the consequences
    when it is matched for the first time (runs inside the caller's transaction)."""
    person = Person.objects.select_for_update().filter(
        pk__in=Person.objects.filter(id_number_index=index, merged_into__isnull=True).values("pk")).first()
    if person is not None and isinstance(actor, User):
        scope = Scope.of(actor)
        if not scope.covers(street_code=person.street_id, committee_code=person.committee_id):
            raise ValidationError("死者在人口库中的居住地不在您的辖区，请由其居住地街镇受理中心或区民政局登记")
    record = DeathRecord.objects.select_for_update().filter(id_number_index=index).first()
    created = record is None
    if record is None:
        record = DeathRecord(name=name, id_number_index=index, id_number_masked=masked,
                             id_number_enc=enc, death_date=death_date,
                             status=DeathStatus.UNMATCHED, street_id=_reporter_street(actor))
        record.save()
    elif enc and not record.id_number_enc:
        record.id_number_enc = enc
    differs = death_date != record.death_date
    report = DeathReport.objects.create(
        record=record, source=source, reference=reference, name=name, death_date=death_date, place=place,
        reporter=reporter, note=note, feed_event_id=feed_event_id, date_differs=differs,
        recorded_by=_actor_name(actor), recorded_by_user=actor if isinstance(actor, User) and actor.pk else None)
    if differs:
        record.status = DeathStatus.CONFLICT
    matched_now = record.person_id is None and person is not None
    if matched_now:
        assert person is not None
        record.person = person
        record.street_id, record.committee_id = person.street_id, person.committee_id
        record.consequences = _consequences(actor, person, record.death_date, today)
        record.processed_at = timezone.now()
        if record.status == DeathStatus.UNMATCHED:
            record.status = DeathStatus.PROCESSED
        if record.consequences.get("registry_date_differs"):
            record.status = DeathStatus.CONFLICT
    record.save()
    audit_record(actor=actor, action="death.report", object_type="DeathRecord", object_id=record.pk,
                 scope_code=record.committee_id or record.street_id or "",
                 changes={"source": source, "death_date": death_date, "id_number": masked,
                          "created": created, "report": report.pk, "date_differs": differs,
                          "matched": matched_now, "status": record.status})
    return record


def _consequences(actor: User | str, person: Person, death_date: dt.date, today: dt.date) -> dict[str, Any]:
    """Steps 1-2 of the module docstring under the system actor, and their summary (step 3)."""
    system = consequences_actor(actor)
    start = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    summary: dict[str, Any] = {"actor": system.username}
    if person.alive:
        person_record_death(actor=system, person=person, death_date=death_date)
        summary["registry"] = "recorded"
        effective = death_date
    else:
        summary["registry"] = "already"
        effective = person.death_date or death_date
        if person.death_date and person.death_date != death_date:
            summary["registry_date_differs"] = person.death_date.isoformat()
    summary["effective_death_date"] = effective.isoformat()
    enrolment_stop_for_death(actor=system, person=person, death_date=effective, today=today)
    entries = list(AuditEntry.objects.filter(id__gt=start).order_by("id").values_list(
        "action", "object_id", "changes"))
    return {**summary, **_summarise(person, entries)}


def _summarise(person: Person, entries: list[tuple[str, str, dict]]) -> dict[str, Any]:
    programs = dict(EnrolledProgram.choices)
    terminated = [int(oid) for action, oid, _ in entries if action == "enrolment.terminate"]
    flagged = [int(oid) for action, oid, _ in entries if action == "enrolment.flag_for_review"]
    cases = [int(oid) for action, oid, _ in entries if action == "overpayment.create"]
    enrolments = Enrolment.objects.in_bulk(terminated + flagged)
    stopped = []
    for pk in terminated:
        enrolment = enrolments[pk]
        stopped.append({"enrolment": pk, "program": programs.get(enrolment.program, "救助项目"),
                        "from_month": enrolment.status_effective_month,
                        "from_month_label": month_label(enrolment.status_effective_month)})
    overpayments = [{"case": case.pk, "program": programs.get(case.program, "救助项目"), "months": case.months,
                     "month_labels": [month_label(m) for m in case.months], "amount_fen": case.amount_fen}
                    for case in OverpaymentCase.objects.filter(pk__in=cases).order_by("pk")]
    widowed = []
    spouse_ids = [int(oid) for action, oid, changes in entries if action == "person.marital_status_record"
                  and changes.get("marital_status") == "widowed" and str(oid) != str(person.pk)]
    for spouse in Person.objects.filter(pk__in=spouse_ids).only("name", "id_number_masked"):
        widowed.append({"person": spouse.pk, "detail": f"配偶{spouse.name}（{spouse.id_number_masked}）"})
    other: dict[str, int] = {}
    other_fen: dict[str, int] = {}
    for action, _, changes in entries:
        if action not in _OWN_ACTIONS:
            other[action] = other.get(action, 0) + 1
            if isinstance((changes or {}).get("amount_fen"), int):
                other_fen[action] = other_fen.get(action, 0) + changes["amount_fen"]
    return {
        "stopped": stopped,
        "flagged": [{"enrolment": pk, "program": programs.get(enrolments[pk].program, "救助项目")} for pk in flagged],
        "overpayments": overpayments,
        "widowed": widowed,
        "other": [{"action": action, "label": ACTION_LABELS.get(action, "其他联动事项"), "count": count,
                   "amount_fen": other_fen.get(action)} for action, count in sorted(other.items())],
    }


@transaction.atomic
def death_checklist_printed(*, actor: User, record: DeathRecord) -> None:
    """Audit the printing of the family checklist (it names the deceased)."""
    require(actor, "deaths.view")
    audit_record(actor=actor, action="death.checklist_pdf", object_type="DeathRecord", object_id=record.pk,
                 scope_code=record.committee_id or record.street_id or "", changes={"id_number": record.id_number_masked})
