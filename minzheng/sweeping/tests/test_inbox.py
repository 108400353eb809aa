"""The cemetery staff's workbench (the home page's inbox): today's
reservations waiting at the gate and the proxy orders not yet done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from minzheng.sweeping import selectors, services

pytestmark = pytest.mark.django_db


def test_the_cemetery_inbox(cemetery_user, cemetery, sweeping_slots, person):
    client = Client()
    client.force_login(cemetery_user)
    home = client.get("/").content.decode()
    assert "今天没有待入园的祭扫预约" in home and "当前没有待完成的代客祭扫" in home
    order = services.proxy_order_create(
        actor=cemetery_user, cemetery=cemetery, deceased_name="王老先生", grave_location="三区12排5号",
        service_date=timezone.localdate() + dt.timedelta(days=1), services=["flowers"], family_name="王小明",
        family_phone="13700003333")
    home = client.get("/").content.decode()
    assert "待完成的代客祭扫" in home and f"代客祭扫 {order.code} 王老先生" in home
    r = services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=person(50)[0],
                         id_number=person(50)[1], phone="13800001111")
    assert list(selectors.reservations_today_todo(cemetery_user, sweeping_slots[0].day)) == [r]
    assert not selectors.reservations_today_todo(cemetery_user, timezone.localdate()).exists()
