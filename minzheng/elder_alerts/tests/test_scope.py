"""Scope: a committee sees its own elders' devices, calls and tasks; another
committee's record is 404 on the pages and in the API; a street sees its street;
the command prints JSON counts and creates nothing the second time; the
committee's inbox and the dashboard show the open tasks."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from minzheng.care_facilities.dashboard import dashboard_sections
from minzheng.elder_alerts import services
from minzheng.elder_alerts.models import AlertTask, Call, SensorKind, SensorReading, TaskStatus
from minzheng.elder_alerts.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tasks(elder, other_elder, users):
    """One gas-alarm task in 谷阳居委会 (the committee user's), one in 乐都居委会."""
    for person, number in ((elder, "GA-1"), (other_elder, "GA-2")):
        device = services.sensor_device_create(actor=users["bureau"], person=person, kind=SensorKind.GAS_ALARM,
                                               number=number, installed_on=dt.date(2026, 11, 1))
        SensorReading.objects.create(device=device, at=at(10, 9), alarm=True)
    services.alerts_scan(actor="test", until=at(10, 9, 5))
    return (AlertTask.objects.get(alert__person=elder), AlertTask.objects.get(alert__person=other_elder))


def login(users, name):
    client = Client()
    client.force_login(users[name])
    return client


def api(name):
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": name, "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_another_committees_task_is_404_on_pages_and_api(two_tasks, users):
    own, other = two_tasks
    client = login(users, "committee")
    assert client.get(f"/eldercare/alerts/tasks/{own.pk}/").status_code == 200
    assert client.get(f"/eldercare/alerts/tasks/{other.pk}/").status_code == 404
    assert client.post(f"/eldercare/alerts/tasks/{other.pk}/", {"outcome": "safe"}).status_code == 404
    page = client.get("/eldercare/alerts/tasks/").content.decode()
    assert "王阿婆" in page and "李老伯" not in page
    c, auth = api("committee")
    assert c.get(f"/api/v1/elder-alerts/tasks/{other.pk}", **auth).status_code == 404
    assert c.post(f"/api/v1/elder-alerts/tasks/{other.pk}/close", {"outcome": "safe"},
                  content_type="application/json", **auth).status_code == 404
    rows = c.get("/api/v1/elder-alerts/tasks", **auth).json()
    assert rows["count"] == 1 and rows["results"][0]["person_name"] == "王阿婆"
    done = c.post(f"/api/v1/elder-alerts/tasks/{own.pk}/close", {"outcome": "safe", "note": "老人在家，平安"},
                  content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["outcome_label"] == "平安"
    assert c.post(f"/api/v1/elder-alerts/tasks/{own.pk}/close", {"outcome": "safe"},
                  content_type="application/json", **auth).status_code == 422
    other_street, auth2 = api("other_street")
    assert other_street.get(f"/api/v1/elder-alerts/tasks/{own.pk}", **auth2).status_code == 404
    street = login(users, "street")
    assert street.get(f"/eldercare/alerts/tasks/{other.pk}/").status_code == 200


def test_calls_and_devices_are_scoped(elder, other_elder, users):
    mine = services.call_device_create(actor=users["committee"], person=elder, number="YJT-1",
                                       installed_on=dt.date(2026, 10, 1))
    with pytest.raises(Exception) as err:
        services.call_device_create(actor=users["committee"], person=other_elder, number="YJT-2",
                                    installed_on=dt.date(2026, 10, 1))
    assert err.value.__class__.__name__ == "OutOfScope"
    theirs = services.call_device_create(actor=users["bureau"], person=other_elder, number="YJT-2",
                                         installed_on=dt.date(2026, 10, 1))
    call = Call.objects.create(device=theirs, called_at=at(10, 8), kind="emergency")
    Call.objects.create(device=mine, called_at=at(10, 8), kind="chat")
    client = login(users, "committee")
    assert client.get(f"/eldercare/alerts/calls/{call.pk}/").status_code == 404
    page = client.get("/eldercare/alerts/devices/").content.decode()
    assert "YJT-1" in page and "YJT-2" not in page
    assert client.get("/eldercare/alerts/").status_code == 200
    c, auth = api("committee")
    assert c.get("/api/v1/elder-alerts/calls", **auth).json()["count"] == 1
    assert c.get("/api/v1/elder-alerts/call-devices", **auth).json()["count"] == 1
    assert c.get("/api/v1/elder-alerts/calls/figures?days=366", **auth).status_code == 200


def test_the_command_prints_counts_and_a_second_run_creates_nothing(gas):
    SensorReading.objects.create(device=gas, at=at(10, 9), alarm=True)
    out = StringIO()
    call_command("elderly_alerts", "scan", "--until", "2026-11-10 09:30", stdout=out)
    first = json.loads(out.getvalue())
    assert first["新增提醒"]["燃气报警"] == 1 and "燃气报警" in out.getvalue()
    out = StringIO()
    call_command("elderly_alerts", "scan", "--until", "2026-11-10 09:30", stdout=out)
    assert json.loads(out.getvalue())["新增任务"] == 0


def test_the_inbox_and_the_dashboard_show_open_tasks(two_tasks, users):
    home = login(users, "committee").get("/").content.decode()  # the workbench's inbox
    assert "居家安全提醒待上门" in home and "王阿婆" in home and "李老伯" not in home
    figures = {s.title: s for s in dashboard_sections(users["bureau"], dt.date(2026, 11, 10))}
    section = figures["一键通和居家安全提醒"]
    assert section.rows["310117001"][4] == 2 and section.totals[4] == 2
    AlertTask.objects.update(status=TaskStatus.CLOSED, outcome="safe")
    assert "当前没有待处置的居家安全提醒" in login(users, "committee").get("/").content.decode()


def test_rules_page_and_edit_are_the_bureaus(rules, users):
    assert login(users, "committee").get("/eldercare/alerts/rules/").status_code == 200
    assert login(users, "committee").post("/eldercare/alerts/rules/1/", {}).status_code == 403


def test_every_page_renders_for_the_bureau(two_tasks, users):
    own, _ = two_tasks
    device = services.call_device_create(actor=users["bureau"], person=own.alert.person, number="YJT-9",
                                         installed_on=dt.date(2026, 10, 1))
    call = Call.objects.create(device=device, called_at=at(10, 8), kind="medical", arrived_at=at(10, 8, 40))
    client = login(users, "bureau")
    for url in ("/eldercare/alerts/", "/eldercare/alerts/devices/", "/eldercare/alerts/devices/new/",
                "/eldercare/alerts/calls/", f"/eldercare/alerts/calls/{call.pk}/", "/eldercare/alerts/sensors/",
                "/eldercare/alerts/sensors/new/", "/eldercare/alerts/tasks/", f"/eldercare/alerts/tasks/{own.pk}/",
                "/eldercare/alerts/rules/", "/eldercare/alerts/tasks/?_export=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
    rule = own.alert.rule
    response = client.post(f"/eldercare/alerts/rules/{rule.pk}/", {"label": "燃气报警：立即上门", "enabled": "on",
                                                                   "response_minutes": "20"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.label, rule.response_minutes) == ("燃气报警：立即上门", 20)
    response = client.post(f"/eldercare/alerts/calls/{call.pk}/", {"responder": "ambulance",
                                                                   "arrived_at": "2026-11-10T08:30"})
    call.refresh_from_db()
    assert response.status_code == 302 and call.response_minutes == 30
