"""The zombie endpoints (ADR 0042): the list with codes, labels and evidence; the clean-up steps
with 201 / 409 / 422; an organization sees its own only (404 otherwise), street staff 403."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_list_and_a_clean_up_through_the_api(client, users, orgs):
    client.force_login(users["bureau"])
    listed = client.get("/api/v1/social-orgs-zombies").json()
    assert listed["period_months"] is None
    row = next(r for r in listed["results"] if r["organization_id"] == orgs["a"].pk)
    assert row["reasons"] == ["missed_reports"] and row["undetermined"] == ["no_charter_activity"]
    assert row["flags"][0]["label"] == "连续两年未参加年检（年度报告）" and "年度" in row["flags"][0]["evidence"]
    assert client.get("/api/v1/social-orgs-zombies", {"as_of": "2099-01-01"}).status_code == 422
    assert client.get("/api/v1/social-orgs-zombies", {"as_of": "2023-06-01"}).json()["results"] == []
    opened = _post(client, "/api/v1/social-orgs-zombie-cases", {"organization_id": orgs["a"].pk})
    assert opened.status_code == 201
    case_id = opened.json()["id"]
    assert _post(client, "/api/v1/social-orgs-zombie-cases", {"organization_id": orgs["a"].pk}).status_code == 409
    today = dt.date.today()
    assert _post(client, f"/api/v1/social-orgs-zombie-cases/{case_id}/revoke",
                 {"on": today.isoformat(), "reason": "x"}).status_code == 409
    bad = _post(client, f"/api/v1/social-orgs-zombie-cases/{case_id}/notice",
                {"notice_on": today.isoformat(), "deadline": today.isoformat(), "requirements": "补报"})
    assert bad.status_code == 422 and "晚于通知日期" in bad.json()["detail"]
    notified = _post(client, f"/api/v1/social-orgs-zombie-cases/{case_id}/notice",
                     {"notice_on": today.isoformat(), "deadline": (today + dt.timedelta(days=30)).isoformat(),
                      "requirements": "补报"})
    assert notified.status_code == 200 and notified.json()["status_label"] == "已发限期整改通知"
    done = _post(client, f"/api/v1/social-orgs-zombie-cases/{case_id}/rectify",
                 {"on": today.isoformat(), "rectification": "已补报年度报告"})
    assert done.json()["status"] == "rectified"
    assert client.get("/api/v1/social-orgs-zombie-cases", {"status": "rectified"}).json()["count"] == 1
    contact = _post(client, "/api/v1/social-orgs-contact-attempts",
                    {"organization_id": orgs["b"].pk, "kind": "legal_rep_call", "tried_on": today.isoformat(),
                     "reached": False, "outcome": "电话停机"})
    assert contact.status_code == 201 and contact.json()["kind_label"] == "联系法定代表人"
    period = _post(client, "/api/v1/social-orgs-zombie-period",
                   {"months": 24, "effective_from": "2020-01-01", "document_name": "文件", "document_number": "1号"})
    assert period.status_code == 201
    assert _post(client, "/api/v1/social-orgs-zombie-period",
                 {"months": 24, "effective_from": "2020-01-01", "document_name": "文件",
                  "document_number": "1号"}).status_code == 422


def test_scope_and_roles(client, users, orgs, org_users):
    client.force_login(users["bureau"])
    case_id = _post(client, "/api/v1/social-orgs-zombie-cases", {"organization_id": orgs["b"].pk}).json()["id"]
    client.force_login(org_users["a"])
    listed = client.get("/api/v1/social-orgs-zombies").json()["results"]
    assert [r["organization_id"] for r in listed] == [orgs["a"].pk]
    assert client.get(f"/api/v1/social-orgs-zombie-cases/{case_id}").status_code == 404
    assert client.get("/api/v1/social-orgs-zombie-cases").json()["count"] == 0
    own = _post(client, "/api/v1/social-orgs-activities",
                {"organization_id": orgs["a"].pk, "held_on": "2024-01-02", "description": "义诊", "in_charter": True,
                 "evidence": "照片"})
    assert own.status_code == 201 and own.json()["source_label"] == "社会组织自行填报"
    assert _post(client, "/api/v1/social-orgs-activities",
                 {"organization_id": orgs["b"].pk, "held_on": "2024-01-02", "description": "义诊",
                  "in_charter": True, "evidence": "照片"}).status_code == 404
    assert _post(client, "/api/v1/social-orgs-zombie-cases", {"organization_id": orgs["a"].pk}).status_code == 403
    client.force_login(users["street"])
    assert client.get("/api/v1/social-orgs-zombies").status_code == 403
    assert client.get(f"/api/v1/social-orgs-zombie-cases/{case_id}").status_code == 403
