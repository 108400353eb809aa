"""Fixtures: the reference data (re-created after a flush), the 岳阳街道 station with
the ``street`` user as its head (assigned to every case reported there), the
``bureau`` user in the district office, a second bureau user who is not, a second
committee user of 谷阳居委会, and a child of 谷阳居委会 (the ``committee`` user's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.minors_protection import services
from minzheng.minors_protection.models import ConcernKind, StaffPosition


@pytest.fixture
def reference(db):
    services.reference_seed_missing()


@pytest.fixture
def more_users(users):
    users["bureau2"] = user_create(actor="test", username="bureau2", password="pass-12345", role=Role.BUREAU,
                                   scope_code="310117")
    users["committee2"] = user_create(actor="test", username="committee2", password="pass-12345",
                                      role=Role.COMMITTEE, scope_code="310117001001")
    return users


@pytest.fixture
def station(reference, more_users, district):
    station = services.station_create(actor=more_users["bureau"], street=district["yueyang"], name="岳阳街道未成年人保护工作站")
    services.station_staff_add(actor=more_users["bureau"], station=station, name="", position=StaffPosition.HEAD,
                               user=more_users["street"])
    services.station_staff_add(actor=more_users["bureau"], station=station, name="陈检察官",
                               position=StaffPosition.DEPUTY_PROSECUTOR)
    return station


@pytest.fixture
def office(station, more_users):
    services.office_member_add(actor=more_users["bureau"], user=more_users["bureau"])
    return more_users


@pytest.fixture
def child(make_person):
    return make_person(name="王小明", birth=timezone.localdate().replace(day=1) - dt.timedelta(days=365 * 10))


def kinds(*codes: str) -> list[ConcernKind]:
    return list(ConcernKind.objects.filter(code__in=codes))


@pytest.fixture
def case(office, child):
    return services.case_report(actor=office["committee"], child=child, kinds=kinds("guardianship"),
                                urgency="high", description="邻居反映孩子长期独自在家，无人照料",
                                reporter_kind="public", reporter_name="邻居")
