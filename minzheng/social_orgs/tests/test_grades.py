"""Evaluation grades (ADR 0041): REFERENCE § 13's eligibility and its edges, the
experts' scores and the committee's grade, five years of validity, the graded
share and expiry lists, the reward (免申即享) with 参数缺失 until a cited value
exists, and its payment through the payments app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.errors import StateConflict
from minzheng.core.models import Division
from minzheng.core.scope import OutOfScope
from minzheng.social_orgs import grade_selectors, grades
from minzheng.social_orgs.grade_models import (
    ApplicationStatus,
    Exclusion,
    GradeReward,
    OrganizationGrade,
    RewardStatus,
    SanctionKind,
)
from minzheng.social_orgs.models import (
    AnnualReport,
    Conclusion,
    PartyBuildingCheck,
    PartyStage,
    ReportStatus,
)

TODAY = dt.date(2026, 6, 30)
ROUND_YEAR = 2026


def report(org, year: int, conclusion: str = Conclusion.QUALIFIED) -> AnnualReport:
    return AnnualReport.objects.create(
        organization=org, year=year, income_fen=1, expense_fen=1, net_assets_fen=1, activities=1,
        activities_summary="活动", staff=1, volunteers=0, party_status="none", party_members=0,
        filed_on=dt.date(year + 1, 3, 1), filed_by="test", status=ReportStatus.REVIEWED if conclusion else "filed",
        conclusion=conclusion, reviewed_on=dt.date(year + 1, 4, 1) if conclusion else None)


def codes(found: list[dict]) -> list[str]:
    return [e["code"] for e in found]


@pytest.fixture
def round_(users):
    return grades.round_open(actor=users["bureau"], year=ROUND_YEAR, opens_on=dt.date(2026, 3, 1),
                             closes_on=dt.date(2026, 9, 30), note="松民〔2026〕1号", today=TODAY)


@pytest.fixture
def clean(orgs):
    """Organization a with two qualified inspections (2024, 2025): eligible."""
    report(orgs["a"], 2024)
    report(orgs["a"], 2025)
    return orgs["a"]


def test_dates_of_a_grade_five_years_valid_through_the_day_before_the_anniversary():
    assert grades.years_after(dt.date(2022, 6, 3), 2) == dt.date(2024, 6, 3)
    assert grades.years_after(dt.date(2024, 2, 29), 2) == dt.date(2026, 3, 1)
    assert grades.grade_valid_until(dt.date(2021, 6, 1)) == dt.date(2026, 5, 31)
    assert grades.grade_valid_until(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)


def test_two_full_years_exactly_is_eligible_one_day_short_is_not(clean):
    clean.registered_on = dt.date(2024, 4, 10)  # due for 2025 (registered before 2025 began)
    clean.save()
    assert grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 4, 10)) == []
    short = grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 4, 9))
    assert codes(short) == [Exclusion.TOO_YOUNG]
    assert short[0]["evidence"] == "成立登记日期2024-04-10，2026-04-10起满两年，申报日期2026-04-09"


def test_missed_or_unqualified_last_inspection_excludes(orgs):
    org = orgs["a"]
    report(org, 2024)
    found = grades.eligibility(org, year=ROUND_YEAR, on=dt.date(2026, 5, 1))
    assert codes(found) == [Exclusion.MISSED_INSPECTION] and "2025年度" in found[0]["evidence"]
    report(org, 2025, Conclusion.UNQUALIFIED)
    assert codes(grades.eligibility(org, year=ROUND_YEAR, on=dt.date(2026, 5, 1))) == [Exclusion.UNQUALIFIED]


def test_filed_but_not_yet_reviewed_is_not_an_exclusion(orgs):
    report(orgs["a"], 2024)
    report(orgs["a"], 2025, conclusion="")
    assert grades.eligibility(orgs["a"], year=ROUND_YEAR, on=dt.date(2026, 5, 1)) == []


def test_two_consecutive_basic_exclude_one_does_not(orgs):
    a, b = orgs["a"], orgs["b"]
    report(a, 2024, Conclusion.BASIC)
    report(a, 2025, Conclusion.BASIC)
    report(b, 2024, Conclusion.QUALIFIED)
    report(b, 2025, Conclusion.BASIC)
    found = grades.eligibility(a, year=ROUND_YEAR, on=dt.date(2026, 5, 1))
    assert codes(found) == [Exclusion.BASIC_TWICE] and found[0]["evidence"] == "2024年度、2025年度年检结论均为基本合格"
    assert grades.eligibility(b, year=ROUND_YEAR, on=dt.date(2026, 5, 1)) == []


def test_penalty_or_investigation_running_on_the_day_excludes(users, clean):
    bureau = users["bureau"]
    penalty = grades.sanction_record(actor=bureau, organization=clean, kind=SanctionKind.PENALTY,
                                     started_on=dt.date(2026, 1, 5), ended_on=dt.date(2026, 4, 30),
                                     document="松民罚〔2026〕3号", description="未按规定报送重大事项", today=TODAY)
    on_last_day = grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 4, 30))
    assert codes(on_last_day) == [Exclusion.PENALTY] and "松民罚〔2026〕3号" in on_last_day[0]["evidence"]
    assert grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 5, 1)) == []
    assert grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 1, 4)) == []
    investigation = grades.sanction_record(actor=bureau, organization=clean, kind=SanctionKind.INVESTIGATION,
                                           started_on=dt.date(2026, 5, 10), ended_on=None, document="松民立〔2026〕1号",
                                           description="涉嫌违规收费", today=TODAY)
    assert codes(grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 6, 1))) == [Exclusion.INVESTIGATION]
    grades.sanction_end(actor=bureau, sanction=investigation, ended_on=dt.date(2026, 6, 1), today=TODAY)
    assert grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 6, 2)) == []
    with pytest.raises(StateConflict):
        grades.sanction_end(actor=bureau, sanction=investigation, ended_on=dt.date(2026, 6, 3), today=TODAY)
    with pytest.raises(ValidationError, match="文号"):
        grades.sanction_record(actor=bureau, organization=clean, kind=SanctionKind.PENALTY,
                               started_on=dt.date(2026, 1, 5), ended_on=None, document=" ", description="x",
                               today=TODAY)
    assert penalty.pk


def test_not_in_business_is_excluded(users, clean):
    from minzheng.social_orgs.services import organization_status_set

    organization_status_set(actor=users["bureau"], organization=clean, status="deregistered",
                            on=dt.date(2026, 2, 1), reason="清算完毕", today=TODAY)
    assert Exclusion.NOT_IN_BUSINESS in codes(grades.eligibility(clean, year=ROUND_YEAR, on=dt.date(2026, 5, 1)))


def test_application_kept_with_reasons_once_per_round_inside_the_window(users, orgs, clean, round_):
    bureau = users["bureau"]
    excluded = grades.application_submit(actor=bureau, organization=orgs["b"], round=round_,
                                         applied_on=dt.date(2026, 5, 1), today=TODAY)
    assert excluded.status == ApplicationStatus.EXCLUDED
    assert [e["label"] for e in excluded.exclusions] == ["未参加上一年度年检"]
    ok = grades.application_submit(actor=bureau, organization=clean, round=round_, applied_on=dt.date(2026, 5, 1),
                                   today=TODAY)
    assert ok.status == ApplicationStatus.ELIGIBLE and ok.exclusions == []
    with pytest.raises(StateConflict, match="已申报"):
        grades.application_submit(actor=bureau, organization=clean, round=round_, applied_on=dt.date(2026, 5, 2),
                                  today=TODAY)
    with pytest.raises(ValidationError, match="申报期"):
        grades.application_submit(actor=bureau, organization=orgs["b"], round=round_,
                                  applied_on=dt.date(2026, 2, 28), today=TODAY)
    with pytest.raises(StateConflict):
        grades.score_record(actor=bureau, application=excluded, expert="张专家", score=800,
                            scored_on=dt.date(2026, 6, 1), today=TODAY)
    with pytest.raises(StateConflict):
        grades.round_open(actor=bureau, year=ROUND_YEAR, opens_on=dt.date(2026, 3, 1),
                          closes_on=dt.date(2026, 9, 30), today=TODAY)


def _graded(users, org, round_, grade="4a", on=dt.date(2026, 6, 20)):
    bureau = users["bureau"]
    application = grades.application_submit(actor=bureau, organization=org, round=round_,
                                            applied_on=dt.date(2026, 5, 1), today=TODAY)
    for expert, score in (("张专家", 812), ("李专家", 790), ("王专家", 805)):
        grades.score_record(actor=bureau, application=application, expert=expert, score=score,
                            scored_on=dt.date(2026, 6, 10), today=TODAY)
    return grades.application_decide(actor=bureau, application=application, grade=grade, decided_on=on,
                                     basis="评估委员会2026年第2次会议审定", party_status="joint", today=TODAY)


def test_scores_then_committee_grade_confirmed_five_years_with_party_check(users, clean, round_):
    bureau = users["bureau"]
    application = grades.application_submit(actor=bureau, organization=clean, round=round_,
                                            applied_on=dt.date(2026, 5, 1), today=TODAY)
    with pytest.raises(ValidationError, match="专家评分"):
        grades.application_decide(actor=bureau, application=application, grade="4a", decided_on=dt.date(2026, 6, 20),
                                  basis="审定", party_status="joint", today=TODAY)
    for bad in (1001, -1, True):
        with pytest.raises(ValidationError, match="0至1000"):
            grades.score_record(actor=bureau, application=application, expert="张专家", score=bad,
                                scored_on=dt.date(2026, 6, 10), today=TODAY)
    grades.score_record(actor=bureau, application=application, expert="张专家", score=1000,
                        scored_on=dt.date(2026, 6, 10), today=TODAY)
    with pytest.raises(StateConflict, match="已对该申报评分"):
        grades.score_record(actor=bureau, application=application, expert="张专家", score=900,
                            scored_on=dt.date(2026, 6, 10), today=TODAY)
    with pytest.raises(ValidationError, match="5A级至1A级"):
        grades.application_decide(actor=bureau, application=application, grade="6a", decided_on=dt.date(2026, 6, 20),
                                  basis="审定", party_status="joint", today=TODAY)
    with pytest.raises(ValidationError, match="过早"):  # before the experts scored
        grades.application_decide(actor=bureau, application=application, grade="4a", decided_on=dt.date(2026, 6, 9),
                                  basis="审定", party_status="joint", today=TODAY)
    decided = grades.application_decide(actor=bureau, application=application, grade="4a",
                                        decided_on=dt.date(2026, 6, 20), basis="评估委员会审定", party_status="joint",
                                        today=TODAY)
    assert decided.status == ApplicationStatus.GRADED
    confirmed = OrganizationGrade.objects.get(organization=clean)
    assert (confirmed.grade, confirmed.valid_from, confirmed.valid_until) == ("4a", dt.date(2026, 6, 20),
                                                                               dt.date(2031, 6, 19))
    assert PartyBuildingCheck.objects.filter(organization=clean, stage=PartyStage.EVALUATION,
                                             checked_on=dt.date(2026, 6, 20)).exists()
    assert grade_selectors.current_grade(clean, dt.date(2031, 6, 19)) == confirmed
    assert grade_selectors.current_grade(clean, dt.date(2031, 6, 20)) is None
    with pytest.raises(StateConflict):
        grades.application_decide(actor=bureau, application=decided, grade="5a", decided_on=dt.date(2026, 6, 20),
                                  basis="审定", party_status="joint", today=TODAY)


def test_not_graded_decision_gives_no_grade_and_no_reward(users, clean, round_):
    decided = _graded(users, clean, round_, grade="")
    assert decided.status == ApplicationStatus.NOT_GRADED
    assert not OrganizationGrade.objects.exists() and not GradeReward.objects.exists()


def test_a_new_grade_ends_the_earlier_one(users, clean, round_):
    old = grades.grade_confirm(actor="demo-setup", organization=clean, grade="2a", valid_from=dt.date(2022, 1, 10),
                               basis="2021年度评估")
    _graded(users, clean, round_, grade="4a")
    old.refresh_from_db()
    assert old.superseded_on == dt.date(2026, 6, 19)
    assert grade_selectors.current_grade(clean, dt.date(2026, 6, 19)).grade == "2a"
    assert grade_selectors.current_grade(clean, dt.date(2026, 6, 20)).grade == "4a"
    assert list(grade_selectors.expiring(users["bureau"], dt.date(2026, 6, 20), 3650)) == [
        OrganizationGrade.objects.get(grade="4a")]


def test_expiry_lists_and_graded_share(users, orgs):
    a, b = orgs["a"], orgs["b"]
    ga = grades.grade_confirm(actor="demo-setup", organization=a, grade="3a", valid_from=dt.date(2021, 7, 1),
                              basis="2021年度评估")  # valid through 2026-06-30
    bureau = users["bureau"]
    assert list(grade_selectors.expiring(bureau, dt.date(2026, 6, 30), 0)) == [ga]   # its last day
    assert list(grade_selectors.expiring(bureau, dt.date(2026, 6, 1), 28)) == []     # 29 days away
    assert list(grade_selectors.expiring(bureau, dt.date(2026, 6, 1), 29)) == [ga]
    assert list(grade_selectors.expired(bureau, dt.date(2026, 6, 30))) == []
    assert list(grade_selectors.expired(bureau, dt.date(2026, 7, 1))) == [ga]
    share = grade_selectors.graded_share(bureau, dt.date(2026, 6, 30))
    assert (share[0].in_business, share[0].graded, share[0].percent) == (2, 1, "50.0%")
    by_kind = {r.label: (r.in_business, r.graded) for r in share[1:]}
    assert by_kind == {"社会团体": (1, 0), "社会服务机构": (1, 1), "基金会": (0, 0)}
    assert grade_selectors.graded_share(bureau, dt.date(2026, 7, 1))[0].graded == 0
    assert b.pk


def test_reward_is_parameter_missing_until_a_cited_value_then_paid_through_payments(users, clean, round_):
    from minzheng.payments.models import OneOffPayment, OneOffStatus

    bureau = users["bureau"]
    clean.committee = Division.objects.get(code="310117001001")
    clean.street = clean.committee.parent
    clean.save()
    _graded(users, clean, round_, grade="4a", on=dt.date(2026, 6, 20))
    reward = GradeReward.objects.get()
    assert (reward.status, reward.amount_fen) == (RewardStatus.MISSING, None)
    assert reward.get_status_display() == "参数缺失"
    assert "参数缺失：等级评估奖励金额未录入" in grades.missing_reason(reward)
    with pytest.raises(StateConflict, match="参数缺失：等级评估奖励金额未录入"):
        grades.reward_payment_request(actor=bureau, reward=reward, bank_name="农业银行",
                                      account_number="6228480012345678901")
    with pytest.raises(ValidationError, match="文号"):
        grades.reward_parameter_enter(actor=bureau, grade="4a", effective_from=dt.date(2026, 1, 1),
                                      amount_fen=5_000_000, document_name="扶持办法", document_number="",
                                      today=TODAY)
    # a value for another grade, or in force only after the confirmation day, leaves it waiting
    grades.reward_parameter_enter(actor=bureau, grade="5a", effective_from=dt.date(2026, 1, 1), amount_fen=8_000_000,
                                  document_name="松江区促进社会组织高质量发展扶持办法", document_number="松民规〔2023〕1号",
                                  today=TODAY)
    grades.reward_parameter_enter(actor=bureau, grade="4a", effective_from=dt.date(2026, 6, 21),
                                  amount_fen=6_000_000, document_name="松江区促进社会组织高质量发展扶持办法",
                                  document_number="松民规〔2026〕2号", today=TODAY)
    reward.refresh_from_db()
    assert reward.status == RewardStatus.MISSING
    grades.reward_parameter_enter(actor=bureau, grade="4a", effective_from=dt.date(2026, 6, 20),
                                  amount_fen=5_000_000, document_name="松江区促进社会组织高质量发展扶持办法",
                                  document_number="松民规〔2023〕1号", today=TODAY)
    reward.refresh_from_db()
    assert (reward.status, reward.amount_fen, reward.parameter.document_number) == (
        RewardStatus.COMPUTED, 5_000_000, "松民规〔2023〕1号")
    paid = grades.reward_payment_request(actor=bureau, reward=reward, bank_name="农业银行",
                                         account_number="6228480012345678901")
    assert paid.status == RewardStatus.REQUESTED and paid.payment_reference == f"social_orgs.GradeReward:{reward.pk}"
    again = grades.reward_payment_request(actor=bureau, reward=reward, bank_name="农业银行",
                                          account_number="6228480012345678901")
    assert again.payment_reference == paid.payment_reference and OneOffPayment.objects.count() == 1
    payment = OneOffPayment.objects.get()
    assert (payment.program, payment.amount_fen, payment.status, payment.payee_organisation.uscc) == (
        grades.PAYMENT_PROGRAM, 5_000_000, OneOffStatus.QUEUED, clean.uscc)
    assert payment.committee_id == clean.committee_id


def test_reward_without_committee_cannot_be_paid(users, clean, round_):
    _graded(users, clean, round_)
    grades.reward_parameter_enter(actor=users["bureau"], grade="4a", effective_from=dt.date(2020, 1, 1),
                                  amount_fen=100, document_name="办法", document_number="1号", today=TODAY)
    with pytest.raises(ValidationError, match="所在居村委"):
        grades.reward_payment_request(actor=users["bureau"], reward=GradeReward.objects.get(),
                                      bank_name="农业银行", account_number="6228480012345678901")


def test_organization_account_applies_for_itself_and_sees_only_its_own(users, orgs, org_users, clean, round_):
    from django.core.exceptions import PermissionDenied

    a, b = org_users["a"], org_users["b"]
    mine = grades.application_submit(actor=a, organization=orgs["a"], round=round_, applied_on=dt.date(2026, 5, 1),
                                     today=TODAY)
    with pytest.raises(OutOfScope):
        grades.application_submit(actor=a, organization=orgs["b"], round=round_, applied_on=dt.date(2026, 5, 1),
                                  today=TODAY)
    assert grade_selectors.application_get(a, mine.pk) == mine
    with pytest.raises(OutOfScope):
        grade_selectors.application_get(b, mine.pk)
    assert list(grade_selectors.applications_visible(b)) == []
    assert list(grade_selectors.applications_visible(users["street"])) == []
    with pytest.raises(PermissionDenied):
        grades.score_record(actor=a, application=mine, expert="张专家", score=900, scored_on=dt.date(2026, 6, 1),
                            today=TODAY)
    with pytest.raises(PermissionDenied):
        grades.reward_parameter_enter(actor=users["auditor"], grade="4a", effective_from=dt.date(2026, 1, 1),
                                      amount_fen=100, document_name="办法", document_number="1号", today=TODAY)
