"""Browser test (Debian's Chromium through playwright), one short flow of
双随机一公开: the bureau makes a plan and draws; the inspector records a
finding and issues an order; the institution's operator answers with
evidence; the inspector accepts; the bureau submits, another bureau account
approves; the public page (no login) shows the institution's result."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.utils import timezone

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Division, HolidayYear, Role
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.core.workdays import holiday_year_record
from minzheng.supervision import services
from minzheng.supervision.models import ChecklistVersion, InspectorKind, OrderStatus, Plan

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_plan_draw_inspect_rectify_verify_publish(live_server, browser_page, holiday_table):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    if not ChecklistVersion.objects.exists():
        importlib.import_module("minzheng.supervision.migrations.0002_seed_checklist").seed(apps, None)
    today = timezone.localdate()
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117", full_name="陈建华")
    user_create(actor="test", username="approver", password="pass-12345", role=Role.BUREAU, scope_code="310117",
                full_name="吴国强")
    operator = user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                           scope_code="310117", full_name="郑秀英")
    if not HolidayYear.objects.filter(year=today.year + 1).exists():  # a deadline may reach next year
        holiday_year_record(actor=bureau, year=today.year + 1, source="测试用安排",
                            holidays=[(dt.date(today.year + 1, 1, 1), "元旦")], workdays=[])
    street = Division.objects.get(code="310117001")
    committee = Division.objects.filter(parent=street).first() or street
    home = Facility.objects.create(name="测试岳阳养老院", kind=FacilityKind.CARE_HOME, street=street,
                                   committee=committee, status=FacilityStatus.OPERATING)
    FacilityStaff.objects.create(user=operator, facility=home)
    services.inspector_add(actor=bureau, name="王专家", kind=InspectorKind.EXPERT)
    page, base = browser_page, live_server.url

    # the bureau: a plan, then the draw
    browser_login(page, base, "bureau")
    page.goto(f"{base}/eldercare/supervision/plans/new/")
    page.fill("#name", "测试双随机抽查")
    page.fill("#period_start", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#period_end", (today + dt.timedelta(days=30)).isoformat())
    page.select_option("#street", "310117001")
    page.fill("#institutions_to_draw", "1")
    page.fill("#inspectors_per_institution", "1")
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    plan = Plan.objects.get(name="测试双随机抽查")
    page.fill("#seed", "2024")
    with page.expect_navigation():
        click_and_confirm(page, "#draw-form button[type=submit]")
    assert page.inner_text("#draw-seed") == "2024"
    with page.expect_navigation():
        page.click("#inspections a:has-text('测试岳阳养老院')")

    # the inspection: one finding with a photo, the rest 合格; then the order
    items = list(plan.checklist.items.all())
    for item in items:
        page.select_option(f"#outcome-{item.pk}", "pass")
    page.select_option(f"#outcome-{items[0].pk}", "issue")
    page.fill(f"#note-{items[0].pk}", "灭火器压力不足")
    page.set_input_files(f"#photo-{items[0].pk}", {"name": "现场.png", "mimeType": "image/png", "buffer": PNG})
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    with page.expect_navigation():
        page.click("#complete-form button[type=submit]")
    page.fill("#requirement", "更换或充装灭火器")
    page.fill("#working_days", "5")
    with page.expect_navigation():
        page.click("#order-form button[type=submit]")
    inspection_url = page.url
    assert "待整改" in page.inner_text("#order-facts")

    # the operator answers with evidence
    browser_login(page, base, "carehome")
    page.goto(inspection_url)
    page.fill("#text", "已全部更换")
    page.set_input_files("#evidence", {"name": "发票.png", "mimeType": "image/png", "buffer": PNG})
    with page.expect_navigation():
        page.click("#respond-form button[type=submit]")
    assert "已反馈待验证" in page.inner_text("#order-facts")

    # the inspector accepts, the bureau submits, another account approves
    browser_login(page, base, "bureau")
    page.goto(inspection_url)
    with page.expect_navigation():
        page.click("#verify-form button[type=submit]")
    assert Plan.objects.get(pk=plan.pk).inspections.get().order.status == OrderStatus.ACCEPTED
    page.goto(f"{base}/eldercare/supervision/plans/{plan.pk}/")
    with page.expect_navigation():
        click_and_confirm(page, "form button:has-text('提交结果审核')")
    browser_login(page, base, "approver")
    page.goto(f"{base}/eldercare/supervision/plans/{plan.pk}/")
    with page.expect_navigation():
        click_and_confirm(page, "form button:has-text('审核通过并公开')")
    assert "结果已审核公开" in page.inner_text("#plan-facts")

    # 一公开: no login
    page.context.clear_cookies()
    page.goto(f"{base}/eldercare/supervision/public/")
    table = page.inner_text(".public-results")
    assert "测试岳阳养老院" in table and "已整改" in table
    assert "王专家" not in page.content() and "灭火器压力不足" not in page.content()
