"""registry.columnar feeds the engine's new inputs (rules revision 2026-11-30,
REFERENCE §1 and §9): the earned part of income, students (在校学生) and
recipients of the unemployment subsidy (领取失业补助金)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.registry import services
from minzheng.registry.columnar import registry_columns

pytestmark = pytest.mark.django_db

SINCE = dt.date(2020, 1, 1)
FIRST = dt.date(2024, 8, 1)


def _family(users, make_person):
    worker = make_person("就业甲", dt.date(1980, 1, 1), employment="employed", monthly_income_fen=300_000)
    student = make_person("学生乙", dt.date(2006, 5, 1), employment="student")
    jobless = make_person("失业丙", dt.date(1975, 3, 1), employment="unemployed", unemployment_subsidy=True)
    household = services.household_create(actor=users["bureau"], head=worker, address="谷阳路9号", start_date=SINCE)
    for person in (student, jobless):
        services.household_add_member(actor=users["bureau"], household=household, person=person, relation="其他",
                                      start_date=SINCE)
    # a split fact: wages, a pension and other income, in force from 2024-07
    services.person_income_record(actor=users["bureau"], person=jobless, valid_from=dt.date(2024, 7, 1),
                                  earned_fen=50_000, pension_fen=20_000, other_fen=10_000)
    return household, worker, student, jobless


def test_columns_carry_earned_income_students_and_the_unemployment_subsidy(users, make_person):
    household, worker, student, jobless = _family(users, make_person)
    cols = registry_columns(FIRST)
    at = {int(pid): i for i, pid in enumerate(cols.person_id)}
    w, s, j = at[worker.pk], at[student.pk], at[jobless.pk]
    # the whole income is earned + pension + other; earned income is the fact's earned part
    assert (cols.monthly_income_fen[w], cols.earned_income_fen[w]) == (300_000, 300_000)
    assert (cols.monthly_income_fen[j], cols.earned_income_fen[j]) == (80_000, 50_000)
    assert (cols.monthly_income_fen[s], cols.earned_income_fen[s]) == (0, 0)
    assert cols.in_school.tolist() == [i == s for i in range(cols.persons)]
    assert cols.unemployment_subsidy.tolist() == [i == j for i in range(cols.persons)]
    assert cols.employed.tolist() == [i == w for i in range(cols.persons)]
    # the columns survive filtering households and the snapshot round trip
    kept = cols.keep_households(np.ones(cols.households, dtype=bool))
    assert kept.earned_income_fen.tolist() == cols.earned_income_fen.tolist()
    assert kept.in_school.tolist() == cols.in_school.tolist()


def test_counted_household_income_applies_the_disregard_or_says_unknown(users, make_person):
    household, worker, student, jobless = _family(users, make_person)
    cols = registry_columns(FIRST)
    counted, unknown = cols.household_counted_income_fen("2024-08")
    # the worker's 3000 less 870; the unemployed member's wages are not disregarded (not employed)
    assert counted.tolist() == [300_000 - 87_000 + 80_000] and unknown.tolist() == [False]
    assert cols.household_income_fen().tolist() == [380_000]
    # before 2023-07 the disregard has no value: an employed earner's household is unknown, not counted in full
    counted, unknown = registry_columns(dt.date(2023, 6, 1)).household_counted_income_fen("2023-06")
    assert unknown.tolist() == [True]


def test_unemployment_subsidy_is_edited_audited_and_shown(users, make_person):
    person = make_person("补助丁", dt.date(1970, 2, 2), employment="unemployed")
    services.person_update(actor=users["street"], person=person, unemployment_subsidy=True)
    person.refresh_from_db()
    assert person.unemployment_subsidy
    entry = AuditEntry.objects.filter(action="person.update").last()
    assert entry.changes["unemployment_subsidy"] == [False, True]
    client = Client()
    client.force_login(users["bureau"])
    page = client.get(f"/registry/persons/{person.pk}/").content.decode()
    assert "领取失业保险金" in page and "领取失业补助金" in page


@pytest.mark.django_db(transaction=True)
def test_the_parallel_whole_district_read_equals_the_single_connection_read(users, make_person):
    """ADR 0019 §10: outside a transaction PostgreSQL reads the whole district on several
    connections sharing one snapshot; inside one (or on SQLite) one connection reads it. Same columns."""
    from django.db import connection, transaction

    _family(users, make_person)
    lone = make_person("独居丁", dt.date(1950, 2, 1), monthly_income_fen=90_000)
    services.household_create(actor=users["bureau"], head=lone, address="谷阳路11号", start_date=SINCE)
    assert not connection.in_atomic_block
    parallel = registry_columns(FIRST)
    with transaction.atomic():
        single = registry_columns(FIRST)
    assert parallel.persons == single.persons == 4 and parallel.households == 2
    for name, value in vars(single).items():
        assert np.array_equal(getattr(parallel, name), value), name
