"""Pages and API: scope 404s, role 403s, masked ID numbers in lists and the
Excel export, the monthly figures' export, writes through the API (ADR 0040)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from minzheng.charity import services
from minzheng.charity.models import Distribution, Item, Stock
from minzheng.core.audit_labels import ACTION_LABELS
from minzheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def stocked(users, markets):
    services.donation_record(actor=users["committee"], supermarket=markets["ours"], kind="goods",
                             donor_kind="person", donor_name="张先生", received_on=timezone.localdate(),
                             lines=[services.GoodsLine("大米", 10, "袋")])
    return Item.objects.get(name="大米")


def test_pages_answer_in_scope_and_404_outside(users, markets, stocked):
    ours, theirs = markets["ours"], markets["theirs"]
    committee = _login(users["committee"])
    page = committee.get("/charity/supermarkets/").content.decode()
    assert "谷阳慈善超市" in page and "张泾慈善超市" not in page
    assert committee.get(f"/charity/supermarkets/{ours.pk}/").status_code == 200
    assert committee.get(f"/charity/supermarkets/{theirs.pk}/").status_code == 404
    assert committee.get(f"/charity/supermarkets/{theirs.pk}/ledger/").status_code == 404
    assert _login(users["other_street"]).get(f"/charity/supermarkets/{ours.pk}/").status_code == 404
    for url in ("/charity/", "/charity/monthly/", "/charity/donations/", "/charity/distributions/",
                f"/charity/supermarkets/{ours.pk}/ledger/"):
        assert committee.get(url).status_code == 200, url
    assert committee.get("/charity/lottery/").status_code == 403
    assert committee.get("/charity/supermarkets/new/").status_code == 403
    assert _login(users["street"]).get("/charity/lottery/").status_code == 200
    refused = _login(users["bureau"]).get("/charity/monthly/?year=99999")
    assert refused.status_code == 200 and "年份“99999”无效" in refused.content.decode()


def test_distribution_through_the_page_and_lists_mask_id_numbers(users, markets, stocked, make_person):
    ours = markets["ours"]
    person = make_person("钱阿婆", dt.date(1944, 4, 4))
    committee = _login(users["committee"])
    response = committee.post(f"/charity/supermarkets/{ours.pk}/", {
        "action": "distribution", "person": person.pk, "given_on": timezone.localdate().isoformat(),
        "item": stocked.pk, "quantity": 11})
    assert response.status_code == 200 and "库存不足" in response.content.decode()
    response = committee.post(f"/charity/supermarkets/{ours.pk}/", {
        "action": "distribution", "person": person.pk, "given_on": timezone.localdate().isoformat(),
        "item": stocked.pk, "quantity": 4})
    assert response.status_code == 302
    assert Stock.objects.get(item=stocked).quantity == 6
    page = committee.get("/charity/distributions/").content.decode()
    assert person.id_number_masked in page and person.id_number_masked.count("*")
    export = committee.get("/charity/distributions/", {"_export": "xlsx"})
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert rows[0][3] == "身份证号" and "*" in rows[1][3] and not re.fullmatch(r"\d{17}[\dX]", rows[1][3])


def test_money_donation_and_monthly_export(users, markets):
    ours = markets["ours"]
    street = _login(users["street"])
    response = street.post(f"/charity/supermarkets/{ours.pk}/", {
        "action": "donation", "kind": "money", "donor_kind": "organisation", "donor_name": "某公司",
        "received_on": timezone.localdate().isoformat(), "amount": "1e400"})
    assert response.status_code == 200  # refused as a form error, never a 500
    response = street.post(f"/charity/supermarkets/{ours.pk}/", {
        "action": "donation", "kind": "money", "donor_kind": "organisation", "donor_name": "某公司",
        "received_on": timezone.localdate().isoformat(), "amount": "1200.50"})
    assert response.status_code == 302
    export = street.get("/charity/monthly/", {"_export": "xlsx", "by": "street"})
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert rows[0][:3] == ["街镇", "街镇", "月份"]
    assert ["岳阳街道", "岳阳街道", "全年", 1, "1200.50"] == rows[-1][:5]
    assert AuditEntry.objects.filter(action="core.list.export").exists()


def test_api_scope_writes_and_refusals(users, markets, make_person):
    ours, theirs = markets["ours"], markets["theirs"]
    committee = _api(users["committee"])
    body = committee.get("/api/v1/charity/supermarkets").json()
    assert [m["name"] for m in body["results"]] == ["谷阳慈善超市"]
    assert committee.get(f"/api/v1/charity/supermarkets/{theirs.pk}").status_code == 404
    today = timezone.localdate().isoformat()
    created = committee.post(f"/api/v1/charity/supermarkets/{ours.pk}/donations", {
        "kind": "goods", "donor_kind": "anonymous", "received_on": today,
        "goods": [{"item": "面粉", "unit": "袋", "quantity": 3}]}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert committee.post(f"/api/v1/charity/supermarkets/{theirs.pk}/donations", {
        "kind": "goods", "donor_kind": "anonymous", "received_on": today,
        "goods": [{"item": "面粉", "quantity": 3}]}, content_type="application/json").status_code == 404
    flour = Item.objects.get(name="面粉")
    person = make_person("孙大爷", dt.date(1941, 1, 1))
    too_much = committee.post(f"/api/v1/charity/supermarkets/{ours.pk}/distributions", {
        "person_id": person.pk, "given_on": today, "goods": [{"item_id": flour.pk, "quantity": 4}]},
        content_type="application/json")
    assert too_much.status_code == 422 and "库存不足" in too_much.json()["detail"]
    given = committee.post(f"/api/v1/charity/supermarkets/{ours.pk}/distributions", {
        "person_id": person.pk, "given_on": today, "goods": [{"item_id": flour.pk, "quantity": 3}]},
        content_type="application/json")
    assert given.status_code == 201 and "*" in given.json()["id_number_masked"]
    detail = committee.get(f"/api/v1/charity/supermarkets/{ours.pk}").json()
    assert detail["stock"] == [{"item": "面粉", "unit": "袋", "quantity": 0}]
    reversed_ = committee.post(f"/api/v1/charity/distributions/{given.json()['id']}/reversal", {"reason": "登记错误"},
                               content_type="application/json")
    assert reversed_.status_code == 200 and reversed_.json()["reversed"]
    assert _api(users["other_street"]).post(f"/api/v1/charity/distributions/{given.json()['id']}/reversal",
                                            {"reason": "x"}, content_type="application/json").status_code == 404
    assert committee.post("/api/v1/charity/supermarkets", {
        "name": "x", "operator": "y", "street": "310117001", "address": "z", "opened_on": today},
        content_type="application/json").status_code == 403
    assert committee.get("/api/v1/charity/monthly?year=99999").status_code == 422
    assert Distribution.objects.count() == 1


def test_api_lottery_import_and_summary(users):
    bureau = _api(users["bureau"])
    assert bureau.post("/api/v1/charity/lottery/outlets", {"code": "31011701", "name": "岳阳一号站",
                                                           "street": "310117001", "address": "人民北路1号"},
                       content_type="application/json").status_code == 201
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "网点编号,月份,销售额（元）,公益金（元）\n31011701,2024-01,1000,\n31011799,2024-01,1,\n".encode()
    response = bureau.post("/api/v1/charity/lottery/imports",
                           {"file": SimpleUploadedFile("a.csv", data), "mode": "quarantine"})
    assert response.status_code == 201, response.content
    assert response.json()["rows_recorded"] == 1 and response.json()["problems"][0].startswith("第3行：")
    again = bureau.post("/api/v1/charity/lottery/imports", {"file": SimpleUploadedFile("a.csv", data)})
    assert again.json()["repeated"] is True
    summary = bureau.get("/api/v1/charity/lottery/summary?year=2024").json()
    yueyang = next(s for s in summary["streets"] if s["street"] == "310117001")
    assert yueyang["sales_fen"] == 100000 and yueyang["fund_fen"] is None and yueyang["fund_status"] == "参数缺失"
    assert _api(users["street"]).post("/api/v1/charity/lottery/imports",
                                      {"file": SimpleUploadedFile("a.csv", data)}).status_code == 403


def test_every_action_written_has_a_label(users, markets):
    services.supermarket_status_set(actor=users["bureau"], supermarket=markets["ours"], status="suspended",
                                    reason="装修")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions and all(a in ACTION_LABELS for a in actions)
    from django.urls import reverse

    page = _login(users["bureau"]).get(reverse("core:audit_list")).content.decode()
    assert "改变慈善超市状态" in page and "其他内容" not in page and "suspended" not in page
