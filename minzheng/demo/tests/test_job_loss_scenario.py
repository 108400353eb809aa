"""The demo's job-loss scenario works on a fresh demo district: the street
accepts the waiting verification, and the month's monitoring run then finds
the household and opens a lead (政策找人)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from minzheng.core.models import User
from minzheng.monitoring.models import Lead
from minzheng.monitoring.services import monitor_run_month
from minzheng.registry.models import FactOrigin
from minzheng.registry.selectors import household_members, income_in_force
from minzheng.verification.models import Outcome, VerificationRequest
from minzheng.verification.selectors import request_latest_result
from minzheng.verification.services import verification_result_accept


@pytest.mark.django_db
def test_the_street_accepts_and_the_monitoring_run_finds_the_household():
    # given the demo district as ``make run`` sets it up (small)
    call_command("demo_setup", persons=3000, seed=2024, stdout=io.StringIO())
    request = VerificationRequest.objects.get(note__startswith="演示：人社部门报送失业")
    result = request_latest_result(request)
    assert result.outcome == Outcome.BELOW_DIBAO and not result.missing_replies
    household = request.household
    month = timezone.localdate().strftime("%Y-%m")
    assert not Lead.objects.filter(household=household, program="dibao").exists()
    # when the street accepts the result
    verification_result_accept(actor=User.objects.get(username="street"), result=result)
    head = next(m.person for m in household_members(household) if m.relation == "本人")
    assert income_in_force(head, result.as_of).origin == FactOrigin.VERIFIED
    # and the month's monitoring runs again (the verification is dated the 1st or the facts count next month)
    target = month if result.as_of.day == 1 else _next(month)
    monitor_run_month(actor="test", month=target, today=timezone.localdate())
    # then the household is a dibao lead
    assert Lead.objects.filter(household=household, program="dibao", month=target).exists()


def _next(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y + m // 12}-{m % 12 + 1:02d}"


@pytest.mark.django_db
def test_three_district_accounts_take_a_batch_through_maker_checker():
    from minzheng.payments.models import BatchStatus, PaymentBatch
    from minzheng.payments.services import batch_approve, batch_review

    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    # the demo leaves a draft prepared by bureau for checker, and a reviewed batch for approver
    draft = PaymentBatch.objects.get(status=BatchStatus.DRAFT, prepared_by="bureau")
    reviewed = PaymentBatch.objects.get(status=BatchStatus.REVIEWED, prepared_by="bureau", reviewed_by="checker")
    batch_review(actor=User.objects.get(username="checker"), batch=draft)
    for batch in (draft, reviewed):
        assert batch_approve(actor=User.objects.get(username="approver"), batch=batch).status == BatchStatus.APPROVED
