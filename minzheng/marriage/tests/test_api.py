"""/api/v1/marriage: the clock, registration steps, scoped and 4xx in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.marriage.tests.conftest import couple, party

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    """A client carrying a bearer token of ``user`` (the API's authentication)."""
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def _party_json(p) -> dict:
    return {"name": p.name, "id_number": p.id_number, "domicile_province": p.domicile_province,
            "signed_no_spouse": p.signed_no_spouse, "signed_no_kinship": p.signed_no_kinship}


def test_the_clock_endpoint(registrar, users):
    for user in (registrar, users["bureau"], users["auditor"]):
        response = _client(user).get("/api/v1/marriage/clock", {"received": "2026-01-16"})
        assert response.status_code == 200
        assert response.json() == {"received": "2026-01-16", "withdrawal_until": "2026-02-24",
                                   "appear_until": "2026-03-26"}
    client = _client(registrar)
    bad = client.get("/api/v1/marriage/clock", {"received": "2026-02-30"})
    assert bad.status_code == 422 and bad.json()["detail"]
    far = client.get("/api/v1/marriage/clock", {"received": "9999-12-31"})
    assert far.status_code == 422 and "过晚" in far.json()["detail"]
    missing = client.get("/api/v1/marriage/clock", {"received": "2026-12-20"})
    assert missing.status_code == 422 and "2027年节假日安排尚未录入" in missing.json()["detail"]
    assert _client(users["committee"]).get("/api/v1/marriage/clock", {"received": "2026-01-16"}).status_code == 403


def test_register_and_divorce_through_the_api(registrar):
    client = _client(registrar)
    man, woman = couple()
    young = party("王小", dt.date(2010, 1, 1), male=True)
    refused = client.post("/api/v1/marriage/registrations",
                          {"parties": [_party_json(young), _party_json(woman)], "registered_on": "2026-06-01"},
                          content_type="application/json")
    assert refused.status_code == 422 and "未满22周岁" in refused.json()["detail"]
    created = client.post("/api/v1/marriage/registrations",
                          {"parties": [_party_json(man), _party_json(woman)], "registered_on": "2026-06-01"},
                          content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert [p["sex_label"] for p in body["parties"]] == ["男方", "女方"]
    assert man.id_number not in created.content.decode()
    assert [c["number"] for c in body["certificates"]] == ["J310117-2026-000001", "J310117-2026-000002"]
    detail = client.get(f"/api/v1/marriage/registrations/{body['id']}")
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(action="marriage.record_view", changes__purpose="接口查阅档案").count() == 1
    listing = client.get("/api/v1/marriage/registrations", {"q": man.id_number}).json()
    assert listing["count"] == 1
    applied = client.post(f"/api/v1/marriage/registrations/{body['id']}/divorce",
                          {"agreement_text": "协议", "both_present": True, "received_on": "2026-01-16"},
                          content_type="application/json")
    assert applied.status_code == 422 and "早于结婚登记日期" in applied.json()["detail"]
    applied = client.post(f"/api/v1/marriage/registrations/{body['id']}/divorce",
                          {"agreement_text": "协议", "both_present": True, "received_on": "2026-08-21"},
                          content_type="application/json")
    assert applied.status_code == 201
    divorce = applied.json()
    assert (divorce["withdrawal_until"], divorce["appear_until"]) == ("2026-09-20", "2026-10-20")
    again = client.post(f"/api/v1/marriage/registrations/{body['id']}/divorce",
                        {"agreement_text": "协议", "both_present": True, "received_on": "2026-08-22"},
                        content_type="application/json")
    assert again.status_code == 409
    early = client.post(f"/api/v1/marriage/divorces/{divorce['id']}/register", {"both_present": True,
                                                                              "on": "2026-09-20"},
                        content_type="application/json")
    assert early.status_code == 409 and "冷静期" in early.json()["detail"]
    done = client.post(f"/api/v1/marriage/divorces/{divorce['id']}/register", {"both_present": True,
                                                                             "on": "2026-09-21"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "registered"
    assert [c["number"] for c in done.json()["certificates"]] == ["L310117-2026-000001", "L310117-2026-000002"]
    cert = body["certificates"][0]["id"]
    gone = client.post(f"/api/v1/marriage/certificates/{cert}/reissue", {"reason": "遗失"},
                       content_type="application/json")
    assert gone.status_code == 409 and "婚姻已终止" in gone.json()["detail"]


@pytest.mark.parametrize("role", ["bureau", "auditor", "street"])
def test_records_are_403_for_other_roles_and_404_outside(users, registrar, role):
    client = _client(users[role])
    assert client.get("/api/v1/marriage/registrations").status_code == 403
    assert client.get("/api/v1/marriage/registrations/1").status_code == 403
    assert client.post("/api/v1/marriage/registrations", {}, content_type="application/json").status_code in (403, 422)
    missing = _client(registrar).get("/api/v1/marriage/registrations/999999")
    assert missing.status_code == 404 and missing.json()["detail"] == "未找到该记录"


def test_hostile_input_never_500(registrar):
    client = _client(registrar)
    for payload in ({"parties": []}, {"parties": [{"name": "", "id_number": "x" * 18, "domicile_province": "31"}] * 2},
                    {"parties": [{"name": "<script>", "id_number": "310117199001011234",
                                  "domicile_province": "99"}] * 2}, {"parties": "x"}):
        response = client.post("/api/v1/marriage/registrations", payload, content_type="application/json")
        assert 400 <= response.status_code < 500, payload
    response = client.post("/api/v1/marriage/registrations", {"parties": [
        {"name": "甲", "id_number": "310117199001011234", "domicile_province": "31"},
        {"name": "乙", "id_number": "abcdefghijklmnopqr", "domicile_province": "31"}]}, content_type="application/json")
    assert response.status_code == 422 and "身份证号码无效" in response.json()["detail"]
