"""The funeral-subsidy API: grants (scoped, masked, amount null = not yet
known) and the assessment of a registry person on a death date."""

from __future__ import annotations

import pytest
from django.test import Client

from minzheng.funeral_subsidies.models import Grant
from minzheng.registry.services import person_record_death

from .conftest import DEATH

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def test_grants_list_and_detail_scoped(users, make_person):
    person = make_person(youfu=True)
    person_record_death(actor=users["bureau"], person=person, death_date=DEATH)
    grant = Grant.objects.get(person=person)
    body = _client(users["street"]).get("/api/v1/funeral-subsidies/grants", {"kind": "basic"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["kind_label"] == "基本殡葬服务补贴" and row["amount_fen"] is None and row["status_label"] == "待核定"
    assert "逝者为优抚对象" in row["reasons"] and row["amount_verified"] is False
    assert "*" in row["deceased_id_number_masked"]
    assert _client(users["other_street"]).get(f"/api/v1/funeral-subsidies/grants/{grant.pk}").status_code == 404
    assert _client(users["committee"]).get("/api/v1/funeral-subsidies/grants").status_code == 403
    assert _client(users["bureau"]).get("/api/v1/funeral-subsidies/grants", {"kind": "x"}).status_code == 422


def test_assess(users, make_person):
    person = make_person()
    response = _client(users["bureau"]).get("/api/v1/funeral-subsidies/assess",
                                            {"person_id": person.pk, "death_date": DEATH.isoformat()})
    body = response.json()
    assert response.status_code == 200 and body["eligible"] is None and len(body["missing"]) == 2
    assert body["cap_fen"] == 98_000 and body["cap_verified"] is False
    assert _client(users["other_street"]).get("/api/v1/funeral-subsidies/assess", {
        "person_id": person.pk, "death_date": DEATH.isoformat()}).status_code == 404
