"""/api/v1/bookings: scoped lists, free slots, hold/confirm/cancel/check-in,
and every refusal a 4xx with the Chinese reason (never 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.bookings.models import Slot

pytestmark = pytest.mark.django_db


def api(username: str) -> tuple[Client, dict]:
    client = Client()
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return client, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def post(username, path, body):
    client, auth = api(username)
    return client.post(path, body, content_type="application/json", **auth)


def test_resources_are_scoped(users, office, street_hall):
    client, auth = api("street")
    names = {r["name"] for r in client.get("/api/v1/bookings/resources", **auth).json()}
    assert names == {"松江区婚姻登记处1号窗口"}
    client, auth = api("other_street")
    rows = client.get("/api/v1/bookings/resources", **auth).json()
    assert {r["name"] for r in rows} == {"松江区婚姻登记处1号窗口", "思泾殡仪厅"}
    assert {r["kind_label"] for r in rows} == {"婚姻登记窗口", "殡仪厅"}
    client, auth = api("committee")
    assert client.get("/api/v1/bookings/resources", **auth).status_code == 403
    client, auth = api("street")
    assert client.get(f"/api/v1/bookings/resources/{street_hall.pk}/free-slots?date_from=2026-01-01"
                      f"&date_to=2026-01-02", **auth).status_code == 404


def test_free_slots_hold_confirm_cancel(users, office, slots, future_day, couple):
    client, auth = api("street")
    url = f"/api/v1/bookings/resources/{office.pk}/free-slots?date_from={future_day}&date_to={future_day}"
    free = client.get(url, **auth).json()
    assert [s["free"] for s in free] == [2] * 5
    people = couple()
    body = {"slot_id": free[0]["id"], "parties": [{"name": n, "id_number": i} for n, i in people],
            "purpose": "结婚登记", "contact_phone": "13812345678"}
    held = post("street", "/api/v1/bookings", body)
    assert held.status_code == 201, held.json()
    booking = held.json()
    assert booking["status_label"] == "暂留" and booking["parties"][0]["id_number_masked"].endswith(people[0][1][-1])
    assert people[0][1] not in held.content.decode()
    again = post("street", "/api/v1/bookings", body)
    assert again.status_code == 409 and "已有一个有效的婚姻登记预约" in again.json()["detail"]
    assert post("street", f"/api/v1/bookings/{booking['id']}/confirm", {}).json()["status"] == "confirmed"
    second = post("street", f"/api/v1/bookings/{booking['id']}/confirm", {})
    assert second.status_code == 409 and "已确认" in second.json()["detail"]
    early = post("street", f"/api/v1/bookings/{booking['id']}/check-in", {})
    assert early.status_code == 422 and "未到" in early.json()["detail"]
    cancelled = post("street", f"/api/v1/bookings/{booking['id']}/cancel", {"reason": "改期"})
    assert cancelled.json()["status_label"] == "已取消"
    assert Slot.objects.get(pk=free[0]["id"]).booked == 0


def test_refusals_are_4xx_in_chinese(users, office, slots, future_day, couple):
    slot = slots[0]
    bad_id = post("bureau", "/api/v1/bookings", {"slot_id": slot.pk, "parties": [{"name": "张三", "id_number": "123"}],
                                                 "purpose": "结婚登记"})
    assert bad_id.status_code == 422 and "身份证号码应为18位" in bad_id.json()["detail"]
    bad_phone = post("bureau", "/api/v1/bookings", {"slot_id": slot.pk, "parties": [
        {"name": n, "id_number": i} for n, i in couple()], "purpose": "结婚登记", "contact_phone": "12"})
    assert bad_phone.status_code == 422 and "手机号码" in bad_phone.json()["detail"]
    for _ in range(2):
        assert post("bureau", "/api/v1/bookings", {"slot_id": slot.pk, "confirm": True, "purpose": "结婚登记",
                                                   "parties": [{"name": a, "id_number": b} for a, b in couple()]
                                                   }).status_code == 201
    full = post("bureau", "/api/v1/bookings", {"slot_id": slot.pk, "purpose": "结婚登记",
                                               "parties": [{"name": a, "id_number": b} for a, b in couple()]})
    assert full.status_code == 409 and full.json()["detail"] == "该时段已约满"
    assert post("bureau", "/api/v1/bookings", {"slot_id": 10**12, "purpose": "x", "parties": [
        {"name": "a", "id_number": "b"}]}).status_code == 404
    assert post("bureau", "/api/v1/bookings", {"slot_id": slot.pk, "purpose": "x", "parties": []}).status_code == 422
    client, auth = api("bureau")
    wide = client.get(f"/api/v1/bookings/resources/{office.pk}/free-slots?date_from=2026-01-01&date_to=2026-12-31",
                      **auth)
    assert wide.status_code == 422 and "最多" in wide.json()["detail"]
    reversed_range = client.get(f"/api/v1/bookings/resources/{office.pk}/free-slots?date_from={future_day}"
                                f"&date_to={future_day - dt.timedelta(days=1)}", **auth)
    assert reversed_range.status_code == 422
    assert client.get(f"/api/v1/bookings/resources/{office.pk}/free-slots?date_from=x&date_to=y",
                      **auth).status_code == 422
    assert post("auditor", f"/api/v1/bookings/{10**6}/confirm", {}).status_code in (403, 404)
