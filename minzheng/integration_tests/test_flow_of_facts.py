"""One flow of facts (issue 8): a department feed → the household economic
verification → the registry's dated facts → the monthly batch → a lead →
an application with its public notice → enrolment → a payment line; and the
reverse: income rises → verification → the batch finds the household no
longer eligible → an exit review → no payment line after the exit month.

The household: 王志强 (employed, declared 8,000 yuan a month at registration)
and his wife 刘芳 (no income), in 谷阳居委会 since 2020. The human-resources
bureau reports his contract ended on 31 December 2024 and his wages for
September–December 2024; every other department replies "no record".
"""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.casework import services as casework
from minzheng.casework.models import Enrolment, EnrolmentStatus, Status
from minzheng.casework.tests.conftest import approver_for
from minzheng.eligibility.models import Decision
from minzheng.eligibility.selectors import current_run, run_decisions
from minzheng.eligibility.services import decision_run_month
from minzheng.feeds.models import EventKind, FeedEvent
from minzheng.monitoring.models import ExitReview, Lead
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.services import exit_review_resolve
from minzheng.payments.accounts import accounts_synthesise
from minzheng.payments.batches import batch_run
from minzheng.payments.models import PaymentLine
from minzheng.registry import services as registry
from minzheng.registry.columnar import registry_columns
from minzheng.registry.models import FactOrigin
from minzheng.registry.selectors import assets_in_force, income_in_force
from minzheng.verification.models import Outcome
from minzheng.verification.tests.conftest import feed
from minzheng.verification.tests.flows import accepted_verification
from policy import dibao_line_fen

pytestmark = pytest.mark.django_db(transaction=False)

D = dt.date
SINCE = D(2020, 1, 1)


def _months(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y}-{m:02d}" <= last:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@pytest.fixture
def family(users, make_person):
    head = make_person("王志强", D(1980, 3, 1), employment="employed", monthly_income_fen=800_000)
    wife = make_person("刘芳", D(1982, 5, 1), male=False)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳北路18号",
                                          start_date=SINCE)
    registry.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶",
                                  start_date=SINCE)
    return household, head, wife


def _wages(users, head, months: list[str], yuan: str, filename: str) -> None:
    from minzheng.core.personal_data import decrypt

    number = decrypt(head.id_number_enc)
    feed(users, "hrss_wages", [{"id_number": number, "name": head.name, "month": m, "employer": "松江某制造厂",
                                "amount": yuan} for m in months], filename=filename)


def _dibao(household, month: str) -> Decision:
    run = current_run(month)
    assert run is not None, f"no current policy run for {month}"
    return run_decisions(run).get(household_id=household.pk, person_id__isnull=True, program="dibao")


def _job_lost_and_verified(users, family):
    household, head, _ = family
    from minzheng.core.personal_data import decrypt

    feed(users, "hrss_employment", [{"id_number": decrypt(head.id_number_enc), "name": head.name,
                                     "employer": "松江某制造厂", "start_date": "2018-03-01",
                                     "end_date": "2024-12-31", "end_reason": "单位关停"}], filename="employment.csv")
    # the street records the job loss in the registry (就业状况 失业): since the rules revision 2026-11-30
    # an employed member's wages are counted less the earned-income disregard (REFERENCE §1), and this
    # story is about a man out of work, whose last wages count in full
    registry.person_update(actor=users["street"], person=head, employment="unemployed")
    _wages(users, head, _months("2024-09", "2024-12"), "8000.00", "wages-2024.csv")
    return accepted_verification(users, household, as_of=D(2025, 9, 2), computed_by="committee")


