"""Browser test (Debian's Chromium through playwright): the registrar books an
appointment for a couple at the window (the booking core's page), checks them
in on the marriage office's appointment list, registers the marriage from the
booking and opens the certificate PDF."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.bookings.models import ResourceKind, Slot
from minzheng.bookings.services import resource_create, special_day_add
from minzheng.core.models import Division, Role, User
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.marriage.models import MarriageRegistration


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_book_check_in_register_and_print(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117")
    user_create(actor="test", username="registrar", password="pass-12345", role=Role.REGISTRAR, scope_code="310117",
                full_name="王丽", post="婚姻登记员")
    office = resource_create(actor=bureau, name="婚姻登记处1号窗口", kind=ResourceKind.MARRIAGE_WINDOW,
                             division=Division.objects.get(code="310117"))
    today = timezone.localdate()
    special_day_add(actor=bureau, resource=office, date=today, name="测试开放日")
    start = timezone.now() + dt.timedelta(minutes=10)
    slot = Slot.objects.create(resource=office, day=today, start=start, end=start + dt.timedelta(minutes=30),
                               capacity=2)
    man_id = make_id_number(dt.date(1994, 5, 6), male=True)
    woman_id = make_id_number(dt.date(1996, 7, 8), male=False)
    page, base = browser_page, live_server.url

    # the registrar books the couple at the window
    browser_login(page, base, "registrar")
    page.goto(f"{base}/bookings/slots/{slot.pk}/book/")
    page.fill("input[name=name_1]", "李强")
    page.fill("input[name=id_number_1]", man_id)
    page.fill("input[name=name_2]", "赵敏")
    page.fill("input[name=id_number_2]", woman_id)
    page.fill("input[name=purpose]", "结婚登记")
    with page.expect_navigation():
        click_and_confirm(page, "form button[type=submit]:has-text('预约')")
    assert "预约已确认" in " ".join(page.locator(".toast").all_inner_texts())

    # today's appointments: check in
    page.goto(f"{base}/marriage/appointments/")
    row = page.locator("#appointments tbody tr", has_text="李强")
    assert man_id not in page.content()
    with page.expect_navigation():
        row.locator("button:has-text('登记到场')").click()
    assert "/register/" in page.url

    # register from the booking
    page.select_option("select[name=p1-domicile_province]", "31")
    page.select_option("select[name=p2-domicile_province]", "32")
    for prefix in ("p1", "p2"):
        page.check(f"input[name={prefix}-signed_no_spouse]")
        page.check(f"input[name={prefix}-signed_no_kinship]")
    with page.expect_navigation():
        click_and_confirm(page, "#registration-form button[type=submit]")
    registration = MarriageRegistration.objects.get()
    assert page.url.endswith(f"/marriage/{registration.pk}/")
    assert "结婚登记已完成" in " ".join(page.locator(".toast").all_inner_texts())
    # 31 + 32: one Shanghai party, so not cross-province (跨省 = neither party's hukou in Shanghai)
    assert not registration.cross_province and registration.booking_id is not None

    # open the certificate PDF
    href = page.locator("#certificates a:has-text('打印证书')").first.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert User.objects.get(username="registrar")
