"""Supervision fixtures: operating 养老院 in the test district's two streets
(岳阳街道 310117001, 泗泾镇 310117102), an operator for one, the checklist of
migration 0002, an inspector pool of four."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.supervision import services
from minzheng.supervision.models import ChecklistVersion, InspectorKind


@pytest.fixture
def checklist(db):
    if not ChecklistVersion.objects.filter(version=1).exists():
        importlib.import_module("minzheng.supervision.migrations.0002_seed_checklist").seed(apps, None)
    return ChecklistVersion.objects.get(version=1)


def _home(name, street, committee, status=FacilityStatus.OPERATING, kind=FacilityKind.CARE_HOME):
    return Facility.objects.create(name=name, kind=kind, street=street, committee=committee, status=status)


@pytest.fixture
def homes(district):
    return {
        "a": _home("测试岳阳养老院", district["yueyang"], district["c1"]),
        "b": _home("测试乐都养老院", district["yueyang"], district["c2"]),
        "c": _home("测试泗泾养老院", district["sijing"], district["c3"]),
        "d": _home("测试张泾敬老院", district["sijing"], district["c3"]),
        "closed": _home("测试停业养老院", district["sijing"], district["c3"], status=FacilityStatus.CLOSED),
        "station": _home("测试服务站", district["yueyang"], district["c1"], kind=FacilityKind.STATION),
    }


@pytest.fixture
def operator(users, homes):
    user = user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                       scope_code="310117", full_name="郑秀英")
    FacilityStaff.objects.create(user=user, facility=homes["a"])
    return user


@pytest.fixture
def approver(users):
    return user_create(actor="test", username="approver", password="pass-12345", role=Role.BUREAU,
                       scope_code="310117", full_name="吴国强")


@pytest.fixture
def pool(users):
    return [services.inspector_add(actor=users["bureau"], name="陈检查", kind=InspectorKind.STAFF, user=users["bureau"]),
            services.inspector_add(actor=users["bureau"], name="李检查", kind=InspectorKind.STAFF, user=users["street"]),
            services.inspector_add(actor=users["bureau"], name="王专家", kind=InspectorKind.EXPERT,
                                   organisation="上海某消防技术服务机构"),
            services.inspector_add(actor=users["bureau"], name="李专家", kind=InspectorKind.EXPERT,
                                   organisation="上海某会计师事务所")]


@pytest.fixture
def make_plan(users, checklist):
    def _make(street=None, n=2, k=2, **extra):
        values = {"name": "2024年养老机构双随机抽查", "period_start": dt.date(2024, 3, 1),
                  "period_end": dt.date(2024, 12, 31), "institutions_to_draw": n, "inspectors_per_institution": k,
                  "checklist": checklist, "street": street} | extra
        return services.plan_create(actor=users["bureau"], **values)

    return _make
