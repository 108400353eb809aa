"""Certificate numbers have no gaps and no duplicates when registrations run
at the same time (PostgreSQL: the counter row lock makes them wait; SQLite
serialises writers anyway, so the test is skipped there)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from minzheng.marriage.models import MarriageCertificate
from minzheng.marriage.services import marriage_register
from minzheng.marriage.tests.conftest import party

THREADS = 8
PER_THREAD = 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_take_gap_free_numbers(registrar):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency: PostgreSQL only")
    couples = [[(party(f"男{t}{i}", dt.date(1990, 1, 1 + i), male=True),
                 party(f"女{t}{i}", dt.date(1992, 1, 1 + i), male=False)) for i in range(PER_THREAD)]
               for t in range(THREADS)]
    # one couple in each thread is refused (under age): its transaction rolls back and must not leave a gap
    couples[0][1] = (party("男少", dt.date(2010, 1, 1), male=True), couples[0][1][1])
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    refused: list[str] = []

    def work(mine):
        try:
            start.wait()
            for first, second in mine:
                try:
                    marriage_register(actor=registrar, first=first, second=second, registered_on=dt.date(2026, 7, 7))
                except ValidationError as err:
                    refused.append(err.messages[0])
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(couples[t],)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(refused) == 1
    numbers = sorted(MarriageCertificate.objects.values_list("number", flat=True))
    expected = 2 * (THREADS * PER_THREAD - 1)
    assert numbers == [f"J310117-2026-{n:06d}" for n in range(1, expected + 1)]
