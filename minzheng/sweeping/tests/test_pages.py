"""The staff pages open, book through the form, show the code and its QR
code, check in at the gate, take and complete proxy orders, and export the
figures; wrong roles get 403."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from minzheng.sweeping import services
from minzheng.sweeping.models import ProxyOrder, Reservation
from minzheng.sweeping.tests.test_proxy import png

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_book_at_the_counter_and_see_the_confirmation(cemetery_user, cemetery, sweeping_slots, person, peak_day):
    client = signed_in(cemetery_user)
    page = client.get(f"/sweeping/?cemetery={cemetery.pk}&date={peak_day}")
    assert page.status_code == 200 and "一区" in page.content.decode()
    slot_id = sweeping_slots[0].slot_id
    assert client.get(f"/sweeping/slots/{slot_id}/book/").status_code == 200
    name, number = person(30)
    done = client.post(f"/sweeping/slots/{slot_id}/book/", {"name": name, "id_number": number,
                                                             "phone": "13800001111", "companions": "2"})
    r = Reservation.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/sweeping/r/{r.code}/"
    confirmation = client.get(done["Location"]).content.decode()
    assert f"{r.code[:4]}-{r.code[4:]}" in confirmation and number not in confirmation
    qr = client.get(f"/sweeping/r/{r.code}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    too_many = client.post(f"/sweeping/slots/{slot_id}/book/", {"name": "乙", "id_number": person(31)[1],
                                                                 "phone": "13800001111", "companions": "5"},
                           follow=True)
    assert "同行人数应为0至4的整数" in too_many.content.decode()
    cancelled = client.post(f"/sweeping/r/{r.code}/", {"reason": "改期"}, follow=True)
    assert "预约已取消" in cancelled.content.decode()


def test_the_gate_page_refuses_with_the_reason(cemetery_user, cemetery, sweeping_slots, person):
    r = services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=person(32)[0],
                         id_number=person(32)[1], phone="13800001111")
    client = signed_in(cemetery_user)
    assert client.get("/sweeping/gate/").status_code == 200
    page = client.post("/sweeping/gate/", {"cemetery": str(cemetery.pk), "code": r.code}).content.decode()
    assert "不能入园" in page and "不是今天" in page


def test_periods_pages(users, period, cemetery):
    client = signed_in(users["bureau"])
    assert "测试清明" in client.get("/sweeping/periods/").content.decode()
    assert client.get(f"/sweeping/periods/{period.pk}/").status_code == 200
    made = client.post("/sweeping/periods/", {"op": "period", "period-kind": "winter_solstice",
                                              "period-title": "冬至祭扫", "period-cemetery": "",
                                              "period-booking_opens_at": "2026-12-10T08:00",
                                              "period-cap_percent": "80"})
    assert made.status_code == 302
    detail = made["Location"]
    day = timezone.localdate() + dt.timedelta(days=20)
    client.post(detail, {"day-date": day.isoformat(), "day-times": "07:00-08:30\n08:30-10:00", "day-note": ""})
    generated = client.post(detail, {"op": "generate"}, follow=True).content.decode()
    assert "新建 2 个时段" in generated


def test_proxy_pages(cemetery_user, cemetery, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(cemetery_user)
    assert client.get("/sweeping/proxy/").status_code == 200
    made = client.post("/sweeping/proxy/new/", {
        "cemetery": str(cemetery.pk), "deceased_name": "王老先生", "grave_location": "三区12排5号",
        "service_date": timezone.localdate().isoformat(), "services": ["clean", "letter"], "family_name": "王小明",
        "family_phone": "13700003333", "message": ""})
    order = ProxyOrder.objects.get()
    assert made["Location"] == f"/sweeping/proxy/{order.pk}/"
    client.post(f"/sweeping/proxy/{order.pk}/act/complete/", {"note": "已清扫", "photos": [png("a.png")]})
    order.refresh_from_db()
    assert order.status == "done"
    page = client.get(f"/sweeping/proxy/{order.pk}/").content.decode()
    assert "服务照片1" in page


def test_figures_page_and_excel(users, cemetery_user, sweeping_slots, person, peak_day):
    services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=person(33)[0],
                     id_number=person(33)[1], phone="13800001111", companions=3)
    client = signed_in(users["auditor"])
    page = client.get("/sweeping/figures/").content.decode()
    assert "测试福寿园" in page
    xlsx = client.get("/sweeping/figures/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("日期", "公墓", "预约（笔）", "预约人数")
    assert rows[2][:4] == (peak_day.isoformat(), "测试福寿园", 1, 4)
    assert client.get("/sweeping/").status_code == 403  # the auditor sees counts, not reservations


def test_wrong_roles(users, cemetery_user, sweeping_slots):
    committee = signed_in(users["committee"])
    for url in ("/sweeping/", "/sweeping/gate/", "/sweeping/proxy/", "/sweeping/figures/",
                f"/sweeping/slots/{sweeping_slots[0].slot_id}/book/"):
        assert committee.get(url).status_code == 403, url
    assert signed_in(cemetery_user).post("/sweeping/periods/", {"op": "area"}).status_code == 403
