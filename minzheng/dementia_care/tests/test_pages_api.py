"""Screening pages and API: scope (404 outside), recording through the page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from minzheng.dementia_care import services
from minzheng.dementia_care.models import Screening, ScreeningTool

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
def screenings(users, make_person):
    ad8 = ScreeningTool.objects.get(code="ad8")
    day = timezone.localdate()
    out = {}
    for key, committee in (("ours", "310117001001"), ("theirs", "310117102201")):
        person = make_person(name=f"筛查{key}", birth=dt.date(1950, 1, 1), committee=committee)
        out[key] = services.screening_record(actor=users["bureau"], person=person, tool=ad8, score=3,
                                             screened_on=day, screener="医生", risk_level="high")
    return out


def test_scope_on_pages_and_api(users, screenings):
    ours, theirs = screenings["ours"], screenings["theirs"]
    committee = _login(users["committee"])
    assert committee.get(f"/eldercare/dementia/{ours.pk}/").status_code == 200
    assert committee.get(f"/eldercare/dementia/{theirs.pk}/").status_code == 404
    listing = committee.get("/eldercare/dementia/").content.decode()
    assert "筛查ours" in listing and "筛查theirs" not in listing
    for url in ("/eldercare/dementia/figures/", "/eldercare/dementia/new/"):
        assert committee.get(url).status_code == 200, url
    assert _api(users["other_street"]).get(f"/api/v1/eldercare/dementia/screenings/{ours.pk}").status_code == 404
    figures = _api(users["bureau"]).get(f"/api/v1/eldercare/dementia/figures/{timezone.localdate().year}").json()
    assert {r["street"]: r["screenings"] for r in figures["streets"] if r["screenings"]} == {
        "310117001": 1, "310117102": 1}
    assert _api(users["bureau"]).get("/api/v1/eldercare/dementia/figures/2023").json()["reported_screenings"] == 15600


def test_record_through_the_api_and_refusal(users, screenings):
    person_id = screenings["ours"].person_id
    client = _api(users["committee"])
    ok = client.post("/api/v1/eldercare/dementia/screenings", {
        "person_id": person_id, "tool": "mini_cog", "score": 2, "screened_on": timezone.localdate().isoformat(),
        "screener": "社工", "risk_level": "medium"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["positive"] is True
    bad = client.post("/api/v1/eldercare/dementia/screenings", {
        "person_id": person_id, "tool": "mini_cog", "score": 9, "screened_on": timezone.localdate().isoformat(),
        "screener": "社工", "risk_level": "medium"}, content_type="application/json")
    assert bad.status_code == 422 and "0至5分" in bad.json()["detail"]
    outside = client.post("/api/v1/eldercare/dementia/screenings", {
        "person_id": screenings["theirs"].person_id, "tool": "ad8", "score": 1,
        "screened_on": timezone.localdate().isoformat(), "screener": "社工", "risk_level": "low"},
        content_type="application/json")
    assert outside.status_code == 404
    assert Screening.objects.count() == 3


def test_referral_and_follow_up_pages(users, screenings):
    ours = screenings["ours"]
    client = _login(users["committee"])
    today = timezone.localdate().isoformat()
    client.post(f"/eldercare/dementia/{ours.pk}/referral/", {"referral_to": "记忆门诊", "referred_on": today})
    client.post(f"/eldercare/dementia/{ours.pk}/follow-up/", {"visited_on": today, "visitor": "社工", "note": "已就诊"})
    ours.refresh_from_db()
    assert ours.referral_to == "记忆门诊" and ours.follow_ups.count() == 1
