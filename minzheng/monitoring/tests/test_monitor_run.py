"""The monitor run on a crafted district: leads, edge list, exits,
automatic enrolment and stop, risk tasks, idempotence, death, escalation."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from minzheng.casework.models import Enrolment, EnrolmentSource, EnrolmentStatus, OverpaymentCase
from minzheng.core.models import AuditEntry
from minzheng.eligibility.models import DecisionRun
from minzheng.monitoring import matching, monitor_runs, selectors
from minzheng.monitoring.models import (
    AutoEnrolmentNotice,
    DeathStop,
    EdgeBand,
    EdgeHousehold,
    ExitKind,
    ExitReview,
    FollowUpTask,
    Lead,
    MonitorRun,
)
from minzheng.monitoring.monitor_runs import monitor_escalate, monitor_run_month
from minzheng.monitoring.tests.conftest import MONTH, RUN_DAY, feed_event
from minzheng.registry import services as registry

pytestmark = pytest.mark.django_db


def test_run_finds_leads_edges_exits_auto_enrolments_and_tasks(crafted):
    # when the bureau runs monitoring for August 2025
    run = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    # then the poor single adults are dibao leads (not the household with an open application)
    dibao = Lead.objects.filter(program="dibao")
    assert set(dibao.values_list("household_id", flat=True)) == {crafted.h_poor.pk, crafted.h_far.pk}
    lead = dibao.get(household=crafted.h_poor)
    assert lead.amount_fen == 125000 and lead.target_key == f"h{crafted.h_poor.pk}"
    assert lead.committee_id == "310117001001" and lead.due_on == dt.date(2025, 9, 3)
    assert [r["code"] for r in selectors.lead_reasons(lead)] == ["INCOME_AND_ASSETS_WITHIN_LIMITS"]
    # and the 1700-yuan household is on the edge list and a low-income lead
    edge = EdgeHousehold.objects.get(household=crafted.h_edge)
    assert edge.band == EdgeBand.DIBAO
    assert edge.per_capita_income_fen == 170000 and edge.line_fen == 165000
    # and (rules revision 2026-11-30, earned-income disregard) the employed earner's 8000 counts as 8000 − 870:
    # 7130 for two is 3565 per person, within 10% above the low-income line 3300 — on the list too
    earner_edge = EdgeHousehold.objects.get(household=crafted.h_earner)
    assert earner_edge.band == EdgeBand.LOW_INCOME
    assert earner_edge.per_capita_income_fen == 356500 and earner_edge.line_fen == 330000
    assert EdgeHousehold.objects.count() == 2
    assert Lead.objects.filter(program="low_income", household=crafted.h_edge).exists()
    # and the well-off enrolled household gets an exit review with the engine's reasons
    review = ExitReview.objects.get()
    assert review.enrolment == crafted.rich_enrolment and review.kind == ExitKind.INELIGIBLE
    codes = [r["code"] for r in selectors.exit_reasons(review)]
    assert "INCOME_NOT_BELOW_STANDARD" in codes and "ASSETS_ABOVE_LIMIT" in codes
    # and the 71-year-old is enrolled in the elderly allowance without applying, with a notice
    auto = Enrolment.objects.get(source=EnrolmentSource.AUTO)
    assert (auto.program, auto.person, auto.start_month, auto.monthly_amount_fen) == (
        "elderly_allowance", crafted.old, MONTH, 15000)
    assert auto.events.get().kind == "enrolled"
    assert AutoEnrolmentNotice.objects.get().enrolment == auto
    # and the large medical bill opens a follow-up task for the child's household
    task = FollowUpTask.objects.get()
    assert (task.kind, task.household, task.committee_id) == ("large_medical_bill", crafted.h_earner, "310117001001")
    assert run.counts["leads"] == Lead.objects.count() and run.counts["auto_enrolments"] == 1
    assert AuditEntry.objects.filter(action="monitoring.run").count() == 1


def test_second_run_for_the_same_month_creates_nothing(crafted):
    first = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    assert sum(v for k, v in first.counts.items() if not k.startswith("escalated")) > 0
    totals = [Lead.objects.count(), EdgeHousehold.objects.count(), ExitReview.objects.count(),
              Enrolment.objects.count(), AutoEnrolmentNotice.objects.count(), FollowUpTask.objects.count()]
    second = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    assert all(v == 0 for v in second.counts.values()), second.counts
    assert totals == [Lead.objects.count(), EdgeHousehold.objects.count(), ExitReview.objects.count(),
                      Enrolment.objects.count(), AutoEnrolmentNotice.objects.count(), FollowUpTask.objects.count()]


LEAD_FIELDS = ("program", "target_key", "household_id", "person_id", "amount_fen", "reason_mask", "status", "due_on")


def test_a_repeat_with_nothing_changed_writes_nothing_and_keeps_the_leads(crafted, monkeypatch):
    first = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    leads = sorted(Lead.objects.values_list(*LEAD_FIELDS))
    assert leads

    def must_not_run(**kwargs):
        raise AssertionError("the comparisons ran again")

    for name in ("leads_create", "exit_reviews_create", "edge_households_create", "risk_tasks_create"):
        monkeypatch.setattr(matching, name, must_not_run)
    monkeypatch.setattr(monitor_runs, "decision_run_month", must_not_run)
    second = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    # the batch did not run again (ADR 0019 §8): the first run's decisions are used, and nothing was compared
    assert second.decision_run_id == first.decision_run_id and DecisionRun.objects.count() == 1
    assert all(v == 0 for v in second.counts.values()), second.counts
    entry = AuditEntry.objects.filter(action="monitoring.run").last()
    assert entry.changes["unchanged_since"] == first.pk and entry.changes["batch_reused"] is True
    assert sorted(Lead.objects.values_list(*LEAD_FIELDS)) == leads


def test_a_repeat_runs_the_batch_when_the_parameters_in_force_changed(crafted):
    first = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    # the parameter files changed since (not a database write, so no audit entry): the run's hash is not today's
    DecisionRun.objects.filter(pk=first.decision_run_id).update(parameter_set="0" * 64)
    second = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    assert second.decision_run_id != first.decision_run_id
    assert AuditEntry.objects.filter(action="monitoring.run").last().changes["batch_reused"] is False


def test_a_write_between_runs_means_the_full_comparison(crafted, users, monkeypatch):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    leads = sorted(Lead.objects.values_list(*LEAD_FIELDS))
    calls = []
    real = matching.leads_create
    monkeypatch.setattr(matching, "leads_create", lambda **kw: calls.append(kw) or real(**kw))
    registry.person_update(actor=users["bureau"], person=crafted.old, name="老人新名")  # an audited write
    second = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    assert calls and all(v == 0 for v in second.counts.values()), second.counts
    assert AuditEntry.objects.filter(action="monitoring.run").last().changes["unchanged_since"] is None
    assert sorted(Lead.objects.values_list(*LEAD_FIELDS)) == leads
    # and a third run on another day compares again too
    third = monitor_run_month(actor="test", month=MONTH, today=RUN_DAY + dt.timedelta(days=1))
    assert len(calls) == 2 and third.counts["leads"] == 0


def test_an_open_lead_is_not_raised_again_next_month(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    run = monitor_run_month(actor="test", month="2025-09", today=dt.date(2025, 9, 10))
    assert run.counts["leads"] == 0 and Lead.objects.filter(month="2025-09").count() == 0


def test_death_stops_benefits_from_the_next_month_with_overpayment(crafted, users):
    # given the 71-year-old was enrolled automatically in August
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    enrolment = Enrolment.objects.get(source=EnrolmentSource.AUTO)
    # when the registry records the death on 10 September and October is run on 15 October
    registry.person_record_death(actor=users["bureau"], person=crafted.old, death_date=dt.date(2025, 9, 10))
    run = monitor_run_month(actor="test", month="2025-10", today=dt.date(2025, 10, 15))
    # then the allowance stops from October (last month September); October was never paid by the
    # payments ledger, so it is not a debt (no phantom receivable)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TERMINATED
    assert (enrolment.status_effective_month, enrolment.end_month) == ("2025-10", "2025-09")
    assert not OverpaymentCase.objects.filter(enrolment=enrolment).exists()
    assert run.counts["death_stops"] == 1 and run.counts["overpayment_cases"] == 0
    assert DeathStop.objects.get().person == crafted.old
    assert not ExitReview.objects.filter(enrolment=enrolment).exists()
    # and running October again changes nothing
    again = monitor_run_month(actor="test", month="2025-10", today=dt.date(2025, 10, 15))
    assert again.counts["death_stops"] == 0 and OverpaymentCase.objects.count() == 0


def test_one_run_reaches_the_fixed_point_when_someone_it_enrols_has_since_died(crafted, users):
    # given the 71-year-old, eligible in August, died on 10 September, recorded before August is run
    registry.person_record_death(actor=users["bureau"], person=crafted.old, death_date=dt.date(2025, 9, 10))
    # when August is run in October
    first = monitor_run_month(actor="test", month=MONTH, today=dt.date(2025, 10, 15))
    # then the same run enrols him for August and stops him from October
    enrolment = Enrolment.objects.get(source=EnrolmentSource.AUTO)
    assert enrolment.status == EnrolmentStatus.TERMINATED and enrolment.end_month == "2025-09"
    assert first.counts["auto_enrolments"] == 1 and first.counts["death_stops"] == 1
    # and a second run creates nothing
    second = monitor_run_month(actor="test", month=MONTH, today=dt.date(2025, 10, 15))
    assert all(v == 0 for v in second.counts.values()), second.counts


def test_moving_out_stops_an_automatic_enrolment(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    feed_event(crafted.old, "moved_out", dt.date(2025, 9, 2), destination_code="320500")
    run = monitor_run_month(actor="test", month="2025-09", today=dt.date(2025, 9, 20))
    enrolment = Enrolment.objects.get(source=EnrolmentSource.AUTO)
    assert enrolment.status == EnrolmentStatus.TERMINATED and enrolment.status_effective_month == "2025-10"
    assert "迁出本区" in enrolment.status_reason and run.counts["moved_out_stops"] == 1


def test_death_of_an_earner_opens_an_urgent_task(crafted, users):
    registry.person_record_death(actor=users["bureau"], person=crafted.earner, death_date=dt.date(2025, 8, 10))
    feed_event(crafted.earner, "death", dt.date(2025, 8, 10))
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    task = FollowUpTask.objects.get(kind="earner_death")
    assert task.household == crafted.h_earner and task.due_on == dt.date(2025, 8, 25)


def test_overdue_leads_escalate_to_the_street(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    lead = Lead.objects.get(program="dibao", household=crafted.h_poor)
    assert monitor_escalate(actor="test", today=lead.due_on)["escalated_leads"] == 0
    result = monitor_escalate(actor="test", today=lead.due_on + dt.timedelta(days=1))
    lead.refresh_from_db()
    assert lead.escalated and lead.escalated_on == lead.due_on + dt.timedelta(days=1)
    assert result["escalated_leads"] == Lead.objects.count()
    assert monitor_escalate(actor="test", today=lead.due_on + dt.timedelta(days=2))["escalated_leads"] == 0


def test_a_deadline_in_an_unrecorded_holiday_year_is_left_open(crafted):
    monitor_run_month(actor="test", month=MONTH, today=dt.date(2026, 12, 28))
    lead = Lead.objects.filter(program="dibao").first()
    assert lead.due_on is None and "2027年节假日安排尚未录入" in lead.deadline_note


def test_command_prints_json_counts(crafted):
    out = io.StringIO()
    call_command("monitor_run", "--month", MONTH, "--today", "2025-08-20", stdout=out, stderr=io.StringIO())
    printed = json.loads(out.getvalue())
    assert printed["created"]["leads"] == Lead.objects.count() and MonitorRun.objects.count() == 1
