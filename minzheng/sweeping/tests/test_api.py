"""The API exactly as the issue gives it: cemeteries with their dates, the
slots of a day with the places left, a reservation (201 / 409 / 422), and a
proxy order by its code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from minzheng.sweeping import services
from minzheng.sweeping.models import Reservation

pytestmark = pytest.mark.django_db


def api(username: str) -> tuple[Client, dict]:
    client = Client()
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return client, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def book(auth_client, body):
    client, auth = auth_client
    return client.post("/api/v1/sweeping/bookings", body, content_type="application/json", **auth)


def test_cemeteries_with_their_dates(cemetery_user, cemetery, other_cemetery, period, peak_day):
    client, auth = api("cemetery")
    rows = client.get("/api/v1/sweeping/cemeteries", **auth).json()
    assert rows == [{"id": cemetery.pk, "name": "测试福寿园", "dates": [peak_day.isoformat()]}]  # no area: not listed


def test_slots_of_a_day(cemetery_user, cemetery, sweeping_slots, peak_day):
    client, auth = api("cemetery")
    rows = client.get(f"/api/v1/sweeping/slots?cemetery={cemetery.pk}&date={peak_day}", **auth).json()
    assert [set(r) >= {"id", "starts_at", "capacity", "remaining"} for r in rows] == [True, True]
    assert [(r["id"], r["capacity"], r["remaining"]) for r in rows] == [(s.slot_id, 5, 5) for s in sweeping_slots]
    assert dt.datetime.fromisoformat(rows[0]["starts_at"]) == sweeping_slots[0].slot.start
    assert client.get(f"/api/v1/sweeping/slots?cemetery=999999&date={peak_day}", **auth).status_code == 404
    assert client.get(f"/api/v1/sweeping/slots?cemetery={cemetery.pk}&date=4月1日", **auth).status_code == 422


def test_book_201_then_409_when_full(cemetery_user, cemetery, sweeping_slots, person, peak_day):
    auth_client = api("cemetery")
    slot_id = sweeping_slots[0].slot_id
    name, number = person(20)
    made = book(auth_client, {"slot": slot_id, "name": name, "id_number": number, "phone": "13800001111",
                              "companions": 4})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert Reservation.objects.get(code=body["code"]).people == 5 and body["people"] == 5
    client, auth = auth_client
    rows = client.get(f"/api/v1/sweeping/slots?cemetery={cemetery.pk}&date={peak_day}", **auth).json()
    assert rows[0]["remaining"] == 0
    name, number = person(21)
    full = book(auth_client, {"slot": slot_id, "name": name, "id_number": number, "phone": "13800001112",
                              "companions": 0})
    assert full.status_code == 409 and full.json()["detail"] == "该时段已约满"


def test_422_for_bad_input(cemetery_user, sweeping_slots, person):
    auth_client = api("cemetery")
    name, number = person(22)
    good = {"slot": sweeping_slots[0].slot_id, "name": name, "id_number": number, "phone": "13800001111",
            "companions": 0}
    too_many = book(auth_client, {**good, "companions": 5})
    assert too_many.status_code == 422 and too_many.json()["problems"][0]["field"] == "companions"
    assert book(auth_client, {**good, "id_number": "310117"}).status_code == 422
    assert book(auth_client, {**good, "phone": "12"}).status_code == 422
    assert book(auth_client, {k: v for k, v in good.items() if k != "name"}).status_code == 422
    assert book(auth_client, {**good, "slot": 99999999}).status_code == 404
    assert Reservation.objects.count() == 0


def test_422_before_the_opening_time(users, cemetery_user, area, person):
    from minzheng.sweeping.models import PeakKind, SweepingSlot

    opens = timezone.now() + dt.timedelta(days=1)
    period = services.period_create(actor=users["bureau"], kind=PeakKind.QINGMING, title="明年清明", cemetery=None,
                                    booking_opens_at=opens, cap_percent=50)
    services.day_set(actor=users["bureau"], period=period, date=timezone.localdate() + dt.timedelta(days=8),
                     times="07:00-08:30")
    services.period_generate_slots(actor=users["bureau"], period=period)
    name, number = person(23)
    refused = book(api("cemetery"), {"slot": SweepingSlot.objects.get(period=period).slot_id, "name": name,
                                     "id_number": number, "phone": "13800001111", "companions": 0})
    assert refused.status_code == 422
    assert f"{timezone.localtime(opens):%Y年%m月%d日 %H:%M}开始预约" in refused.json()["detail"]


def test_roles_and_scope(users, cemetery_user, sweeping_slots, person):
    client, auth = api("committee")
    assert client.get("/api/v1/sweeping/cemeteries", **auth).status_code == 403
    assert Client().get("/api/v1/sweeping/cemeteries").status_code == 401


def test_proxy_order_by_code(cemetery_user, cemetery, settings, tmp_path):
    from minzheng.sweeping.tests.test_proxy import png

    settings.MEDIA_ROOT = tmp_path
    order = services.proxy_order_create(actor=cemetery_user, cemetery=cemetery, deceased_name="王老先生",
                                        grave_location="三区12排5号", service_date=timezone.localdate(),
                                        services=["clean"], family_name="王小明", family_phone="13700003333")
    client, auth = api("cemetery")
    body = client.get(f"/api/v1/sweeping/proxy-orders/{order.code}", **auth).json()
    assert body["status"] == "accepted" and body["status_label"] == "已受理" and body["photos"] == []
    services.proxy_order_complete(actor=cemetery_user, order=order, note="已清扫", photos=[png()])
    body = client.get(f"/api/v1/sweeping/proxy-orders/{order.code.lower()}", **auth).json()
    assert body["status_label"] == "已完成" and len(body["photos"]) == 1
    photo = client.get(body["photos"][0]["url"])  # the page checks the signed-in session
    assert photo.status_code == 302
    client.force_login(cemetery_user)
    photo = client.get(body["photos"][0]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert client.get("/api/v1/sweeping/proxy-orders/NOPE2345", **auth).status_code == 404
