"""The family checklist of a death record (deaths app) lists the family's
subsidies: the basic grant created at the death (in the report's transaction),
what is missing and why, and the burial subsidies they can claim."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_id_number
from minzheng.core.personal_data import decrypt
from minzheng.deaths.selectors import death_checklist
from minzheng.deaths.services import death_report
from minzheng.funeral_subsidies.models import Grant

from .conftest import DEATH

pytestmark = pytest.mark.django_db
SECTION = "家属可申领的补贴"


def test_a_reported_death_grants_and_the_checklist_says_so(users, make_person):
    person = make_person(youfu=True)
    record = death_report(actor=users["bureau"], source="family", id_number=decrypt(person.id_number_enc),
                          name=person.name, death_date=DEATH)
    grant = Grant.objects.get(person=person)
    assert grant.kind == "basic"
    items = death_checklist(users["bureau"], record)[SECTION]
    titles = [i.title for i in items]
    assert any(t.startswith("基本殡葬服务补贴：待核定") for t in titles)
    assert any("逝者为优抚对象" in i.detail for i in items)
    assert any(t == "选择海葬：海葬补贴" and "3,000.00元" in i.detail for t, i in zip(titles, items, strict=True))
    tree = next(i for i in items if "树葬补贴" in i.title)
    assert "参数缺失" in tree.detail


def test_undetermined_names_what_is_missing_and_refused_says_why(users, make_person):
    person = make_person()
    record = death_report(actor=users["bureau"], source="family", id_number=decrypt(person.id_number_enc),
                          name=person.name, death_date=DEATH)
    basic = next(i for i in death_checklist(users["bureau"], record)[SECTION] if "基本殡葬服务补贴" in i.title)
    assert "社会保险丧葬补助金" in basic.detail and "定期定量" in basic.detail
    outsider = make_person(name="外省人", hukou_shanghai=False)
    record = death_report(actor=users["bureau"], source="family", id_number=decrypt(outsider.id_number_enc),
                          name=outsider.name, death_date=DEATH)
    basic = next(i for i in death_checklist(users["bureau"], record)[SECTION] if "基本殡葬服务补贴" in i.title)
    assert basic.title == "基本殡葬服务补贴：不符合条件" and "非本市户籍" in basic.detail


def test_a_deceased_not_in_the_registry(users):
    record = death_report(actor=users["bureau"], source="family", id_number=make_id_number(dt.date(1940, 1, 1)),
                          name="无名氏", death_date=DEATH)
    basic = next(i for i in death_checklist(users["bureau"], record)[SECTION] if "基本殡葬服务补贴" in i.title)
    assert basic.title == "基本殡葬服务补贴：待确认"