def test_a_job_loss_flows_from_the_feed_to_a_payment_line(users, family):
    household, head, wife = family
    # given the feed shows the job loss, and the verification of 2 September 2025 is accepted
    result = _job_lost_and_verified(users, family)
    assert FeedEvent.objects.filter(kind=EventKind.JOB_LOSS, person=head).exists()
    assert result.outcome == Outcome.BELOW_DIBAO and not result.missing_replies
    assert result.monthly_income_fen == 266_667  # 4 × 8,000 ÷ 12, half up
    income = income_in_force(head, D(2025, 9, 2))
    assert (income.origin, income.evidence_kind, income.evidence_id) == (
        FactOrigin.VERIFIED, "verification_result", str(result.pk))
    assert income.earned_fen + income.pension_fen + income.other_fen == 266_667
    assert assets_in_force(household, D(2025, 9, 2)).origin == FactOrigin.VERIFIED
    # the declared 8,000 yuan stays as history, and still holds for September (facts on the 1st)
    assert income_in_force(head, D(2025, 9, 1)).origin == FactOrigin.DECLARED

    # when the September batch runs, the household is not yet eligible (the change is dated the 2nd)
    decision_run_month(actor="test", month="2025-09")
    assert not _dibao(household, "2025-09").eligible
    # and the October monitoring run finds it eligible and opens a lead (政策找人)
    monitor_run_month(actor="test", month="2025-10", today=D(2025, 10, 9))
    assert _dibao(household, "2025-10").eligible
    lead = Lead.objects.get(household=household, program="dibao", month="2025-10")
    expected = _dibao(household, "2025-10").amount_fen  # the engine's rounding of line − income
    assert 0 < dibao_line_fen("2025-10", 2) - 266_667 - expected < 100 and lead.amount_fen == expected

    # then an application, linked to the accepted verification, posts a notice with the verified amount
    application = casework.application_create(actor=users["committee"], household=household, applicant=head,
                                              program="dibao", note="失业后家庭收入下降", applied_on=D(2025, 10, 10))
    casework.application_accept(actor=users["street"], application=application, on=D(2025, 10, 11))
    with pytest.raises(Exception, match="不是本户已认定"):
        casework.application_verify(actor=users["street"], application=application,
                                    verification_reference="随便写的编号123", on=D(2025, 10, 13))
    casework.application_verify(actor=users["street"], application=application,
                                verification_reference=result.request.reference, on=D(2025, 10, 13))
    application.refresh_from_db()
    assert application.verification_result_id == result.pk
    casework.application_visit(actor=users["committee"], application=application, visited_on=D(2025, 10, 14),
                               visitors="王芳、陈刚", findings="夫妻二人无收入，情况属实", on=D(2025, 10, 14))
    casework.application_street_review(actor=users["street"], application=application, agree=True,
                                       reasons="符合条件", on=D(2025, 10, 15))
    notice = casework.application_post_notice(actor=users["street"], application=application, on=D(2025, 10, 16))
    assert notice.proposed_amount_fen == expected  # the standard is the same in November
    approver = approver_for(users, "dibao")
    casework.application_approve(actor=approver, application=application, agree=True, reasons="公示无异议",
                                 on=D(2025, 10, 24))
    casework.application_decide(actor=approver, application=application, on=D(2025, 10, 27))
    application.refresh_from_db()
    assert application.status == Status.ENROLLED
    enrolment = Enrolment.objects.get(household=household, program="dibao")

    # and the month's payment batch pays the household the decided amount
    decision_run_month(actor="test", month=enrolment.start_month)
    accounts_synthesise(actor="test", seed="flow")
    batch = batch_run(actor=users["bureau"], program="dibao", month=enrolment.start_month).batch
    line = PaymentLine.objects.get(batch=batch, household_id=household.pk)
    assert line.amount_fen == _dibao(household, enrolment.start_month).amount_fen == expected


