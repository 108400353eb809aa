"""Browser test (Debian's Chromium through playwright): the rental subsidy's
main flow — an application waits with 参数缺失; the bureau enters the cited
values on the 补贴标准 page; the street approves on the application's page and
the amount appears; the bureau requests the payment."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import make_id_number
from minzheng.core.models import Division, Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.disability_services import services
from minzheng.registry import services as registry

D = dt.date


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_parameter_missing_then_cited_values_then_approve_and_pay(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001",
                     name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117")
    street = user_create(actor="test", username="street", password="pass-12345", role=Role.STREET,
                         scope_code="310117001")
    person = registry.person_create(actor=bureau, name="沈阿姨", id_number=make_id_number(D(1958, 4, 5), male=False),
                                    committee_code="310117001001")
    registry.disability_certificate_add(actor=bureau, person=person, grade=2, kind="肢体", valid_from=D(2019, 1, 1),
                                        valid_to=D(2029, 1, 1), number="SJ00000001")
    point = services.point_create(actor=street, name="岳阳辅具租赁点", street_code="310117001", address="某路1号",
                                  operator="某租赁公司", opened_on=D(2024, 1, 1))
    rental = services.rental_record(actor=street, point=point, person=person, device_category="wheelchair",
                                    device_name="手动轮椅", start_on=D(2024, 3, 1), end_on=D(2024, 4, 30),
                                    monthly_rent_fen=20000)
    application = services.application_create(actor=street, rental=rental, applicant_name="沈阿姨之子",
                                              applicant_relation="family")
    page, base = browser_page, live_server.url

    browser_login(page, base, "street")
    page.goto(f"{base}/disability/rental/applications/{application.pk}/")
    assert "参数缺失" in page.inner_text("#parameter-missing")
    with page.expect_navigation():
        click_and_confirm(page, "form[action$='/approve/'] button")
    assert "参数缺失" in page.inner_text(".toast.error .toast-body")

    browser_login(page, base, "bureau")
    for kind, value in (("rental_share", "50"), ("rental_monthly_cap", "80")):
        page.goto(f"{base}/disability/rental/parameters/")
        page.select_option("#cited-form select[name=kind]", kind)
        page.fill("#cited-form input[name=effective_from]", "2024-01-01")
        page.fill("#cited-form input[name=value]", value)
        page.fill("#cited-form input[name=document_name]", "某区康复辅具社区租赁服务补贴办法")
        page.fill("#cited-form input[name=document_number]", "某民〔2024〕1号")
        with page.expect_navigation():
            click_and_confirm(page, "#cited-form button[type=submit]")
    assert "此参数尚未核实" in page.inner_text("#values")

    browser_login(page, base, "street")
    page.goto(f"{base}/disability/rental/applications/{application.pk}/")
    with page.expect_navigation():
        click_and_confirm(page, "form[action$='/approve/'] button")
    assert "审核通过" in page.inner_text("#application-facts")
    assert "160.00" in page.inner_text("#application-facts")  # min(200 × 50%, 80) × 2 months

    browser_login(page, base, "bureau")
    page.goto(f"{base}/disability/rental/applications/{application.pk}/")
    with page.expect_navigation():
        click_and_confirm(page, "form[action$='/pay/'] button")
    application.refresh_from_db()
    assert application.status == "paid" and application.subsidy_fen == 16000
