"""Work-plan targets as data, progress per street from crafted facilities, and
coverage against the population aged 60+ (ADR 0028)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.care_facilities.coverage import committee_reach, street_coverage
from minzheng.care_facilities.models import FacilityKind, FacilityStatus, PlanTarget, TargetMeasure
from minzheng.care_facilities.progress import targets_progress
from minzheng.care_facilities.tests.conftest import make_facility

pytestmark = pytest.mark.django_db


def test_the_2024_targets_are_seeded_with_the_plans_sentence():
    rows = {t.measure: t for t in PlanTarget.objects.filter(year=2024)}
    assert {m: rows[m].target for m in rows} == {
        "new_centres": 2, "new_canteens": 1, "new_stations": 5, "new_rural_care_homes": 4, "new_health_homes": 1,
        "smart_care_homes": 1, "internet_hospital": 2, "dementia_beds": 100, "caregivers_trained": 297}
    assert "新增2家社区综合为老服务中心" in rows["new_centres"].source
    assert "培训297名中级以上技能等级护理员" in rows["caregivers_trained"].source


def test_progress_counts_the_year_of_opening_per_street(users, district):
    c1, c2, c3 = district["c1"], district["c2"], district["c3"]
    make_facility(c1, name="中心甲", operating_since=dt.date(2024, 3, 1))
    make_facility(c2, name="中心乙", operating_since=dt.date(2024, 11, 30),
                  status=FacilityStatus.CLOSED, closed_on=dt.date(2024, 12, 20))  # opened in 2024: counts
    make_facility(c3, name="中心丙", operating_since=dt.date(2023, 12, 31))  # last year's
    make_facility(c3, name="中心丁", status=FacilityStatus.BUILDING, operating_since=None,
                  building_since=dt.date(2024, 6, 1))
    make_facility(c3, name="中心戊", status=FacilityStatus.OPERATING, operating_since=None)  # date missing
    make_facility(c1, name="养老院甲", kind=FacilityKind.CARE_HOME, smart=True, smart_since=dt.date(2024, 4, 1),
                  dementia_beds=30, dementia_beds_since=dt.date(2024, 5, 1), beds=200)
    make_facility(c3, name="养老院乙", kind=FacilityKind.CARE_HOME, internet_hospital=True,
                  internet_hospital_since=dt.date(2024, 2, 1), dementia_beds=45, dementia_beds_since=dt.date(2024, 7, 1),
                  beds=100)
    progress = {p.target.measure: p for p in targets_progress(users["bureau"], 2024)}
    centres = progress[TargetMeasure.NEW_CENTRES]
    assert (centres.done, centres.by_street, centres.building, centres.planned, centres.undated) == (
        2, {"310117001": 2}, 1, 0, 1)
    assert centres.met and centres.percent == 100
    assert progress[TargetMeasure.DEMENTIA_BEDS].done == 75
    assert progress[TargetMeasure.DEMENTIA_BEDS].by_street == {"310117001": 30, "310117102": 45}
    assert not progress[TargetMeasure.DEMENTIA_BEDS].met
    assert progress[TargetMeasure.SMART_CARE_HOMES].by_street == {"310117001": 1}
    assert progress[TargetMeasure.INTERNET_HOSPITAL].done == 1
    assert progress[TargetMeasure.NEW_STATIONS].done == 0
    assert TargetMeasure.CAREGIVERS_TRAINED not in progress  # the caregivers app tracks it
    # a street account sees its own street's progress only
    street = {p.target.measure: p for p in targets_progress(users["street"], 2024)}
    assert street[TargetMeasure.DEMENTIA_BEDS].by_street == {"310117001": 30}


def test_coverage_counts_elders_60_plus_by_the_months_last_day(users, district, make_person):
    today = dt.date(2024, 9, 10)
    make_person("甲老人", birth=dt.date(1950, 1, 1), committee="310117001001")
    make_person("乙老人", birth=dt.date(1964, 9, 30), committee="310117001002")  # 60 on the month's last day
    make_person("丙中年", birth=dt.date(1964, 10, 1), committee="310117001002")  # 60 next month
    make_person("丁老人", birth=dt.date(1940, 2, 2), committee="310117102201")
    make_person("戊老人", birth=dt.date(1945, 3, 3), committee="310117102201")
    make_facility(district["c1"], name="岳阳中心", operating_since=dt.date(2023, 1, 1))
    make_facility(district["c2"], name="岳阳食堂", kind=FacilityKind.CANTEEN, operating_since=dt.date(2023, 1, 1))
    make_facility(district["c3"], name="泗泾助餐点", kind=FacilityKind.MEAL_POINT, operating_since=dt.date(2023, 1, 1))
    make_facility(district["c3"], name="泗泾中心（未开）", status=FacilityStatus.BUILDING, operating_since=None)
    make_facility(district["c3"], name="泗泾中心（将开）", operating_since=dt.date(2024, 9, 20))  # not yet on today
    rows = {r.street.code: r for r in street_coverage(users["bureau"], today)}
    yueyang, sijing = rows["310117001"], rows["310117102"]
    assert (yueyang.elders, yueyang.facilities, yueyang.centres, yueyang.meal_services) == (2, 2, 1, 1)
    assert (yueyang.elders_without_centre, yueyang.elders_without_meals, yueyang.elders_per_facility) == (0, 0, 1)
    assert (sijing.elders, sijing.centres, sijing.meal_services) == (2, 0, 1)
    assert (sijing.elders_without_centre, sijing.elders_without_meals) == (2, 0)
    # a street with no person in the registry: no figure, not zero
    other = next(r for code, r in rows.items() if code not in ("310117001", "310117102"))
    assert other.elders is None and other.elders_without_centre is None and other.elders_per_facility is None
    reach = {r.committee.code: r for r in committee_reach(users["bureau"], today)}
    assert (reach["310117102201"].elders, reach["310117102201"].centre_in_street) == (2, False)
    assert reach["310117001002"].elders == 1 and reach["310117001002"].meals_in_street
    # the street account: its own street only
    assert [r.street.code for r in street_coverage(users["street"], today)] == ["310117001"]


def test_the_bureau_records_a_target_with_its_source(users):
    from django.test import Client
    from django.urls import reverse

    from minzheng.core.models import AuditEntry

    client = Client()
    client.force_login(users["street"])
    data = {"year": 2025, "measure": "new_centres", "target": 3, "source": "2025年工作要点（测试）"}
    assert client.post(reverse("care_facilities:target_set"), data).status_code == 403
    client.force_login(users["bureau"])
    assert client.post(reverse("care_facilities:target_set"), data | {"source": ""}).status_code == 302
    assert not PlanTarget.objects.filter(year=2025).exists()
    assert client.post(reverse("care_facilities:target_set"), data).status_code == 302
    client.post(reverse("care_facilities:target_set"), data | {"target": 4})
    assert PlanTarget.objects.get(year=2025).target == 4
    assert [e.changes["target"] for e in AuditEntry.objects.filter(action="care_facility.target_set")
            .order_by("id")] == [[None, 3], [3, 4]]
    page = client.get(reverse("care_facilities:dashboard"), {"year": 2025}).content.decode()
    assert "2025年工作目标进度" in page and "录入或更正年度工作目标" in page
