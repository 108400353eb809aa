"""残疾人服务 fixtures: disabled people of the test district built through the registry's services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

D = dt.date
FROM, TO, BIRTH = D(2020, 1, 1), D(2030, 1, 1), D(1960, 3, 1)


@pytest.fixture
def disabled(make_person, users):
    """A person with a certificate (grade, kind, validity) recorded through the registry."""
    from minzheng.registry.services import disability_certificate_add

    def _make(name: str, *, committee: str = "310117001001", grade: int = 1, kind: str = "肢体",
              valid_from: dt.date = FROM, valid_to: dt.date | None = TO,
              birth: dt.date = BIRTH):
        person = make_person(name=name, birth=birth, committee=committee)
        disability_certificate_add(actor=users["bureau"], person=person, grade=grade, kind=kind,
                                   valid_from=valid_from, valid_to=valid_to, number=f"SJ{person.pk:08d}")
        return person

    return _make


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
