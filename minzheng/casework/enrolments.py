"""Enrolments (纳入保障) and their exits (应退尽退): suspension, termination,
stop on death with the overpaid months.

Months are ``YYYY-MM``. An exit's ``effective_month`` is the first month
without benefit; ``end_month`` is then the month before it.

Payments do not exist yet, so "months already paid" are, by convention, the
months of an active enrolment from its start up to and including the current
month (benefits are paid at the start of each month). See ADR 0006.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from minzheng.casework.amounts import EngineOutcome
from minzheng.casework.models import (
    Application,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    OverpaymentCase,
)
from minzheng.casework.review_schedule import has_able_member, next_review_date
from minzheng.core.audit import audit_record
from minzheng.core.bounds import month_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.months import month_label, month_of, month_parse, month_shift
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.eligibility.selectors import eligible_decisions_sql
from minzheng.payments import selectors as payments_selectors
from minzheng.registry.models import HouseholdMembership, Person
from policy import PROGRAMS


def _require_manager(actor: User, enrolment: Enrolment) -> None:
    require(actor, "casework.enrolment_manage")
    require_scope_covers(actor, street_code=enrolment.street_id, committee_code=enrolment.committee_id)


def _event(enrolment: Enrolment, actor: User | str, kind: str, month: str, reason: str, **data) -> None:
    EnrolmentEvent.objects.create(enrolment=enrolment, kind=kind, effective_month=month, reason=reason,
                                  actor_name=getattr(actor, "username", str(actor)), data=data)


def enrolment_create_for_decision(*, actor: User, application: Application, start_month: str,
                                  outcome: EngineOutcome, decided_on: dt.date) -> Enrolment:
    """Enrol the approved household (household-level programs) or applicant
    (person-level programs). Called inside ``application_decide``'s transaction."""
    person_level = PROGRAMS[application.program].level == "person"
    household = application.household
    person = application.applicant if person_level else None
    able = has_able_member(household=None if person_level else household, person=person, on=decided_on)
    enrolment = Enrolment.objects.create(
        program=application.program, household=household, person=person,
        street_id=application.street_id, committee_id=application.committee_id,
        start_month=start_month, source=EnrolmentSource.APPLICATION, application=application,
        monthly_amount_fen=outcome.amount_fen or 0, amount_basis=outcome.basis | {"note": outcome.note},
        has_able_member=able,
        next_review_on=next_review_date(program=application.program, able=able, start=decided_on),
    )
    _event(enrolment, actor, "enrolled", start_month, f"申请 {application.number} 批准")
    audit_record(actor=actor, action="enrolment.create", object_type="Enrolment", object_id=enrolment.pk,
                 scope_code=enrolment.committee_id,
                 changes={"program": enrolment.program, "application": application.pk, "start_month": start_month,
                          "monthly_amount_fen": enrolment.monthly_amount_fen})
    return enrolment


@transaction.atomic
def enrolment_suspend(*, actor: User, enrolment: Enrolment, reason: str, effective_month: str) -> Enrolment:
    """Suspend benefits from ``effective_month`` (e.g. pending verification of a change)."""
    _require_manager(actor, enrolment)
    effective_month = month_check(effective_month, "生效月份")
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise StateConflict(f"保障状态为“{enrolment.get_status_display()}”，不能暂停")
    if not reason.strip():
        raise ValidationError("请填写暂停原因")
    enrolment.status, enrolment.status_reason, enrolment.status_effective_month = (
        EnrolmentStatus.SUSPENDED, reason.strip(), effective_month)
    enrolment.save(update_fields=["status", "status_reason", "status_effective_month"])
    _event(enrolment, actor, "suspended", effective_month, reason.strip())
    audit_record(actor=actor, action="enrolment.suspend", object_type="Enrolment", object_id=enrolment.pk,
                 scope_code=enrolment.committee_id, changes={"reason": reason.strip(), "effective_month": effective_month})
    return enrolment


