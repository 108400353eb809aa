"""Settlement after a re-computation (重新测算差额处理).

When a policy revision is stored as new decision runs (``eligibility.recompute``,
``minzheng policy recompute --confirm``), months not yet paid follow the new
run by themselves (a new batch, back-pay: ADR 0008 §3). Months **already
paid** in an approved batch do not: their lines never change (ADR 0008 §4).
This module compares, for one program and a range of months, what each
beneficiary was paid with what the month's **current** run now entitles them
to, and turns the difference into the two corrections the ledger knows:

* entitled > paid → a top-up line (补差, ``batches.adjustment_rows``, the rule
  of ``adjustment_add``) in the program's open draft regular batch, linked to
  the approved line it corrects;
* paid > entitled → a charge (应追缴) in the payee's ``Receivable``
  (「重新测算后多发（2026年7月）」), one per person, program and month
  (database constraint: a month already charged is reported, not charged again).

**Paid** is this ledger's own notion (``recovery``): lines of final batches
(approved or later) for the benefit month — regular, back-pay, earlier
top-ups and re-issues — not returned as failed by the bank. Lines still on
their way (in a batch not yet approved, or failed and awaiting re-issue) and
charges already recorded for the month are counted too, so that applying the
plan twice changes nothing the second time.

**Entitled** follows the batch's own rule (``beneficiaries``, ADR 0008 §1):
decision-paid programs → the eligible decision's amount of the month's
current run, else nothing; enrolment programs → the month's eligible
decision, else the amount decided at enrolment. A household no longer
eligible but still enrolled therefore stays entitled to the enrolment
amount until casework ends the enrolment: such rows are listed as 需复核 and
neither charged nor topped up (the decision to stop is casework's,
REFERENCE §3 on 低保 review and termination).

Out of scope, said on the row: payments after death or after the
enrolment's end month (``recovery_scan`` charges those); months whose
regular batch is not approved yet (a draft is discarded and generated again);
entitled months with no payment at all (the next batch back-pays them).

Reads are scoped to the user's jurisdiction like every payments read; the
plan writes nothing. ``settlement_apply`` recomputes the plan inside one
transaction (under a lock on the draft batch), refuses if it differs from the
plan the user confirmed, and writes the top-ups and charges with one audit
entry ``payments.settlement.apply`` carrying counts and totals. Top-ups need
the preparer role (``payments.prepare``; the actor becomes a preparer of the
draft batch and so may neither review nor approve it), charges the role of
the recovery check (``payments.recovery_scan``), both by a staff member in
person. No batch is created here: which month's batch carries the top-ups
is the preparer's choice, made by generating it (「生成批次」).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from minzheng.casework import selectors as casework_selectors
from minzheng.core.audit import audit_record
from minzheng.core.bounds import month_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, User
from minzheng.core.months import month_label, months_between
from minzheng.core.scope import Scope, require_scope_covers
from minzheng.eligibility import selectors as eligibility_selectors
from minzheng.payments.backpay import enrolment_months
from minzheng.payments.batches import adjustment_rows, require_person, write_lines
from minzheng.payments.beneficiaries import is_application_program, program_known
from minzheng.payments.labels import program_label
from minzheng.payments.models import (
    FINAL_STATUSES,
    AccountStatus,
    BatchKind,
    BatchStatus,
    EntryKind,
    EntryStatus,
    LineHold,
    LineKind,
    PayeeAccount,
    PaymentBatch,
    PaymentLine,
    Receivable,
    ReceivableEntry,
    ReturnOutcome,
)
from minzheng.registry.models import HouseholdMembership, Person
from policy import PROGRAMS
from policy.money import format_fen

MAX_MONTHS = 24
TOPUP, CHARGE, REVIEW, NOTHING = "补差", "追缴", "需复核", "无需处理"
ACTIONS = (TOPUP, CHARGE, REVIEW, NOTHING)
NO_DRAFT = "请先生成本项目的发放批次（草稿），再处理补差"

NOTE_NOT_ELIGIBLE = ("当月测算已不符合条件，但仍在保障中：批次按纳入时核定的金额发放，"
                     "是否终止保障由救助审核决定，不补差也不追缴")
NOTE_NOT_IN_ENROLMENT = "该月不在保障月份内（暂停发放或保障记录已变更），请核实后处理"
NOTE_AFTER_EXIT = "保障终止后的发放，由“追缴核查”计入应追缴"
NOTE_AFTER_DEATH = "死亡后的发放，由“追缴核查”计入应追缴"
NOTE_BACKPAY = "该月尚无发放记录：由下次生成的本项目批次补发（收款人须有有效代发账户）"
NOTE_PENDING = "该月尚有未完成的发放（批次未审批或银行退回待重发），完成后再处理差额"
NOTE_NOT_APPROVED = "该月的发放明细尚未审批，审批后再处理差额"
NOTE_NO_ACCOUNT = "收款人没有有效的代发账户，请先登记账户再补差"


def topup_reason(month: str) -> str:
    return f"重新测算后补差（{month_label(month)}）"


def charge_reason(month: str) -> str:
    return f"重新测算后多发（{month_label(month)}）"


@dataclass
class SettlementRow:
    """One beneficiary and benefit month whose payment differs from what the
    month's current run entitles them to (or that needs a person to look)."""

    month: str
    beneficiary: str  # h<household> | p<person>, as on the lines
    household_id: int | None
    person_id: int | None  # the payee (a charge goes to this person's receivable)
    street_id: str
    committee_id: str
    paid_fen: int  # lines of final batches, not returned failed
    pending_fen: int  # lines not yet approved, or failed and awaiting re-issue
    charged_fen: int  # charges already recorded for the month
    entitled_fen: int  # by the batch's rule, from the month's current run
    basis: str  # "decision" | "enrolment" | "" (not entitled)
    action: str = NOTHING
    note: str = ""
    corrects_id: int | None = None  # the approved line a top-up corrects / a charge refers to
    name: str = ""
    id_number_masked: str = ""
    street_name: str = ""
    committee_name: str = ""

    @property
    def settled_fen(self) -> int:
        """What the ledger holds for the month: paid + on its way − charged back."""
        return self.paid_fen + self.pending_fen - self.charged_fen

    @property
    def difference_fen(self) -> int:
        """Entitled − settled: positive → top-up, negative → charge."""
        return self.entitled_fen - self.settled_fen

    @property
    def amount_fen(self) -> int:
        """The amount the action moves (top-up or charge), 0 for the others."""
        return abs(self.difference_fen) if self.action in (TOPUP, CHARGE) else 0


