"""The API of the review steps (ADR 0044): matters (accept, review, decide, documents),
annual reports (file, list, detail, review), major events, reminders and the dashboard —
the same services as the pages, answered 201/202 on creation, 403 for the wrong role,
404 outside the organization's scope, 409 for a step the state does not allow, 422
for a broken rule."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minzheng.social_orgs.matter_rules import REQUIRED_DOCUMENTS
from minzheng.social_orgs.models import MatterKind
from minzheng.social_orgs.tests.conftest import valid_uscc

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _post(client, path, body):
    return client.post(path, body, content_type=JSON)


def test_matter_steps(client, users, orgs, org_users):
    today = timezone.localdate().isoformat()
    client.force_login(users["bureau"])
    matter = _post(client, "/api/v1/social-orgs-matters", {
        "kind": "establishment", "applied_on": today, "documents": ["成立登记申请书"],
        "proposed": {"name": "松江区围棋协会", "kind": "social_group", "legal_rep_name": "孙九",
                     "supervisor": "松江区体育局", "address": "松江区某路3号", "business_scope": "围棋交流"}}).json()
    base = f"/api/v1/social-orgs-matters/{matter['id']}"
    refused = _post(client, f"{base}/accept", {"on": today})
    assert refused.status_code == 422 and "材料不全" in refused.json()["detail"]
    assert _post(client, f"{base}/review", {"agrees": True, "opinion": "同意", "on": today}).status_code == 409
    added = _post(client, f"{base}/documents", {"documents": list(REQUIRED_DOCUMENTS[MatterKind.ESTABLISHMENT])})
    assert added.status_code == 200 and added.json()["missing_documents"] == []
    assert _post(client, f"{base}/accept", {"on": today}).json()["status"] == "accepted"
    assert _post(client, f"{base}/accept", {"on": today}).status_code == 409
    assert _post(client, f"{base}/decide", {"approve": True, "on": today}).status_code == 409  # not reviewed
    assert _post(client, f"{base}/review", {"agrees": True, "opinion": "", "on": today}).status_code == 422
    assert _post(client, f"{base}/review", {"agrees": True, "opinion": "同意", "on": today}).status_code == 200
    assert _post(client, f"{base}/decide", {"approve": True, "on": today}).status_code == 422  # no code given
    done = _post(client, f"{base}/decide", {"approve": True, "on": today, "uscc": valid_uscc("51310117MJ0000082")})
    assert done.status_code == 200 and done.json()["status_label"] == "准予"
    assert _post(client, f"{base}/decide", {"approve": False, "reason": "x", "on": today}).status_code == 409
    assert _post(client, f"{base}/documents", {"documents": ["章程草案"]}).status_code == 409
    client.force_login(org_users["a"])
    own = _post(client, "/api/v1/social-orgs-matters", {"kind": "charter", "organization_id": orgs["a"].pk,
                                                        "applied_on": today}).json()
    assert _post(client, f"/api/v1/social-orgs-matters/{own['id']}/accept", {"on": today}).status_code == 403
    assert _post(client, f"/api/v1/social-orgs-matters/{own['id']}/documents",
                 {"documents": ["章程核准申请书"]}).status_code == 200
    client.force_login(org_users["b"])
    assert _post(client, f"/api/v1/social-orgs-matters/{own['id']}/documents",
                 {"documents": ["章程核准申请书"]}).status_code == 404


def test_annual_reports(client, users, orgs, org_users):
    year = timezone.localdate().year - 1
    body = {"organization_id": orgs["a"].pk, "year": year, "income_fen": 100_000, "expense_fen": 90_000,
            "net_assets_fen": -500, "activities": 3, "activities_summary": "为老服务", "staff": 2, "volunteers": 5,
            "party_status": "none", "party_members": 0}
    client.force_login(org_users["a"])
    assert _post(client, "/api/v1/social-orgs-reports", body | {"organization_id": orgs["b"].pk}).status_code == 404
    assert _post(client, "/api/v1/social-orgs-reports", body | {"party_status": "separate"}).status_code == 422
    assert _post(client, "/api/v1/social-orgs-reports", body | {"year": year + 1}).status_code == 422
    created = _post(client, "/api/v1/social-orgs-reports", body)
    assert created.status_code == 201 and created.json()["conclusion_label"] == "未审查"
    report = created.json()["id"]
    assert _post(client, "/api/v1/social-orgs-reports", body).status_code == 409
    assert client.get(f"/api/v1/social-orgs-reports/{report}").json()["net_assets_fen"] == -500
    assert _post(client, f"/api/v1/social-orgs-reports/{report}/review",
                 {"conclusion": "qualified", "on": timezone.localdate().isoformat()}).status_code == 403
    client.force_login(org_users["b"])
    assert client.get(f"/api/v1/social-orgs-reports/{report}").status_code == 404
    assert client.get("/api/v1/social-orgs-reports").json()["count"] == 0
    client.force_login(users["street"])
    assert client.get("/api/v1/social-orgs-reports").status_code == 403
    client.force_login(users["bureau"])
    today = timezone.localdate().isoformat()
    assert _post(client, f"/api/v1/social-orgs-reports/{report}/review",
                 {"conclusion": "unqualified", "on": today}).status_code == 422
    reviewed = _post(client, f"/api/v1/social-orgs-reports/{report}/review", {"conclusion": "qualified", "on": today})
    assert reviewed.status_code == 200 and reviewed.json()["conclusion_label"] == "合格"
    assert _post(client, f"/api/v1/social-orgs-reports/{report}/review",
                 {"conclusion": "qualified", "on": today}).status_code == 409
    assert client.get("/api/v1/social-orgs-reports", {"year": year}).json()["count"] == 1


def test_major_events(client, users, orgs, org_users):
    today = timezone.localdate().isoformat()
    body = {"organization_id": orgs["a"].pk, "kind": "large_funds", "title": "购置服务用房", "event_on": today,
            "description": "支付购房款"}
    client.force_login(org_users["a"])
    assert _post(client, "/api/v1/social-orgs-events", body).status_code == 422  # the amount is required
    assert _post(client, "/api/v1/social-orgs-events", body | {"organization_id": orgs["b"].pk,
                                                               "amount_fen": 1}).status_code == 404
    created = _post(client, "/api/v1/social-orgs-events", body | {"amount_fen": 500_000_00, "attachments": ["合同"]})
    assert created.status_code == 201 and created.json()["kind_label"] == "大额资金往来"
    event = created.json()["id"]
    assert _post(client, f"/api/v1/social-orgs-events/{event}/supplement", {"supplement": "x"}).status_code == 409
    assert _post(client, f"/api/v1/social-orgs-events/{event}/review",
                 {"outcome": "acknowledged", "on": today}).status_code == 403
    client.force_login(users["bureau"])
    assert _post(client, f"/api/v1/social-orgs-events/{event}/review",
                 {"outcome": "supplement", "on": today}).status_code == 422
    sent_back = _post(client, f"/api/v1/social-orgs-events/{event}/review",
                      {"outcome": "supplement", "reasons": "请附资金来源", "on": today})
    assert sent_back.status_code == 200 and sent_back.json()["status_label"] == "需补充"
    assert _post(client, f"/api/v1/social-orgs-events/{event}/review",
                 {"outcome": "acknowledged", "on": today}).status_code == 409
    client.force_login(org_users["b"])
    assert client.get(f"/api/v1/social-orgs-events/{event}").status_code == 404
    client.force_login(org_users["a"])
    again = _post(client, f"/api/v1/social-orgs-events/{event}/supplement", {"supplement": "会费结余"})
    assert again.status_code == 200 and again.json()["status"] == "reported"
    assert client.get("/api/v1/social-orgs-events", {"status": "reported"}).json()["count"] == 1
    client.force_login(users["street"])
    assert client.get("/api/v1/social-orgs-events").status_code == 403


def test_reminders_and_dashboard(client, users, orgs, org_users):
    year = timezone.localdate().year - 1
    client.force_login(users["bureau"])
    unfiled = client.get("/api/v1/social-orgs-unfiled").json()
    assert unfiled["year"] == year and unfiled["count"] == 2
    assert {r["street"] for r in unfiled["results"]} == {"未登记地址"}
    path = f"/api/v1/social-orgs/{orgs['a'].pk}/reminders"
    created = _post(client, path, {"year": year, "channel": "sms", "note": "电话已通知"})
    assert created.status_code == 201 and created.json()["channel_label"] == "短信（登记）"
    assert _post(client, path, {"year": year, "channel": "in_app"}).status_code == 409
    assert _post(client, path, {"year": 2018, "channel": "in_app"}).status_code == 422
    assert _post(client, "/api/v1/social-orgs/999999/reminders", {"year": year, "channel": "sms"}).status_code == 404
    job = _post(client, "/api/v1/social-orgs-reminders/all", {"year": year, "channel": "in_app"})
    assert job.status_code == 202 and job.json()["kind_label"] == "社会组织年度报告批量催报"
    assert _post(client, "/api/v1/social-orgs-reminders/all", {"year": year, "channel": "in_app"}).status_code == 422
    board = client.get("/api/v1/social-orgs-dashboard").json()
    assert board[0]["totals"] == [1, 1, 0, 2]
    client.force_login(org_users["a"])
    assert _post(client, path, {"year": year, "channel": "sms"}).status_code == 403
    assert client.get("/api/v1/social-orgs-dashboard").status_code == 403
    assert client.get("/api/v1/social-orgs-unfiled").status_code == 403