@transaction.atomic
def enrolment_resume(*, actor: User, enrolment: Enrolment, reason: str, effective_month: str) -> Enrolment:
    """Resume a suspended enrolment from ``effective_month``."""
    _require_manager(actor, enrolment)
    effective_month = month_check(effective_month, "生效月份")
    if enrolment.status != EnrolmentStatus.SUSPENDED:
        raise StateConflict("只有暂停中的保障可以恢复")
    if not reason.strip():
        raise ValidationError("请填写恢复原因")
    enrolment.status, enrolment.status_reason, enrolment.status_effective_month = (
        EnrolmentStatus.ACTIVE, reason.strip(), effective_month)
    enrolment.save(update_fields=["status", "status_reason", "status_effective_month"])
    _event(enrolment, actor, "resumed", effective_month, reason.strip())
    audit_record(actor=actor, action="enrolment.resume", object_type="Enrolment", object_id=enrolment.pk,
                 scope_code=enrolment.committee_id, changes={"reason": reason.strip(), "effective_month": effective_month})
    return enrolment


def _terminate(actor: User | str, enrolment: Enrolment, reason: str, effective_month: str) -> None:
    enrolment.status, enrolment.status_reason, enrolment.status_effective_month = (
        EnrolmentStatus.TERMINATED, reason, effective_month)
    enrolment.end_month = month_shift(effective_month, -1)
    enrolment.save(update_fields=["status", "status_reason", "status_effective_month", "end_month"])
    _event(enrolment, actor, "terminated", effective_month, reason)
    audit_record(actor=actor, action="enrolment.terminate", object_type="Enrolment", object_id=enrolment.pk,
                 scope_code=enrolment.committee_id,
                 changes={"reason": reason, "effective_month": effective_month, "end_month": enrolment.end_month})


@transaction.atomic
def enrolment_terminate(*, actor: User, enrolment: Enrolment, reason: str, effective_month: str) -> Enrolment:
    """End benefits from ``effective_month`` (move away, income over the line, turning 18 …)."""
    _require_manager(actor, enrolment)
    effective_month = month_check(effective_month, "生效月份")
    if enrolment.status == EnrolmentStatus.TERMINATED:
        raise StateConflict("该保障已终止")
    if not reason.strip():
        raise ValidationError("请填写终止原因")
    _terminate(actor, enrolment, reason.strip(), effective_month)
    return enrolment


@transaction.atomic
def enrolment_stop_for_death(*, actor: User, person: Person, death_date: dt.date,
                             today: dt.date | None = None) -> list[OverpaymentCase]:
    """Stop the deceased's benefits from the month after death.

    * Person-level enrolments of the person, and household enrolments where the
      person was the only member, terminate with effective month = month after
      death. Months the payments ledger actually paid from then on (lines of
      approved batches the bank did not return) become one ``OverpaymentCase``
      per enrolment, for exactly the amounts paid; a month that was never
      paid is not a debt.
    * A household enrolment with surviving members continues; it is flagged
      for re-review now (the amount must be re-assessed).
    """
    require(actor, "casework.stop_for_death")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    today = today or dt.date.today()
    if death_date > today:
        raise ValidationError("死亡日期不能晚于今天")
    stop_month = month_shift(month_of(death_date), 1)
    households = HouseholdMembership.objects.filter(person=person).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=death_date)).values("household_id")
    open_statuses = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)
    person_enrolments = Enrolment.objects.filter(person=person, status__in=open_statuses)
    household_enrolments = Enrolment.objects.filter(household_id__in=households, person__isnull=True,
                                                    status__in=open_statuses)
    reason = f"死亡（{death_date.year}年{death_date.month}月{death_date.day}日）"
    overpayments: list[OverpaymentCase] = []
    to_stop = list(person_enrolments)
    for enrolment in household_enrolments.select_related("household"):
        survivors = HouseholdMembership.objects.filter(
            household=enrolment.household, end_date__isnull=True, person__alive=True).exclude(person=person)
        if survivors.exists():
            enrolment.next_review_on = today
            enrolment.save(update_fields=["next_review_on"])
            _event(enrolment, actor, "member_died", stop_month, f"家庭成员{person.name}{reason}，需重新核定保障金额")
            audit_record(actor=actor, action="enrolment.flag_for_review", object_type="Enrolment",
                         object_id=enrolment.pk, scope_code=enrolment.committee_id,
                         changes={"person": person.pk, "death_date": death_date})
        else:
            to_stop.append(enrolment)
    paid = payments_selectors.enrolment_paid_amounts([e.pk for e in to_stop], from_month=stop_month)
    for enrolment in to_stop:
        overpaid_amounts = {m: fen for m, fen in sorted(paid.get(enrolment.pk, {}).items()) if fen > 0}
        overpaid = list(overpaid_amounts)
        _terminate(actor, enrolment, reason, stop_month)
        if overpaid:
            case = OverpaymentCase.objects.create(
                person=person, enrolment=enrolment, program=enrolment.program, street_id=enrolment.street_id,
                committee_id=enrolment.committee_id, months=overpaid,
                amount_fen=sum(overpaid_amounts.values()),
                reason=f"{reason}，{month_label(stop_month)}起应停发",
            )
            audit_record(actor=actor, action="overpayment.create", object_type="OverpaymentCase", object_id=case.pk,
                         scope_code=case.committee_id,
                         changes={"person": person.pk, "program": case.program, "months": overpaid,
                                  "amount_fen": case.amount_fen})
            overpayments.append(case)
    return overpayments


