"""Browser test (Debian's Chromium through playwright): an organization's account
files its annual report from the menu; the bureau's section opens it from the
list and reviews it (基本合格 with a reason); the organization then sees the
conclusion. Accessibility: axe finds nothing serious on the report page."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from minzheng.core.models import Role
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.social_orgs import services
from minzheng.social_orgs.models import AnnualReport, OrganizationAccount
from minzheng.social_orgs.tests.conftest import org_values


def _axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f'{v["id"]}: {[n["html"][:120] for n in v["nodes"]]}' for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organization_files_and_staff_review(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117",
                full_name="陈建华", post="社会组织管理科")
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117", full_name="黄志强", post="秘书长")
    org = services.organization_register(actor="test", today=dt.date.today(), **org_values())
    OrganizationAccount.objects.create(user=account, organization=org)
    page, base = browser_page, live_server.url

    browser_login(page, base, "socorg")
    page.goto(f"{base}/socialorgs/reports/")
    with page.expect_navigation():
        page.click("a:has-text('填报年度报告')")
    for name, value in (("income", "120000"), ("expense", "98000.50"), ("net_assets", "56000"), ("activities", "14"),
                        ("staff", "3"), ("volunteers", "25"), ("party_members", "1")):
        page.fill(f"input[name={name}]", value)
    page.fill("textarea[name=activities_summary]", "为社区老年人开展助餐、探访和健康讲座")
    page.select_option("select[name=party_status]", "instructor")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    assert "已提交" in page.inner_text("body")
    report = AnnualReport.objects.get()
    assert report.expense_fen == 9_800_050 and report.status == "filed"
    page.goto(f"{base}/socialorgs/reports/{report.pk}/")  # without the fading success toast
    assert _axe_serious(page) == []

    browser_login(page, base, "bureau")
    page.goto(f"{base}/socialorgs/reports/?status=filed")
    with page.expect_navigation():
        page.click(f"a:has-text('{org.name}')")
    page.select_option("select[name=conclusion]", "basic")
    page.fill("textarea[name=reasons]", "财务报表未经审计，限期补交")
    with page.expect_navigation():
        page.click("#review-form button[type=submit]")
    assert "已作出年检结论" in page.inner_text("body")
    report.refresh_from_db()
    assert (report.conclusion, report.review_reasons) == ("basic", "财务报表未经审计，限期补交")

    browser_login(page, base, "socorg")
    page.goto(f"{base}/socialorgs/reports/{report.pk}/")
    assert "基本合格" in page.inner_text("#report-facts")
