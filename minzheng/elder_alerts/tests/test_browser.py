"""Browser test (Debian's Chromium through playwright): a gas alarm becomes an
alert and a visit task; the committee finds it in its inbox, opens it and
closes it with the outcome 平安; the task shows 已办结."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from conftest import make_id_number
from minzheng.core.models import Role
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.core.tests.web import browser_login
from minzheng.elder_alerts import services
from minzheng.elder_alerts.models import AlertTask, SensorKind, SensorReading, TaskStatus
from minzheng.registry.services import person_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_alert_becomes_a_visit_and_is_closed(live_server, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    division_load_tree(actor="test")
    services.rules_seed_missing()
    from minzheng.core.models import Division

    committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001",
                     name="谷阳居委会", village=False)
    bureau = user_create(actor="test", username="bureau", password="pass-12345", role=Role.BUREAU,
                         scope_code="310117")
    user_create(actor="test", username="jw", password="pass-12345", role=Role.COMMITTEE, scope_code="310117001001")
    elder = person_create(actor=bureau, name="王阿婆", id_number=make_id_number(dt.date(1940, 3, 8), male=False),
                          committee_code="310117001001")
    gas = services.sensor_device_create(actor=bureau, person=elder, kind=SensorKind.GAS_ALARM, number="GA-1",
                                        installed_on=timezone.localdate() - dt.timedelta(days=3))
    alarm_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    SensorReading.objects.create(device=gas, at=alarm_at, alarm=True)
    assert services.alerts_scan(actor="test", until=timezone.now())["新增任务"] == 1
    task = AlertTask.objects.get()
    page, base = browser_page, live_server.url

    browser_login(page, base, "jw")
    link = page.locator("a", has_text="王阿婆").first  # the inbox's 居家安全提醒待上门
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"/eldercare/alerts/tasks/{task.pk}/")
    assert "燃气报警" in page.locator("h2, h1").first.inner_text()
    page.select_option("select[name=outcome]", "safe")
    page.fill("textarea[name=note]", "老人在家，燃气已关闭")
    with page.expect_navigation():
        page.click("#task-close-form button[type=submit]")
    assert page.locator("#task-status").inner_text() == "已办结"
    assert page.locator("#task-outcome").inner_text() == "平安"
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_by == "jw"
