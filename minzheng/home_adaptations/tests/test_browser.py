"""Browser test (Debian's Chromium through playwright): a home adaptation from
the committee's application (elder found with the person picker) through the
street's assessment, contractor, completion photo, completion and acceptance;
the subsidy shows 参数缺失 while the catalogue has no subsidy share (never 0),
and can be requested once the bureau has set one citing its document."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.urls import reverse

from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.home_adaptations import services
from minzheng.home_adaptations.models import Application, CatalogueItem, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_adaptation_from_application_to_subsidy(live_server, users, make_person, browser_page, tmp_path):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # the seeded catalogue, as the migration leaves it (a transactional test starts after a flush)
    importlib.import_module("minzheng.home_adaptations.migrations.0002_seed_catalogue_targets").seed(apps, None)
    make_person(name="郑阿婆", birth=dt.date(1939, 2, 2), male=False)
    services.contractor_create(actor=users["bureau"], name="松江安居装饰有限公司", uscc=_uscc())
    photo = tmp_path / "完工.png"
    photo.write_bytes(PNG)
    page, base = browser_page, live_server.url

    browser_login(page, base, "committee")
    page.goto(base + reverse("home_adaptations:application_new"))
    page.click("#application-form .ts-control")
    page.keyboard.type("郑阿婆")
    page.locator("#application-form .ts-dropdown .option", has_text="郑阿婆").first.click()
    page.fill("#application-form input[name=address]", "谷阳北路8弄3号101室")
    with page.expect_navigation():
        page.click("#application-form button[type=submit]")
    application = Application.objects.get()
    detail = base + reverse("home_adaptations:application_detail", args=[application.pk])

    browser_login(page, base, "street")
    page.goto(detail)
    grab_bar = CatalogueItem.objects.get(code="grab_bar")
    page.fill(f"#qty-{grab_bar.pk}", "2")
    page.fill("#assessor", "评估员陆")
    _submit(page, "#assess-form")
    page.select_option("#contractor", label="松江安居装饰有限公司")
    _submit(page, "#contract-form")
    page.set_input_files("#photo", str(photo))
    _submit(page, "#photo-form")
    _submit(page, "#complete-form")
    page.fill("#accepted-by", "街道验收组")
    _submit(page, "#accept-form")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED

    browser_login(page, base, "bureau")
    page.goto(detail)
    assert "参数缺失" in page.inner_text("#subsidy-problem")  # no share configured: refused, never 0
    services.item_update(actor=users["bureau"], item=grab_bar, unit_price_fen=grab_bar.unit_price_fen,
                         price_basis=grab_bar.price_basis or "测试价格", subsidy_percent=80,
                         subsidy_basis="测试：区民政局改造补贴标准（文号）")
    page.goto(detail)
    assert "480.00" in page.content()  # 2 × 300 元 × 80%
    with page.expect_navigation():
        click_and_confirm(page, "button:has-text('申请发放补贴')")
    application.refresh_from_db()
    assert application.subsidy_fen == 48000 and application.payment_reference


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    errors = page.locator(".toast.text-bg-danger")
    assert errors.count() == 0, errors.all_inner_texts()


def _uscc() -> str:
    from stdnum.cn import uscc

    body = "91310117MA1G5X2Y3"
    return body + uscc.calc_check_digit(body)
