"""Caregiver fixtures: a care operator linked to one of two 养老院 (one per street
of the test district), and a valid synthetic ID number maker."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Role
from minzheng.core.services import user_create


@pytest.fixture
def operator(users):
    return user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                       scope_code="310117", full_name="郑秀英", post="养老院")


@pytest.fixture
def homes(district, operator):
    def home(committee, name):
        return Facility.objects.create(name=name, kind=FacilityKind.CARE_HOME, committee=committee,
                                       street_id=committee.parent_id, status=FacilityStatus.OPERATING,
                                       operating_since=dt.date(2020, 1, 1), beds=100)

    a, b = home(district["c1"], "测试岳阳养老院"), home(district["c3"], "测试泗泾养老院")
    FacilityStaff.objects.create(user=operator, facility=a)
    return {"a": a, "b": b}
