"""Recovery of overpaid benefits (追缴).

A person's ``Receivable`` is a ledger: charges (one per overpaid program and
month), repayments, and write-offs (核销, posted only when a second person at
the bureau approves). The balance is always computed from the entries.

``recovery_scan`` turns two inputs into charges:

1. this ledger's own payments after the benefit should have stopped — a
   person-level payment for a month after the person's death (or a
   household's payment to its only member after that member's death), or any payment
   for a month after its enrolment's end month (exit), when the line is in an
   approved batch and the bank did not return it as failed;
2. casework's ``OverpaymentCase`` rows (months "counted as paid" before this
   ledger existed): a month is charged from the case only when this ledger
   never ran that program's regular batch for that month — otherwise the
   ledger's own lines are the truth and (1) already charged what was paid.

A charge is unique per person, program and month (database constraint), so a
month found by both inputs, or by two scans, is charged once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from minzheng.casework import selectors as casework_selectors
from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import SeparationOfDuties, require
from minzheng.core.scope import require_scope_covers
from minzheng.payments.batches import require_person
from minzheng.payments.models import (
    FINAL_STATUSES,
    BatchKind,
    EntryKind,
    EntryStatus,
    LineKind,
    PaymentBatch,
    PaymentLine,
    Receivable,
    ReceivableEntry,
    ReturnOutcome,
)
from minzheng.registry.models import HouseholdMembership, Person
from policy.money import format_fen


def balance(receivable: Receivable) -> int:
    """Charges − repayments − approved write-offs (fen)."""
    sums = dict(receivable.entries.filter(status=EntryStatus.POSTED).values_list("kind").annotate(s=Sum("amount_fen"))
                .order_by())
    return sums.get(EntryKind.CHARGE, 0) - sums.get(EntryKind.REPAYMENT, 0) - sums.get(EntryKind.WRITE_OFF, 0)


def _paid_lines(person_id: int | None = None):
    """Lines of final batches the bank did not return, not on hold (a held
    line was never in the bank file), not one-off payments (a one-off is not
    a monthly benefit: its requesting app decides about it)."""
    qs = (PaymentLine.objects.filter(batch__status__in=FINAL_STATUSES)
          .exclude(bank_return__outcome=ReturnOutcome.FAILED)
          .filter(Q(hold__isnull=True) | Q(hold__released_at__isnull=False))
          .exclude(kind=LineKind.ONE_OFF))
    return qs if person_id is None else qs.filter(person_id=person_id)


def _sole_members(candidates: dict[tuple[int, int], dt.date]) -> set[tuple[int, int]]:
    """(household, deceased payee) pairs where the payee was the household's
    only member: nobody else belonged to it the day after the death. Such a
    household's benefit ends with its last member, like a person's."""
    if not candidates:
        return set()
    others: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for household_id, member_id, start, end in (HouseholdMembership.objects
                                                .filter(household_id__in={h for h, _ in candidates})
                                                .values_list("household_id", "person_id", "start_date", "end_date")):
        others[household_id].append((member_id, start, end))
    alone = set()
    for (household_id, payee_id), died in candidates.items():
        if not any(m != payee_id and start <= died and (end is None or end > died)
                   for m, start, end in others[household_id]):
            alone.add((household_id, payee_id))
    return alone


def _overpaid_lines(person_id: int | None = None) -> dict[tuple[int, str, str], list[PaymentLine]]:
    """(person, program, month) → paid lines after death or exit (of one payee
    when ``person_id`` is given)."""
    found: dict[tuple[int, str, str], list[PaymentLine]] = defaultdict(list)
    after_death = list(_paid_lines(person_id).filter(person__death_date__isnull=False)
                       .values_list("id", "person_id", "program", "benefit_month", "beneficiary", "amount_fen",
                                    "person__death_date", "household_id"))
    alone = _sole_members({(h, p): d for _, p, _, _, b, _, d, h in after_death if h and b == f"h{h}"})
    for pk, payee_id, program, month, beneficiary, amount, died, household_id in after_death:
        own = beneficiary == f"p{payee_id}" or (beneficiary == f"h{household_id}" and (household_id, payee_id) in alone)
        if own and month > f"{died.year:04d}-{died.month:02d}":
            found[(payee_id, program, month)].append(PaymentLine(id=pk, amount_fen=amount))
    lines = list(_paid_lines(person_id).filter(enrolment_id__isnull=False).only(
        "id", "person_id", "program", "benefit_month", "enrolment_id", "amount_fen"))
    ends = casework_selectors.enrolment_end_months(sorted({line.enrolment_id for line in lines}))
    for line in lines:
        if line.enrolment_id in ends and line.benefit_month > ends[line.enrolment_id]:
            key = (line.person_id, line.program, line.benefit_month)
            if line not in found[key]:
                found[key].append(line)
    return found


def _receivable(person_id: int, people: dict[int, Person]) -> Receivable:
    person = people.get(person_id) or Person.objects.get(pk=person_id)
    receivable, _ = Receivable.objects.get_or_create(
        person_id=person_id, defaults={"street_id": person.street_id, "committee_id": person.committee_id})
    return receivable


@transaction.atomic
def recovery_scan(*, actor: User) -> dict[str, int]:
    """Charge every overpaid month not yet charged (see the module doc)."""
    require_person(actor, "追缴核查", "payments.recovery_scan")
    charged = set(ReceivableEntry.objects.filter(kind=EntryKind.CHARGE)
                  .values_list("receivable__person_id", "program", "benefit_month"))
    new: dict[tuple[int, str, str], tuple[int, PaymentLine | None, int | None, str]] = {}
    for key, lines in _overpaid_lines().items():
        if key not in charged:
            new[key] = (sum(line.amount_fen for line in lines), lines[0], None, "死亡或退出后发放")
    ledger_months = set(PaymentBatch.objects.filter(kind=BatchKind.REGULAR, status__in=FINAL_STATUSES)
                        .values_list("program", "month"))
    from_cases = 0
    for case in casework_selectors.overpayment_cases_all(actor):
        if not case.months:
            continue
        per_month = case.amount_fen // len(case.months)
        for month in case.months:
            key = (case.person_id, case.program, month)
            if (case.program, month) in ledger_months or key in charged or key in new or per_month <= 0:
                continue
            new[key] = (per_month, None, case.pk, f"多发待追缴 {case.reason}"[:200])
            from_cases += 1
    people = Person.objects.in_bulk({k[0] for k in new})
    receivables: dict[int, Receivable] = {}
    entries = []
    for (person_id, program, month), (amount, line, case_id, reason) in sorted(new.items(), key=lambda i: i[0]):
        receivable = receivables.get(person_id) or _receivable(person_id, people)
        receivables[person_id] = receivable
        entries.append(ReceivableEntry(receivable=receivable, kind=EntryKind.CHARGE, amount_fen=amount,
                                       program=program, benefit_month=month, line=line, overpayment_case_id=case_id,
                                       reason=reason, recorded_by=actor.username))
    ReceivableEntry.objects.bulk_create(entries)
    result = {"charges": len(entries), "from_ledger": len(entries) - from_cases, "from_cases": from_cases,
              "persons": len(receivables), "amount_fen": sum(e.amount_fen for e in entries)}
    audit_record(actor=actor, action="payments.recovery.scan", object_type="Receivable", changes=result)
    return result


def charge_person(*, actor: User | str, person: Person) -> dict[str, int]:
    """Charge ``person``'s overpaid months not yet charged: part 1 of
    ``recovery_scan`` (this ledger's own lines after death or exit) for one
    payee, now. Same key (person, program, month) and the same database
    constraint as the scan, so neither charges a month the other charged.
    No permission check: called by the death listener (``death_holds``) as
    a consequence of the registry's death write; ``recovery_charge_person``
    is the guarded service. Caller holds the transaction."""
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise two charges of one person
    charged = set(ReceivableEntry.objects.filter(kind=EntryKind.CHARGE, receivable__person_id=person.pk)
                  .values_list("receivable__person_id", "program", "benefit_month"))
    found = {key: lines for key, lines in _overpaid_lines(person.pk).items() if key not in charged}
    entries = []
    if found:
        receivable = _receivable(person.pk, {person.pk: person})
        for (_, program, month), lines in sorted(found.items()):
            entries.append(ReceivableEntry(receivable=receivable, kind=EntryKind.CHARGE,
                                           amount_fen=sum(line.amount_fen for line in lines), program=program,
                                           benefit_month=month, line=lines[0], reason="死亡或退出后发放",
                                           recorded_by=getattr(actor, "username", str(actor))))
        ReceivableEntry.objects.bulk_create(entries)
    result = {"person": person.pk, "charges": len(entries), "amount_fen": sum(e.amount_fen for e in entries)}
    if entries:
        audit_record(actor=actor, action="payments.recovery.charge_person", object_type="Receivable",
                     object_id=entries[0].receivable_id, scope_code=person.committee_id, changes=result)
    return result


@transaction.atomic
def recovery_charge_person(*, actor: User | str, person: Person) -> dict[str, int]:
    """Charge one person's overpaid months now (the per-person 追缴核查),
    idempotent with ``recovery_scan``. Bureau staff (``payments.recovery_scan``)
    or a job given by name."""
    require(actor, "payments.recovery_scan", allow_job=True)
    return charge_person(actor=actor, person=person)


def _require_recovery_role(actor: User, receivable: Receivable) -> None:
    require(actor, "payments.recovery")
    require_scope_covers(actor, street_code=receivable.street_id, committee_code=receivable.committee_id)


def _check_amount(receivable: Receivable, amount_fen: int) -> None:
    if amount_fen <= 0:
        raise ValidationError("金额必须大于0")
    if amount_fen > balance(receivable):
        raise ValidationError(f"金额超过应追缴余额 {format_fen(balance(receivable))} 元")


@transaction.atomic
def receivable_repay(*, actor: User, receivable: Receivable, amount_fen: int, reference: str,
                     note: str = "") -> ReceivableEntry:
    """Record money paid back (退回), with the receipt's reference."""
    _require_recovery_role(actor, receivable)
    Receivable.objects.select_for_update().get(pk=receivable.pk)
    _check_amount(receivable, amount_fen)
    if not reference.strip():
        raise ValidationError("请填写缴款凭证号")
    entry = ReceivableEntry.objects.create(receivable=receivable, kind=EntryKind.REPAYMENT, amount_fen=amount_fen,
                                           reason=note.strip() or "退回多发资金", reference=reference.strip(),
                                           recorded_by=actor.username)
    audit_record(actor=actor, action="payments.recovery.repay", object_type="Receivable", object_id=receivable.pk,
                 scope_code=receivable.committee_id,
                 changes={"amount_fen": amount_fen, "reference": reference.strip(), "balance_fen": balance(receivable)})
    return entry


@transaction.atomic
def writeoff_propose(*, actor: User, receivable: Receivable, amount_fen: int, reason: str) -> ReceivableEntry:
    """Propose a write-off (核销, e.g. no estate to recover from); it counts
    only once approved by another bureau staff member."""
    _require_recovery_role(actor, receivable)
    Receivable.objects.select_for_update().get(pk=receivable.pk)
    _check_amount(receivable, amount_fen)
    if not reason.strip():
        raise ValidationError("请填写核销理由")
    entry = ReceivableEntry.objects.create(receivable=receivable, kind=EntryKind.WRITE_OFF, status=EntryStatus.PROPOSED,
                                           amount_fen=amount_fen, reason=reason.strip()[:200],
                                           recorded_by=actor.username)
    audit_record(actor=actor, action="payments.recovery.writeoff_propose", object_type="Receivable",
                 object_id=receivable.pk, scope_code=receivable.committee_id,
                 changes={"entry": entry.pk, "amount_fen": amount_fen, "reason": reason.strip()})
    return entry


@transaction.atomic
def writeoff_decide(*, actor: User, entry: ReceivableEntry, approve: bool, note: str = "") -> ReceivableEntry:
    """Approve or refuse a proposed write-off (bureau; not the proposer)."""
    require_person(actor, "核销审批", "payments.writeoff_approve")
    entry = ReceivableEntry.objects.select_for_update().select_related("receivable").get(pk=entry.pk)
    if entry.kind != EntryKind.WRITE_OFF or entry.status != EntryStatus.PROPOSED:
        raise StateConflict("该记录不是待审批的核销")
    if actor.username == entry.recorded_by:
        raise SeparationOfDuties("提出核销的人员不能审批自己的核销")
    if approve and entry.amount_fen > balance(entry.receivable):
        raise ValidationError("核销金额超过当前应追缴余额")
    entry.status = EntryStatus.POSTED if approve else EntryStatus.REJECTED
    entry.approved_by, entry.approved_at = actor.username, timezone.now()
    entry.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=actor, action="payments.recovery.writeoff_decide", object_type="Receivable",
                 object_id=entry.receivable_id, scope_code=entry.receivable.committee_id,
                 changes={"entry": entry.pk, "approved": approve, "amount_fen": entry.amount_fen, "note": note})
    return entry


def balances(receivable_ids: list[int]) -> dict[int, int]:
    """Balances of many receivables in one query."""
    rows = (ReceivableEntry.objects.filter(receivable_id__in=receivable_ids, status=EntryStatus.POSTED)
            .values("receivable_id").annotate(
                charged=Sum("amount_fen", filter=Q(kind=EntryKind.CHARGE)),
                repaid=Sum("amount_fen", filter=Q(kind=EntryKind.REPAYMENT)),
                written_off=Sum("amount_fen", filter=Q(kind=EntryKind.WRITE_OFF))))
    return {r["receivable_id"]: (r["charged"] or 0) - (r["repaid"] or 0) - (r["written_off"] or 0) for r in rows}
