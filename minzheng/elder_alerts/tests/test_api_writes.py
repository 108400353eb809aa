"""The desk's writes through the API (issue 16: "all through /api/v1, scoped"):
registering terminals and sensors, a terminal's status, a sensor's status and
quiet hours, a call's dispatch/arrival/resolution. Each: success for the
elder's committee, 403 for the auditor, 404 for another committee's elder,
422 with the Chinese reason for a broken rule; times without a zone are
Beijing time, and year-9999 dates and times are 422, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from minzheng.core.models import AuditEntry
from minzheng.elder_alerts import services
from minzheng.elder_alerts.models import AlertTask, Call, CallDevice, SensorKind, SensorReading

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def _send(client: Client, url: str, body: dict, method: str = "post"):
    return getattr(client, method)(url, body, content_type="application/json")


def _refused(response, status: int, text: str = "") -> None:
    assert response.status_code == status, response.content[:400]
    assert text in response.json()["detail"], response.json()


def _local(moment: dt.datetime) -> str:
    """A time as a client without time zones sends it (Beijing time, no offset)."""
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="seconds")


def test_call_device_create_and_status(users, elder, other_elder):
    committee, auditor = _api(users["committee"]), _api(users["auditor"])
    today = timezone.localdate().isoformat()
    body = {"person_id": elder.pk, "number": "YJT-001", "installed_on": today}
    created = _send(committee, "/api/v1/elder-alerts/call-devices", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "in_use" and created.json()["person_name"] == "王阿婆"
    _refused(_send(committee, "/api/v1/elder-alerts/call-devices", body), 422, "已登记")
    _refused(_send(committee, "/api/v1/elder-alerts/call-devices", {**body, "number": "YJT-2",
                                                                   "installed_on": "9999-01-01"}), 422, "过晚")
    _refused(_send(committee, "/api/v1/elder-alerts/call-devices", {**body, "person_id": other_elder.pk}), 404)
    _refused(_send(auditor, "/api/v1/elder-alerts/call-devices", {**body, "number": "YJT-3"}), 403)

    device = created.json()["id"]
    url = f"/api/v1/elder-alerts/call-devices/{device}/status"
    changed = _send(committee, url, {"status": "faulty"})
    assert changed.status_code == 200 and changed.json()["status_label"] == "故障"
    assert AuditEntry.objects.filter(action="elder_alerts.call_device_update").count() == 1
    _refused(_send(auditor, url, {"status": "in_use"}), 403)
    _refused(_send(committee, url, {"status": "lost"}), 422)
    theirs = services.call_device_create(actor=users["bureau"], person=other_elder, number="YJT-9",
                                         installed_on=dt.date(2026, 1, 1))
    _refused(_send(committee, f"/api/v1/elder-alerts/call-devices/{theirs.pk}/status", {"status": "stopped"}), 404)


def test_sensor_create_and_update(users, elder, other_elder):
    committee = _api(users["committee"])
    today = timezone.localdate().isoformat()
    meter = _send(committee, "/api/v1/elder-alerts/sensors", {
        "person_id": elder.pk, "kind": "water_meter", "number": "WM-9", "installed_on": today, "quiet_hours": 10})
    assert meter.status_code == 201 and meter.json()["quiet_hours"] == 10
    # the rule: quiet hours only for a water meter
    _refused(_send(committee, "/api/v1/elder-alerts/sensors", {
        "person_id": elder.pk, "kind": "gas_alarm", "number": "GA-9", "installed_on": today, "quiet_hours": 10}),
        422, "只适用于智能水表")
    _refused(_send(committee, "/api/v1/elder-alerts/sensors", {
        "person_id": other_elder.pk, "kind": "gas_alarm", "number": "GA-9", "installed_on": today}), 404)
    _refused(_send(_api(users["auditor"]), "/api/v1/elder-alerts/sensors", {
        "person_id": elder.pk, "kind": "gas_alarm", "number": "GA-9", "installed_on": today}), 403)

    url = f"/api/v1/elder-alerts/sensors/{meter.json()['id']}"
    updated = _send(committee, url, {"quiet_hours": 24}, "patch")
    assert updated.status_code == 200 and updated.json()["quiet_hours"] == 24 and updated.json()["status"] == "in_use"
    updated = _send(committee, url, {"status": "stopped", "clear_quiet_hours": True}, "patch")
    assert updated.status_code == 200 and updated.json()["quiet_hours"] is None
    assert updated.json()["status"] == "stopped"
    _refused(_send(committee, url, {"quiet_hours": 500}, "patch"), 422)
    _refused(_send(_api(users["auditor"]), url, {"quiet_hours": 12}, "patch"), 403)
    gas = services.sensor_device_create(actor=users["bureau"], person=elder, kind=SensorKind.GAS_ALARM,
                                        number="GA-1", installed_on=dt.date(2026, 1, 1))
    _refused(_send(committee, f"/api/v1/elder-alerts/sensors/{gas.pk}", {"quiet_hours": 12}, "patch"), 422, "智能水表")
    theirs = services.sensor_device_create(actor=users["bureau"], person=other_elder, kind=SensorKind.GAS_ALARM,
                                           number="GA-2", installed_on=dt.date(2026, 1, 1))
    _refused(_send(committee, f"/api/v1/elder-alerts/sensors/{theirs.pk}", {"status": "stopped"}, "patch"), 404)


@pytest.fixture
def calls(users, elder, other_elder):
    called = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    result = {}
    for name, person in (("ours", elder), ("theirs", other_elder)):
        device = CallDevice.objects.create(person=person, number=f"YJT-{name}", installed_on=dt.date(2026, 1, 1))
        result[name] = Call.objects.create(device=device, called_at=called, kind="emergency")
    return result


def test_call_response(users, calls):
    ours, theirs = calls["ours"], calls["theirs"]
    committee = _api(users["committee"])
    url = f"/api/v1/elder-alerts/calls/{ours.pk}/response"
    dispatched = ours.called_at + dt.timedelta(minutes=3)
    recorded = _send(committee, url, {"responder": "committee", "dispatched_at": _local(dispatched)})
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["responder_label"] == "居委" and recorded.json()["arrived_at"] is None
    ours.refresh_from_db()
    assert ours.dispatched_at == dispatched  # a time without a zone is Beijing time
    # only what is sent changes: the arrival keeps the dispatch
    arrived = _send(committee, url, {"arrived_at": (ours.called_at + dt.timedelta(minutes=20)).isoformat()})
    assert arrived.status_code == 200 and arrived.json()["response_minutes"] == 20.0
    assert arrived.json()["responder_label"] == "居委" and arrived.json()["dispatched_at"] is not None
    # rules: not before the call, not in the future; bounded
    _refused(_send(committee, url, {"resolved_at": _local(ours.called_at - dt.timedelta(minutes=1))}), 422,
             "不能早于呼叫时间")
    _refused(_send(committee, url, {"resolved_at": _local(timezone.now() + dt.timedelta(hours=1))}), 422,
             "不能晚于现在")
    _refused(_send(committee, url, {"resolved_at": "9999-12-31T23:59:59+14:00"}), 422, "过晚")
    _refused(_send(committee, url, {"resolved_at": "0001-01-01T00:00:00-12:00"}), 422, "过早")
    _refused(_send(committee, url, {"responder": "police"}), 422)
    # null clears
    cleared = _send(committee, url, {"responder": None, "dispatched_at": None})
    assert cleared.status_code == 200 and cleared.json()["responder_label"] is None
    assert cleared.json()["dispatched_at"] is None and cleared.json()["arrived_at"] is not None
    assert AuditEntry.objects.filter(action="elder_alerts.call_response").count() == 3
    # scope and role
    _refused(_send(committee, f"/api/v1/elder-alerts/calls/{theirs.pk}/response", {"responder": "family"}), 404)
    _refused(_send(_api(users["auditor"]), url, {"responder": "family"}), 403)


def test_task_close_takes_a_time_without_zone(users, gas):
    """The existing close endpoint: a visit time without a zone is Beijing time (it was compared naive with aware)."""
    alarm = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    SensorReading.objects.create(device=gas, at=alarm, alarm=True)
    services.alerts_scan(actor="test", until=timezone.now())
    task = AlertTask.objects.get()
    url = f"/api/v1/elder-alerts/tasks/{task.pk}/close"
    committee = _api(users["committee"])
    _refused(_send(committee, url, {"outcome": "safe", "visited_at": "9999-01-01T00:00:00"}), 422, "过晚")
    closed = _send(committee, url, {"outcome": "safe", "visited_at": _local(alarm + dt.timedelta(minutes=10))})
    assert closed.status_code == 200, closed.content
    task.refresh_from_db()
    assert task.visited_at == alarm + dt.timedelta(minutes=10)
