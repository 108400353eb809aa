"""/api/v1/deaths: the scoped list and detail, a report (201), 422 in Chinese, 403, 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.deaths.models import DeathRecord

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def test_report_list_detail(users, funeral, couple):
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    body = {"source": "funeral_home", "id_number": couple.husband_number, "name": "陈国强", "death_date": day,
            "reference": "火化-9"}
    created = _client(funeral).post("/api/v1/deaths/reports", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status_label"] == "已登记并处理" and data["sources"] == ["殡仪馆火化记录"]
    assert data["id_number_masked"] != couple.husband_number and couple.husband_number not in created.content.decode()
    assert [i["section"] for i in data["checklist"]].count("需办理的证件和手续") == 4
    assert all(i["section"] != "已停发的待遇" for i in data["checklist"])  # not for the funeral home
    street = _client(users["street"])
    listed = street.get("/api/v1/deaths")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    detail = street.get(f"/api/v1/deaths/{data['id']}").json()
    assert any(i["title"] == "最低生活保障：已停发" for i in detail["checklist"])
    assert _client(users["other_street"]).get(f"/api/v1/deaths/{data['id']}").status_code == 404
    assert _client(users["other_street"]).get("/api/v1/deaths").json()["count"] == 0


def test_refusals(users, couple):
    bad = _client(users["street"]).post("/api/v1/deaths/reports", {
        "source": "family", "id_number": "310117", "name": "陈国强", "death_date": "2099-01-01"},
        content_type="application/json")
    assert bad.status_code == 422 and "身份证" in bad.content.decode("utf-8")
    refused = _client(users["committee"]).post("/api/v1/deaths/reports", {
        "source": "family", "id_number": couple.husband_number, "name": "陈国强", "death_date": "2026-09-05"},
        content_type="application/json")
    assert refused.status_code == 403 and not DeathRecord.objects.exists()
    assert _client(users["advisor"]).get("/api/v1/deaths").status_code == 403
