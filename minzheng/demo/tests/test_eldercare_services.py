"""The demo's visits, adaptations and screenings: states present, overdue entries, idempotent (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.demo.eldercare_services import eldercare_services_seed
from minzheng.hardship_visits.models import VisitRecord, VisitTarget
from minzheng.home_adaptations.models import Application, Status
from minzheng.payments.models import OneOffPayment

pytestmark = pytest.mark.django_db


def test_demo_seed(users, make_person, settings, tmp_path):
    from minzheng.registry.services import household_create

    settings.MEDIA_ROOT = tmp_path
    today = dt.date(2026, 6, 30)
    for n in range(30):
        person = make_person(name=f"演示老人{n}", birth=dt.date(1930 + n, 1, 1),
                             committee=("310117001001", "310117001002", "310117102201")[n % 3])
        household_create(actor=users["bureau"], head=person, address=f"演示地址{n}", start_date=dt.date(2020, 1, 1))
    message = eldercare_services_seed(today=today, committee_user=users["committee"])
    assert "探访关爱名单" in message
    assert VisitTarget.objects.filter(ended_on__isnull=True).count() == 30
    assert VisitRecord.objects.exists()
    assert VisitTarget.objects.filter(ended_on__isnull=True, next_due_on__lt=today).exists()
    states = set(Application.objects.values_list("status", flat=True))
    assert {Status.APPLIED, Status.ASSESSED, Status.CONTRACTED, Status.COMPLETED, Status.ACCEPTED,
            Status.SUBSIDISED, Status.REJECTED} <= states
    assert OneOffPayment.objects.filter(program="home_adaptation").count() == 3
    assert "跳过" in eldercare_services_seed(today=today, committee_user=users["committee"])