@dataclass
class SettlementPlan:
    program: str
    first: str
    last: str
    months: list[str]  # months compared (final regular batch and a current run)
    month_notes: list[tuple[str, str]]  # months not compared, and why
    rows: list[SettlementRow]
    unchanged: int  # beneficiary-months in scope where nothing differs
    draft: PaymentBatch | None  # the program's open draft regular batch (top-ups go there)
    notes: list[str] = field(default_factory=list)

    def of(self, action: str) -> list[SettlementRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.action for r in self.rows)
        return {a: found.get(a, 0) for a in ACTIONS}

    @property
    def topup_fen(self) -> int:
        return sum(r.amount_fen for r in self.of(TOPUP))

    @property
    def charge_fen(self) -> int:
        return sum(r.amount_fen for r in self.of(CHARGE))

    @property
    def actionable(self) -> bool:
        """Something to confirm, and nothing blocking it (top-ups need the draft batch)."""
        topups, charges = self.of(TOPUP), self.of(CHARGE)
        return bool(topups or charges) and (not topups or self.draft is not None)

    @property
    def digest(self) -> str:
        """Fingerprint of what confirming would do (the rows to top up or
        charge and the draft batch): the page sends it back with 「确认处理」
        so that what is executed is what was shown."""
        parts = [f"{self.program}|{self.first}|{self.last}|{self.draft.pk if self.draft else ''}"]
        parts += sorted(f"{r.month}|{r.beneficiary}|{r.action}|{r.amount_fen}|{r.corrects_id}"
                        for r in self.rows if r.action in (TOPUP, CHARGE))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _months(program: str, first: str, last: str) -> list[str]:
    if not program_known(program):
        raise ValidationError(f"“{program}”不是按月发放现金的救助项目")
    first = month_check(first, "起始月份", months_ahead=None)
    last = month_check(last, "截止月份", months_ahead=None)
    if last < first:
        raise ValidationError("截止月份不能早于起始月份")
    months = months_between(first, last)
    if len(months) > MAX_MONTHS:
        raise ValidationError(f"一次最多处理 {MAX_MONTHS} 个月")
    return months


