"""Browser test (Debian's Chromium through playwright): the committee account
of a charity supermarket records a donation of rice, gives some to a
resident chosen with the person picker, and the page shows the stock."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from minzheng.charity.models import Stock
from minzheng.core.tests.web import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_donation_in_distribution_out_stock_shown(live_server, browser_page, users, markets, make_person):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_person("周桂英", dt.date(1946, 6, 6))
    ours = markets["ours"]
    page, base = browser_page, live_server.url
    browser_login(page, base, "committee")
    page.goto(f"{base}/charity/supermarkets/{ours.pk}/")

    # a donation in: 10 袋 of rice from an anonymous donor
    page.select_option("#donation-form select[name=kind]", "goods")
    page.select_option("#donation-form select[name=donor_kind]", "anonymous")
    page.fill("#donation-form input[name=item]", "大米")
    page.fill("#donation-form input[name=unit]", "袋")
    page.fill("#donation-form input[name=quantity]", "10")
    with page.expect_navigation():
        page.click("#donation-form button[type=submit]")
    assert page.inner_text("#stock tr[data-item='大米'] .stock-quantity") == "10"

    # a distribution out: 3 袋 to a resident found by name
    page.click("#distribution-form .ts-control")
    page.keyboard.type("周桂英")
    page.locator("#distribution-form .ts-dropdown .option", has_text="周桂英").first.click()
    page.fill("#distribution-form input[name=quantity]", "3")
    with page.expect_navigation():
        page.click("#distribution-form button[type=submit]")
    assert page.locator(".toast.text-bg-danger").count() == 0, page.locator(".toast").all_inner_texts()
    assert page.inner_text("#stock tr[data-item='大米'] .stock-quantity") == "7"
    assert "周桂英" in page.inner_text("#recent-distributions")
    assert Stock.objects.get(supermarket=ours).quantity == 7
