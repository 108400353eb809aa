"""The demo's 残疾人服务 (ADR 0037): a point per town, rentals and applications
waiting with 参数缺失 (no invented rate), 5 pilot towns working, 70 of 100 beds;
idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.demo.disability_services import disability_services_seed
from minzheng.disability_services import selectors
from minzheng.disability_services.models import (
    AidRentalApplication,
    CitedValue,
    RehabParticipant,
    Rental,
    ServicePoint,
)
from minzheng.registry.services import disability_certificate_add

pytestmark = pytest.mark.django_db


def test_demo_seed(users, make_person):
    today = dt.date(2026, 6, 30)
    for n in range(12):
        committee = ("310117001001", "310117001002", "310117102201")[n % 3]
        person = make_person(name=f"持证人{n}", birth=dt.date(1950 + n, 1, 1), committee=committee)
        disability_certificate_add(actor=users["bureau"], person=person, grade=1 + n % 4,
                                   kind=("肢体", "精神")[n % 2], valid_from=dt.date(2020, 1, 1),
                                   valid_to=dt.date(2030, 1, 1))
    message = disability_services_seed(today=today, committee_user=users["committee"])
    assert "参数缺失" in message
    assert ServicePoint.objects.count() == 17
    assert Rental.objects.filter(committee_id="310117001001").exists()
    assert AidRentalApplication.objects.filter(status="applied").exists()
    assert AidRentalApplication.objects.filter(status="rejected").count() == 1
    assert not CitedValue.objects.exists()  # the demo invents no rate
    coverage = selectors.rehab_coverage(users["bureau"], today)
    assert coverage.covered == 5 and coverage.target.year == 2025 and coverage.target_towns == 17 and coverage.met is False
    assert RehabParticipant.objects.filter(street_id="310117001").exists()
    project = selectors.care_bed_projects(users["bureau"]).get(year=2024)
    assert selectors.care_bed_progress(users["bureau"], project, today).opened == 70
    assert "跳过" in disability_services_seed(today=today, committee_user=users["committee"])
