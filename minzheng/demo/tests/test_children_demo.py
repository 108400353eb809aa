"""The demo's 困境儿童: register from flags and leads, guardians, directors, sweep, project; idempotent (ADR 0035)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.children.models import (
    Child,
    ChildCheck,
    Director,
    Guardian,
    Lead,
    ProjectChild,
    ServiceRecord,
)
from minzheng.demo.children import children_seed
from minzheng.registry import services as registry

pytestmark = pytest.mark.django_db


def test_demo_seed(users, make_person):
    bureau = users["bureau"]
    today = dt.date.today()
    orphan = make_person("演示孤儿", dt.date(2015, 1, 1), orphan=True)
    registry.household_create(actor=bureau, head=make_person("演示祖母", dt.date(1950, 1, 1), male=False),
                              address="演示1号", start_date=dt.date(2020, 1, 1))
    registry.household_add_member(actor=bureau, household=registry.Household.objects.get(address="演示1号"),
                                  person=orphan, relation="孙子女", start_date=dt.date(2020, 1, 1))
    disabled = make_person("演示残童", dt.date(2014, 1, 1), committee="310117102201")
    registry.disability_certificate_add(actor=bureau, person=disabled, grade=2, kind="智力",
                                        valid_from=dt.date(2020, 1, 1))
    message = children_seed(bureau=bureau, committee_user=users["committee"], today=today)
    assert "名册 2 人" in message
    assert set(Child.objects.values_list("person__name", flat=True)) == {"演示孤儿", "演示残童"}
    assert Guardian.objects.get().relation == "grandparent"
    assert Director.objects.count() == 3 and ProjectChild.objects.count() == 2
    assert ServiceRecord.objects.count() == 4 and Lead.objects.filter(status="accepted").count() == 1
    assert ChildCheck.objects.count() <= 2
    assert "跳过" in children_seed(bureau=bureau, committee_user=users["committee"], today=today)
