"""Pages and API of the funeral services: who may see and do what (403 wrong
role, 404 outside the jurisdiction), the order pages, the bill PDF in Chinese,
the API's 201/404/409/422 with Chinese messages, and the online share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_id_number
from minzheng.core.models import Role
from minzheng.core.personal_data import decrypt, encrypt
from minzheng.core.services import user_create
from minzheng.funeral import bill_pdf as bill_module
from minzheng.funeral import services
from minzheng.funeral.models import Channel, FuneralHome, FuneralOrder, OrderStatus
from minzheng.funeral.statistics import funeral_statistics

pytestmark = pytest.mark.django_db


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def test_roles_on_the_pages(place, clerk, users, hall):
    order = place(transport=1, cremation=1)
    pages = [reverse("funeral:order_list"), reverse("funeral:order_detail", args=[order.pk]),
             reverse("funeral:hall_day"), reverse("funeral:catalogue"), reverse("funeral:statistics")]
    for url in pages + [reverse("funeral:order_new")]:
        assert _web(clerk).get(url).status_code == 200, url
    for url in pages:
        assert _web(users["bureau"]).get(url).status_code == 200, url
    assert _web(users["bureau"]).get(reverse("funeral:order_new")).status_code == 403
    auditor = _web(users["auditor"])
    assert auditor.get(reverse("funeral:order_list")).status_code == 403
    assert auditor.get(reverse("funeral:catalogue")).status_code == 200
    assert auditor.get(reverse("funeral:statistics")).status_code == 200
    street = _web(users["street"])
    assert street.get(reverse("funeral:order_detail", args=[order.pk])).status_code == 403
    # the bureau may look but not settle
    assert _web(users["bureau"]).post(reverse("funeral:order_settle", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_an_order_of_another_districts_home_is_out_of_scope(users, district, clerk):
    other = user_create(actor="test", username="funeral_other", password="pass-12345", role=Role.FUNERAL_HOME,
                        scope_code="310117102")  # a street scope: the district's home is not theirs
    home = FuneralHome.objects.create(name="测试殡仪馆", code="FHTEST", division=district["district"])
    order = FuneralOrder.objects.create(
        home=home, number="FHTEST-2026-000001", ordered_on=timezone.localdate(), channel=Channel.WINDOW,
        deceased_name="甲", deceased_id_enc=encrypt(make_id_number(dt.date(1930, 1, 1))), deceased_id_index="i",
        deceased_id_masked="m", death_date=timezone.localdate(), contact_name="乙", contact_relation="child",
        contact_phone_enc=encrypt("13800000000"),
        contact_phone_masked="m", created_by="t")
    assert _web(other).get(reverse("funeral:order_detail", args=[order.pk])).status_code == 404
    assert _api(other).get(f"/api/v1/funeral/orders/{order.pk}").status_code == 404
    assert _web(clerk).get(reverse("funeral:order_detail", args=[order.pk])).status_code == 200


def test_the_new_order_page_places_an_order_and_shows_problems_in_chinese(clerk, items):
    client = _web(clerk)
    data = {"channel": "phone", "deceased_name": "周老太", "deceased_id_number": make_id_number(dt.date(1938, 4, 5),
                                                                                              male=False),
            "death_date": timezone.localdate().isoformat(), "contact_name": "周明", "contact_relation": "child",
            "contact_phone": "13900001111", f"item_{items['transport'].pk}": "1", f"item_{items['cremation'].pk}": "1"}
    response = client.post(reverse("funeral:order_new"), data)
    order = FuneralOrder.objects.get(deceased_name="周老太")
    assert response.status_code == 302 and response["Location"] == reverse("funeral:order_detail", args=[order.pk])
    assert order.channel == Channel.PHONE and order.lines.count() == 2
    again = client.post(reverse("funeral:order_new"), data)
    assert "已有订单" in again.content.decode()
    detail = client.get(reverse("funeral:order_detail", args=[order.pk])).content.decode()
    assert "能否补贴尚不明确" in detail  # not in the registry: unknown, with what is missing
    assert data["deceased_id_number"] not in detail and "139****1111" in detail


def test_the_bill_pdf_renders_the_items_in_chinese(place, clerk, monkeypatch):
    order = services.order_settle(actor=clerk, order=place(transport=1, cold=7, cremation=1, urn=1))
    response = _web(clerk).get(reverse("funeral:order_bill", args=[order.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # the Chinese font is embedded (a TrueType subset with a ToUnicode map), not a Latin fallback
    assert response.content.startswith(b"%PDF") and b"FontFile2" in response.content and b"ToUnicode" in response.content
    texts: list[str] = []
    monkeypatch.setattr(bill_module, "render", lambda flow, title: texts.extend(
        [getattr(f, "text", "") for f in flow]
        + [c.text for f in flow for row in getattr(f, "_cellvalues", []) for c in row] + [title]) or b"%PDF")
    bill_module.bill_pdf(order)
    text = "\n".join(texts)
    assert "殡仪服务结算单" in text and "遗体冷藏" in text and "平板炉火化" in text
    assert "基本殡葬服务补贴抵扣：0.00元" in text and "应付金额：1,250.00元" in text
    assert decrypt(order.deceased_id_enc) not in text and order.deceased_id_masked in text


def test_api_catalogue_orders_create_and_figures(clerk, users, items, hall_slots):
    api = _api(clerk)
    catalogue = api.get("/api/v1/funeral/catalogue")
    assert catalogue.status_code == 200
    by_name = {i["name"]: i for i in catalogue.json()["items"]}
    assert by_name["遗体冷藏"]["basic_label"] == "遗体冷藏（5天以内）" and by_name["遗体冷藏"]["price_fen"] == 50_00
    payload = {"deceased_name": "钱老伯", "deceased_id_number": make_id_number(dt.date(1936, 7, 8)),
               "death_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "contact_name": "钱小",
               "contact_relation": "child", "contact_phone": "13700002222",
               "items": [{"item_id": items["transport"].pk, "quantity": 1},
                         {"item_id": items["cremation"].pk, "quantity": 1}],
               "hall_slot_id": hall_slots[0].pk}
    created = api.post("/api/v1/funeral/orders", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["channel"] == "online" and body["channel_label"] == "网上（白事管家）"
    assert body["hall"] and body["current_total_fen"] == 200_00 + 400_00 + 150_00
    assert payload["deceased_id_number"] not in created.content.decode()
    duplicate = api.post("/api/v1/funeral/orders", payload, content_type="application/json")
    assert duplicate.status_code == 409 and "已有订单" in duplicate.json()["detail"]
    full = api.post("/api/v1/funeral/orders", {**payload, "deceased_id_number": make_id_number(dt.date(1937, 1, 1))},
                    content_type="application/json")
    assert full.status_code == 409 and "约满" in full.json()["detail"]
    assert FuneralOrder.objects.count() == 1  # the refused order left nothing behind
    bad = api.post("/api/v1/funeral/orders", {**payload, "deceased_id_number": "310117193601010000",
                                              "hall_slot_id": None}, content_type="application/json")
    assert bad.status_code == 422 and "身份证" in bad.json()["detail"]
    assert api.get("/api/v1/funeral/orders/999999").status_code == 404
    listing = api.get("/api/v1/funeral/orders", {"channel": "online"}).json()
    assert listing["count"] == 1 and listing["results"][0]["deceased_id_number_masked"].endswith(
        payload["deceased_id_number"][-1])
    figures = api.get("/api/v1/funeral/statistics", {"year": str(timezone.localdate().year)})
    assert figures.status_code == 200 and figures.json()["total"]["online_share"] == "100.00"
    assert _api(users["street"]).get("/api/v1/funeral/orders").status_code == 403
    assert _api(users["bureau"]).post("/api/v1/funeral/orders", payload,
                                      content_type="application/json").status_code == 403


def test_the_online_share_counts_orders_not_cancelled(place, clerk):
    today = timezone.localdate()
    for _ in range(19):
        place(transport=1, channel=Channel.ONLINE)
    place(transport=1, channel=Channel.WINDOW)
    cancelled = place(transport=1, channel=Channel.PHONE)
    services.order_cancel(actor=clerk, order=cancelled, reason="家属改至外区办理")
    stats = funeral_statistics(clerk, today.year)
    month = stats.months[today.month - 1]
    assert (month.orders, month.online, month.online_share) == (20, 19, "95.00")
    assert stats.total.online_share == "95.00"
    assert all(m.orders is None for m in stats.months[today.month:])  # months not yet begun: unknown, not 0
    empty = funeral_statistics(clerk, today.year - 1)
    assert empty.total.orders == 0 and empty.total.online_share is None


def test_the_permission_table_for_funeral_services():
    from minzheng.core.permissions import ACTIONS

    assert {code: set(a.roles) for code, a in ACTIONS.items() if code.startswith("funeral.")} == {
        "funeral.view": {"funeral_home", "bureau"},
        "funeral.order": {"funeral_home"},
        "funeral.settle": {"funeral_home"},
        "funeral.catalogue_view": {"funeral_home", "bureau", "auditor"},
        "funeral.catalogue_manage": {"funeral_home"},
        "funeral.halls_manage": {"bureau"},
        "funeral.statistics": {"funeral_home", "bureau", "auditor"},
    }


def test_the_funeral_clerks_inbox_shows_todays_halls_and_unsettled_orders(place, clerk, hall_slots, monkeypatch):
    import re

    order = place(transport=1, hall_slot=hall_slots[0])
    monkeypatch.setattr(timezone, "localdate", lambda *a: hall_slots[0].day)  # the home page on the hall's day
    page = _web(clerk).get("/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "今日告别厅预约（1）" in text and "未结算的殡仪服务订单（1）" in text
    assert reverse("funeral:order_detail", args=[order.pk]) in page


def test_the_order_page_offers_free_hall_slots_and_books_one(place, clerk, users, hall_slots, hall_day):
    from minzheng.bookings.services import closure_add

    order = place(transport=1)
    client = _web(clerk)
    url = reverse("funeral:order_detail", args=[order.pk])
    page = client.get(url, {"on": hall_day.isoformat()}).content.decode()
    assert "小厅一（小厅） 08:00—09:00" in page
    response = client.post(reverse("funeral:order_hall_book", args=[order.pk]),
                           {"slot": hall_slots[1].pk, "reason": "家属预约告别仪式"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.hall_booking.slot_id == hall_slots[1].pk
    other = place(transport=1)
    closure_add(actor=users["bureau"], resource=hall_slots[0].resource, date_from=hall_day, date_to=hall_day,
                reason="设备检修")
    page = client.get(reverse("funeral:order_detail", args=[other.pk]), {"on": hall_day.isoformat()}).content.decode()
    assert "08:00—09:00" not in page and "没有空闲的告别厅时段" in page  # a closed day offers nothing
    assert client.get(reverse("funeral:hall_day"), {"on": hall_day.isoformat()}).status_code == 200
