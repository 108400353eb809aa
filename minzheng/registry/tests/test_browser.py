"""Browser test: log in → search a person by pinyin → open the household page.

Drives Debian's Chromium (/usr/bin/chromium) with the Python playwright
package; never ``playwright install``. ``make test`` installs Chromium and
sets MINZHENG_REQUIRE_BROWSER=1, so there the test cannot silently skip.
"""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.registry import services


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_search_by_pinyin_open_household(live_server, users, make_person, browser_page):
    # given a household of two in the street user's scope
    head = make_person("欧阳明辉", dt.date(1958, 4, 9))
    wife = make_person("沈丽华", dt.date(1960, 7, 1), male=False)
    household = services.household_create(actor=users["bureau"], head=head, address="谷阳北路88弄3号")
    services.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶")
    page = browser_page

    # when the street user logs in
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "street")
    page.fill("input[name=password]", "pass-12345")
    page.click("button[type=submit]")
    page.wait_for_selector("text=我的工作台")

    # and searches by pinyin initials
    page.goto(f"{live_server.url}/registry/persons/")
    page.fill("#q", "oymh")
    page.press("#q", "Enter")
    page.wait_for_selector("a:has-text('欧阳明辉')")
    page.click("a:has-text('欧阳明辉')")

    # then the person page links to the household, which lists both members
    page.click("#household-chip a")
    page.wait_for_selector("#members")
    members = page.inner_text("#members")
    assert "欧阳明辉" in members and "沈丽华" in members
    assert "谷阳北路88弄3号" in page.content()
    assert "310117***********" in members
