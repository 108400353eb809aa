"""Browser test (Debian's Chromium through playwright): the cemetery's staff
book a sweeping slot at the counter, the confirmation page shows the code and
its QR code, and the gate checks the code in — once; a second check-in is
refused. Accessibility: axe finds nothing serious on the three pages."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.cemeteries.models import Cemetery, CemeteryKind
from minzheng.core.models import Division, Role
from minzheng.core.services import division_load_tree, user_create
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.sweeping import services
from minzheng.sweeping.models import PeakKind, Reservation, SweepingSlot


def _axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f'{v["id"]}: {[n["html"][:120] for n in v["nodes"]]}' for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_book_at_the_counter_then_check_in_at_the_gate(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117")
    user_create(actor="test", username="cemetery", password="pass-12345", role=Role.CEMETERY, scope_code="310117",
                full_name="钱伟", post="公墓工作人员")
    cemetery = Cemetery.objects.create(name="测试福寿园", kind=CemeteryKind.COMMERCIAL_CEMETERY,
                                       street=Division.objects.get(code="310117001"), operator="测试陵园有限公司")
    services.area_create(actor=bureau, cemetery=cemetery, name="一区", physical_capacity=20)
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=90)
    if end.date() != now.date():
        pytest.skip("too close to midnight for a slot today")
    period = services.period_create(actor=bureau, kind=PeakKind.OTHER, title="测试祭扫", cemetery=cemetery,
                                    booking_opens_at=timezone.now() - dt.timedelta(hours=1), cap_percent=50)
    services.day_set(actor=bureau, period=period, date=now.date(), times=f"{start:%H:%M}-{end:%H:%M}")
    services.period_generate_slots(actor=bureau, period=period)
    slot = SweepingSlot.objects.get(period=period)
    id_number = make_id_number(dt.date(1962, 4, 5))
    page, base = browser_page, live_server.url

    # the counter: the day's slots, then the form
    browser_login(page, base, "cemetery")
    page.goto(f"{base}/sweeping/?cemetery={cemetery.pk}&date={now.date().isoformat()}")
    row = page.locator("#slots tbody tr", has_text="一区")
    assert "10" in row.inner_text()  # 20 people × 50 %
    assert _axe_serious(page) == []
    with page.expect_navigation():
        row.locator("a:has-text('预约')").click()
    assert page.url.endswith(f"/sweeping/slots/{slot.slot_id}/book/")
    page.fill("input[name=name]", "王建国")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=phone]", "13800001111")
    page.fill("input[name=companions]", "3")
    with page.expect_navigation():
        click_and_confirm(page, "form button[type=submit]:has-text('预约')")
    reservation = Reservation.objects.get()
    assert page.url.endswith(f"/sweeping/r/{reservation.code}/")
    shown = page.locator("#reservation-code").inner_text().replace("-", "")
    assert shown == reservation.code and id_number not in page.content()
    assert page.locator("img[alt*='二维码']").evaluate("img => img.complete && img.naturalWidth > 0")
    page.goto(page.url)  # without the fading "预约成功" toast
    assert _axe_serious(page) == []

    # the gate: the code as the scanner types it (the QR content is the code)
    page.goto(f"{base}/sweeping/gate/")
    assert _axe_serious(page) == []
    page.fill("input[name=code]", reservation.code.lower())
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('核验')")
    assert "可以入园：4人" in page.locator("#gate-result").inner_text()
    page.fill("input[name=code]", reservation.code)
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('核验')")
    assert "不能重复核验" in page.locator("#gate-refusal").inner_text()
    reservation.refresh_from_db()
    assert reservation.checked_in_at is not None and reservation.booking.status == "arrived"
