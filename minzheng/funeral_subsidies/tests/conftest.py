"""Funeral-subsidy fixtures: the funeral home's account, deceased persons in
the registry with their status, and enrolments covering a death month."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.models import Role
from minzheng.core.services import user_create

DEATH = dt.date(2026, 3, 10)


@pytest.fixture
def funeral_user(users):
    return user_create(actor="test", username="funeral", password="pass-12345", role=Role.FUNERAL_HOME,
                       scope_code="310117", full_name="赵敏", post="松江区殡仪馆 殡仪服务员")


@pytest.fixture
def enrol():
    """Enrol a person (person-level) or their household (household-level) in a program."""
    from minzheng.casework.models import Enrolment, EnrolmentSource
    from minzheng.registry.selectors import person_current_membership

    def _enrol(person, program: str, *, start: str = "2025-01", end: str = "", household_level: bool = False):
        if household_level:
            membership = person_current_membership(person)
            return Enrolment.objects.create(program=program, household=membership.household, street_id=person.street_id,
                                            committee_id=person.committee_id, start_month=start, end_month=end,
                                            source=EnrolmentSource.OTHER)
        return Enrolment.objects.create(program=program, person=person, street_id=person.street_id,
                                        committee_id=person.committee_id, start_month=start, end_month=end,
                                        source=EnrolmentSource.OTHER)

    return _enrol


@pytest.fixture
def household_of(users):
    from minzheng.registry.services import household_create

    def _household(person):
        return household_create(actor=users["bureau"], head=person, address="松江区谷阳北路1号",
                                start_date=dt.date(2020, 1, 1))

    return _household
