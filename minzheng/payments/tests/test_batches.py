"""Batches: preparation from decisions and enrolments, maker-checker,
immutability, adjustments, idempotence and the database constraint."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted, SeparationOfDuties
from minzheng.payments.batches import (
    adjustment_add,
    batch_approve,
    batch_discard,
    batch_reject,
    batch_review,
    batch_run,
    line_remove,
)
from minzheng.payments.models import BatchStatus, PaymentBatch, PaymentLine
from minzheng.payments.tests.conftest import approve


@pytest.mark.django_db
def test_run_pays_enrolments_with_the_stored_decision_amount(staff, town):
    # when the bureau prepares August's dibao batch
    result = batch_run(actor=staff["bureau"], program="dibao", month="2025-08")
    batch = result.batch
    # then one line per enrolled household, amounts from the month's decisions
    lines = {line.beneficiary: line for line in batch.lines.all()}
    assert set(lines) == {f"h{town.h_poor.pk}", f"h{town.h_lone.pk}"}
    poor = lines[f"h{town.h_poor.pk}"]
    assert (poor.amount_fen, poor.amount_basis, poor.person_id) == (125000, "decision", town.poor.pk)
    assert poor.account_masked.startswith("6") and "****" in poor.account_masked
    assert poor.city_fen == 0 and poor.district_fen == poor.amount_fen  # default split: all district (assumption)
    assert batch.status == BatchStatus.DRAFT and batch.number.startswith("FF202508")
    assert (batch.control_count, batch.control_total_fen) == (2, sum(x.amount_fen for x in lines.values()))
    assert AuditEntry.objects.filter(action="payments.batch.run", object_id=batch.number).count() == 1


@pytest.mark.django_db
def test_no_application_program_pays_eligible_decisions(staff, town):
    batch = batch_run(actor=staff["bureau"], program="elderly_allowance", month="2025-08").batch
    line = batch.lines.get()
    assert (line.beneficiary, line.amount_fen, line.street_id) == (f"p{town.old.pk}", 15000, "310117102")


@pytest.mark.django_db
def test_running_again_creates_no_second_batch_or_line(staff, town):
    first = batch_run(actor=staff["bureau"], program="dibao", month="2025-08")
    again = batch_run(actor=staff["bureau"], program="dibao", month="2025-08")
    out = io.StringIO()
    call_command("payments_run", "--program", "dibao", "--month", "2025-08", "--as", "bureau", stdout=out)
    assert again.batch == first.batch and again.added == 0 and not again.created
    assert "未改动" in out.getvalue() or "新增 0 笔" in out.getvalue()
    assert PaymentBatch.objects.count() == 1 and PaymentLine.objects.count() == 2
    # also once approved, a re-run changes nothing
    approve(staff, first.batch)
    assert batch_run(actor=staff["bureau"], program="dibao", month="2025-08").added == 0
    assert PaymentLine.objects.count() == 2


@pytest.mark.django_db
def test_database_refuses_a_second_payment_even_bypassing_the_service(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    line = batch.lines.first()
    other = PaymentBatch.objects.create(number="FFTEST", program="dibao", month="2025-09", kind="reissue",
                                        prepared_by="x")
    line.pk = None
    line.batch = other
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()  # same beneficiary, program and benefit month, kind "regular"
    assert PaymentLine.objects.count() == 2


@pytest.mark.django_db
def test_maker_checker(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    # the preparer can neither review nor approve: a business rule for the right role (422), not a 403
    with pytest.raises(SeparationOfDuties):
        batch_review(actor=staff["bureau"], batch=batch)
    batch_review(actor=staff["checker"], batch=batch)
    with pytest.raises(SeparationOfDuties, match="制单人"):
        batch_approve(actor=staff["bureau"], batch=batch)
    with pytest.raises(SeparationOfDuties, match="复核人"):
        batch_approve(actor=staff["checker"], batch=batch)
    # street staff cannot approve at all: the wrong role (403)
    with pytest.raises(NotPermitted):
        batch_approve(actor=staff["street"], batch=batch)
    batch = batch_approve(actor=staff["approver"], batch=batch)
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == "approver"
    assert [e.to_status for e in batch.events.all()] == ["draft", "reviewed", "approved"]
    assert AuditEntry.objects.filter(action__startswith="payments.batch.", object_id=batch.number).count() == 3


@pytest.mark.django_db
def test_reject_sends_back_to_draft(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    batch_review(actor=staff["checker"], batch=batch)
    batch = batch_reject(actor=staff["approver"], batch=batch, reason="金额待核")
    assert batch.status == BatchStatus.DRAFT and batch.reviewed_by == ""


@pytest.mark.django_db
def test_approved_batch_is_immutable_and_corrections_are_linked_adjustments(staff, town):
    august = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    approve(staff, august)
    line = august.lines.first()
    # no removal, no discard, no new line in an approved batch
    with pytest.raises(ValidationError, match="不能再修改"):
        line_remove(actor=staff["bureau"], line=line, reason="错")
    with pytest.raises(ValidationError):
        batch_discard(actor=staff["bureau"], batch=august, reason="错")
    with pytest.raises(ValidationError, match="不能再修改"):
        adjustment_add(actor=staff["bureau"], batch=august, corrects=line, amount_fen=100, reason="补差")
    # a correction goes into September's batch, linked to the August line
    september = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    adjustment = adjustment_add(actor=staff["bureau"], batch=september, corrects=line, amount_fen=5000,
                                reason="8月核定金额少算50元")
    assert (adjustment.kind, adjustment.corrects, adjustment.benefit_month) == ("adjustment", line, "2025-08")
    assert list(line.corrections.all()) == [adjustment]
    september.refresh_from_db()
    assert september.control_total_fen == sum(x.amount_fen for x in september.lines.all())
    with pytest.raises(ValidationError, match="追缴"):
        adjustment_add(actor=staff["bureau"], batch=september, corrects=line, amount_fen=-100, reason="多发")
    # August is unchanged
    august.refresh_from_db()
    assert august.control_count == august.lines.count() == 2


@pytest.mark.django_db
def test_draft_line_removed_is_back_paid_next_month(staff, town):
    august = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    line_remove(actor=staff["bureau"], line=august.lines.get(beneficiary=f"h{town.h_lone.pk}"), reason="待核实")
    approve(staff, august)
    september = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    backpay = september.lines.get(kind="backpay")
    assert (backpay.beneficiary, backpay.benefit_month) == (f"h{town.h_lone.pk}", "2025-08")
    assert september.lines.filter(kind="regular").count() == 2


@pytest.mark.django_db
def test_unknown_or_non_cash_program_and_missing_run_are_refused(staff, town):
    with pytest.raises(ValidationError, match="不是按月发放"):
        batch_run(actor=staff["bureau"], program="low_income", month="2025-08")
    with pytest.raises(ValidationError, match="尚无当月测算结果"):
        batch_run(actor=staff["bureau"], program="dibao", month="2026-01")
    with pytest.raises(PermissionDenied):
        batch_run(actor=staff["street"], program="dibao", month="2025-08")


@pytest.mark.django_db
def test_whoever_adds_lines_to_a_draft_is_a_preparer_and_may_not_review_or_approve(staff, town):
    from minzheng.core.permissions import SeparationOfDuties
    from minzheng.payments.batches import batch_approve, batch_review, batch_run, line_remove

    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    line_remove(actor=staff["bureau"], line=batch.lines.first(), reason="核对账户")
    # the checker re-runs the draft, which adds the missing line back — and so becomes a preparer
    assert batch_run(actor=staff["checker"], program="dibao", month="2025-08").added == 1
    batch.refresh_from_db()
    assert set(batch.preparers) >= {"bureau", "checker"} and batch.prepared_by == "bureau"
    with pytest.raises(SeparationOfDuties, match="制单人不能复核"):
        batch_review(actor=staff["checker"], batch=batch)
    batch_review(actor=staff["approver"], batch=batch)
    with pytest.raises(SeparationOfDuties, match="复核人不能再审批"):
        batch_approve(actor=staff["approver"], batch=batch)


@pytest.mark.django_db
def test_a_job_cannot_prepare_a_batch_and_the_cli_requires_as(staff, town):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from minzheng.core.permissions import NotPermitted
    from minzheng.payments.batches import batch_run

    with pytest.raises(NotPermitted, match="工作人员本人"):
        batch_run(actor="cli", program="dibao", month="2025-08")
    with pytest.raises(CommandError, match="--as"):
        call_command("payments_run", "--program", "dibao", "--month", "2025-08")


@pytest.mark.django_db
def test_batch_numbers_have_no_gaps_when_a_run_is_rolled_back(staff, town):
    from unittest import mock

    from minzheng.payments.batches import batch_run
    from minzheng.payments.models import PaymentBatch

    first = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    with mock.patch("minzheng.payments.batches.copy_rows", side_effect=RuntimeError("killed")), \
            pytest.raises(RuntimeError):
        batch_run(actor=staff["bureau"], program="elderly_allowance", month="2025-08")
    assert not PaymentBatch.objects.filter(program="elderly_allowance").exists()
    second = batch_run(actor=staff["bureau"], program="elderly_allowance", month="2025-08").batch
    assert first.number == "FF202508000001" and second.number == "FF202508000002"