def _compared_months(program: str, months: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Months whose regular batch is final and which have a current run; the
    others with the reason they are not compared."""
    batches = dict(PaymentBatch.objects.filter(program=program, kind=BatchKind.REGULAR, month__in=months)
                   .values_list("month", "status"))
    compared, notes = [], []
    for month in months:
        status = batches.get(month)
        if status is None:
            notes.append((month, "该月尚未生成发放批次：生成时按当前测算结果发放，无需差额处理"))
        elif status not in FINAL_STATUSES:
            notes.append((month, f"该月批次尚未审批（{BatchStatus(status).label}）：不随新的测算结果更新，"
                                 "须作废草稿后重新生成，无需差额处理"))
        elif eligibility_selectors.current_run(month) is None:
            notes.append((month, "该月尚无测算结果，无法比较"))
        else:
            compared.append(month)
    return compared, notes


@dataclass
class _Ledger:
    paid: int = 0
    pending: int = 0
    anchor: dict | None = None  # the approved entitlement line (else any approved line)
    any_line: dict | None = None


def _ledger(program: str, months: list[str]) -> dict[tuple[str, str], _Ledger]:
    """(month, beneficiary) → what the lines hold (see the module doc)."""
    reissued = PaymentLine.objects.filter(corrects=OuterRef("pk"), kind=LineKind.REISSUE)
    rows = (PaymentLine.objects.filter(program=program, benefit_month__in=months)
            .annotate(reissued=Exists(reissued),
                      held=Exists(LineHold.objects.filter(line=OuterRef("pk"), released_at__isnull=True)))
            .values("id", "kind", "benefit_month", "beneficiary", "household_id", "person_id", "street_id",
                    "committee_id", "amount_fen", "amount_basis", "enrolment_id", "batch__status",
                    "bank_return__outcome", "reissued", "held").order_by("id"))
    out: dict[tuple[str, str], _Ledger] = defaultdict(_Ledger)
    for row in rows.iterator(10000):
        entry = out[(row["benefit_month"], row["beneficiary"])]
        final = row["batch__status"] in FINAL_STATUSES
        failed = row["bank_return__outcome"] == ReturnOutcome.FAILED
        if row["held"]:
            continue  # on hold after a death (death_holds): neither paid nor pending
        if final and not failed:
            entry.paid += row["amount_fen"]
        elif not final or not row["reissued"]:
            entry.pending += row["amount_fen"]  # not approved yet, or failed and not re-issued yet
        if final and (entry.anchor is None or (row["kind"] in (LineKind.REGULAR, LineKind.BACKPAY)
                                               and entry.anchor["kind"] not in (LineKind.REGULAR, LineKind.BACKPAY))):
            entry.anchor = row
        entry.any_line = entry.any_line or row
    return out


@dataclass
class _Entitled:
    amount: int
    basis: str
    household_id: int | None
    person_id: int | None
    street_id: str
    committee_id: str


def _eligible_decisions(program: str, month: str) -> dict[tuple[int, int | None], tuple]:
    run = eligibility_selectors.current_run(month)
    if run is None:
        return {}
    rows = eligibility_selectors.run_decisions(run).filter(program=program, eligible=True, amount_fen__gt=0)
    return {(h, p): (a, s, c) for h, p, a, s, c in rows.values_list(
        "household_id", "person_id", "amount_fen", "street_id", "committee_id").iterator(10000)}


def _entitlements(program: str, months: list[str]) -> tuple[dict[tuple[str, str], _Entitled], set[tuple[str, str]]]:
    """(month, beneficiary) → entitlement by the batch's rule; and, for
    enrolment programs, the keys enrolled but not eligible in the current run."""
    out: dict[tuple[str, str], _Entitled] = {}
    enrolled_not_eligible: set[tuple[str, str]] = set()
    decisions = {m: _eligible_decisions(program, m) for m in months}
    if is_application_program(program):
        household_level = PROGRAMS[program].level == "household"
        wanted = set(months)
        for row in casework_selectors.enrolments_for_payment(program, months[0], months[-1]):
            beneficiary = f"h{row['household_id']}" if row["person_id"] is None else f"p{row['person_id']}"
            for m in enrolment_months(row, first=months[0], last=months[-1]):
                if m not in wanted or (m, beneficiary) in out:
                    continue
                decided = decisions[m].get((row["household_id"], None if household_level else row["person_id"]))
                if decided:
                    amount, basis = decided[0], "decision"
                else:
                    amount, basis = row["monthly_amount_fen"], "enrolment"
                    enrolled_not_eligible.add((m, beneficiary))
                out[(m, beneficiary)] = _Entitled(amount, basis, row["household_id"], row["person_id"],
                                                  row["street_id"], row["committee_id"])
    else:
        for m in months:
            for (household_id, person_id), (amount, street, committee) in decisions[m].items():
                if person_id is not None:
                    out[(m, f"p{person_id}")] = _Entitled(amount, "decision", household_id, person_id, street,
                                                          committee)
    return out, enrolled_not_eligible


def _charged(program: str, months: list[str]) -> dict[tuple[int, str], int]:
    """(person, month) → posted charges already recorded for ``program``."""
    rows = (ReceivableEntry.objects.filter(kind=EntryKind.CHARGE, status=EntryStatus.POSTED, program=program,
                                           benefit_month__in=months)
            .values_list("receivable__person_id", "benefit_month", "amount_fen"))
    out: dict[tuple[int, str], int] = defaultdict(int)
    for person_id, month, amount in rows:
        out[(person_id, month)] += amount
    return out


def draft_batch(program: str) -> PaymentBatch | None:
    """The program's open draft regular batch (the latest month's, if several)."""
    return (PaymentBatch.objects.filter(program=program, kind=BatchKind.REGULAR, status=BatchStatus.DRAFT)
            .order_by("-month", "-id").first())


def _decide(row: SettlementRow, *, ledger: _Ledger | None, enrolled_not_eligible: bool, outside_enrolment: bool,
            ended: bool, died_before: bool, has_account: bool, draft: PaymentBatch | None) -> None:
    """Set ``row.action`` and ``row.note`` for a row whose amounts differ
    (the rule in the module doc, in this order)."""
    if ledger is None:
        row.action, row.note = NOTHING, NOTE_BACKPAY
    elif ended and row.entitled_fen == 0:
        row.action, row.note = NOTHING, NOTE_AFTER_EXIT
    elif died_before:
        row.action, row.note = NOTHING, NOTE_AFTER_DEATH
    elif enrolled_not_eligible:
        row.action, row.note = REVIEW, NOTE_NOT_ELIGIBLE
    elif outside_enrolment:
        row.action, row.note = REVIEW, NOTE_NOT_IN_ENROLMENT
    elif row.pending_fen:
        row.action, row.note = REVIEW, NOTE_PENDING
    elif ledger.anchor is None:
        row.action, row.note = REVIEW, NOTE_NOT_APPROVED
    elif row.difference_fen > 0:
        if not has_account:
            row.action, row.note = REVIEW, NOTE_NO_ACCOUNT
        else:
            row.action = TOPUP
            row.note = f"{topup_reason(row.month)}，列入批次 {draft.number}" if draft else NO_DRAFT
    elif row.charged_fen:
        row.action = REVIEW
        row.note = (f"该月已有应追缴记录（{format_fen(row.charged_fen, grouping=True)} 元），同一人、项目、月份"
                    "只能记一笔：差额须人工核实")
    else:
        row.action, row.note = CHARGE, charge_reason(row.month)


def settlement_plan(user: User | str, *, program: str, first: str, last: str) -> SettlementPlan:
    """The plan for ``program`` and ``first``..``last`` (``YYYY-MM``), within
    the user's jurisdiction (a command-line job: the whole district). Reads only."""
    months = _months(program, first, last)
    compared, month_notes = _compared_months(program, months)
    draft = draft_batch(program)
    plan = SettlementPlan(program=program, first=months[0], last=months[-1], months=compared,
                          month_notes=month_notes, rows=[], unchanged=0, draft=draft)
    if not compared:
        return plan
    scope = Scope.of(user) if isinstance(user, User) else None
    ledger = _ledger(program, compared)
    entitled, not_eligible = _entitlements(program, compared)
    charged = _charged(program, compared)
    application = is_application_program(program)
    keys = set(ledger) | {k for k, e in entitled.items() if e.amount > 0}
    enrolment_ids = {e.anchor["enrolment_id"] for e in ledger.values() if e.anchor and e.anchor["enrolment_id"]}
    ends = casework_selectors.enrolment_end_months(sorted(enrolment_ids))
    payees = {(e.anchor or e.any_line)["person_id"] for e in ledger.values() if (e.anchor or e.any_line)}
    deaths = {pk: f"{d.year:04d}-{d.month:02d}" for pk, d in
              Person.objects.filter(pk__in=payees, death_date__isnull=False).values_list("pk", "death_date")}
    with_account = set(PayeeAccount.objects.filter(person_id__in=payees, status=AccountStatus.ACTIVE)
                       .values_list("person_id", flat=True))
    rows: list[SettlementRow] = []
    for month, beneficiary in sorted(keys):
        held = ledger.get((month, beneficiary))
        due = entitled.get((month, beneficiary))
        line = (held.anchor or held.any_line) if held else None
        street = line["street_id"] if line else due.street_id if due else ""
        committee = line["committee_id"] if line else due.committee_id if due else ""
        if scope is not None and not scope.covers(street_code=street, committee_code=committee):
            continue
        payee = line["person_id"] if line else (due.person_id if due else None)
        row = SettlementRow(
            month=month, beneficiary=beneficiary,
            household_id=line["household_id"] if line else (due.household_id if due else None),
            person_id=payee, street_id=street, committee_id=committee,
            paid_fen=held.paid if held else 0, pending_fen=held.pending if held else 0,
            charged_fen=charged.get((payee, month), 0) if payee else 0,
            entitled_fen=due.amount if due else 0, basis=due.basis if due else "",
            corrects_id=held.anchor["id"] if held and held.anchor else None)
        anchor = held.anchor if held else None
        not_eligible_now = (month, beneficiary) in not_eligible
        if row.difference_fen == 0 and not (not_eligible_now and anchor and anchor["amount_basis"] == "decision"):
            plan.unchanged += 1
            continue
        ended = bool(anchor and anchor["enrolment_id"] in ends and month > ends[anchor["enrolment_id"]])
        died = bool(beneficiary.startswith("p") and payee in deaths and deaths[payee] < month)
        _decide(row, ledger=held, enrolled_not_eligible=not_eligible_now,
                outside_enrolment=application and due is None, ended=ended, died_before=died,
                has_account=payee in with_account, draft=draft)
        rows.append(row)
    _describe(rows)
    plan.rows = rows
    if plan.of(TOPUP) and draft is None:
        plan.notes.append(NO_DRAFT)
    return plan


