"""Browser test (Debian's Chromium through playwright): the committee's worker
records an AD8 screening for an elder found with the person picker (by name,
never by a typed number), the score above the tool's cut-off is shown as
positive, and a referral and a follow-up are recorded on the screening's page."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.urls import reverse

from minzheng.core.tests.web import browser_login
from minzheng.dementia_care.models import Screening


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_committee_records_a_screening_a_referral_and_a_follow_up(live_server, users, make_person, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # the seeded tools, as the migration leaves them (a transactional test starts after a flush)
    importlib.import_module("minzheng.dementia_care.migrations.0002_seed_tools_figures").seed(apps, None)
    person = make_person(name="吴老伯", birth=dt.date(1941, 9, 9))
    page, base = browser_page, live_server.url

    browser_login(page, base, "committee")
    page.goto(base + reverse("dementia_care:screening_new"))
    page.click("#screening-form .ts-control")
    page.keyboard.type("吴老伯")
    page.locator("#screening-form .ts-dropdown .option", has_text="吴老伯").first.click()
    page.select_option("#screening-form select[name=tool]", label="AD8 痴呆筛查问卷")
    page.fill("#screening-form input[name=score]", "3")
    page.fill("#screening-form input[name=screener]", "社区医生陈")
    page.select_option("#screening-form select[name=risk_level]", index=2)
    with page.expect_navigation():
        page.click("#screening-form button[type=submit]")
    screening = Screening.objects.get(person=person)
    assert screening.score == 3
    assert "阳性" in page.inner_text("#screening-facts")

    page.fill("#referral-form input[name=referral_to]", "区精神卫生中心记忆门诊")
    with page.expect_navigation():
        page.click("#referral-form button[type=submit]")
    page.fill("#follow-up-form input[name=visitor]", "社工周")
    page.fill("#follow-up-form input[name=note]", "已预约门诊，家属陪同")
    with page.expect_navigation():
        page.click("#follow-up-form button[type=submit]")
    assert page.locator(".toast.text-bg-danger").count() == 0, page.locator(".toast").all_inner_texts()
    screening.refresh_from_db()
    assert screening.referral_to == "区精神卫生中心记忆门诊" and screening.follow_ups.count() == 1
    assert "已预约门诊" in page.inner_text("#follow-ups")
