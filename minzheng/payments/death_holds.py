"""What a recorded death does to payments, the same day (ADR 0008,
"2026-12-01 — deaths and one-off payments").

The registry calls ``payments_on_death(actor=, person=, death_date=)``
inside the death's transaction (``registry.services.death_listener_register``,
registered in ``PaymentsConfig.ready``). Benefits stop from the month after
the death (``beneficiaries``: the month of death is paid), so:

1. **Hold** (已暂停发放, ``LineHold``) every line for a benefit month after
   the death month that sits in a batch not yet exported (草稿, 已复核, 已审批)
   and that either pays the deceased (``person`` is the payee — including a
   household's line whose payee they were, and so a one-person household's
   line) or is the deceased's own person-level benefit
   (``beneficiary == "p<id>"``; one-off lines are held only when the
   deceased is their payee: a funeral subsidy *for* the deceased is paid to
   the family). A held line stays in its batch and in the control totals; the
   batch records the held count and amount (``held_count``,
   ``held_total_fen``); the bank file carries control − held; the
   closed-loop check holds the file, the returns and the holds to that.
2. **Charge** the months after the death already paid (lines of approved or
   later batches that the bank did not return as failed and that were not
   held) to the person's receivable at once (``recovery.charge_person``,
   the per-person form of ``recovery_scan``: same key, no double charge
   either way).

Actor: whatever the death service was given — a staff member (who may have
no payments role: the registry checked ``registry.write``) or a job's name
(a string, e.g. a data-exchange import). The listener is a consequence of
that write, not a payments action: it checks no payments permission and
records the actor it was given on its audit entries. Releasing a hold is a
payments action: a bureau staff member in person (``payments.hold_release``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.payments.batches import locked, require_person
from minzheng.payments.models import (
    BatchStatus,
    HoldReason,
    LineHold,
    LineKind,
    PaymentBatch,
    PaymentLine,
)
from minzheng.registry.models import Person

# Batches whose lines are not yet in a bank file: a hold can still keep a line out of it.
HOLDABLE_STATUSES = (BatchStatus.DRAFT, BatchStatus.REVIEWED, BatchStatus.APPROVED)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def lines_of_deceased(person: Person, death_date: dt.date):
    """Lines paying ``person`` or for ``person`` after the death month (see module doc)."""
    own = Q(person_id=person.pk) | (Q(beneficiary=f"p{person.pk}") & ~Q(kind=LineKind.ONE_OFF))
    return PaymentLine.objects.filter(own, benefit_month__gt=month_of(death_date))


def active_holds():
    return LineHold.objects.filter(released_at__isnull=True)


def held_totals(batch: PaymentBatch) -> dict[str, int]:
    """Count and amount of the lines of ``batch`` on hold now (from the holds themselves)."""
    row = active_holds().filter(line__batch=batch).aggregate(count=Count("id"), amount_fen=Sum("line__amount_fen"))
    return {"count": row["count"] or 0, "amount_fen": row["amount_fen"] or 0}


def _move_held(batch_id: int, count: int, amount_fen: int) -> None:
    batch = PaymentBatch.objects.select_for_update().get(pk=batch_id)
    batch.held_count += count
    batch.held_total_fen += amount_fen
    batch.save(update_fields=["held_count", "held_total_fen"])


def hold_lines_of_deceased(*, actor: User | str, person: Person, death_date: dt.date) -> list[LineHold]:
    """Hold the deceased's unpaid lines after the death month in batches not
    yet exported. A line already on hold stays as it is; a released hold is
    held again (a second death record after a correction). Caller holds the
    transaction (the death's)."""
    note = f"{person.name}于{death_date:%Y年%m月%d日}死亡，自次月起停发"
    now_holds: list[LineHold] = []
    candidates = list(lines_of_deceased(person, death_date).filter(batch__status__in=HOLDABLE_STATUSES)
                      .select_related("batch").order_by("batch_id", "seq"))
    if not candidates:
        return []
    existing = {h.line_id: h for h in LineHold.objects.select_for_update().filter(line__in=candidates)}
    by_batch: dict[int, list[PaymentLine]] = {}
    for line in candidates:
        by_batch.setdefault(line.batch_id, []).append(line)
    name = getattr(actor, "username", str(actor))
    for lines in by_batch.values():
        batch = locked(lines[0].batch)  # serialised with review, approval and export
        if batch.status not in HOLDABLE_STATUSES:
            continue
        count = amount = 0
        for line in lines:
            hold = existing.get(line.pk)
            if hold is not None and hold.active:
                continue
            if hold is None:
                hold = LineHold.objects.create(line=line, person=person, reason=HoldReason.DEATH, note=note,
                                               held_by=name)
            else:
                hold.person, hold.note, hold.held_by, hold.held_at = person, note, name, timezone.now()
                hold.released_by, hold.released_at, hold.release_reason = "", None, ""
                hold.save()
            count += 1
            amount += line.amount_fen
            now_holds.append(hold)
        if count:
            _move_held(batch.pk, count, amount)
            audit_record(actor=actor, action="payments.line.hold", object_type="PaymentBatch",
                         object_id=batch.number, scope_code=person.committee_id,
                         changes={"person": person.pk, "death_date": death_date, "lines": count, "amount_fen": amount,
                                  "status": batch.status, "reason": HoldReason.DEATH})
    return now_holds


@transaction.atomic
def hold_release(*, actor: User, hold: LineHold, reason: str) -> LineHold:
    """Release a hold (解除暂停发放, e.g. the death was recorded in error):
    the line is paid with its batch again. Only before the batch is exported
    — after that the held line was not in the bank file and stays unpaid; a
    month still due is then paid as a top-up line (``adjustment_add``)
    correcting it in a later batch. Bureau staff in person; audited."""
    actor = require_person(actor, "解除暂停发放", "payments.hold_release")
    hold = LineHold.objects.select_for_update().select_related("line__batch").get(pk=hold.pk)
    batch = locked(hold.line.batch)
    if not hold.active:
        raise StateConflict("该笔明细的暂停发放已经解除")
    if batch.status not in HOLDABLE_STATUSES:
        raise StateConflict(f"批次已{batch.get_status_display()}，暂停的明细未列入代发文件，不能再解除；"
                            "如确应发放，请在以后的批次中以调整明细补发")
    if not reason.strip():
        raise ValidationError("请填写解除暂停的原因")
    hold.released_by, hold.released_at, hold.release_reason = actor.username, timezone.now(), reason.strip()[:200]
    hold.save(update_fields=["released_by", "released_at", "release_reason"])
    _move_held(batch.pk, -1, -hold.line.amount_fen)
    audit_record(actor=actor, action="payments.line.hold_release", object_type="PaymentBatch", object_id=batch.number,
                 scope_code=hold.line.committee_id,
                 changes={"seq": hold.line.seq, "person": hold.person_id, "amount_fen": hold.line.amount_fen,
                          "status": batch.status, "reason": hold.release_reason})
    return hold


def hold_dropped_with_line(line: PaymentLine) -> None:
    """A held line removed from its draft batch: the batch's held totals follow
    (the hold row goes with the line). Caller holds the batch lock."""
    if active_holds().filter(line=line).exists():
        _move_held(line.batch_id, -1, -line.amount_fen)


def payments_on_death(*, actor: Any, person: Person, death_date: dt.date) -> None:
    """The registry's death listener (module doc): hold, then charge."""
    from minzheng.payments.recovery import charge_person

    hold_lines_of_deceased(actor=actor, person=person, death_date=death_date)
    charge_person(actor=actor, person=person)