def _describe(rows: list[SettlementRow]) -> None:
    """Names, masked ID numbers and division names for the rows (a few queries)."""
    heads: dict[int, int] = {}
    without_payee = [r.household_id for r in rows if r.person_id is None and r.household_id]
    for household_id, person_id, relation in (HouseholdMembership.objects.filter(household_id__in=without_payee)
                                              .order_by("household_id", "end_date", "person_id")
                                              .values_list("household_id", "person_id", "relation")):
        if relation == "本人" or household_id not in heads:
            heads[household_id] = person_id
    for r in rows:
        if r.person_id is None and r.household_id in heads:
            r.person_id = heads[r.household_id]
    people = Person.objects.only("name", "id_number_masked").in_bulk({r.person_id for r in rows if r.person_id})
    divisions = dict(Division.objects.filter(code__in={r.street_id for r in rows} | {r.committee_id for r in rows})
                     .values_list("code", "name"))
    for r in rows:
        who = people.get(r.person_id or 0)
        r.name = (who.name if who else "（未找到）") + ("（户）" if r.beneficiary.startswith("h") and who else "")
        r.id_number_masked = who.id_number_masked if who else ""
        r.street_name = divisions.get(r.street_id, "（未知街镇）")
        r.committee_name = divisions.get(r.committee_id, "（未知居村委）")


