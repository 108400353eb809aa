"""Support funds (ADR 0043): the call's terms, applying (status, window, maximum, one per
organization, own organization only), scoring (mean of reviewers), awards (≤ requested,
≤ budget), refusals with reasons, payment through the payments app in two instalments,
the final report and its review, and the yearly figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry, Role
from minzheng.core.scope import OutOfScope
from minzheng.core.services import user_create
from minzheng.payments.models import OneOffPayment, OneOffStatus, PayeeOrganisation
from minzheng.payments.services import (
    batch_approve,
    batch_export,
    batch_review,
    one_off_batch_create,
    return_file_for,
    returns_import,
)
from minzheng.social_orgs import services, support_funds
from minzheng.social_orgs.models import ApplicationStatus
from minzheng.social_orgs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
CRITERIA = [("项目需求与目标", 30), ("实施方案", 40), ("预算合理性", 30)]
ACCOUNT = {"bank_name": "上海农商银行松江支行", "account_number": "6228480012345678901"}


def make_call(users, **extra):
    values = {"kind": "venture", "year": 2024, "title": "2024年松江区公益创投大赛", "basis": "《松江区促进社会组织高质量发展扶持办法》",
              "budget_fen": 100_000_00, "max_per_project_fen": 50_000_00, "opens_on": dt.date(2024, 5, 1),
              "closes_on": TODAY, "first_instalment_percent": 70, "criteria": CRITERIA, "today": TODAY}
    values.update(extra)
    return support_funds.call_create(actor=users["bureau"], **values)


def apply(actor, call, org, amount=40_000_00, **extra):
    return support_funds.application_file(actor=actor, call=call, organization=org, project_name=extra.pop(
        "project_name", "银龄互助"), summary="为独居老人提供上门探访", requested_fen=amount,
        today=extra.pop("today", TODAY), **extra)


def sheet(users, application, reviewer, points):
    criteria = list(application.call.criteria.all())
    return support_funds.score_sheet_record(actor=users["bureau"], application=application, reviewer=reviewer,
                                            points={c.pk: p for c, p in zip(criteria, points, strict=True)})


@pytest.fixture
def placed(users, orgs, district):
    """Both organizations have a committee (a payment is booked to its place)."""
    from minzheng.core.models import Division

    committee = Division.objects.get(code="310117001001")
    for org in orgs.values():
        services.organization_update(actor=users["bureau"], organization=org, changed_on=TODAY, reason="补录",
                                     today=TODAY, committee=committee)
    return orgs


def test_call_terms_are_checked(users):
    with pytest.raises(ValidationError, match="合计应为100分，现为99分"):
        make_call(users, criteria=[("需求", 49), ("方案", 50)])
    with pytest.raises(ValidationError, match="不能重复"):
        make_call(users, criteria=[("需求", 50), ("需求", 50)])
    with pytest.raises(ValidationError, match="不能超过资金总额"):
        make_call(users, max_per_project_fen=100_000_01)
    with pytest.raises(ValidationError, match="截止日期不能早于"):
        make_call(users, closes_on=dt.date(2024, 4, 30))
    with pytest.raises(ValidationError, match="请填写依据"):
        make_call(users, basis=" ")
    with pytest.raises(ValidationError, match="拨付比例"):
        make_call(users, first_instalment_percent=0)
    call = make_call(users, max_per_project_fen=100_000_00)  # exactly the budget is allowed
    assert [(c.name, c.weight) for c in call.criteria.all()] == CRITERIA
    with pytest.raises(ValidationError, match="已有名为"):
        make_call(users)
    assert AuditEntry.objects.filter(action="social_orgs.fund_call_create").count() == 1


def test_street_staff_cannot_publish(users):
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        make_call(users | {"bureau": users["street"]})


def test_applying_rules(users, orgs, org_users):
    call = make_call(users)
    with pytest.raises(ValidationError, match="应在0.01元至50000.00元之间"):
        apply(org_users["a"], call, orgs["a"], amount=50_000_01)
    with pytest.raises(ValidationError, match="不在申报期内"):
        apply(org_users["a"], call, orgs["a"], today=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不在申报期内"):
        apply(org_users["a"], call, orgs["a"], today=dt.date(2024, 4, 30))
    first = apply(org_users["a"], call, orgs["a"], amount=50_000_00, today=dt.date(2024, 5, 1))  # both edges
    assert first.filed_by == "org-a" and first.status == ApplicationStatus.SUBMITTED
    with pytest.raises(ValidationError, match="限报一个项目"):
        apply(org_users["a"], call, orgs["a"], project_name="第二个项目")
    with pytest.raises(OutOfScope):
        apply(org_users["a"], call, orgs["b"])  # another organization: 404
    services.organization_status_set(actor=users["bureau"], organization=orgs["b"], status="deregistered",
                                     on=TODAY, reason="清算完毕", today=TODAY)
    with pytest.raises(ValidationError, match="只有正常登记的社会组织可以申报"):
        apply(users["bureau"], call, orgs["b"])
    several = make_call(users, title="2024年专业支持", kind="professional", several_per_org=True)
    apply(org_users["a"], several, orgs["a"])
    apply(org_users["a"], several, orgs["a"], project_name="第二个项目")
    assert several.applications.count() == 2


def test_scores_and_their_mean(users, orgs, org_users):
    call = make_call(users)
    application = apply(org_users["a"], call, orgs["a"])
    sheet(users, application, "张专家", [25, 30, 20])  # 75
    sheet(users, application, "李专家", [30, 40, 30])  # 100
    sheet(users, application, "王专家", [20, 35, 25])  # 80
    summary = support_funds.score_summary(application)
    assert str(summary.mean) == "85.00" and summary.reviewers == [("张专家", 75), ("李专家", 100), ("王专家", 80)]
    assert [str(c.mean) for c in summary.criteria] == ["25.00", "35.00", "25.00"]
    with pytest.raises(ValidationError, match="已为该项目评分"):
        sheet(users, application, "张专家", [1, 1, 1])
    with pytest.raises(ValidationError, match="“实施方案”的得分应为0至40之间"):
        sheet(users, application, "赵专家", [0, 41, 0])
    with pytest.raises(ValidationError, match="请填写“预算合理性”的得分"):
        support_funds.score_sheet_record(actor=users["bureau"], application=application, reviewer="赵专家",
                                         points={c.pk: 1 for c in call.criteria.all()[:2]})
    sheet(users, application, "赵专家", [0, 40, 0])  # exactly the weight, and 0, are allowed
    assert str(support_funds.score_summary(application).mean) == "73.75"  # (75+100+80+40)/4
    with pytest.raises(OutOfScope):
        support_funds.application_get(org_users["b"], application.pk)
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        sheet({"bureau": org_users["a"]}, application, "钱专家", [1, 1, 1])


def test_awards_within_request_and_budget(users, orgs, org_users):
    call = make_call(users)
    a = apply(org_users["a"], call, orgs["a"], amount=50_000_00)
    b = apply(org_users["b"], call, orgs["b"], amount=50_000_00)
    with pytest.raises(ValidationError, match="请先录入评审评分"):
        support_funds.award_decide(actor=users["bureau"], application=a, award=True, amount_fen=10_00, reason="",
                                   on=TODAY, today=TODAY)
    sheet(users, a, "张专家", [25, 30, 20])
    sheet(users, b, "张专家", [25, 30, 20])
    with pytest.raises(ValidationError, match="资助金额应在0.01元至50000.00元之间"):
        support_funds.award_decide(actor=users["bureau"], application=a, award=True, amount_fen=50_000_01,
                                   reason="", on=TODAY, today=TODAY)
    awarded = support_funds.award_decide(actor=users["bureau"], application=a, award=True, amount_fen=50_000_00,
                                         reason="评审通过", on=TODAY, today=TODAY)
    assert awarded.status == ApplicationStatus.AWARDED and awarded.awarded_fen == 50_000_00
    with pytest.raises(StateConflict):
        support_funds.award_decide(actor=users["bureau"], application=a, award=False, amount_fen=None,
                                   reason="重复", on=TODAY, today=TODAY)
    # the budget: 100,000 yuan, 50,000 awarded; 50,000.01 would overflow, 50,000.00 fits exactly
    c = apply(users["bureau"], make_call(users, title="另一个申报"), orgs["b"])  # another call's budget is apart
    assert c.call_id != call.id
    b.requested_fen = 60_000_00
    b.save()
    with pytest.raises(ValidationError, match="超出本次申报的资金总额：总额100000.00元，已资助50000.00元，剩余50000.00元"):
        support_funds.award_decide(actor=users["bureau"], application=b, award=True, amount_fen=50_000_01,
                                   reason="", on=TODAY, today=TODAY)
    support_funds.award_decide(actor=users["bureau"], application=b, award=True, amount_fen=50_000_00, reason="",
                               on=TODAY, today=TODAY)
    assert support_funds.awarded_total_fen(call) == call.budget_fen


def test_refusal_needs_reasons(users, orgs, org_users):
    application = apply(org_users["a"], make_call(users), orgs["a"])
    with pytest.raises(ValidationError, match="请填写决定理由"):
        support_funds.award_decide(actor=users["bureau"], application=application, award=False, amount_fen=None,
                                   reason=" ", on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="过早"):
        support_funds.award_decide(actor=users["bureau"], application=application, award=False, amount_fen=None,
                                   reason="不符合", on=TODAY - dt.timedelta(days=1), today=TODAY)
    refused = support_funds.award_decide(actor=users["bureau"], application=application, award=False,
                                         amount_fen=None, reason="项目与社区需求不符", on=TODAY, today=TODAY)
    assert refused.status == ApplicationStatus.REFUSED and refused.awarded_fen is None
    with pytest.raises(StateConflict):
        sheet(users, application, "张专家", [1, 1, 1])


def _awarded(users, orgs, org_users, amount=33_333_33):
    call = make_call(users)
    application = apply(org_users["a"], call, orgs["a"], amount=amount)
    sheet(users, application, "张专家", [25, 30, 20])
    return support_funds.award_decide(actor=users["bureau"], application=application, award=True,
                                      amount_fen=amount, reason="", on=TODAY, today=TODAY)


def _pay_out(users, staff):
    """The bureau batches the queued requests; checker, approver; the bank pays all."""
    batch = one_off_batch_create(actor=users["bureau"], program=support_funds.PAYMENT_PROGRAM, month="2024-06")
    batch_review(actor=staff["checker"], batch=batch)
    batch_approve(actor=staff["approver"], batch=batch)
    batch_export(actor=users["bureau"], batch=batch)
    returns_import(actor=users["bureau"], batch=batch, filename="回盘.csv", content=return_file_for(batch))
    return batch


@pytest.fixture
def staff(users):
    return {name: user_create(actor="test", username=name, password="pass-12345", role=Role.BUREAU,
                              scope_code="310117") for name in ("checker", "approver")}


def test_payment_in_two_instalments_through_the_payments_app(users, placed, org_users, staff):
    application = _awarded(users, placed, org_users)
    with pytest.raises(ValidationError, match="尚未登记收款账户"):
        support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY)
    first = support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY, **ACCOUNT)
    assert (first.seq, first.amount_fen) == (1, 23_333_33)  # 70 % of 33,333.33, rounded down to the fen
    payment = OneOffPayment.objects.get(reference=first.reference)
    assert payment.program == "social_org_fund" and payment.payee_organisation.uscc == placed["a"].uscc
    assert payment.payee_organisation.number_masked.endswith("8901") and payment.status == OneOffStatus.QUEUED
    from minzheng.core.audit_labels import describe

    requested = describe(AuditEntry.objects.filter(action="payments.one_off.request").latest("id")).changes
    assert ("救助项目", "社会组织扶持资金") in requested and ("编号", first.reference) in requested
    assert first.reference == f"扶持资金-{first.pk}"
    with pytest.raises(StateConflict, match="余款在结项报告验收合格后拨付"):
        support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY)
    _pay_out(users, staff)
    assert [s for _, s in support_funds.instalments_with_status(application)] == ["已发放"]
    report = support_funds.final_report_file(actor=org_users["a"], application=application, outcomes="服务120人次",
                                             beneficiaries=120, spent_fen=33_000_00, spending_note="人员和物资",
                                             today=TODAY)
    support_funds.final_report_review(actor=users["bureau"], report=report, conclusion="qualified", reasons="",
                                      on=TODAY, today=TODAY)
    second = support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY)
    assert (second.seq, second.amount_fen) == (2, 10_000_00)  # the rest, to the account on record
    assert PayeeOrganisation.objects.count() == 1
    with pytest.raises(StateConflict, match="已全部申请拨付"):
        support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY)
    _pay_out(users, staff)
    figures = support_funds.fund_figures(users["bureau"], 2024)["year"]
    assert (figures.organizations, figures.awarded_fen, figures.paid_fen) == (1, 33_333_33, 33_333_33)


def test_no_rest_after_an_unqualified_report(users, placed, org_users):
    application = _awarded(users, placed, org_users)
    support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY, **ACCOUNT)
    report = support_funds.final_report_file(actor=users["bureau"], application=application, outcomes="未完成",
                                             beneficiaries=0, spent_fen=0, spending_note="未使用", today=TODAY)
    with pytest.raises(ValidationError, match="请填写验收意见"):
        support_funds.final_report_review(actor=users["bureau"], report=report, conclusion="unqualified",
                                          reasons="", on=TODAY, today=TODAY)
    support_funds.final_report_review(actor=users["bureau"], report=report, conclusion="unqualified",
                                      reasons="服务未达到申报目标", on=TODAY, today=TODAY)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED
    with pytest.raises(StateConflict, match="余款不予拨付"):
        support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY)


def test_payment_needs_the_organizations_place(users, orgs, org_users):
    application = _awarded(users, orgs, org_users)
    with pytest.raises(ValidationError, match="未登记所在居村委"):
        support_funds.instalment_request(actor=users["bureau"], application=application, today=TODAY, **ACCOUNT)


def test_final_report_rules(users, orgs, org_users):
    call = make_call(users)
    pending = apply(org_users["a"], call, orgs["a"])
    with pytest.raises(StateConflict, match="只有已立项资助的项目"):
        support_funds.final_report_file(actor=org_users["a"], application=pending, outcomes="x", beneficiaries=1,
                                        spent_fen=1, spending_note="x", today=TODAY)
    sheet(users, pending, "张专家", [1, 1, 1])
    application = support_funds.award_decide(actor=users["bureau"], application=pending, award=True,
                                             amount_fen=10_000_00, reason="", on=TODAY, today=TODAY)
    with pytest.raises(OutOfScope):
        support_funds.final_report_file(actor=org_users["b"], application=application, outcomes="x",
                                        beneficiaries=1, spent_fen=1, spending_note="x", today=TODAY)
    with pytest.raises(ValidationError, match="资金使用金额应在0.00元至10000.00元之间"):
        support_funds.final_report_file(actor=org_users["a"], application=application, outcomes="x",
                                        beneficiaries=1, spent_fen=10_000_01, spending_note="x", today=TODAY)
    with pytest.raises(ValidationError, match="请填写服务人次"):
        support_funds.final_report_file(actor=org_users["a"], application=application, outcomes="x",
                                        beneficiaries=None, spent_fen=1, spending_note="x", today=TODAY)
    report = support_funds.final_report_file(actor=org_users["a"], application=application, outcomes="x",
                                             beneficiaries=1, spent_fen=10_000_00, spending_note="x", today=TODAY)
    with pytest.raises(StateConflict, match="已提交结项报告"):
        support_funds.final_report_file(actor=org_users["a"], application=application, outcomes="x",
                                        beneficiaries=1, spent_fen=1, spending_note="x", today=TODAY)
    support_funds.final_report_review(actor=users["bureau"], report=report, conclusion="qualified", reasons="",
                                      on=TODAY, today=TODAY)
    with pytest.raises(StateConflict, match="已验收"):
        support_funds.final_report_review(actor=users["bureau"], report=report, conclusion="qualified",
                                          reasons="", on=TODAY, today=TODAY)


def test_figures_count_organizations_awarded_and_paid(users, orgs, org_users):
    call = make_call(users)
    a = apply(org_users["a"], call, orgs["a"], amount=30_000_00)
    b = apply(org_users["b"], call, orgs["b"], amount=20_000_00)
    sheet(users, a, "张专家", [1, 1, 1])
    support_funds.award_decide(actor=users["bureau"], application=a, award=True, amount_fen=25_000_00, reason="",
                               on=TODAY, today=TODAY)
    support_funds.award_decide(actor=users["bureau"], application=b, award=False, amount_fen=None, reason="不符合",
                               on=TODAY, today=TODAY)
    figures = support_funds.fund_figures(users["auditor"], 2024)
    year = figures["year"]
    assert (year.calls, year.applications, year.awards, year.organizations, year.awarded_fen, year.paid_fen) == (
        1, 2, 1, 1, 25_000_00, 0)
    venture = next(r for r in figures["kinds"] if r.label == "公益创投")
    assert venture.awards == 1 and venture.awarded_fen == 25_000_00
    assert support_funds.fund_figures(users["bureau"], 2023)["year"].applications == 0
