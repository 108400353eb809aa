"""The demo loader: nothing without demo canteens; with one, two months of
meals, the earlier one settled and approved; running it again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.meals.models import MealRecord, Settlement, SettlementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteens(district):
    from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus

    return [Facility.objects.create(name=name, kind=FacilityKind.CANTEEN, street=district[street],
                                    committee=district[committee], status=FacilityStatus.OPERATING)
            for name, street, committee in (("谷阳长者食堂", "yueyang", "c1"), ("张泾助餐点", "sijing", "c3"))]


@pytest.fixture
def elder(make_person):
    def _elder(name: str, *, birth: dt.date):
        return make_person(name=name, birth=birth, committee="310117001001", male=False)

    return _elder


def test_demo_without_canteens_does_nothing(users):
    from minzheng.demo.meals import meals_seed

    assert "跳过" in meals_seed(bureau=users["bureau"], today=dt.date(2025, 5, 10))
    assert not MealRecord.objects.exists()


def test_demo_two_months_one_settled_and_approved(canteens, users, elder):
    from minzheng.demo.meals import meals_seed

    for i in range(3):
        elder(f"演示老人{i}", birth=dt.date(1940 + i, 1, 1))
    meals_seed(bureau=users["bureau"], today=dt.date(2025, 5, 10))
    assert MealRecord.objects.filter(day__month=3).exists() and MealRecord.objects.filter(day__month=4).exists()
    settled = Settlement.objects.get(month="2025-03", canteen=canteens[0])
    assert settled.status == SettlementStatus.APPROVED and settled.subsidy_fen > 0
    count = MealRecord.objects.count()
    meals_seed(bureau=users["bureau"], today=dt.date(2025, 5, 10))
    assert MealRecord.objects.count() == count and Settlement.objects.count() == 2
