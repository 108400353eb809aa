"""``demo_setup`` gives every role a day's work, once (issue 9)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from minzheng.casework.models import CLOSED_STATUSES, Application, Objection
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.feeds.models import FeedFile
from minzheng.monitoring.models import FollowUpTask, Lead
from minzheng.monitoring.selectors import leads_todo
from minzheng.payments.models import PaymentBatch, SampleCase
from minzheng.verification.models import Outcome, VerificationRequest, VerificationResult


def _sizes() -> dict[str, int]:
    return {"applications": Application.objects.count(), "verifications": VerificationRequest.objects.count(),
            "batches": PaymentBatch.objects.count(), "files": FeedFile.objects.count(),
            "leads": Lead.objects.count(), "tasks": FollowUpTask.objects.count(), "users": User.objects.count()}


@pytest.mark.django_db
def test_a_days_work_for_every_role_once():
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    today = timezone.localdate()
    open_cases = Application.objects.exclude(status__in=CLOSED_STATUSES)
    streets = Division.objects.filter(level=DivisionLevel.STREET)
    for street in streets:  # the early steps in every street
        statuses = set(open_cases.filter(street=street).values_list("status", flat=True))
        assert {"applied", "accepted", "verified", "visited", "street_reviewed"} <= statuses, street.name
        assert open_cases.filter(street=street, due_on__lt=today).exists(), street.name
    assert set(open_cases.values_list("status", flat=True)) >= {
        "applied", "accepted", "verified", "visited", "street_reviewed", "in_notice", "approval_recorded"}
    assert Objection.objects.filter(resolved_on__isnull=True).exists()
    # verifications read real department figures: some households above the lines, some below
    outcomes = set(VerificationResult.objects.values_list("outcome", flat=True))
    assert Outcome.ABOVE_LINES in outcomes and outcomes & {Outcome.BELOW_DIBAO, Outcome.BELOW_LOW_INCOME}
    assert VerificationResult.objects.filter(monthly_income_fen__gt=0).exists()
    assert leads_todo(User.objects.get(username="advisor")).exists()
    assert FeedFile.objects.filter(bad_rows__gt=0).exists()
    assert set(PaymentBatch.objects.values_list("status", flat=True)) >= {"draft", "reviewed", "approved"}
    assert SampleCase.objects.exists()
    # a second run changes nothing
    before = _sizes()
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    assert _sizes() == before
