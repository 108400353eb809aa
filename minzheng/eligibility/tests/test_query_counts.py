"""The batch-run page (/policy/runs/) costs the same number of queries with
3 and with 23 stored monthly runs, and with more households in the month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.core.tests.web import page_queries
from minzheng.eligibility.models import DecisionRun, RunStatus
from minzheng.eligibility.services import decision_run_month
from minzheng.registry import services as registry

MONTHS = [f"{year}-{m:02d}" for year in (2023, 2024) for m in range(1, 13)][:23]


def _households(users, make_person, start: int, count: int) -> None:
    committees = ("310117001001", "310117001002", "310117102201")
    for i in range(start, start + count):
        head = make_person(f"居民{i}", dt.date(1950 + i, 1 + i % 12, 1), committee=committees[i % 3],
                           monthly_income_fen=20000 * (i % 5))
        registry.household_create(actor=users["bureau"], head=head, address=f"测试路{i}号",
                                  start_date=dt.date(2020, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau", "street"])
def test_runs_page_query_count_does_not_grow_with_runs(users, make_person, username):
    # given three households and three monthly runs
    _households(users, make_person, 0, 3)
    for month in MONTHS[:3]:
        decision_run_month(actor="test", month=month)
    client = Client()
    client.force_login(users[username])
    url = f"/policy/runs/?month={MONTHS[2]}"
    page_queries(client, url)
    few = page_queries(client, url, "符合条件（户或人）", f"?month={MONTHS[0]}")
    # when there are twenty more households and twenty more months
    _households(users, make_person, 3, 20)
    for month in MONTHS[3:]:
        decision_run_month(actor="test", month=month)
    assert DecisionRun.objects.filter(status=RunStatus.CURRENT).count() == 23
    # then the page (the month's summary and the list of months) costs the same
    many = page_queries(client, f"/policy/runs/?month={MONTHS[-1]}", "符合条件（户或人）", f"?month={MONTHS[3]}", f"?month={MONTHS[-1]}")
    assert many == few, (few, many)
