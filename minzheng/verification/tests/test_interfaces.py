import datetime as dt

import pytest

from minzheng.verification.models import Authorisation, VerificationRequest
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_report_generate,
    verification_request_create,
)
from minzheng.verification.tests.conftest import AS_OF, every_source_replied, feed, scan


def _bearer(client, username):
    token = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reported(users, family):
    household, head, spouse, _, ids = family
    feed(users, "hrss_pension", [{"id_number": ids["李梅"], "name": "李梅", "month": "2024-01",
                                  "scheme": "城镇职工基本养老保险", "amount": "1200"}])
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    vr = verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    for person in (head, spouse):
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=person,
                                          signed_on=dt.date(2024, 6, 1), document=scan())
    result = verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    return vr, verification_report_generate(actor=users["committee"], result=result)


@pytest.mark.django_db
def test_queue_detail_and_pdf_in_the_browser(client, users, reported):
    vr, report = reported
    client.force_login(users["street"])
    queue = client.get("/verification/").content.decode()
    assert vr.reference in queue and "已出具报告" in queue and "年核对委托（户次）" in queue
    detail = client.get(f"/verification/{vr.pk}/").content.decode()
    assert "李梅" in detail and "月均收入" in detail and "收入低于低保标准" in detail
    pdf = client.get(f"/verification/reports/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_whole_flow_through_the_pages(client, users, family):
    household, head, spouse, _, _ = family
    client.force_login(users["committee"])
    response = client.post("/verification/new/", {"household": household.pk, "purpose": "medical"})
    vr = VerificationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/verification/{vr.pk}/"
    client.post(f"/verification/{vr.pk}/compute/", {"as_of": "2024-06-15"})
    assert "尚未登记家庭成员的授权书" in client.get(f"/verification/{vr.pk}/").content.decode()
    for person in (head, spouse):
        client.post(f"/verification/{vr.pk}/authorisations/",
                    {"signed_by": person.pk, "signed_on": "2024-06-01", "document": scan()})
    assert Authorisation.objects.filter(request=vr).count() == 2
    client.post(f"/verification/{vr.pk}/compute/", {"as_of": "2024-06-15"})
    assert "尚未回复" in client.get(f"/verification/{vr.pk}/").content.decode()
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    client.post(f"/verification/{vr.pk}/compute/", {"as_of": "2024-06-15"})
    client.post(f"/verification/{vr.pk}/report/")
    vr.refresh_from_db()
    assert vr.status == "reported" and vr.results.first().reports.count() == 1
    # the committee clerk cannot accept (403); the street reviewer accepts on the page
    assert client.post(f"/verification/{vr.pk}/accept/").status_code == 403
    client.force_login(users["street"])
    page = client.post(f"/verification/{vr.pk}/accept/", follow=True).content.decode()
    assert "已认定核对结果" in page and vr.results.first().accepted_by == "street"


@pytest.mark.django_db
def test_out_of_scope_household_and_request_are_404_in_the_pages(client, users, reported, other_household):
    vr, report = reported
    client.force_login(users["other_street"])
    assert client.get(f"/verification/{vr.pk}/").status_code == 404
    assert client.get(f"/verification/reports/{report.pk}.pdf").status_code == 404
    assert client.post(f"/verification/{vr.pk}/compute/").status_code == 404
    client.force_login(users["street"])
    assert client.post("/verification/new/", {"household": other_household.pk, "purpose": "dibao"}).status_code == 404
    assert VerificationRequest.objects.filter(household=other_household).count() == 0


@pytest.mark.django_db
def test_out_of_scope_is_404_in_the_api(client, users, reported, other_household):
    vr, _ = reported
    street = _bearer(client, "street")
    other = _bearer(client, "other_street")
    assert client.get(f"/api/v1/verification/requests/{vr.pk}", **other).status_code == 404
    assert client.post(f"/api/v1/verification/requests/{vr.pk}/compute", {}, content_type="application/json",
                       **other).status_code == 404
    response = client.post("/api/v1/verification/requests", {"household_id": other_household.pk, "purpose": "dibao"},
                           content_type="application/json", **street)
    assert response.status_code == 404
    assert client.get("/api/v1/verification/requests", **other).json()["count"] == 0
    body = client.get(f"/api/v1/verification/requests/{vr.pk}", **street).json()
    assert body["result"]["monthly_income_fen"] == 10000  # one month of 1200.00 ÷ 12
    assert body["result"]["outcome"] == "below_dibao" and body["result"]["figures"]


@pytest.mark.django_db
def test_api_refuses_computation_without_authorisation(client, users, family):
    household = family[0]
    committee = _bearer(client, "committee")
    created = client.post("/api/v1/verification/requests", {"household_id": household.pk, "purpose": "education"},
                          content_type="application/json", **committee)
    assert created.status_code == 201
    response = client.post(f"/api/v1/verification/requests/{created.json()['id']}/compute",
                           {"as_of": "2024-06-15"}, content_type="application/json", **committee)
    assert response.status_code == 422 and "授权书" in response.json()["detail"]


@pytest.mark.django_db
def test_auditor_reads_but_cannot_write(client, users, reported):
    vr, _ = reported
    client.force_login(users["auditor"])
    assert client.get(f"/verification/{vr.pk}/").status_code == 200
    client.post(f"/verification/{vr.pk}/compute/", {"as_of": "2024-06-15"})
    assert vr.results.count() == 1
    auditor = _bearer(client, "auditor")
    assert client.post(f"/api/v1/verification/requests/{vr.pk}/compute", {}, content_type="application/json",
                       **auditor).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["2024-13-45", "abc"])
def test_an_invalid_as_of_date_is_refused_not_replaced_by_today(client, users, family, as_of):
    from minzheng.verification.models import VerificationResult

    household, head, spouse, _, _ = family
    vr = verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    for person in (head, spouse):
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=person,
                                          signed_on=dt.date(2024, 6, 1), document=scan())
    client.force_login(users["committee"])
    response = client.post(f"/verification/{vr.pk}/compute/", {"as_of": as_of}, follow=True)
    assert "核对日期" in response.content.decode() and "无效" in response.content.decode()
    assert not VerificationResult.objects.filter(request=vr).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["offset=-1", "limit=-1", "limit=0"])
def test_queue_refuses_negative_paging(client, users, query):
    response = client.get(f"/api/v1/verification/requests?{query}", **_bearer(client, "street"))
    assert response.status_code == 422
