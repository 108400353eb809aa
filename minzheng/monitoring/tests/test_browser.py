"""Browser test: an advisor opens "my leads and tasks", visits the household
of a lead and closes it — Debian's Chromium driven by playwright."""

from __future__ import annotations

import os

import pytest

from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.monitoring.models import Lead, LeadOutcome, LeadStatus
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.tests.conftest import MONTH, RUN_DAY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_advisor_visits_and_closes_a_lead(live_server, crafted, users, browser_page):  # noqa: F811
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given the monitor run found a dibao lead in the advisor's committee
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    lead = Lead.objects.get(program="dibao", household=crafted.h_poor)
    page, base = browser_page, live_server.url

    # when the advisor logs in and opens the lead from "my leads and tasks"
    browser_login(page, base, "advisor")
    page.goto(f"{base}/monitoring/my/")
    assert "贫困甲家" in page.inner_text("#my-leads")  # household-level lead: the household chip (its head)
    page.click(f"#my-leads a[href='/monitoring/leads/{lead.pk}/']")
    page.wait_for_selector("#lead-reasons")
    assert "人均月收入（扣除就业人员收入豁免后）低于低保标准" in page.inner_text("#lead-reasons")

    # and records a home visit, then closes the lead as not needed with a reason
    page.fill("#visit-form input[name=visitors]", "王顾问、居委李主任")
    page.fill("#visit-form textarea[name=findings]", "本人已找到工作，下月起有稳定收入")
    with page.expect_navigation():
        page.click("#visit-form button[type=submit]")
    page.wait_for_selector("#visits")
    assert "本人已找到工作" in page.inner_text("#visits")
    page.select_option("#close-form select[name=outcome]", LeadOutcome.NOT_NEEDED)
    page.fill("#close-form textarea[name=reason]", "已就业，收入将超过低保标准")
    with page.expect_navigation():
        asked = click_and_confirm(page, "#close-form button[type=submit]")  # the design system's dialog
    assert "不能重新打开" in asked
    page.wait_for_selector("#lead-status")

    # then the lead is closed with the outcome, and the visit stopped any escalation
    assert "已办结" in page.inner_text("#lead-status") and "经核实无需救助" in page.inner_text("#lead-status")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CLOSED and lead.closed_by == "advisor" and lead.first_action_on is not None
