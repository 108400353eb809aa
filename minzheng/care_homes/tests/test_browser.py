"""Browser test (Debian's Chromium through playwright): the operator signs in,
the home page leads to their institution, they admit a resident onto a free
bed and discharge her; the bed is free again. Accessibility: axe finds
nothing serious on the institution page."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.care_homes import services
from minzheng.care_homes.models import Resident
from minzheng.core.models import Division, Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm


def _axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f'{v["id"]}: {[n["html"][:120] for n in v["nodes"]]}' for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_admits_and_discharges(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    street = Division.objects.get(code="310117001")
    committee = committee_create(actor="test", street=street, code="310117001001", name="谷阳居委会", village=False)
    home = Facility.objects.create(name="测试福利院", kind=FacilityKind.CARE_HOME, street=street, committee=committee,
                                   status=FacilityStatus.OPERATING, beds=2)
    operator = user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                           scope_code="310117", full_name="郑秀英", post="院长助理")
    FacilityStaff.objects.create(user=operator, facility=home)
    services.room_create(actor=operator, facility=home, number="101", beds=2)
    page, base = browser_page, live_server.url

    browser_login(page, base, "carehome")
    with page.expect_navigation():
        page.click("a:has-text('测试福利院')")
    assert page.url.endswith(f"/eldercare/institutions/{home.pk}/")
    assert _axe_serious(page) == []
    with page.expect_navigation():
        page.click("a:has-text('登记入住')")
    page.fill("input[name=name]", "王阿婆")
    page.fill("input[name=id_number]", make_id_number(dt.date(1938, 3, 2), male=False))
    page.select_option("select[name=bed]", label="101-1（普通床位）")
    with page.expect_navigation():
        page.click("#resident-form button[type=submit]")
    resident = Resident.objects.get()
    assert page.url.endswith(f"/eldercare/institutions/residents/{resident.pk}/")
    assert resident.bed.number == "101-1"
    page.fill("#discharge-form input[name=discharged_on]", timezone.localdate().isoformat())
    page.select_option("#discharge-form select[name=reason]", label="回家")
    with page.expect_navigation():
        click_and_confirm(page, "#discharge-form button[type=submit]")
    assert "床位已空出" in page.content()
    resident.refresh_from_db()
    assert resident.discharged_on == timezone.localdate()
