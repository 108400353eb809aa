"""Who a batch pays, for which months, how much, to which account.

The rule (ADR 0008):

The path is the program definition's ``payment`` (``policy.PROGRAMS``).

* **Application programs** (``payment == "enrolment"``,
  ``casework.selectors.payable_program_ids``: dibao, extreme poverty, child
  allowance, the two disability subsidies):
  beneficiaries are the enrolments whose benefit months include the month.
  The amount is the month's stored decision (the month's current
  ``DecisionRun``) for that household/person when it is eligible; otherwise
  the amount decided at enrolment (``amount_basis = "enrolment"``, counted on
  the batch page so the checker sees it).
* **No-application, price-subsidy and one-off programs** (``payment ==
  "decision"``: elderly allowance, severe-disability-unemployed,
  ``price_subsidy``, ``one_off:<name>``):
  beneficiaries are the eligible decisions of the month's current run.
* A person-level beneficiary who died before the month is not paid (the
  month of death is paid: benefits stop from the month after). A household's
  payee is the applicant, else the head, else the first living member.
* A beneficiary whose payee has no active account is left out and listed in
  the batch's ``skipped``; the month is back-paid once the account exists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from minzheng.casework import selectors as casework_selectors
from minzheng.eligibility import selectors as eligibility_selectors
from minzheng.payments.backpay import enrolment_months, paid_months_before
from minzheng.payments.models import (
    ENTITLEMENT_KINDS,
    AccountStatus,
    LineKind,
    PayeeAccount,
    PaymentLine,
)
from minzheng.registry.models import HouseholdMembership, Person
from policy import PROGRAMS

_CHUNK = 5000


@dataclass
class Entitlement:
    beneficiary: str
    kind: str
    benefit_month: str
    household_id: int | None
    payee_id: int
    street_id: str
    committee_id: str
    amount_fen: int
    amount_basis: str
    enrolment_id: int | None = None


def program_known(program: str) -> bool:
    if program.startswith("one_off:"):
        return True
    return program in PROGRAMS and PROGRAMS[program].pays_cash


def is_application_program(program: str) -> bool:
    """Paid to enrolments (``Program.payment == "enrolment"``), not to the month's decisions."""
    return program in casework_selectors.payable_program_ids()


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _decisions(program: str, month: str) -> dict[tuple[int, int | None], int] | None:
    """Eligible amounts of the month's current run: (household, person) → fen."""
    run = eligibility_selectors.current_run(month)
    if run is None:
        return None
    rows = eligibility_selectors.run_decisions(run).filter(program=program, eligible=True, amount_fen__gt=0)
    return {(h, p): a for h, p, a in rows.values_list("household_id", "person_id", "amount_fen").iterator(10000)}


def _decision_rows(program: str, month: str) -> list[tuple]:
    run = eligibility_selectors.current_run(month)
    if run is None:
        return []
    return list(eligibility_selectors.run_decisions(run).filter(program=program, eligible=True, amount_fen__gt=0,
                                                               person_id__isnull=False)
                .values_list("household_id", "person_id", "street_id", "committee_id", "amount_fen").iterator(10000))


def _application_entitlements(program: str, month: str, months: list[str], existing: set) -> list[Entitlement]:
    rows = casework_selectors.enrolments_for_payment(program, months[0], month)
    household_level = PROGRAMS[program].level == "household"
    decisions = {m: _decisions(program, m) or {} for m in months}
    payees = _household_payees([r for r in rows if r["person_id"] is None])
    out = []
    for row in rows:
        beneficiary = f"h{row['household_id']}" if row["person_id"] is None else f"p{row['person_id']}"
        for m in enrolment_months(row, first=months[0], last=month):
            if m not in decisions or (m, beneficiary) in existing:
                continue
            key = (row["household_id"], None if household_level else row["person_id"])
            decided = decisions[m].get(key)
            amount, basis = (decided, "decision") if decided else (row["monthly_amount_fen"], "enrolment")
            payee = row["person_id"] or payees.get(row["household_id"])
            out.append(Entitlement(beneficiary, LineKind.REGULAR if m == month else LineKind.BACKPAY, m,
                                   row["household_id"], payee or 0, row["street_id"], row["committee_id"],
                                   amount, basis, row["id"]))
    return out


