"""Browser test (Debian's Chromium through playwright): the street window
(社区事务受理服务中心) records a death reported by the family, by the deceased's ID
number, and sees the family checklist with the stopped benefit; the PDF opens."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.casework.models import Enrolment
from minzheng.core.models import Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.deaths.models import DeathRecord
from minzheng.registry import services as registry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_window_records_a_death_and_shows_the_checklist(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    from minzheng.core.models import Division

    committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001",
                     name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117")
    user_create(actor="test", username="street", password="pass-12345", role=Role.STREET, scope_code="310117001",
                full_name="李晓燕", post="社区事务受理服务中心")
    number = make_id_number(dt.date(1938, 4, 5), male=False)
    person = registry.person_create(actor=bureau, name="沈阿婆", id_number=number, committee_code="310117001001")
    household = registry.household_create(actor=bureau, head=person, address="谷阳北路3号", start_date=dt.date(2000, 1, 1))
    Enrolment.objects.create(program="dibao", person=person, household=household, street_id="310117001",
                             committee_id="310117001001", start_month="2025-10", source="other",
                             monthly_amount_fen=135000)
    page, base = browser_page, live_server.url
    died = timezone.localdate() - dt.timedelta(days=4)

    browser_login(page, base, "street")
    page.goto(f"{base}/deaths/")
    with page.expect_navigation():
        page.click("a:has-text('登记死亡（家属申报）')")
    page.fill("input[name=name]", "沈阿婆")
    page.fill("input[name=id_number]", number)
    page.fill("input[name=death_date]", died.isoformat())
    page.fill("input[name=reference]", "医证-2026-1")
    page.fill("input[name=reporter]", "沈小弟")
    with page.expect_navigation():
        click_and_confirm(page, "#death-report-form button[type=submit]")
    record = DeathRecord.objects.get()
    assert page.url.endswith(f"/deaths/{record.pk}/")
    assert "已登记沈阿婆的死亡信息" in " ".join(page.locator(".toast").all_inner_texts())
    checklist = page.locator("#checklist").inner_text()
    assert "最低生活保障：已停发" in checklist and "户口注销" in checklist and "火化证明" in checklist
    assert number not in page.content()
    href = page.locator("#checklist a:has-text('打印告知单')").get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.body().startswith(b"%PDF")
