"""Care institution fixtures: two 养老院 (岳阳街道, 泗泾镇), an operator linked to
the first, another operator linked to the second, a few beds."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.care_homes import services
from minzheng.core.models import Role
from minzheng.core.services import user_create


@pytest.fixture
def homes(district):
    def make(name, street, committee):
        return Facility.objects.create(name=name, kind=FacilityKind.CARE_HOME, street=street, committee=committee,
                                       status=FacilityStatus.OPERATING, beds=4, operating_since=dt.date(2020, 1, 1))
    return {"own": make("测试岳阳养老院", district["yueyang"], district["c1"]),
            "other": make("测试泗泾养老院", district["sijing"], district["c3"])}


@pytest.fixture
def operator(homes):
    user = user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                       scope_code="310117", full_name="郑秀英", post="院长助理")
    FacilityStaff.objects.create(user=user, facility=homes["own"])
    return user


@pytest.fixture
def other_operator(homes):
    user = user_create(actor="test", username="carehome2", password="pass-12345", role=Role.CARE_OPERATOR,
                       scope_code="310117", full_name="冯丽", post="院长")
    FacilityStaff.objects.create(user=user, facility=homes["other"])
    return user


@pytest.fixture
def room(operator, homes):
    """Room 101 with two ordinary beds (101-1, 101-2) in the operator's institution."""
    return services.room_create(actor=operator, facility=homes["own"], number="101", beds=2)
