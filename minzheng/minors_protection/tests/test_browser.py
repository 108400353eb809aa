"""Browser test (Debian's Chromium through playwright): the station head, assigned
at the report, finds the case in the list (name masked), assesses it, records a
family visit and its outcome and closes the case; the case shows 已结案 and each
opening of the case page is on the audit trail."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.core.models import AuditEntry, Division, Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.minors_protection import services
from minzheng.minors_protection.models import Case, CaseStatus, ConcernKind, StaffPosition
from minzheng.registry.services import person_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_assigned_head_works_a_case_to_closure(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    services.reference_seed_missing()
    street = Division.objects.get(code="310117001")
    committee_create(actor="test", street=street, code="310117001001", name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU, scope_code="310117")
    head = user_create(actor="test", username="zz", password="pass-12345", role=Role.STREET, scope_code="310117001")
    station = services.station_create(actor=bureau, street=street, name="岳阳街道未成年人保护工作站")
    services.station_staff_add(actor=bureau, station=station, name="站长", position=StaffPosition.HEAD, user=head)
    child = person_create(actor=bureau, name="李小红", committee_code="310117001001",
                          id_number=make_id_number(timezone.localdate() - dt.timedelta(days=9 * 366), male=False))
    case = services.case_report(actor=bureau, child=child, kinds=list(ConcernKind.objects.filter(code="guardianship")),
                                urgency="high", description="孩子常独自在家", reporter_kind="public")
    page, base = browser_page, live_server.url

    browser_login(page, base, "zz")
    page.goto(f"{base}/minors/")
    assert "李*红" in page.locator("#minors-cases").inner_text()
    with page.expect_navigation():
        page.click(f"text={case.number}")
    page.select_option("#assess-form select[name=risk_level]", "medium")
    page.fill("#assess-form textarea[name=assessment]", "监护不当，需家访")
    with page.expect_navigation():
        page.click("#assess-form button[type=submit]")
    page.select_option("#measure-form select[name=kind]", "family_visit")
    page.fill("#measure-form textarea[name=detail]", "上门了解情况")
    with page.expect_navigation():
        page.click("#measure-form button[type=submit]")
    page.fill(".outcome-form input[name=outcome]", "家长承诺安排照料")
    with page.expect_navigation():
        page.click(".outcome-form button[type=submit]")
    page.select_option("#close-form select[name=reason]", "guardianship")
    with page.expect_navigation():
        page.click("#close-form button[type=submit]")
    assert page.locator("#case-status").inner_text() == "已结案"
    assert page.locator("#case-close-reason").inner_text() == "监护已落实或已安置"
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="minors.case_view", actor="zz").count() == 5  # every opening