@dataclass
class SettlementResult:
    plan: SettlementPlan
    topups: int = 0
    topup_fen: int = 0
    charges: int = 0
    charge_fen: int = 0
    batch: PaymentBatch | None = None


def settlement_apply(*, actor: User, program: str, first: str, last: str,
                     expected_digest: str | None = None) -> SettlementResult:
    """Execute the plan: top-ups into the draft batch, charges into the
    receivables — in one transaction, audited once (``payments.settlement.apply``).

    The plan is recomputed here under a lock on the draft batch; with
    ``expected_digest`` (the page sends the digest of the plan it showed) a
    plan that changed meanwhile is refused. Nothing to do → nothing written."""
    actor = require_person(actor, "差额处理", "core.write")
    try:
        with transaction.atomic():
            draft = draft_batch(program) if program_known(program) else None
            if draft is not None:
                draft = PaymentBatch.objects.select_for_update().get(pk=draft.pk)
            plan = settlement_plan(actor, program=program, first=first, last=last)
            if expected_digest is not None and expected_digest != plan.digest:
                raise StateConflict("差额清单已变化（可能已有人处理或重新测算），请重新查看后再确认")
            topups, charges = plan.of(TOPUP), plan.of(CHARGE)
            result = SettlementResult(plan=plan)
            if not topups and not charges:
                return result
            if topups:
                require_person(actor, "补差", "payments.prepare")
                if plan.draft is None or plan.draft.status != BatchStatus.DRAFT:
                    raise ValidationError(NO_DRAFT)
                lines = PaymentLine.objects.in_bulk([r.corrects_id for r in topups])
                rows = adjustment_rows(plan.draft, [(lines[r.corrects_id], r.amount_fen, topup_reason(r.month))
                                                    for r in topups])
                write_lines(plan.draft, rows, actor=actor)
                result.topups, result.topup_fen, result.batch = len(rows), plan.topup_fen, plan.draft
            if charges:
                require_person(actor, "追缴", "payments.recovery_scan")
                result.charges, result.charge_fen = _charge(actor, program, charges)
            audit_record(actor=actor, action="payments.settlement.apply", object_type="PaymentBatch",
                         object_id=plan.draft.number if topups and plan.draft else "",
                         changes={"program": program, "start_month": plan.first, "end_month": plan.last,
                                  "months": plan.months,
                                  "topups": result.topups, "topup_fen": result.topup_fen,
                                  "charges": result.charges, "charge_fen": result.charge_fen,
                                  "review": plan.counts[REVIEW], "digest": plan.digest})
    except IntegrityError as err:
        raise StateConflict("同一人、项目、月份已有应追缴记录（可能刚由另一人处理），请重新查看后再确认") from err
    return result


