"""The evaluation-grade pages and endpoints (ADR 0041): applying, scoring and
the committee's grade through the pages; the reward shown 参数缺失 until a value
is entered, then paid; lists and exports; an organization's account sees its
own application only (404 otherwise); API status codes 403 / 404 / 409 / 422."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minzheng.core.models import Division
from minzheng.social_orgs import grades
from minzheng.social_orgs.grade_models import (
    EvaluationApplication,
    GradeReward,
    RewardParameter,
    RewardStatus,
)
from minzheng.social_orgs.tests.test_grades import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(users):
    today = timezone.localdate()
    return grades.round_open(actor=users["bureau"], year=today.year, opens_on=dt.date(today.year, 1, 1),
                             closes_on=dt.date(today.year, 12, 31), note="测试通知", today=today)


@pytest.fixture
def eligible(orgs):
    year = timezone.localdate().year
    report(orgs["a"], year - 2)
    report(orgs["a"], year - 1)
    orgs["a"].committee = Division.objects.get(code="310117001001")
    orgs["a"].street = orgs["a"].committee.parent
    orgs["a"].save()
    return orgs["a"]


def test_apply_score_grade_reward_through_the_pages(client, users, eligible, open_round):
    client.force_login(users["bureau"])
    today = timezone.localdate()
    response = client.post(reverse("social_orgs:grade_apply"), {"round": open_round.pk, "organization": eligible.pk,
                                                                 "applied_on": today.isoformat()})
    application = EvaluationApplication.objects.get()
    assert response.status_code == 302 and application.status == "eligible"
    detail = reverse("social_orgs:grade_detail", args=[application.pk])
    page = client.get(detail).content.decode()
    assert "符合申报条件" in page and "录入评分" in page
    client.post(reverse("social_orgs:grade_score", args=[application.pk]),
                {"expert": "张专家", "score": "856", "scored_on": today.isoformat()})
    bad = client.post(reverse("social_orgs:grade_score", args=[application.pk]),
                      {"expert": "李专家", "score": "1001", "scored_on": today.isoformat()}, follow=True)
    assert "1000" in bad.content.decode()
    client.post(reverse("social_orgs:grade_decide", args=[application.pk]),
                {"grade": "5a", "decided_on": today.isoformat(), "basis": "评估委员会审定", "party_status": "separate"})
    application.refresh_from_db()
    assert application.grade == "5a" and application.scores.count() == 1
    page = client.get(detail).content.decode()
    assert "5A级" in page and "等级评估奖励金额未录入" in page
    rewards = client.get(reverse("social_orgs:reward_list")).content.decode()
    assert "参数缺失：等级评估奖励金额未录入" in rewards
    reward = GradeReward.objects.get()
    reward_page = client.get(reverse("social_orgs:reward_detail", args=[reward.pk])).content.decode()
    assert "参数缺失：等级评估奖励金额未录入" in reward_page and "申请拨付" not in reward_page.split("</h")[-1]
    assert "参数缺失" in client.get(reverse("social_orgs:reward_parameters")).content.decode()
    client.post(reverse("social_orgs:reward_parameters"), {"grade": "5a", "effective_from": "2020-01-01",
                                                           "amount": "", "document_name": "办法",
                                                           "document_number": "1号"})
    assert not RewardParameter.objects.exists()
    client.post(reverse("social_orgs:reward_parameters"), {"grade": "5a", "effective_from": "2020-01-01",
                                                           "amount": "50000.00", "document_name": "松江区扶持办法",
                                                           "document_number": "松民规〔2023〕1号"})
    reward.refresh_from_db()
    assert (reward.status, reward.amount_fen) == (RewardStatus.COMPUTED, 5_000_000)
    client.post(reverse("social_orgs:reward_pay", args=[reward.pk]),
                {"bank_name": "农业银行", "account_number": "6228480012345678901"})
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REQUESTED
    assert "待发放" in client.get(reverse("social_orgs:reward_detail", args=[reward.pk])).content.decode()
    for name in ("grade_list", "grade_valid", "reward_list"):
        export = client.get(reverse(f"social_orgs:{name}"), {"_export": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    valid = client.get(reverse("social_orgs:grade_valid"), {"window": "expiring", "days": "3650"}).content.decode()
    assert eligible.name in valid and "获得评估等级率" in valid and "50.0%" in valid
    assert eligible.name not in client.get(reverse("social_orgs:grade_valid"), {"window": "expired"}).content.decode()


def test_rounds_and_sanctions_pages(client, users, orgs):
    client.force_login(users["bureau"])
    year = timezone.localdate().year
    client.post(reverse("social_orgs:grade_rounds"), {"year": year, "opens_on": f"{year}-01-01",
                                                      "closes_on": f"{year}-12-31", "note": ""})
    assert str(year) in client.get(reverse("social_orgs:grade_rounds")).content.decode()
    client.post(reverse("social_orgs:grade_sanctions"), {"organization": orgs["b"].pk, "kind": "investigation",
                                                         "started_on": f"{year}-01-02", "document": "松民立1号",
                                                         "description": "涉嫌违规收费"})
    page = client.get(reverse("social_orgs:grade_sanctions")).content.decode()
    assert "松民立1号" in page and "立案调查" in page
    auditor = users["auditor"]
    client.force_login(auditor)
    assert client.post(reverse("social_orgs:grade_sanctions"), {}).status_code == 403
    assert client.get(reverse("social_orgs:grade_sanctions")).status_code == 200
    client.force_login(users["street"])
    assert client.get(reverse("social_orgs:grade_list")).status_code == 403


def test_an_organization_applies_and_sees_only_its_own(client, users, orgs, org_users, eligible, open_round):
    client.force_login(org_users["a"])
    form = client.get(reverse("social_orgs:grade_apply")).content.decode()
    assert orgs["b"].name not in form
    client.post(reverse("social_orgs:grade_apply"), {"round": open_round.pk, "organization": eligible.pk,
                                                     "applied_on": "2001-01-01"})
    mine = EvaluationApplication.objects.get()
    assert mine.applied_on == timezone.localdate()  # the organization applies on the day it applies
    page = client.get(reverse("social_orgs:grade_detail", args=[mine.pk])).content.decode()
    assert "录入评分" not in page and "评估委员会审定" not in page
    assert client.get(reverse("social_orgs:reward_list")).status_code == 403
    valid = client.get(reverse("social_orgs:grade_valid"))
    assert valid.status_code == 200 and "获得评估等级率" not in valid.content.decode()
    assert "申报数" not in client.get(reverse("social_orgs:grade_rounds")).content.decode()
    client.force_login(org_users["b"])
    assert client.get(reverse("social_orgs:grade_detail", args=[mine.pk])).status_code == 404
    assert eligible.name not in client.get(reverse("social_orgs:grade_list")).content.decode()
    assert client.get(f"/api/v1/social-orgs-grades/{mine.pk}").status_code == 404
    assert client.post(f"/api/v1/social-orgs-grades/{mine.pk}/scores", {
        "expert": "x", "score": 1, "scored_on": timezone.localdate().isoformat()},
        content_type="application/json").status_code == 403


def test_api_apply_score_decide_reward_and_refusals(client, users, orgs, eligible, open_round):
    client.force_login(users["bureau"])
    today = timezone.localdate().isoformat()
    year = timezone.localdate().year
    created = client.post("/api/v1/social-orgs-grades", {"organization_id": eligible.pk, "year": year},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["status_label"] == "已受理（符合申报条件）"
    pk = created.json()["id"]
    again = client.post("/api/v1/social-orgs-grades", {"organization_id": eligible.pk, "year": year},
                        content_type="application/json")
    assert again.status_code == 409
    excluded = client.post("/api/v1/social-orgs-grades", {"organization_id": orgs["b"].pk, "year": year},
                           content_type="application/json").json()
    assert excluded["status"] == "excluded" and excluded["exclusions"][0]["label"] == "未参加上一年度年检"
    assert client.post("/api/v1/social-orgs-grades", {"organization_id": orgs["b"].pk, "year": 2001},
                       content_type="application/json").status_code == 422
    early = client.post(f"/api/v1/social-orgs-grades/{pk}/decision", {
        "grade": "3a", "decided_on": today, "basis": "审定", "party_status": "joint"}, content_type="application/json")
    assert early.status_code == 422 and "专家评分" in early.json()["detail"]
    scored = client.post(f"/api/v1/social-orgs-grades/{pk}/scores", {"expert": "张专家", "score": 700,
                                                                     "scored_on": today},
                         content_type="application/json")
    assert scored.status_code == 201 and scored.json()["scores"][0]["score"] == 700
    decided = client.post(f"/api/v1/social-orgs-grades/{pk}/decision", {
        "grade": "3a", "decided_on": today, "basis": "审定", "party_status": "joint"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["grade_label"] == "3A级"
    rewards = client.get("/api/v1/social-orgs-grade-rewards").json()
    reward = rewards["results"][0]
    assert (reward["parameter_missing"], reward["amount_fen"], reward["status_label"]) == (True, None, "参数缺失")
    assert "参数缺失：等级评估奖励金额未录入" in reward["missing"]
    pay = client.post(f"/api/v1/social-orgs-grade-rewards/{reward['id']}/payment",
                      {"bank_name": "农业银行", "account_number": "6228480012345678901"}, content_type="application/json")
    assert pay.status_code == 409
    entered = client.post("/api/v1/social-orgs-grade-reward-parameters", {
        "grade": "3a", "effective_from": "2020-01-01", "amount_fen": 2_000_000, "document_name": "松江区扶持办法",
        "document_number": "松民规〔2023〕1号"}, content_type="application/json")
    assert entered.status_code == 201
    pay = client.post(f"/api/v1/social-orgs-grade-rewards/{reward['id']}/payment",
                      {"bank_name": "农业银行", "account_number": "6228480012345678901"}, content_type="application/json")
    assert pay.status_code == 200 and pay.json()["status"] == "requested" and pay.json()["amount_fen"] == 2_000_000
    share = client.get("/api/v1/social-orgs-grades-share").json()
    assert share[0] == {"label": "全区", "in_business": 2, "graded": 1, "percent": "50.0%"}
    listing = client.get("/api/v1/social-orgs-grades", {"status": "excluded"}).json()
    assert listing["count"] == 1
    client.force_login(users["auditor"])
    assert client.post("/api/v1/social-orgs-grade-reward-parameters", {
        "grade": "3a", "effective_from": "2021-01-01", "amount_fen": 1, "document_name": "x",
        "document_number": "y"}, content_type="application/json").status_code == 403