def test_a_rise_in_income_ends_the_payments_after_the_exit_month(users, family):
    household, head, _ = family
    # given the household enrolled in dibao from November 2025 on the verified job loss
    result = _job_lost_and_verified(users, family)
    enrolment = Enrolment.objects.create(
        program="dibao", household=household, street_id=household.street_id, committee_id=household.committee_id,
        start_month="2025-11", source="application", monthly_amount_fen=dibao_line_fen("2025-11", 2) - 266_667)
    assert result.outcome == Outcome.BELOW_DIBAO
    decision_run_month(actor="test", month="2025-11")
    assert _dibao(household, "2025-11").eligible
    # when a new job from October 2025 shows in the wages, the street records him employed again, and a new
    # verification is accepted on 6 January 2026 (wages 20,000 rather than 15,000 since the rules revision
    # 2026-11-30: an employed member's wages count less the 870-yuan disregard, REFERENCE §1)
    registry.person_update(actor=users["street"], person=head, employment="employed")
    _wages(users, head, _months("2025-10", "2025-12"), "20000.00", "wages-2025.csv")
    again = accepted_verification(users, household, as_of=D(2026, 1, 6), computed_by="committee")
    assert again.outcome == Outcome.BELOW_LOW_INCOME  # 3 × 20,000 ÷ 12 − 870 for two: above the dibao line
    assert income_in_force(head, D(2026, 2, 1)).evidence_id == str(again.pk)
    # then the February monitoring run finds the household no longer eligible and opens an exit review
    monitor_run_month(actor="test", month="2026-02", today=D(2026, 2, 10))
    assert not _dibao(household, "2026-02").eligible
    review = ExitReview.objects.get(enrolment=enrolment, status="open")
    # and the street ends the benefit from March
    exit_review_resolve(actor=users["street"], review=review, exit_benefit=True,
                        resolution="已再就业，家庭收入超过低保标准", effective_month="2026-03", on=D(2026, 2, 12))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TERMINATED and enrolment.end_month == "2026-02"
    # so February is still paid and March is not
    accounts_synthesise(actor="test", seed="flow")
    decision_run_month(actor="test", month="2026-03")
    february = batch_run(actor=users["bureau"], program="dibao", month="2026-02").batch
    march = batch_run(actor=users["bureau"], program="dibao", month="2026-03").batch
    assert PaymentLine.objects.filter(batch=february, household_id=household.pk).exists()
    assert not PaymentLine.objects.filter(batch=march, household_id=household.pk).exists()


def test_facts_count_from_the_first_of_the_month(users, family):
    household, head, _ = family
    # given a verified change of income dated 2 March 2025
    registry.person_income_record(actor=users["street"], person=head, valid_from=D(2025, 3, 2), earned_fen=0,
                                  pension_fen=0, other_fen=0, origin=FactOrigin.VERIFIED,
                                  evidence_kind="verification_result", evidence_id="1",
                                  evidence_label="核对编号 HD2025-000001")
    # then March is read with the old figure and April with the new one (members' income on the 1st)
    march = registry_columns(D(2025, 3, 1), household_ids=[household.pk])
    april = registry_columns(D(2025, 4, 1), household_ids=[household.pk])
    assert march.household_income_fen().tolist() == [800_000]
    assert april.household_income_fen().tolist() == [0]
    # and a change dated the 1st counts in its own month
    registry.household_assets_record(actor=users["street"], household=household, valid_from=D(2025, 4, 1),
                                     monetary_assets_fen=9_000_000, private_cars=1, homes=2,
                                     medical_oop_12m_fen=0)
    april = registry_columns(D(2025, 4, 1), household_ids=[household.pk])
    assert (april.monetary_assets_fen.tolist(), april.private_cars.tolist()) == ([9_000_000], [1])


def test_a_household_without_facts_is_not_evaluated(users, family, make_person):
    household, _, _ = family
    # given a person who joins with no income fact in force on the 1st (registered later, recorded with a date)
    late = make_person("周新", D(1990, 1, 1))
    late.income_facts.all().delete()  # as if the registry had no income fact at all for this person
    registry.household_add_member(actor=users["bureau"], household=household, person=late, relation="其他",
                                  start_date=SINCE)
    cols = registry_columns(D(2025, 9, 1), household_ids=[household.pk])
    assert cols.facts_missing.tolist() == [True]
    # when the batch runs, the household gets no decision rather than a guess
    run = decision_run_month(actor="test", month="2025-09")
    assert run.households_facts_missing == 1
    assert not run_decisions(run).filter(household_id=household.pk).exists()


def test_casework_does_not_evaluate_a_household_without_facts(users, family, make_person):
    from minzheng.casework.amounts import engine_outcome

    household, head, _ = family
    late = make_person("吴缺", D(1991, 1, 1))
    late.income_facts.all().delete()  # as if nothing were known of this member's income
    registry.household_add_member(actor=users["bureau"], household=household, person=late, relation="其他",
                                  start_date=SINCE)
    outcome = engine_outcome(household=household, program="dibao", person=None, month="2025-09")
    assert outcome.eligible is None and outcome.amount_fen is None
    assert "收入或财产在人口库中没有记录" in outcome.note
