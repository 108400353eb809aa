"""The support-fund endpoints (ADR 0043): the path through the API, and its refusals —
403 for the wrong role, 404 out of scope, 409 for a state, 422 for a rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.core.models import Division
from minzheng.social_orgs import services

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _call_body(today: dt.date, **extra) -> dict:
    body = {"kind": "venture", "year": today.year, "title": "公益创投大赛（接口）", "basis": "《扶持办法》",
            "budget_fen": 50_000_00, "max_per_project_fen": 30_000_00,
            "opens_on": (today - dt.timedelta(days=1)).isoformat(), "closes_on": today.isoformat(),
            "first_instalment_percent": 60, "criteria": [{"name": "需求", "weight": 50}, {"name": "方案", "weight": 50}]}
    return body | extra


def test_the_path_and_the_refusals(client, users, orgs, org_users):
    today = timezone.localdate()
    services.organization_update(actor=users["bureau"], organization=orgs["a"], changed_on=today, reason="补录",
                                 today=today, committee=Division.objects.get(code="310117001001"))
    client.force_login(users["bureau"])
    bad = client.post("/api/v1/social-orgs-funds/calls", _call_body(today, criteria=[{"name": "需求", "weight": 50}]),
                      content_type=JSON)
    assert bad.status_code == 422 and "合计应为100分" in bad.json()["detail"]
    created = client.post("/api/v1/social-orgs-funds/calls", _call_body(today), content_type=JSON)
    assert created.status_code == 201, created.content
    call = created.json()
    assert call["kind_label"] == "公益创投" and [c["weight"] for c in call["criteria"]] == [50, 50]

    client.force_login(org_users["a"])
    assert client.post("/api/v1/social-orgs-funds/calls", _call_body(today, title="x"),
                       content_type=JSON).status_code == 403
    body = {"call_id": call["id"], "organization_id": orgs["a"].pk, "project_name": "银龄互助", "summary": "探访",
            "requested_fen": 30_000_00}
    over = client.post("/api/v1/social-orgs-funds/applications", body | {"requested_fen": 30_000_01},
                       content_type=JSON)
    assert over.status_code == 422
    other = client.post("/api/v1/social-orgs-funds/applications", body | {"organization_id": orgs["b"].pk},
                        content_type=JSON)
    assert other.status_code == 404
    filed = client.post("/api/v1/social-orgs-funds/applications", body, content_type=JSON)
    assert filed.status_code == 201, filed.content
    application = filed.json()["id"]
    assert client.get("/api/v1/social-orgs-funds/calls").json()["results"][0]["awarded_fen"] is None
    assert client.post(f"/api/v1/social-orgs-funds/applications/{application}/scores",
                       {"reviewer": "张", "points": []}, content_type=JSON).status_code == 403

    client.force_login(org_users["b"])
    assert client.get(f"/api/v1/social-orgs-funds/applications/{application}").status_code == 404
    assert client.get("/api/v1/social-orgs-funds/applications").json()["count"] == 0

    client.force_login(users["street"])
    assert client.get("/api/v1/social-orgs-funds/calls").status_code == 403
    assert client.get(f"/api/v1/social-orgs-funds/applications/{application}").status_code == 403

    client.force_login(users["bureau"])
    url = f"/api/v1/social-orgs-funds/applications/{application}"
    sheet = {"reviewer": "张专家", "points": [{"criterion_position": 1, "points": 45},
                                            {"criterion_position": 2, "points": 40}]}
    scored = client.post(f"{url}/scores", sheet, content_type=JSON)
    assert scored.status_code == 201 and scored.json()["score_mean"] == "85.00"
    assert client.post(f"{url}/scores", sheet, content_type=JSON).status_code == 422  # the same reviewer again
    decision = {"award": True, "amount_fen": 30_000_00, "reason": "", "on": today.isoformat()}
    assert client.post(f"{url}/instalments", {}, content_type=JSON).status_code == 409  # not awarded yet
    awarded = client.post(f"{url}/decision", decision, content_type=JSON)
    assert awarded.status_code == 200 and awarded.json()["status_label"] == "已立项资助"
    assert client.post(f"{url}/decision", decision, content_type=JSON).status_code == 409
    paid = client.post(f"{url}/instalments", {"bank_name": "上海银行", "account_number": "6228480012345678901"},
                       content_type=JSON)
    assert paid.status_code == 201 and paid.json()["instalments"] == [
        {"seq": 1, "amount_fen": 18_000_00, "requested_on": today.isoformat(), "payment_status": "待发放"}]
    assert client.post(f"{url}/final-report/review", {"conclusion": "qualified", "on": today.isoformat()},
                       content_type=JSON).status_code == 409
    report = client.post(f"{url}/final-report", {"outcomes": "完成", "beneficiaries": 10, "spent_fen": 30_000_00,
                                                 "spending_note": "全部用于服务"}, content_type=JSON)
    assert report.status_code == 201 and report.json()["final_report"]["conclusion_label"] == "待验收"
    reviewed = client.post(f"{url}/final-report/review", {"conclusion": "qualified", "on": today.isoformat()},
                           content_type=JSON)
    assert reviewed.json()["status_label"] == "已结项"
    rest = client.post(f"{url}/instalments", {}, content_type=JSON)
    assert [i["amount_fen"] for i in rest.json()["instalments"]] == [18_000_00, 12_000_00]
    figures = client.get(f"/api/v1/social-orgs-funds/figures/{today.year}").json()
    assert figures["year"]["organizations"] == 1 and figures["year"]["awarded_fen"] == 30_000_00
    assert figures["year"]["requested_payment_fen"] == 30_000_00 and figures["year"]["paid_fen"] == 0
