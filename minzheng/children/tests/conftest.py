"""困境儿童 fixtures: a family built through the registry's services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from minzheng.children.models import Category
from minzheng.registry import services as registry

SINCE = dt.date(2020, 1, 1)
TODAY = dt.date(2025, 8, 20)


def seed_if_flushed() -> None:
    """The categories and checklist items come from a data migration; a
    transactional test elsewhere may have flushed them."""
    import importlib

    from django.apps import apps

    if not Category.objects.exists():
        importlib.import_module("minzheng.children.migrations.0002_seed_categories_checklist").seed(apps, None)


@pytest.fixture
def cat(db):
    seed_if_flushed()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def family(users, make_person):
    """谷阳居委会: a father (head), a mother (spouse) and their son born 2015;
    a grandmother heading another household with a granddaughter who turns 18
    in September 2025 and is a full-time student; 张泾村委会 (other street): a boy."""
    bureau = users["bureau"]
    father = make_person("父亲甲", dt.date(1985, 1, 1), monthly_income_fen=300000, employment="employed")
    mother = make_person("母亲乙", dt.date(1986, 1, 1), male=False)
    son = make_person("儿子丙", dt.date(2015, 6, 1), employment="student")
    home = registry.household_create(actor=bureau, head=father, address="谷阳路1号", start_date=SINCE)
    registry.household_add_member(actor=bureau, household=home, person=mother, relation="配偶", start_date=SINCE)
    registry.household_add_member(actor=bureau, household=home, person=son, relation="子女", start_date=SINCE)
    grandma = make_person("祖母丁", dt.date(1955, 2, 2), male=False, pension_fen=400000)
    girl = make_person("孙女戊", dt.date(2007, 9, 10), male=False, employment="student")
    home2 = registry.household_create(actor=bureau, head=grandma, address="谷阳路2号", start_date=SINCE)
    registry.household_add_member(actor=bureau, household=home2, person=girl, relation="孙子女", start_date=SINCE)
    boy = make_person("村童己", dt.date(2014, 3, 3), committee="310117102201")
    registry.household_create(actor=bureau, head=boy, address="张泾村1组", start_date=SINCE)
    return SimpleNamespace(father=father, mother=mother, son=son, grandma=grandma, girl=girl, boy=boy, home=home,
                           home2=home2)