def _charge(actor: User, program: str, rows: list[SettlementRow]) -> tuple[int, int]:
    people = Person.objects.in_bulk({r.person_id for r in rows})
    receivables: dict[int, Receivable] = {}
    entries = []
    for r in rows:
        require_scope_covers(actor, street_code=r.street_id, committee_code=r.committee_id)
        person = people[r.person_id]
        if r.person_id not in receivables:
            receivables[r.person_id], _ = Receivable.objects.get_or_create(
                person_id=r.person_id, defaults={"street_id": person.street_id, "committee_id": person.committee_id})
        entries.append(ReceivableEntry(receivable=receivables[r.person_id], kind=EntryKind.CHARGE,
                                       amount_fen=r.amount_fen, program=program, benefit_month=r.month,
                                       line_id=r.corrects_id, reason=charge_reason(r.month),
                                       recorded_by=actor.username))
    ReceivableEntry.objects.bulk_create(entries)
    return len(entries), sum(e.amount_fen for e in entries)


def plan_label(plan: SettlementPlan) -> str:
    """One line saying what confirming does (the confirm dialog and the command)."""
    parts = []
    if plan.of(TOPUP):
        where = f"在批次 {plan.draft.number} 中" if plan.draft else ""
        parts.append(f"{where}加补差明细 {len(plan.of(TOPUP))} 笔，共 {format_fen(plan.topup_fen, grouping=True)} 元")
    if plan.of(CHARGE):
        parts.append(f"记应追缴 {len(plan.of(CHARGE))} 笔，共 {format_fen(plan.charge_fen, grouping=True)} 元")
    return f"{program_label(plan.program)} {plan.first} 至 {plan.last}：" + ("；".join(parts) or "没有需要处理的差额")
