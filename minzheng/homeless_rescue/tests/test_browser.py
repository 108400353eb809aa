"""Browser test (Debian's Chromium through playwright): during a cold wave's
寒冬送温暖 campaign, the street's staff record an unidentified person found on the
night patrol; the rescue is linked to the campaign and the shift, and the campaign
page counts it."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.utils import timezone

from minzheng.core.models import Role
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.homeless_rescue import services
from minzheng.homeless_rescue.models import FinderKind, Rescue


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_rescue_recorded_during_a_cold_weather_campaign(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    if not FinderKind.objects.exists():
        importlib.import_module("minzheng.homeless_rescue.migrations.0002_seed_kinds_2023_report").seed(apps, None)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117")
    street = user_create(actor="test", username="yy", password="pass-12345", role=Role.STREET, scope_code="310117001")
    now = timezone.now().replace(second=0, microsecond=0)
    warning = services.warning_record(actor=bureau, kind="cold_wave", level="yellow", issued_at=now - dt.timedelta(hours=6),
                                      issuer="上海中心气象台")
    campaign = services.campaign_create(actor=bureau, name="2026年寒冬送温暖专项救助行动", kind="cold", warning=warning,
                                        starts_on=timezone.localdate(now - dt.timedelta(hours=1)))
    shift = services.shift_create(actor=street, campaign=campaign, street="310117001", starts_at=now - dt.timedelta(hours=1),
                                  ends_at=now + dt.timedelta(hours=2), team="岳阳街道救助巡查队")
    page, base = browser_page, live_server.url

    browser_login(page, base, "yy")
    page.goto(f"{base}/assistance/homeless/campaigns/{campaign.pk}/")
    with page.expect_navigation():
        page.click("#campaign-rescue-new")
    page.select_option("select[name=street]", "310117001")
    page.fill("input[name=place]", "人民北路与荣乐路口公交站")
    page.select_option("select[name=finder_kind]", label="街镇巡查")
    page.fill("textarea[name=needs]", "御寒衣被、热食，愿意到救助站过夜")
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=age_estimate]", "55")
    page.fill("textarea[name=description]", "男性，约55岁，身高约170厘米，深蓝色棉衣，自述安徽口音")
    with page.expect_navigation():
        page.click("#rescue-submit")
    rescue = Rescue.objects.get()
    assert page.url.endswith(f"/assistance/homeless/{rescue.pk}/")
    assert page.locator("#rescue-campaign").inner_text() == "2026年寒冬送温暖专项救助行动"
    assert "身份待查" in page.locator("#rescue-facts").inner_text()
    assert rescue.campaign_id == campaign.pk and rescue.shift_id == shift.pk
    page.select_option("#service-form select[name=kind]", label="衣被")
    page.fill("#service-form input[name=quantity]", "2")
    with page.expect_navigation():
        page.click("#service-form button[type=submit]")
    assert "衣被" in page.locator("#rescue-services").inner_text()
    page.goto(f"{base}/assistance/homeless/campaigns/{campaign.pk}/")
    assert "人民北路与荣乐路口公交站" in page.locator("#campaign-rescues").inner_text()
    assert page.locator("#shifts tbody tr").first.locator("td").nth(4).inner_text() == "1"
