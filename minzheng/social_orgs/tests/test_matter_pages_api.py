"""The matter pages and endpoints: an establishment through the pages to its
letter; the organization applies for itself and sees only its own matters (404
otherwise); figures and the time limit; API refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from minzheng.social_orgs.matter_rules import REQUIRED_DOCUMENTS
from minzheng.social_orgs.models import Matter, MatterKind, MatterTimeLimit
from minzheng.social_orgs.tests.conftest import valid_uscc

pytestmark = pytest.mark.django_db


def test_establishment_through_the_pages(client, users, orgs):
    client.force_login(users["bureau"])
    today = timezone.localdate().isoformat()
    response = client.post(reverse("social_orgs:matter_new"), {
        "kind": "establishment", "applied_on": today, "name": "松江区书画家协会", "org_kind": "social_group",
        "legal_rep_name": "孙九", "supervisor": "松江区文化和旅游局", "address": "松江区某路3号",
        "business_scope": "书画交流", "documents": list(REQUIRED_DOCUMENTS[MatterKind.ESTABLISHMENT])})
    matter = Matter.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("social_orgs:matter_detail", args=[matter.pk])).content.decode()
    assert "松江区书画协会" in page and "未设时限（参数缺失）" in page
    client.post(reverse("social_orgs:matter_accept", args=[matter.pk]), {"on": today})
    client.post(reverse("social_orgs:matter_review", args=[matter.pk]), {"agrees": "1", "opinion": "同意", "on": today})
    client.post(reverse("social_orgs:matter_decide", args=[matter.pk]),
                {"approve": "1", "on": today, "uscc": valid_uscc("51310117MJ0000081"), "reason": ""})
    matter.refresh_from_db()
    assert matter.status == "approved" and matter.organization.name == "松江区书画家协会"
    letter = client.get(reverse("social_orgs:matter_letter", args=[matter.pk]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert client.get(reverse("social_orgs:matter_list"), {"kind": "establishment"}).status_code == 200
    figures = client.get(reverse("social_orgs:figures"), {"year": timezone.localdate().year}).content.decode()
    assert "成立登记" in figures
    assert client.get(reverse("social_orgs:figures"), {"year": "99999"}).status_code == 200
    client.post(reverse("social_orgs:time_limit"), {"kind": "renewal", "working_days": "20", "basis": "测试依据"})
    assert MatterTimeLimit.objects.get().working_days == 20


def test_an_organization_applies_for_itself_only(client, users, orgs, org_users):
    client.force_login(org_users["a"])
    form = client.get(reverse("social_orgs:matter_new")).content.decode()
    assert "松江区书画协会" not in form and "成立登记" not in form.split('name="kind"')[1].split("</select>")[0]
    today = timezone.localdate().isoformat()
    response = client.post(reverse("social_orgs:matter_new"), {"kind": "charter", "organization": orgs["b"].pk,
                                                               "applied_on": today})
    assert response.status_code in (404, 422)
    assert not Matter.objects.exists()
    client.post(reverse("social_orgs:matter_new"), {"kind": "charter", "organization": orgs["a"].pk,
                                                    "applied_on": today})
    own = Matter.objects.get()
    assert client.get(reverse("social_orgs:matter_detail", args=[own.pk])).status_code == 200
    assert client.post(reverse("social_orgs:matter_accept", args=[own.pk]), {"on": today}).status_code == 403
    client.force_login(org_users["b"])
    assert client.get(reverse("social_orgs:matter_detail", args=[own.pk])).status_code == 404
    assert client.get(f"/api/v1/social-orgs-matters/{own.pk}").status_code == 404
    assert client.get(reverse("social_orgs:figures")).status_code == 403


def test_api_apply_name_check_and_figures(client, users, orgs):
    client.force_login(users["bureau"])
    today = timezone.localdate().isoformat()
    created = client.post("/api/v1/social-orgs-matters", {
        "kind": "renewal", "organization_id": orgs["a"].pk, "applied_on": today, "documents": ["有效期延续申请书"]},
        content_type="application/json")
    assert created.status_code == 201 and created.json()["missing_documents"] == ["原登记证书正副本"]
    refused = client.post("/api/v1/social-orgs-matters", {
        "kind": "establishment", "applied_on": today,
        "proposed": {"name": "松江区书画协会", "kind": "social_group", "legal_rep_name": "甲", "supervisor": "乙",
                     "address": "丙", "business_scope": "丁"}}, content_type="application/json")
    assert refused.status_code == 422 and "重名" in refused.json()["detail"]
    check = client.get("/api/v1/social-orgs-name-check", {"name": "松江区书画家协会"}).json()
    assert check["refused"] is False and check["near"][0]["name"] == "松江区书画协会" and check["near"][0]["similarity"] >= 80
    figures = client.get(f"/api/v1/social-orgs-matters-figures/{timezone.localdate().year}").json()
    assert {f["kind"]: f["open"] for f in figures}["renewal"] == 1


@pytest.mark.parametrize("proposed", [{"registered_capital_fen": "abc"}, {"registered_capital_fen": 10**20},
                                      {"registered_capital_fen": True}])
def test_api_hostile_proposals_are_422(client, users, orgs, proposed):
    client.force_login(users["bureau"])
    response = client.post("/api/v1/social-orgs-matters", {
        "kind": "change", "organization_id": orgs["a"].pk, "applied_on": timezone.localdate().isoformat(),
        "proposed": proposed}, content_type="application/json")
    assert response.status_code == 422
