"""The supervision demo runs over the facilities demo's 养老院 (nothing without
any), records a verifiable draw, leaves orders in each state, publishes, and
does nothing the second time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from minzheng.demo.supervision import PLAN_NAME, supervision_seed
from minzheng.supervision import services
from minzheng.supervision.models import OrderStatus, Plan, PlanStatus, RectificationOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(users):
    from minzheng.core.models import Role
    from minzheng.core.services import user_create

    return user_create(actor="test", username="approver", password="pass-12345", role=Role.BUREAU,
                       scope_code="310117", full_name="吴国强")


@pytest.fixture
def checklist(db):
    """Migration 0002's checklist (seeded again if a transactional test flushed it)."""
    import importlib

    from django.apps import apps

    from minzheng.supervision.models import ChecklistVersion

    if not ChecklistVersion.objects.filter(version=1).exists():
        importlib.import_module("minzheng.supervision.migrations.0002_seed_checklist").seed(apps, None)
    return ChecklistVersion.objects.get(version=1)


def test_demo_seed(users, approver, checklist):
    today = dt.date(2026, 12, 2)
    assert "跳过" in supervision_seed(bureau=users["bureau"], approver=approver, street=users["street"], today=today)
    from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
    from minzheng.core.models import Division

    committee = Division.objects.get(code="310117001001")
    for n in range(6):
        Facility.objects.create(name=f"演示养老院{n}", kind=FacilityKind.CARE_HOME, street=committee.parent,
                                committee=committee, status=FacilityStatus.OPERATING)
    users["bureau"].full_name = "陈建华"
    assert "结果已公开" in supervision_seed(bureau=users["bureau"], approver=approver, street=users["street"],
                                          today=today)
    plan = Plan.objects.get(name=PLAN_NAME)
    assert plan.status == PlanStatus.APPROVED and services.draw_verify(plan) == []
    states = set(RectificationOrder.objects.values_list("status", flat=True))
    assert states == {OrderStatus.OPEN, OrderStatus.RESPONDED, OrderStatus.ACCEPTED}
    assert RectificationOrder.objects.filter(escalated_at__isnull=False).exists()
    assert "演示养老院" in Client().get(reverse("supervision:public")).content.decode()
    assert "跳过" in supervision_seed(bureau=users["bureau"], approver=approver, street=users["street"], today=today)
