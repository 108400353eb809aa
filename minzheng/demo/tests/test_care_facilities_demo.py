"""The demo's facility network and caregivers (minzheng.demo.care_facilities,
minzheng.demo.caregivers): 33 养老院, about 60 meal services, the 2024 targets
partly met, the demo accounts linked, a plausible certified share (computed)."""

from __future__ import annotations

import datetime as dt
import time

from minzheng.care_facilities.models import FacilityKind, FacilityStaff
from minzheng.care_facilities.selectors import plan_progress
from minzheng.caregivers.selectors import certified_share_total, trained_intermediate_progress
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.care_facilities import care_facilities_seed, facility_staff_seed
from minzheng.demo.caregivers import caregivers_seed
from minzheng.demo.committees import ensure_committees

TODAY = dt.date(2026, 12, 1)


def test_demo_network_and_caregivers(users):
    ensure_committees()
    started = time.perf_counter()
    message = care_facilities_seed(today=TODAY)
    assert "养老院 33 家" in message
    assert care_facilities_seed(today=TODAY) == "演示养老服务设施已存在，未重复生成。"
    from minzheng.care_facilities.models import Facility

    assert Facility.objects.filter(kind=FacilityKind.CARE_HOME).count() == 33
    assert 55 <= Facility.objects.filter(kind__in=[FacilityKind.CANTEEN, FacilityKind.MEAL_POINT]).count() <= 65
    assert all("演示" in name for name in Facility.objects.values_list("name", flat=True))
    progress = {p.target.measure: p for p in plan_progress(users["bureau"], 2024)}
    done = {m: (p.done, p.target.target) for m, p in progress.items()}
    assert done["new_centres"] == (1, 2) and done["new_stations"] == (3, 5) and done["new_rural_care_homes"] == (2, 4)
    assert done["smart_care_homes"] == (1, 1) and done["internet_hospital"] == (1, 2)
    assert done["dementia_beds"] == (60, 100) and done["new_health_homes"] == (1, 1)
    assert progress["new_centres"].building == 1
    carehome = user_create(actor="test", username="carehome", password="pass-12345", role=Role.CARE_OPERATOR,
                           scope_code="310117")
    canteen = user_create(actor="test", username="canteen", password="pass-12345", role=Role.CANTEEN,
                          scope_code="310117")
    facility_staff_seed(carehome=carehome, canteen=canteen)
    assert sorted(FacilityStaff.objects.filter(user=carehome).values_list("facility__kind", flat=True)) == [
        "care_home", "care_home"]
    assert list(FacilityStaff.objects.filter(user=canteen).values_list("facility__kind", flat=True)) == ["canteen"]
    assert "名" in caregivers_seed(today=TODAY)
    share = certified_share_total(users["bureau"])
    assert 300 <= share.total <= 900 and 80 <= share.percent <= 97
    trained = trained_intermediate_progress(users["bureau"], 2024)
    assert 0 < trained.done < 297
    print(f"demo facilities and caregivers: {time.perf_counter() - started:.1f} s")
