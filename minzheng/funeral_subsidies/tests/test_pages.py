"""The funeral-subsidy pages: the list with its filters, a grant's page with
its reasons and actions, the burial form, the amounts page with 参数缺失 and
the cited-value form; who may see and do what (403 / 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_id_number
from minzheng.funeral_subsidies.models import Grant, GrantKind, GrantStatus
from minzheng.registry.services import person_record_death

from .conftest import DEATH

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grant(users, make_person):
    person = make_person(youfu=True)
    person_record_death(actor=users["bureau"], person=person, death_date=DEATH)
    return Grant.objects.get(person=person)


def test_list_and_detail_for_bureau_street_and_auditor(users, grant):
    for who in ("bureau", "street", "auditor"):
        client = _client(users[who])
        page = client.get(reverse("funeral_subsidies:grant_list"), {"kind": "basic", "status": "pending",
                                                                   "month": "2026-03"})
        assert page.status_code == 200 and grant.deceased_name in page.content.decode()
        detail = client.get(reverse("funeral_subsidies:grant_detail", args=[grant.pk]))
        assert detail.status_code == 200
        text = detail.content.decode()
        assert "逝者为优抚对象" in text and "此参数尚未核实" in text
        assert ("录入票据" in text) is (who == "bureau")
    assert _client(users["street"]).get(reverse("funeral_subsidies:grant_list"),
                                        {"month": "2026-04"}).content.decode().count(grant.deceased_id_masked) == 0


def test_committee_gets_403_and_another_street_404(users, grant):
    assert _client(users["committee"]).get(reverse("funeral_subsidies:grant_list")).status_code == 403
    assert _client(users["other_street"]).get(
        reverse("funeral_subsidies:grant_detail", args=[grant.pk])).status_code == 404


def test_receipts_through_the_page(users, grant):
    client = _client(users["bureau"])
    response = client.post(reverse("funeral_subsidies:grant_receipts", args=[grant.pk]),
                           {"cost": "1,200.50", "note": "外区殡仪馆 票据号 9"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount_fen == 98_000 and grant.cost_fen == 120_050 and grant.status == GrantStatus.TO_PAY
    assert _client(users["street"]).post(reverse("funeral_subsidies:grant_refuse", args=[grant.pk]),
                                         {"reason": "x"}).status_code == 403


def test_burial_form_and_values_page(users):
    client = _client(users["bureau"])
    response = client.post(reverse("funeral_subsidies:burial_new"), {
        "kind": "tree", "burial_date": "2026-04-02", "name": "李老太",
        "id_number": make_id_number(dt.date(1935, 3, 3), male=False), "urns": "1"})
    assert response.status_code == 302
    grant = Grant.objects.get(kind=GrantKind.TREE)
    assert grant.status == GrantStatus.PENDING
    detail = client.get(response["Location"]).content.decode()
    assert "参数缺失" in detail
    values = client.get(reverse("funeral_subsidies:values")).content.decode()
    assert "参数缺失" in values and "980.00" in values and "3,000.00" in values
    response = client.post(reverse("funeral_subsidies:values"), {
        "kind": "tree", "effective_from": "2026-01-01", "amount": "800", "document_name": "某区节地生态安葬奖补办法（演示）",
        "document_number": "松民规〔2026〕1号"})
    assert response.status_code == 302
    client.post(reverse("funeral_subsidies:grant_reassess", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.amount_fen == 80_000
    assert _client(users["street"]).post(reverse("funeral_subsidies:values"), {}).status_code == 403
    assert _client(users["street"]).get(reverse("funeral_subsidies:burial_new")).status_code == 403
