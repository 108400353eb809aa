"""Hostile dates on verification: an authorisation signed on 0001-01-01 and a
check as of 1900-01-01 are refused in Chinese; nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from minzheng.registry.services import household_create
from minzheng.verification.models import Authorisation
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_request_create,
)
from minzheng.verification.tests.conftest import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(users, make_person):
    head = make_person("赵甲", dt.date(1970, 1, 1))
    household = household_create(actor=users["bureau"], head=head, address="谷阳北路9号", start_date=dt.date(2020, 1, 1))
    return head, verification_request_create(actor=users["committee"], household=household, purpose="dibao")


@pytest.mark.parametrize("signed_on", [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1999, 12, 31)])
def test_an_authorisation_signed_before_2000_is_refused(users, request_, signed_on):
    head, vr = request_
    with pytest.raises(ValidationError, match="签署日期"):
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=head, signed_on=signed_on,
                                          document=scan())
    assert not Authorisation.objects.exists()


@pytest.mark.parametrize("as_of", ["0001-01-01", "1900-01-01", "9999-12-31", "x" * 3000])
def test_a_check_as_of_a_hostile_day_is_a_message(users, request_, as_of):
    _, vr = request_
    client = Client()
    client.force_login(users["committee"])
    response = client.post(f"/verification/{vr.pk}/compute/", {"as_of": as_of}, follow=True)
    assert response.status_code == 200 and "核对日期" in response.content.decode()
