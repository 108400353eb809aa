"""Facility fixtures: a care operator and a canteen account, a valid USCC maker,
and a few facilities in the test district's streets (岳阳街道 310117001 with
committees c1, c2; 泗泾镇 310117102 with c3)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Role
from minzheng.core.services import user_create


def valid_uscc(body: str = "91310117MA1GAB2C") -> str:
    """A valid code: 17 characters (8 digits first) + the check character."""
    body = (body + "00000000000000000")[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def operator(users):
    return user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                       scope_code="310117", full_name="郑秀英", post="养老院")


@pytest.fixture
def canteen_user(users):
    return user_create(actor="test", username="canteen", password="pass-12345", role=Role.CANTEEN,
                       scope_code="310117", full_name="冯建国", post="长者食堂")


def make_facility(committee, *, name: str, kind: str = FacilityKind.CENTRE, status: str = FacilityStatus.OPERATING,
                  operating_since: dt.date | None = dt.date(2024, 5, 1), **extra) -> Facility:
    return Facility.objects.create(name=name, kind=kind, committee=committee, street_id=committee.parent_id,
                                   status=status, operating_since=operating_since, **extra)


@pytest.fixture
def homes(district, operator):
    """Two 养老院, one per street; the operator is linked to the first only."""
    a = make_facility(district["c1"], name="测试岳阳养老院", kind=FacilityKind.CARE_HOME, beds=120, dementia_beds=20)
    b = make_facility(district["c3"], name="测试泗泾养老院", kind=FacilityKind.CARE_HOME, beds=80)
    FacilityStaff.objects.create(user=operator, facility=a)
    return {"a": a, "b": b}
