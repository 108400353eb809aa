"""探访关爱 fixtures: elders of the test district built through the registry's services."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def elder(make_person, users):
    from minzheng.registry.services import household_create

    def _make(name: str, age: int, *, committee: str = "310117001001", alone: bool = True, **extra):
        person = make_person(name=name, birth=dt.date(TODAY.year - age, 3, 1), committee=committee, **extra)
        if alone:
            household_create(actor=users["bureau"], head=person, address=f"{name}家", start_date=dt.date(2020, 1, 1))
        return person

    return _make