# --- no-application enrolment (免申即享), for the monitor run -----------------

AUTO_ENROLMENT_REASON = "免申即享：依据数据比对自动纳入"


def _json_param() -> str:
    from django.db import connection

    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


@transaction.atomic
def enrolments_create_auto(*, actor: User | str, decision_run_id: int, month: str, programs: tuple[str, ...],
                           basis: dict) -> tuple[int, int]:
    """Enrol, without an application (source ``auto``), every person the
    month's policy batch finds eligible for a no-application program
    (免申即享: elderly allowance, severe-disability-unemployed, children's basic
    living) and who has no enrolment in that program covering ``month`` or
    later. Start month = ``month``; amount = the engine's for that month.

    Set-wise (one INSERT … SELECT over the stored decisions, one for the
    ``enrolled`` events), one audit entry with the counts. Returns
    ``(created, after_id)``: the new enrolments are those of source ``auto``
    with id > ``after_id``."""
    import json

    from django.db import connection
    from django.utils import timezone

    month = month_parse(month)
    if not programs:
        return 0, 0
    now = timezone.now()
    actor_name = getattr(actor, "username", str(actor))
    table, events = Enrolment._meta.db_table, EnrolmentEvent._meta.db_table
    decisions, decision_params = eligible_decisions_sql(decision_run_id, programs)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        after_id = cursor.fetchone()[0]
        cursor.execute(
            f"""INSERT INTO {table} (program, household_id, person_id, street_id, committee_id, start_month,
                    end_month, status, status_reason, status_effective_month, source, application_id,
                    monthly_amount_fen, amount_basis, has_able_member, next_review_on, created_at)
                SELECT d.program, d.household_id, d.person_id, d.street_id, d.committee_id, %s, '', %s, '', '', %s,
                       NULL, d.amount_fen, {_json_param()}, %s, NULL, %s
                FROM ({decisions}) d
                WHERE d.person_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM {table} e WHERE e.person_id = d.person_id AND e.program = d.program
                                  AND (e.status IN (%s, %s) OR e.end_month >= %s))
                ORDER BY d.program, d.person_id""",
            [month, EnrolmentStatus.ACTIVE, EnrolmentSource.AUTO, json.dumps(basis, ensure_ascii=False), False, now,
             *decision_params, EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, month],
        )
        created = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {events} (enrolment_id, kind, effective_month, reason, actor_name, recorded_at, data)
                SELECT e.id, 'enrolled', e.start_month, %s, %s, %s, {_json_param()}
                FROM {table} e WHERE e.id > %s AND e.source = %s""",
            [AUTO_ENROLMENT_REASON, actor_name, now, "{}", after_id, EnrolmentSource.AUTO],
        )
        cursor.execute(f"SELECT program, COUNT(*) FROM {table} WHERE id > %s AND source = %s GROUP BY program",
                       [after_id, EnrolmentSource.AUTO])
        by_program = dict(cursor.fetchall())
    audit_record(actor=actor, action="enrolment.create_auto", object_type="Enrolment", object_id=month,
                 changes={"month": month, "decision_run": decision_run_id, "created": created,
                          "by_program": by_program})
    return created, after_id
