"""Missing department data is never zero (issue 8): a verification knows, for
each source × member × month it needs, whether the source replied; with a
reply missing it concludes nothing and issues no report; a documented
exception covers a reply and the report states it; declared figures are shown
beside the verified ones; acceptance writes the verified facts to the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.feeds.services import feed_no_record_reply_record
from minzheng.registry.models import FactOrigin
from minzheng.registry.selectors import assets_in_force, income_in_force
from minzheng.registry.services import household_add_member, household_create
from minzheng.verification.models import Outcome, Status
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_reply_exception_record,
    verification_report_generate,
    verification_request_create,
    verification_result_accept,
)
from minzheng.verification.tests.conftest import AS_OF, every_source_replied, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def well_off(users, make_person):
    """The household of the issue: 225,595 yuan of assets, a car and about 13,600 yuan a month in the registry."""
    head = make_person("赵富", dt.date(1970, 1, 1), employment="employed", monthly_income_fen=1_360_000)
    wife = make_person("钱丽", dt.date(1972, 2, 2), male=False)
    household = household_create(actor=users["bureau"], head=head, address="谷阳北路99号",
                                 start_date=dt.date(2020, 1, 1), monetary_assets_fen=22_559_500, private_cars=1)
    household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶",
                         start_date=dt.date(2020, 1, 1))
    request = verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    for person in (head, wife):
        verification_authorisation_record(actor=users["committee"], request=request, signed_by=person,
                                          signed_on=dt.date(2024, 6, 1), document=scan())
    return household, head, wife, request


def test_without_department_data_the_verification_concludes_nothing(users, well_off):
    household, head, wife, request = well_off
    # when it is computed with no department data at all
    result = verification_compute(actor=users["committee"], request=request, as_of=AS_OF)
    # then it is incomplete, names every missing reply, and is not "below the dibao standard"
    assert result.outcome == Outcome.INCOMPLETE
    request.refresh_from_db()
    assert request.status == Status.INCOMPLETE
    texts = [gap["text"] for gap in result.missing_replies]
    assert len(result.missing_replies) == 2 * 9  # 9 sources × 2 members
    assert "赵富：工资收入（社保缴费工资）缺2023年6月至2024年5月的回复" in texts
    assert any(t.startswith("钱丽：银行存款") for t in texts)
    assert "尚未回复" in result.findings[0]
    # and neither a report nor an acceptance is possible
    with pytest.raises(ValidationError, match="不完整"):
        verification_report_generate(actor=users["committee"], result=result)
    with pytest.raises(ValidationError, match="不完整"):
        verification_result_accept(actor=users["street"], result=result)
    # and the registry keeps the declared facts
    assert income_in_force(head, AS_OF).origin == FactOrigin.DECLARED


def test_a_partial_month_range_is_named(users, well_off):
    household, head, wife, request = well_off
    # given complete extracts that stop in February 2024 for the monthly sources
    every_source_replied(users, dt.date(2023, 6, 1), dt.date(2024, 2, 29))
    result = verification_compute(actor=users["committee"], request=request, as_of=AS_OF)
    texts = [gap["text"] for gap in result.missing_replies]
    assert "赵富：养老金缺2024年3月至2024年5月的回复" in texts
    assert not any("银行存款" in t for t in texts)  # replied within the 365 days before


def test_a_no_record_reply_and_a_documented_exception_complete_it(users, well_off):
    household, head, wife, request = well_off
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF, but=("securities", "bank_deposits"))
    # given the bank's written "no record" for both members, and an exception for the securities reply
    for person in (head, wife):
        feed_no_record_reply_record(actor=users["street"], source="bank_deposits", person=person,
                                    period_start=dt.date(2024, 6, 1), period_end=dt.date(2024, 6, 10),
                                    reference="工行松江支行复函2024-118")
    with pytest.raises(PermissionDenied):
        feed_no_record_reply_record(actor=users["committee"], source="bank_deposits", person=head,
                                    period_start=dt.date(2024, 6, 1), period_end=dt.date(2024, 6, 10),
                                    reference="x")
    with pytest.raises(ValidationError, match="文号"):
        feed_no_record_reply_record(actor=users["street"], source="bank_deposits", person=head,
                                    period_start=dt.date(2024, 6, 1), period_end=dt.date(2024, 6, 10),
                                    reference=" ")
    verification_reply_exception_record(actor=users["committee"], request=request, source="securities",
                                        person=None, reason="证券登记结算机构系统升级，已电话确认无账户，书面回复后补")
    # when computed
    result = verification_compute(actor=users["committee"], request=request, as_of=AS_OF)
    # then it concludes, with the exception stated, and the report can be issued
    assert result.missing_replies == [] and result.outcome == Outcome.BELOW_DIBAO
    assert result.exceptions[0]["source_name"] == "证券资产" and result.exceptions[0]["name"] == "全体成员"
    report = verification_report_generate(actor=users["committee"], result=result)
    assert report.pdf_sha256


def test_declared_figures_beside_verified_and_large_differences_flagged(users, well_off):
    household, head, wife, request = well_off
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    result = verification_compute(actor=users["committee"], request=request, as_of=AS_OF)
    assert result.declared["income"][str(head.pk)]["total_fen"] == 1_360_000
    assert result.declared["assets"]["monetary_assets_fen"] == 22_559_500
    assert any("赵富：申报月均收入13600.00元，核对月均收入0.00元" in d for d in result.differences)
    assert "机动车：申报1辆，核对0辆" in result.differences


def test_acceptance_records_the_verified_facts_by_another_person(users, well_off):
    household, head, wife, request = well_off
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    result = verification_compute(actor=users["street"], request=request, as_of=AS_OF)
    # the one who computed may not accept; a committee clerk may not accept
    with pytest.raises(ValidationError, match="核对人不能认定"):
        verification_result_accept(actor=users["street"], result=result)
    with pytest.raises(PermissionDenied):
        verification_result_accept(actor=users["committee"], result=result)
    verification_result_accept(actor=users["bureau"], result=result)
    for person in (head, wife):
        fact = income_in_force(person, AS_OF)
        assert (fact.origin, fact.evidence_id, fact.valid_from) == (FactOrigin.VERIFIED, str(result.pk), AS_OF)
    assets = assets_in_force(household, AS_OF)
    assert (assets.monetary_assets_fen, assets.private_cars, assets.origin) == (0, 0, FactOrigin.VERIFIED)
    # the declared facts stay as history
    assert head.income_facts.count() == 2 and household.asset_facts.count() == 2
    with pytest.raises(ValidationError, match="已认定"):
        verification_result_accept(actor=users["bureau"], result=result)


def test_the_api_shows_missing_replies_and_accepts(client, users, well_off):
    household, head, wife, request = well_off
    token = client.post("/api/v1/auth/token", {"username": "committee", "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    committee = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.post(f"/api/v1/verification/requests/{request.pk}/compute", {"as_of": str(AS_OF)},
                       content_type="application/json", **committee).json()
    assert body["result"]["outcome"] == "incomplete" and len(body["result"]["missing_replies"]) == 18
    assert client.post(f"/api/v1/verification/requests/{request.pk}/accept", **committee).status_code == 403
    token = client.post("/api/v1/auth/token", {"username": "street", "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    street = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post(f"/api/v1/verification/requests/{request.pk}/accept", **street).status_code == 422
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    client.post(f"/api/v1/verification/requests/{request.pk}/compute", {"as_of": str(AS_OF)},
                content_type="application/json", **committee)
    response = client.post(f"/api/v1/verification/requests/{request.pk}/accept", **street)
    assert response.status_code == 200 and response.json()["result"]["accepted_by"] == "street"


def test_a_verification_date_in_antiquity_is_refused(users, well_off):
    household, head, wife, request = well_off
    with pytest.raises(ValidationError, match="核对日期不能早于2000年"):
        verification_compute(actor=users["committee"], request=request, as_of=dt.date(1, 1, 1))
