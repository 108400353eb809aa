"""Pages and API of 困境儿童: scope (404), roles (403), the API's writes, bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.children import services
from minzheng.children.models import Lead
from minzheng.core.audit_labels import describe
from minzheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def kids(users, family, cat):
    son = services.child_register(actor=users["bureau"], person=family.son, category=cat["unsupported"],
                                  started_on=TODAY, evidence_kind="police_court", evidence="判决书")
    boy = services.child_register(actor=users["bureau"], person=family.boy, category=cat["poor"], started_on=TODAY,
                                  evidence_kind="enrolment", evidence="低保")
    services.campaign_open(actor=users["bureau"], year=TODAY.year, started_on=TODAY, due_on=TODAY)
    return son, boy


def test_pages_scope_and_roles(users, kids):
    son, boy = kids
    committee = _web(users["committee"])
    for url in ("/children/", "/children/register/", f"/children/register/{son.pk}/", "/children/sweep/",
                "/children/leads/", "/children/directors/", "/children/projects/",
                "/children/register/?_export=xlsx"):
        assert committee.get(url).status_code == 200, url
    assert committee.get(f"/children/register/{boy.pk}/").status_code == 404
    assert _web(users["other_street"]).get(f"/children/register/{son.pk}/").status_code == 404
    auditor = _web(users["auditor"])
    assert auditor.get(f"/children/register/{son.pk}/").status_code == 200
    assert auditor.post(f"/children/register/{son.pk}/end/", {"ended_on": TODAY, "reason": "x"}).status_code == 403
    assert _web(users["committee"]).post("/children/leads/generate/").status_code == 403


def test_api_lists_scoped_writes_and_bounds(users, kids, family):
    son, boy = kids
    api = _api(users["committee"])
    listed = api.get("/api/v1/children/children").json()
    assert [c["id"] for c in listed["results"]] == [son.pk]
    assert api.get(f"/api/v1/children/children/{boy.pk}").status_code == 404
    detail = api.get(f"/api/v1/children/children/{son.pk}").json()
    assert detail["categories"] == ["事实无人抚养儿童"] and detail["enrolments"] == []
    answers = {code: True for code in ("seen", "guardian", "school", "health", "living", "safety")}
    ok = api.post(f"/api/v1/children/campaigns/{TODAY.year}/children/{son.pk}/check",
                  {"checked_on": TODAY.isoformat(), "answers": answers, "outcome": "unchanged"},
                  content_type="application/json")
    assert ok.status_code == 201 and ok.json()["outcome_label"] == "情况无变化"
    far = api.post(f"/api/v1/children/campaigns/{TODAY.year}/children/{son.pk}/check",
                   {"checked_on": "9999-01-01", "answers": answers, "outcome": "unchanged"},
                   content_type="application/json")
    assert far.status_code == 422
    lead = Lead.objects.create(person=family.son, street_id="310117001", committee_id="310117001001",
                               kind="staff", source_ref="t", category_id=son.spells.get().category_id, detail="x",
                               created_on=TODAY)
    gone = api.post(f"/api/v1/children/leads/{lead.pk}/dismiss", {"reason": "重复"}, content_type="application/json")
    assert gone.status_code == 200 and gone.json()["status_label"] == "不予纳入"
    figures = _api(users["bureau"]).get("/api/v1/children/figures").json()
    assert sum(r["total"] for r in figures) == 2


def test_audit_entries_have_chinese_labels(users, kids):
    for entry in AuditEntry.objects.filter(action__startswith="children."):
        line = describe(entry)
        assert line.what != "其他操作" and "其他内容" not in [k for k, _ in line.changes], entry.action
