"""The demo loader on a few facilities (the facilities demo's stand-in): beds
match the register, occupancy 70–90 %, staff and incidents, safe to re-run,
nothing to do without institutions (ADR 0029)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.care_homes import selectors
from minzheng.care_homes.models import Bed, BedKind, Resident, StaffMember
from minzheng.core.models import AuditEntry, Role
from minzheng.core.services import user_create
from minzheng.demo.care_homes import care_homes_seed

pytestmark = pytest.mark.django_db


def test_nothing_to_do_without_institutions(district):
    assert "跳过" in care_homes_seed()
    assert not Bed.objects.exists()


def test_seed_fills_every_operating_home(district):
    user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                scope_code="310117")
    homes = [Facility.objects.create(name=f"演示第{i}养老院" if i else "演示社会福利院", kind=FacilityKind.CARE_HOME,
                                     street=district["yueyang"], committee=district["c1"], beds=beds,
                                     dementia_beds=dementia, status=FacilityStatus.OPERATING,
                                     operating_since=dt.date(2015, 1, 1))
             for i, (beds, dementia) in enumerate(((120, 20), (57, None), (200, 0)))]
    Facility.objects.create(name="规划中养老院", kind=FacilityKind.CARE_HOME, street=district["sijing"],
                            committee=district["c3"], beds=80, status=FacilityStatus.PLANNED)
    message = care_homes_seed(seed=7)
    assert "3 家养老院" in message and "carehome 关联到演示社会福利院" in message
    today = timezone.localdate()
    occ = selectors.occupancy([h.pk for h in homes], today)
    for home in homes:
        assert Bed.objects.filter(facility=home).count() == home.beds
        assert 0.69 <= occ[home.pk].residents / occ[home.pk].beds <= 0.91
        assert StaffMember.objects.filter(facility=home, post="caregiver").exists()
    assert Bed.objects.filter(facility=homes[0], kind=BedKind.DEMENTIA).count() == 20
    assert Resident.objects.filter(discharged_on__isnull=False).exists()
    assert not Resident.objects.filter(person__isnull=False).exists()
    assert FacilityStaff.objects.get(user__username="carehome").facility == homes[0]
    assert AuditEntry.objects.filter(action="demo_data.care_homes").count() == 1
    assert "已存在" in care_homes_seed(seed=7)
