"""Browser test of the evaluation-grade pages (Debian's Chromium through
playwright): the section scores an application and enters the committee's grade
through the forms; axe finds nothing serious or critical on any grade page, and
nothing is wider than a 390-pixel phone screen."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from minzheng.core.models import Role
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.social_orgs import grades, services
from minzheng.social_orgs.grade_models import GradeReward
from minzheng.social_orgs.tests.conftest import org_values
from minzheng.social_orgs.tests.test_browser import _axe_serious
from minzheng.social_orgs.tests.test_grades import report


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grade_pages_in_a_browser(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117",
                full_name="陈建华", post="社会组织管理科")
    today = dt.date.today()
    org = services.organization_register(actor="test", today=today, **org_values())
    report(org, today.year - 2)
    report(org, today.year - 1)
    round_ = grades.round_open(actor="test", year=today.year, opens_on=dt.date(today.year, 1, 1),
                               closes_on=dt.date(today.year, 12, 31), today=today)
    application = grades.application_submit(actor="test", organization=org, round=round_, applied_on=today,
                                            today=today)
    page, base = browser_page, live_server.url

    browser_login(page, base, "bureau")
    page.goto(f"{base}/socialorgs/grades/{application.pk}/")
    page.fill("#score-form input[name=expert]", "张专家")
    page.fill("#score-form input[name=score]", "865")
    with page.expect_navigation():
        page.click("#score-form button[type=submit]")
    assert "865" in page.inner_text("#scores")
    page.select_option("#decide-form select[name=grade]", "4a")
    page.select_option("#decide-form select[name=party_status]", "joint")
    page.fill("#decide-form input[name=basis]", "评估委员会审定")
    with page.expect_navigation():
        page.click("#decide-form button[type=submit]")
    assert "4A级" in page.inner_text("#grade-facts")
    reward = GradeReward.objects.get()
    paths = ["/socialorgs/grades/", f"/socialorgs/grades/{application.pk}/", "/socialorgs/grades/apply/",
             "/socialorgs/grades/rounds/", "/socialorgs/grades/valid/", "/socialorgs/grades/sanctions/",
             "/socialorgs/grades/rewards/", f"/socialorgs/grades/rewards/{reward.pk}/",
             "/socialorgs/grades/rewards/parameters/"]
    for path in paths:
        page.goto(f"{base}{path}")
        assert _axe_serious(page) == [], path
    page.goto(f"{base}/socialorgs/grades/rewards/{reward.pk}/")
    assert "参数缺失：等级评估奖励金额未录入" in page.inner_text("#missing")
    page.set_viewport_size({"width": 390, "height": 800})
    for path in paths:
        page.goto(f"{base}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not wide, path
