"""The rehabilitation-aid rental subsidy (ADR 0037): the rule as dated cited
values (参数缺失 until entered, never zero), the review's checks at their
edges, the amount, payment through payments.one_off (idempotent), scope 404
and role 403 on pages and in the API, bounded input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.disability_services import services
from minzheng.disability_services.models import ApplicationStatus, ParameterKind
from minzheng.disability_services.rental_rule import (
    PARAMETER_MISSING,
    months_touched,
    rental_amount,
)
from minzheng.disability_services.tests.conftest import api, login

pytestmark = pytest.mark.django_db
D = dt.date
JAN_2024 = D(2024, 1, 1)


@pytest.fixture
def point(users):
    return services.point_create(actor=users["street"], name="岳阳辅具租赁点", street_code="310117001",
                                 address="岳阳街道某路1号", operator="某康复辅具租赁公司", opened_on=D(2024, 1, 1))


@pytest.fixture
def rental(users, point, disabled):
    person = disabled("轮椅使用者", valid_from=D(2020, 1, 1), valid_to=D(2030, 1, 1))
    return services.rental_record(actor=users["street"], point=point, person=person, device_category="wheelchair",
                                  device_name="手动轮椅 A1", start_on=D(2024, 3, 20), end_on=D(2024, 5, 2),
                                  monthly_rent_fen=30000)


def _values(users, share=50, cap=10000, on=JAN_2024):
    services.cited_value_enter(actor=users["bureau"], kind=ParameterKind.SHARE, effective_from=on, value=share,
                               document_name="某区康复辅具社区租赁服务补贴实施办法", document_number="某民〔2024〕1号")
    services.cited_value_enter(actor=users["bureau"], kind=ParameterKind.CAP, effective_from=on, value=cap,
                               document_name="某区康复辅具社区租赁服务补贴实施办法", document_number="某民〔2024〕1号")


def test_months_touched_counts_started_months():
    assert months_touched(D(2024, 3, 20), D(2024, 5, 2)) == 3
    assert months_touched(D(2024, 12, 31), D(2025, 1, 1)) == 2
    assert months_touched(D(2024, 3, 1), D(2024, 3, 31)) == 1


def test_parameter_missing_until_a_cited_value_then_the_amount(users, rental):
    application = services.application_create(actor=users["committee"], rental=rental, applicant_name="",
                                              applicant_relation="self")
    assert application.applicant_name == "轮椅使用者"
    missing = rental_amount(rental)
    assert missing.fen is None and set(missing.missing) == {ParameterKind.SHARE, ParameterKind.CAP}
    with pytest.raises(ValidationError) as err:
        services.application_approve(actor=users["street"], application=application)
    assert PARAMETER_MISSING in str(err.value) and "参数缺失" in str(err.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED and application.subsidy_fen is None

    with pytest.raises(ValidationError, match="文号"):
        services.cited_value_enter(actor=users["bureau"], kind=ParameterKind.SHARE, effective_from=D(2024, 1, 1),
                                   value=50, document_name="办法", document_number=" ")
    with pytest.raises(ValidationError, match="1%至100%"):
        services.cited_value_enter(actor=users["bureau"], kind=ParameterKind.SHARE, effective_from=D(2024, 1, 1),
                                   value=101, document_name="办法", document_number="1号")
    with pytest.raises(PermissionDenied):
        services.cited_value_enter(actor=users["street"], kind=ParameterKind.SHARE, effective_from=D(2024, 1, 1),
                                   value=50, document_name="办法", document_number="1号")
    # a value from after the rental's first day does not apply to it
    _values(users, on=D(2024, 4, 1))
    assert rental_amount(rental).fen is None
    _values(users, share=50, cap=10000, on=D(2024, 1, 1))
    amount = rental_amount(rental)
    assert (amount.per_month_fen, amount.months, amount.fen) == (10000, 3, 30000)  # min(150 元, 100 元) × 3
    approved = services.application_approve(actor=users["street"], application=application)
    assert approved.status == ApplicationStatus.APPROVED and approved.subsidy_fen == 30000
    assert approved.amount_basis["share"]["reference"].endswith("（某民〔2024〕1号）")
    with pytest.raises(StateConflict):
        services.application_approve(actor=users["street"], application=approved)


def test_share_below_the_cap(users, point, disabled):
    person = disabled("助行器使用者")
    rental = services.rental_record(actor=users["bureau"], point=point, person=person, device_category="walker",
                                    device_name="助行器", start_on=D(2024, 6, 1), end_on=D(2024, 6, 30),
                                    monthly_rent_fen=12345)
    _values(users, share=30, cap=10000)
    assert rental_amount(rental).fen == 3704  # 123.45 × 30% = 37.035 → 37.04 (half up)


def test_review_checks_refuse_without_a_valid_certificate_or_an_end(users, point, disabled, make_person):
    _values(users)
    lapsed = disabled("证已过期", valid_from=D(2014, 1, 1), valid_to=D(2024, 1, 31))
    rental = services.rental_record(actor=users["street"], point=point, person=lapsed, device_category="care_bed",
                                    device_name="护理床", start_on=D(2024, 2, 1), end_on=D(2024, 2, 29),
                                    monthly_rent_fen=20000)
    application = services.application_create(actor=users["street"], rental=rental, applicant_name="证已过期之女",
                                              applicant_relation="family")
    with pytest.raises(ValidationError, match="没有有效的残疾人证"):
        services.application_approve(actor=users["street"], application=application)
    services.application_reject(actor=users["street"], application=application, reason="残疾人证已过期")
    again = services.application_create(actor=users["street"], rental=rental, applicant_name="证已过期之女",
                                        applicant_relation="family")  # a rejected application does not block
    assert again.number != application.number

    holder = disabled("租用中")
    ongoing = services.rental_record(actor=users["street"], point=point, person=holder, device_category="commode",
                                     device_name="坐便椅", start_on=D(2024, 2, 1), monthly_rent_fen=5000)
    pending = services.application_create(actor=users["committee"], rental=ongoing, applicant_name="李监护",
                                          applicant_relation="guardian")
    with pytest.raises(ValidationError, match="尚未结束"):
        services.application_approve(actor=users["street"], application=pending)
    with pytest.raises(StateConflict):
        services.application_create(actor=users["committee"], rental=ongoing, applicant_name="李监护",
                                    applicant_relation="guardian")
    with pytest.raises(ValidationError, match="申请人姓名"):
        services.application_create(actor=users["committee"], rental=rental, applicant_name=" ",
                                    applicant_relation="family")


def test_payment_through_one_off_and_roles(users, rental):
    from minzheng.payments.services import one_off_status

    _values(users)
    application = services.application_create(actor=users["committee"], rental=rental, applicant_name="",
                                              applicant_relation="self")
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=users["committee"], application=application)
    services.application_approve(actor=users["street"], application=application)
    with pytest.raises(PermissionDenied):
        services.subsidy_request(actor=users["street"], application=application)
    paid = services.subsidy_request(actor=users["bureau"], application=application)
    payment = one_off_status(services.PROGRAM, paid.payment_reference)
    assert payment is not None and payment.amount_fen == 30000 and payment.payee_id == rental.person_id
    with pytest.raises(StateConflict):
        services.subsidy_request(actor=users["bureau"], application=paid)
    actions = set(AuditEntry.objects.filter(object_type="AidRentalApplication", object_id=str(paid.pk))
                  .values_list("action", flat=True))
    assert {"disability_services.apply", "disability_services.approve",
            "disability_services.subsidy_request"} <= actions


def test_scope_and_roles_on_pages_and_api(users, rental, point, disabled):
    application = services.application_create(actor=users["committee"], rental=rental, applicant_name="",
                                              applicant_relation="self")
    other = login(users["other_street"])
    assert other.get(f"/disability/rental/applications/{application.pk}/").status_code == 404
    assert other.get(f"/disability/rental/records/{rental.pk}/").status_code == 404
    assert other.post(f"/disability/rental/applications/{application.pk}/approve/").status_code == 404
    assert api(users["other_street"]).get(f"/api/v1/disability/rental/applications/{application.pk}").status_code == 404
    assert login(users["committee"]).post(f"/disability/rental/applications/{application.pk}/approve/").status_code == 403
    assert api(users["auditor"]).post("/api/v1/disability/rental/applications",
                                      {"rental_id": rental.pk, "applicant_relation": "self"},
                                      content_type="application/json").status_code == 403
    body = api(users["street"]).get(f"/api/v1/disability/rental/applications/{application.pk}").json()
    assert body["estimate_fen"] is None and set(body["parameter_missing"]) == {"rental_share", "rental_monthly_cap"}
    refused = api(users["street"]).post(f"/api/v1/disability/rental/applications/{application.pk}/approve")
    assert refused.status_code == 422 and "参数缺失" in refused.json()["detail"]
    page = login(users["street"]).get(f"/disability/rental/applications/{application.pk}/").content.decode()
    assert "参数缺失" in page and PARAMETER_MISSING in page
    person = disabled("新租户")
    street_api = api(users["street"])
    for rent, start in ((10**12, "2024-03-01"), (1000, "9999-01-01"), (1000, "1900-01-01")):
        response = street_api.post("/api/v1/disability/rental/records", {
            "point_id": point.pk, "person_id": person.pk, "device_category": "wheelchair", "device_name": "轮椅",
            "start_on": start, "monthly_rent_fen": rent}, content_type="application/json")
        assert response.status_code == 422, response.content
    response = login(users["street"]).post("/disability/rental/records/new/", {
        "point": point.pk, "person": person.pk, "device_category": "wheelchair", "device_name": "轮椅",
        "start_on": "99999-01-01", "monthly_rent": "1e400"})
    assert response.status_code == 422
