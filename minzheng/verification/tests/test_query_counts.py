"""The verification request list costs the same number of queries with 3
and with 23 requests (household, street and committee per row)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.tests.web import page_queries
from minzheng.registry.services import household_create
from minzheng.verification.models import VerificationRequest
from minzheng.verification.services import verification_request_create


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau", "street", "committee"])
def test_request_list_query_count_does_not_grow_with_requests(users, make_person, username):
    committees = ("310117001001", "310117001002") if username != "committee" else ("310117001001",)
    households = []
    for i in range(8):
        committee = committees[i % len(committees)]
        head = make_person(f"户主{i}", dt.date(1960 + i, 3, 4), committee=committee)
        households.append(household_create(actor=users["bureau"], head=head, address=f"谷阳北路{i + 1}号"))

    def requests(n: int) -> list[VerificationRequest]:
        return [verification_request_create(actor=users["bureau"], household=households[i % len(households)],
                                            purpose=("dibao", "medical")[i % 2]) for i in range(n)]

    # given three requests
    first = requests(3)
    client = Client()
    client.force_login(users[username])
    client.get("/verification/")
    few = page_queries(client, "/verification/", first[0].reference)
    # when twenty more are made
    more = requests(20)
    # then the queue lists them all in the same number of queries
    many = page_queries(client, "/verification/", more[0].reference, more[-1].reference, "谷阳北路8号")
    assert VerificationRequest.objects.count() == 23
    assert many == few, (few, many)
