"""The committee's inbox lists overdue 探访关爱 visits (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.hardship_visits.services import targets_refresh
from minzheng.registry.services import household_create
from minzheng.workbench.inbox import inbox

pytestmark = pytest.mark.django_db


def test_committee_inbox_lists_overdue_visits(users, make_person):
    for name, committee in (("岳阳老人", "310117001001"), ("泗泾老人", "310117102201")):
        person = make_person(name=name, birth=dt.date(1940, 1, 1), committee=committee)
        household_create(actor=users["bureau"], head=person, address=f"{name}家", start_date=dt.date(2020, 1, 1))
    targets_refresh(actor=users["bureau"], today=timezone.localdate() - dt.timedelta(days=10))
    sections = {s.key: s for s in inbox(users["committee"], today=timezone.localdate())}
    visits = sections["hardship_visits"]
    assert (visits.count, visits.overdue) == (1, 1)  # its own committee only
    assert visits.items[0].title == "探访 岳阳老人"
