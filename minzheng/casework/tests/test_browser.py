"""Browser test: one dibao case from intake to enrolment through the UI,
with Debian's Chromium (/usr/bin/chromium) driven by playwright (never
``playwright install``). Each role logs in in turn."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from minzheng.casework.models import Notice
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.registry import services as registry
from minzheng.verification.tests.flows import accepted_verification


def _act(page, action: str, *, confirm: bool = False) -> None:
    button = f"#action-{action} button[type=submit]"
    asked = click_and_confirm(page, button)  # an irreversible step asks first, in the page's dialog
    assert bool(asked) == confirm, asked
    page.wait_for_load_state()
    errors = page.locator(".toast.text-bg-danger")
    assert errors.count() == 0, errors.all_inner_texts()


def _pick_household(page, name: str) -> None:
    """Choose a household in the search picker as a person would: type a member's name, click the match."""
    page.click("#household-form .ts-control")
    page.keyboard.type(name)
    page.locator("#household-form .ts-dropdown .option", has_text=name).first.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dibao_case_from_intake_to_enrolment(live_server, users, make_person, browser_page, tmp_path):  # noqa: F811
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given a two-person household with a low income in 谷阳居委会
    head = make_person("赵建国", dt.date(1972, 8, 8), monthly_income_fen=60000)
    wife = make_person("孙美玲", dt.date(1975, 2, 2), male=False)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳北路66号")
    registry.household_add_member(actor=users["bureau"], household=household, person=wife, relation="配偶")
    verification = accepted_verification(users, household, as_of=dt.date.today(), wages_as_declared_income=True)
    page, base = browser_page, live_server.url
    form_file = tmp_path / "申请书.pdf"
    form_file.write_bytes(b"%PDF-1.4 application form")

    # when committee staff take the application, with the signed form
    browser_login(page, base, "committee")
    page.goto(f"{base}/cases/new/")
    _pick_household(page, "赵建国")
    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#intake-form")
    page.select_option("select[name=program]", "dibao")
    page.select_option("select[name=applicant]", str(head.pk))
    page.fill("textarea[name=note]", "夫妻二人无稳定收入")
    page.set_input_files("input[name=documents]", str(form_file))
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#status")
    case_url = page.url
    assert "已申请" in page.inner_text("#status") and "申请书.pdf" in page.inner_text("#documents")

    # and the street accepts and links the household's accepted verification
    browser_login(page, base, "street")
    page.goto(case_url)
    _act(page, "accept")
    page.select_option("#action-verify select[name=verification_reference]", verification.request.reference)
    _act(page, "verify")
    assert "已核对" in page.inner_text("#status")

    # and the committee visits the home
    browser_login(page, base, "committee")
    page.goto(case_url)
    page.fill("#action-visit input[name=visitors]", "王芳、陈刚")
    page.fill("#action-visit textarea[name=findings]", "家中无贵重物品，情况属实")
    _act(page, "visit")

    # and the street reviews and posts the public notice
    browser_login(page, base, "street")
    page.goto(case_url)
    page.fill("#action-street_review textarea[name=reasons]", "符合低保条件")
    _act(page, "street_review")
    _act(page, "post_notice")
    assert "公示中" in page.inner_text("#status")
    page.goto(f"{base}/cases/notices/{household.committee_id}/")
    notice = page.inner_text("#notice-rows")
    assert "赵*国" in notice and "赵建国" not in notice and "310117***********" in notice

    # and the bureau cannot approve while the notice runs
    browser_login(page, base, "bureau")
    page.goto(case_url)
    assert "公示期内不能审批" in page.inner_text("#action-approve")

    # when the notice period has passed (7 days later)
    today = dt.date.today()
    Notice.objects.filter(application__household=household).update(
        starts_on=today - dt.timedelta(days=8), ends_on=today - dt.timedelta(days=2))
    page.goto(case_url)
    page.fill("#action-approve textarea[name=reasons]", "公示无异议，同意")
    _act(page, "approve")
    assert "不能撤销" in page.get_attribute("#action-decide button[type=submit]", "data-confirm")
    _act(page, "decide", confirm=True)

    # then the household is enrolled with the engine's amount and a decision letter is on file
    assert "已纳入保障" in page.inner_text("#status")
    # 2 × 1690 (the standard from 2026-07-01) − 600 of wages counted in full (the wife is not employed)
    assert "2,780.00 元" in page.inner_text("#enrolment")
    assert "松民救决" in page.inner_text("#letters")
    page.click("a:has-text('电子档案')")
    page.wait_for_selector("#archive-letters")
    assert "申请书.pdf" in page.inner_text("#archive-documents")
    assert "王芳、陈刚" in page.inner_text("#archive-visits")
    page.goto(f"{base}/cases/enrolments/")
    assert "最低生活保障" in page.inner_text("#enrolments") and "保障中" in page.inner_text("#enrolments")