def _household_payees(rows: list[dict]) -> dict[int, int]:
    """Household → payee: the applicant if alive, else the head, else the first living member."""
    payees: dict[int, int] = {}
    for ids in chunks({r["household_id"] for r in rows}):
        members = (HouseholdMembership.objects.filter(household_id__in=ids, end_date__isnull=True, person__alive=True)
                   .order_by("household_id", "person_id").values_list("household_id", "person_id", "relation"))
        for household_id, person_id, relation in members:
            if relation == "本人" or household_id not in payees:
                payees[household_id] = person_id
    alive_applicants = set()
    for ids in chunks({r["applicant_id"] for r in rows if r["applicant_id"]}):
        alive_applicants.update(Person.objects.filter(pk__in=ids, alive=True).values_list("pk", flat=True))
    for r in rows:
        if r["applicant_id"] in alive_applicants:
            payees[r["household_id"]] = r["applicant_id"]
    return payees


def _decision_entitlements(program: str, month: str, months: list[str], existing: set) -> list[Entitlement]:
    out = []
    for m in months:
        kind = LineKind.REGULAR if m == month else LineKind.BACKPAY
        for household_id, person_id, street, committee, amount in _decision_rows(program, m):
            if (m, f"p{person_id}") in existing:
                continue
            out.append(Entitlement(f"p{person_id}", kind, m, household_id, person_id, street, committee,
                                   amount, "decision"))
    return out


@dataclass
class Payable:
    entitlements: list[Entitlement]
    accounts: dict[int, tuple]  # payee → (account id, bank, holder, masked)
    skipped: Counter


def payable(program: str, month: str) -> Payable:
    """Entitlements of ``program`` for ``month`` and its back-pay months that
    have no payment yet and can be paid now (payee alive with an account)."""
    if not program_known(program):
        raise ValidationError(f"“{program}”不是按月发放现金的救助项目")
    if eligibility_selectors.current_run(month) is None:
        raise ValidationError(f"{month} 尚无当月测算结果，请先运行 minzheng policy batch --month {month}")
    months = [*paid_months_before(program, month), month]
    existing = set(PaymentLine.objects.filter(program=program, kind__in=ENTITLEMENT_KINDS, benefit_month__in=months)
                   .values_list("benefit_month", "beneficiary").iterator(10000))
    if is_application_program(program):
        candidates = _application_entitlements(program, month, months, existing)
    else:
        candidates = _decision_entitlements(program, month, months, existing)
    payee_ids = {c.payee_id for c in candidates if c.payee_id}
    deaths: dict[int, str] = {}
    accounts: dict[int, tuple] = {}
    for ids in chunks(payee_ids):
        for pk, death in Person.objects.filter(pk__in=ids, death_date__isnull=False).values_list("pk", "death_date"):
            deaths[pk] = f"{death.year:04d}-{death.month:02d}"
        for row in (PayeeAccount.objects.filter(person_id__in=ids, status=AccountStatus.ACTIVE)
                    .values_list("person_id", "pk", "bank_name", "holder_name", "number_masked")):
            accounts[row[0]] = row[1:]
    skipped: Counter = Counter()
    kept = []
    for c in candidates:
        if c.amount_fen <= 0:
            skipped["金额为零"] += 1
        elif not c.payee_id:
            skipped["无在世的收款人"] += 1
        elif c.payee_id in deaths and deaths[c.payee_id] < c.benefit_month:
            skipped["收款人已死亡"] += 1
        elif c.payee_id not in accounts:
            skipped["无有效代发账户"] += 1
        else:
            kept.append(c)
    return Payable(kept, accounts, skipped)
