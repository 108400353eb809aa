"""Browser test (Debian's Chromium through playwright): a committee user
fills the year's sweep checklist for a child and for the committee."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.children import services
from minzheng.children.models import Category, ChildCheck, CommitteeCheck
from minzheng.children.tests.conftest import seed_if_flushed
from minzheng.core.models import Division, Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.registry.services import person_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_committee_fills_the_sweep_checklist(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    seed_if_flushed()
    committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001",
                     name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117")
    user_create(actor="test", username="jw", password="pass-12345", role=Role.COMMITTEE, scope_code="310117001001")
    today = timezone.localdate()
    kid = person_create(actor=bureau, name="小明", id_number=make_id_number(dt.date(2016, 3, 8)),
                        committee_code="310117001001")
    child = services.child_register(actor=bureau, person=kid, category=Category.objects.get(code="poor"),
                                    started_on=today, evidence_kind="enrolment", evidence="低保家庭")
    campaign = services.campaign_open(actor=bureau, year=today.year, started_on=today, due_on=today)
    page, base = browser_page, live_server.url

    browser_login(page, base, "jw")
    page.goto(f"{base}/children/sweep/")
    with page.expect_navigation():
        page.click("#committees a:has-text('谷阳居委会')")
    form = page.locator(f"#child-{child.pk} form")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已核查" in page.locator(f"#child-{child.pk}").inner_text()
    committee_form = page.locator("#committee-check-form")
    for box in committee_form.locator("input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        committee_form.locator("button[type=submit]").click()
    assert "已填写" in page.locator("body").inner_text()
    check = ChildCheck.objects.get(campaign=campaign, child=child)
    assert check.outcome == "unchanged" and all(check.answers.values()) and check.checked_by == "jw"
    assert CommitteeCheck.objects.get(campaign=campaign).checked_by == "jw"
