"""Browser test (Debian's Chromium through playwright): a canteen's day file
is imported from the page (a background job), a street officer settles the
month (another job), the bureau approves the settlement."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps

from conftest import make_id_number
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Division, Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.jobs.services import jobs_run_queued
from minzheng.meals.models import Settlement
from minzheng.registry import services as registry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_a_day_settle_the_month_approve_it(live_server, browser_page, tmp_path):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    # the seeded rates, as the migration leaves them (a transactional test starts after a flush)
    importlib.import_module("minzheng.meals.migrations.0002_seed_songjiang_rates").seed(apps, None)
    committee = committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001",
                                 name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117")
    user_create(actor="test", username="street", password="pass-12345", role=Role.STREET, scope_code="310117001")
    staff = user_create(actor="test", username="canteen", password="pass-12345", role=Role.CANTEEN,
                        scope_code="310117")
    canteen = Facility.objects.create(name="谷阳长者食堂", kind=FacilityKind.CANTEEN, street_id="310117001",
                                      committee=committee, status=FacilityStatus.OPERATING)
    FacilityStaff.objects.create(user=staff, facility=canteen)
    number = make_id_number(dt.date(1940, 4, 5), male=False)
    registry.person_create(actor=bureau, name="沈阿婆", id_number=number, committee_code="310117001001")
    day_file = tmp_path / "谷阳长者食堂-2025-03-03.csv"
    day_file.write_text("身份证号,姓名,用餐日期,餐次,用餐方式\n"
                        f"{number},沈阿婆,2025-03-03,午餐,堂食\n{number},沈阿婆,2025-03-03,晚餐,送餐\n"
                        "123,某某,2025-03-03,午餐,堂食\n", encoding="utf-8")
    page, base = browser_page, live_server.url

    browser_login(page, base, "canteen")
    page.goto(f"{base}/eldercare/meals/")
    page.set_input_files("#upload-form input[name=file]", str(day_file))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert jobs_run_queued() == 1
    page.wait_for_selector("#job-result-link:not(.d-none)")
    assert "登记 2 行" in page.inner_text("#job-summary")
    with page.expect_navigation():
        page.click("#job-result-link")
    assert "第4行" in page.inner_text("#quarantine")

    browser_login(page, base, "street")
    page.goto(f"{base}/eldercare/meals/")
    page.fill("#settle-form input[name=month]", "2025-03")
    with page.expect_navigation():
        page.click("#settle-form button[type=submit]")
    assert jobs_run_queued() == 1
    page.wait_for_selector("#job-result-link:not(.d-none)")
    settlement = Settlement.objects.get()
    assert (settlement.meals, settlement.subsidised_meals, settlement.subsidy_fen) == (2, 1, 400)

    browser_login(page, base, "bureau")
    page.goto(f"{base}/eldercare/meals/settlements/{settlement.pk}/")
    with page.expect_navigation():
        click_and_confirm(page, "button:has-text('审批通过')")
    assert "结算已审批" in " ".join(page.locator(".toast").all_inner_texts())
    assert "已审批" in page.inner_text("#settlement-facts")
