"""Stock never negative under concurrent distributions (PostgreSQL: threads,
each with its own connection, committing for real; SQLite has no row locks
and serialises every write, so this is skipped there — the single-thread
refusal and the database CHECK are tested in test_ledger.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from conftest import run_together
from minzheng.charity import selectors, services
from minzheng.charity.models import Distribution, Stock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"),
]

THREADS = 12


def test_parallel_distributions_never_take_more_than_the_stock(users, markets, make_person):
    ours = markets["ours"]
    services.donation_record(actor=users["bureau"], supermarket=ours, kind="goods", donor_kind="anonymous",
                             donor_name="", received_on=dt.date(2026, 3, 1),
                             lines=[services.GoodsLine("大米", 5, "袋"), services.GoodsLine("食用油", 7, "桶")])
    stock = {s.item.name: s.item for s in Stock.objects.select_related("item")}
    people = [make_person(f"受助人{i}", dt.date(1950, 1, 1 + i)) for i in range(THREADS)]

    def give(i: int) -> None:
        # every thread takes rice and oil, in different orders: the lock order keeps them from deadlocking
        lines = [(stock["大米"], 1), (stock["食用油"], 1)]
        services.distribution_record(actor=users["bureau"], supermarket=ours, person=people[i],
                                     given_on=dt.date(2026, 3, 2), lines=lines if i % 2 else lines[::-1])

    outcomes = run_together(give, THREADS)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 5
    assert outcomes.count("“大米”库存不足：现有0袋，需要1袋") == THREADS - 5
    quantities = dict(Stock.objects.values_list("item__name", "quantity"))
    assert quantities == {"大米": 0, "食用油": 2}
    assert Distribution.objects.count() == 5
    assert selectors.ledger_imbalances() == []
