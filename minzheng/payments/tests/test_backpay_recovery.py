"""Back-pay for months between the approved start and the first batch;
recovery after a death record; the receivable's balance from its entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.casework.models import Enrolment
from minzheng.casework.services import enrolment_stop_for_death
from minzheng.payments.batches import batch_run
from minzheng.payments.models import PaymentLine, ReceivableEntry
from minzheng.payments.recovery import (
    balance,
    receivable_repay,
    recovery_scan,
    writeoff_decide,
    writeoff_propose,
)
from minzheng.payments.returns import return_file_for, returns_import
from minzheng.payments.tests.conftest import approve


@pytest.mark.django_db
def test_backpay_months_between_approved_start_and_first_batch(staff, town, make_person):
    # August and September were paid before a late enrolment was approved with start 2025-08
    for month in ("2025-08", "2025-09"):
        approve(staff, batch_run(actor=staff["bureau"], program="dibao", month=month).batch)
    from minzheng.eligibility.services import decision_run_month
    from minzheng.payments.accounts import accounts_synthesise
    from minzheng.registry import services as registry

    late = make_person("迟到丁", dt.date(1968, 1, 1), committee="310117001001", monthly_income_fen=20000)
    household = registry.household_create(actor=staff["bureau"], head=late, address="谷阳路3号",
                                          start_date=dt.date(2020, 1, 1))
    accounts_synthesise(actor="test", seed="test")
    for month in ("2025-08", "2025-09", "2025-10"):
        decision_run_month(actor="test", month=month)
    Enrolment.objects.create(program="dibao", household=household, street_id="310117001",
                             committee_id="310117001001", start_month="2025-08", source="application",
                             monthly_amount_fen=100000)
    # when October is prepared
    october = batch_run(actor=staff["bureau"], program="dibao", month="2025-10").batch
    mine = october.lines.filter(beneficiary=f"h{household.pk}").order_by("benefit_month")
    # then August and September are back-paid, October paid regularly
    assert [(x.kind, x.benefit_month) for x in mine] == [("backpay", "2025-08"), ("backpay", "2025-09"),
                                                         ("regular", "2025-10")]
    assert all(x.amount_basis == "decision" and x.amount_fen == 145000 for x in mine)  # 1650 − 200 in 2025-08
    # others are not paid twice
    assert october.lines.filter(kind="backpay").count() == 2


@pytest.mark.django_db
def test_recovery_after_a_death_record(staff, town, paid_month):
    from minzheng.registry import services as registry

    lone = town.lone
    for month in ("2025-08", "2025-09", "2025-10"):
        batch = paid_month("dibao", month)
        returns_import(actor=staff["bureau"], batch=batch, filename="r.csv", content=return_file_for(batch))
    # given 独居丙 died on 2025-08-20 and casework stops the enrolment on 5 November
    registry.person_record_death(actor=staff["street"], person=lone, death_date=dt.date(2025, 8, 20))
    cases = enrolment_stop_for_death(actor=staff["street"], person=lone, death_date=dt.date(2025, 8, 20),
                                     today=dt.date(2025, 11, 5))
    # then the case holds the months the ledger actually paid after death (September, October), for what
    # was paid; November was never paid and is not a debt
    paid_lines = PaymentLine.objects.filter(enrolment_id=town.dibao_lone.pk, benefit_month__gte="2025-09")
    assert cases[0].months == ["2025-09", "2025-10"]
    assert cases[0].amount_fen == sum(line.amount_fen for line in paid_lines)
    # then September and October were charged once each the day the death was recorded (the payments
    # death listener: a one-person household's payee), from the ledger's own paid lines
    charges = ReceivableEntry.objects.filter(kind="charge").order_by("benefit_month")
    assert [(c.benefit_month, c.line_id is not None) for c in charges] == [("2025-09", True), ("2025-10", True)]
    receivable = charges[0].receivable
    assert balance(receivable) == cases[0].amount_fen
    # and when the bureau scans, nothing is charged twice (neither from the ledger nor from the case)
    result = recovery_scan(actor=staff["bureau"])
    assert result["charges"] == 0 and result["from_cases"] == 0
    # a second scan charges nothing again
    assert recovery_scan(actor=staff["bureau"])["charges"] == 0
    # repayment and write-off with approval
    before = balance(receivable)
    receivable_repay(actor=staff["street"], receivable=receivable, amount_fen=50000, reference="SK2025-001")
    with pytest.raises(ValidationError, match="超过"):
        receivable_repay(actor=staff["street"], receivable=receivable, amount_fen=before, reference="SK2025-002")
    proposal = writeoff_propose(actor=staff["street"], receivable=receivable, amount_fen=10000, reason="遗产不足")
    assert balance(receivable) == before - 50000  # a proposal does not count
    with pytest.raises(PermissionDenied):
        writeoff_decide(actor=staff["street"], entry=proposal, approve=True)
    writeoff_decide(actor=staff["approver"], entry=proposal, approve=True)
    assert balance(receivable) == before - 60000
    entries = receivable.entries.filter(status="posted")
    assert balance(receivable) == (sum(e.amount_fen for e in entries if e.kind == "charge")
                                   - sum(e.amount_fen for e in entries if e.kind != "charge"))


@pytest.mark.django_db
def test_payee_dead_before_the_month_is_not_paid(staff, town):
    from minzheng.registry import services as registry

    registry.person_record_death(actor=staff["other_street"], person=town.old, death_date=dt.date(2025, 7, 3))
    batch = batch_run(actor=staff["bureau"], program="elderly_allowance", month="2025-08").batch
    assert batch.lines.count() == 0
