"""Scope and roles on the pages and the API: the bureau sees all, an organization's
account only its own (another organization: 404), a wrong role 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minzheng.social_orgs.models import Organization
from minzheng.social_orgs.tests.conftest import valid_uscc

pytestmark = pytest.mark.django_db


def test_an_organization_sees_only_its_own(client, orgs, org_users):
    client.force_login(org_users["a"])
    page = client.get(reverse("social_orgs:list"))
    assert page.status_code == 200
    assert "松江区为老服务社" in page.content.decode() and "松江区书画协会" not in page.content.decode()
    assert client.get(reverse("social_orgs:detail", args=[orgs["a"].pk])).status_code == 200
    assert client.get(reverse("social_orgs:detail", args=[orgs["b"].pk])).status_code == 404
    assert client.get(f"/api/v1/social-orgs/{orgs['b'].pk}").status_code == 404
    listed = client.get("/api/v1/social-orgs").json()
    assert [o["name"] for o in listed["results"]] == ["松江区为老服务社"]


def test_an_organization_cannot_change_the_register(client, orgs, org_users):
    client.force_login(org_users["a"])
    assert client.get(reverse("social_orgs:new")).status_code == 403
    assert client.get(reverse("social_orgs:edit", args=[orgs["a"].pk])).status_code == 403
    assert client.post(reverse("social_orgs:status", args=[orgs["a"].pk]),
                       {"status": "revoked", "on": "2024-01-02", "reason": "x"}).status_code == 403
    assert client.post(f"/api/v1/social-orgs/{orgs['a'].pk}/status", {"status": "revoked", "on": "2024-01-02",
                                                                       "reason": "x"},
                       content_type="application/json").status_code == 403


def test_street_staff_have_no_access(client, users, orgs):
    client.force_login(users["street"])
    assert client.get(reverse("social_orgs:list")).status_code == 403
    assert client.get(f"/api/v1/social-orgs/{orgs['a'].pk}").status_code == 403


def test_bureau_pages_and_export(client, users, orgs):
    client.force_login(users["bureau"])
    listed = client.get(reverse("social_orgs:list"), {"kind": "social_group"})
    assert "松江区书画协会" in listed.content.decode() and "松江区为老服务社" not in listed.content.decode()
    detail = client.get(reverse("social_orgs:detail", args=[orgs["a"].pk])).content.decode()
    assert "成立登记" in detail and "联合建立党组织" in detail
    export = client.get(reverse("social_orgs:list"), {"_export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("social_orgs:import_template")).status_code == 200


def test_bureau_registers_and_changes_through_the_pages(client, users):
    client.force_login(users["bureau"])
    form = {"name": "松江区志愿者协会", "kind": "social_group", "uscc": valid_uscc("51310117MJ0000051"),
            "legal_rep_name": "赵六", "supervisor": "松江区民政局", "registered_capital": "30000.50",
            "address": "松江区某路9号", "business_scope": "志愿服务", "registered_on": "2020-01-02"}
    response = client.post(reverse("social_orgs:new"), form)
    org = Organization.objects.get(name="松江区志愿者协会")
    assert response.status_code == 302 and org.registered_capital_fen == 3_000_050
    bad = client.post(reverse("social_orgs:new"), form | {"name": "另一个", "uscc": form["uscc"][:-1] + "0"
                                                          if form["uscc"][-1] != "0" else form["uscc"][:-1] + "1"})
    assert bad.status_code == 422 and "第18位" in bad.content.decode()
    huge = client.post(reverse("social_orgs:new"), form | {"registered_capital": "1e30", "registered_on": "99999-01-01"})
    assert huge.status_code == 422
    changed = client.post(reverse("social_orgs:edit", args=[org.pk]),
                          form | {"address": "松江区新址", "changed_on": "2024-01-03", "reason": "变更登记"})
    assert changed.status_code == 302
    assert org.changes.filter(field="address", new_value="松江区新址").exists()


def test_api_create_update_and_refusals(client, users):
    client.force_login(users["bureau"])
    body = {"name": "松江区慈善基金会", "kind": "foundation", "uscc": valid_uscc("53310117MJ0000061"),
            "legal_rep_name": "钱七", "supervisor": "松江区民政局", "registered_capital_fen": 2_000_000_00,
            "address": "松江区某路10号", "business_scope": "资助", "registered_on": "2021-06-01"}
    created = client.post("/api/v1/social-orgs", body, content_type="application/json")
    assert created.status_code == 201, created.content
    org_id = created.json()["id"]
    assert created.json()["history"][0]["field_label"] == "成立登记"
    again = client.post("/api/v1/social-orgs", body, content_type="application/json")
    assert again.status_code == 422 and "已登记" in again.json()["detail"]
    updated = client.put(f"/api/v1/social-orgs/{org_id}", body | {"supervisor": "松江区教育局",
                                                                    "changed_on": "2024-02-01", "reason": "变更"},
                         content_type="application/json")
    assert updated.status_code == 200 and updated.json()["supervisor"] == "松江区教育局"
    huge = client.post("/api/v1/social-orgs", body | {"registered_capital_fen": 10**20},
                       content_type="application/json")
    assert huge.status_code == 422


def test_the_registration_certificate_for_the_organization_itself_and_only_in_business(client, users, orgs,
                                                                                      org_users):
    from urllib.parse import quote

    from minzheng.social_orgs import services

    client.force_login(org_users["a"])
    response = client.get(reverse("social_orgs:certificate", args=[orgs["a"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and quote(f"登记证书-{orgs['a'].uscc}.pdf") in response[
        "Content-Disposition"]
    assert client.get(reverse("social_orgs:certificate", args=[orgs["b"].pk])).status_code == 404
    client.force_login(users["street"])
    assert client.get(reverse("social_orgs:certificate", args=[orgs["a"].pk])).status_code == 403
    # an organization no longer in business has no certificate to print
    client.force_login(users["bureau"])
    services.organization_status_set(actor=users["bureau"], organization=orgs["b"], status="revoked",
                                     on=orgs["b"].registered_on, reason="撤销登记", today=orgs["b"].registered_on)
    refused = client.get(reverse("social_orgs:certificate", args=[orgs["b"].pk]), follow=True)
    assert "不能出具登记证书" in refused.content.decode()
