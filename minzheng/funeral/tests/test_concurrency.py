"""Under concurrency (PostgreSQL; SQLite serialises writers, so skipped there):
orders placed at the same time take gap-free numbers, and of several orders
racing for the same farewell-hall slot exactly one gets it — the others are
refused and roll back whole (no number, no order)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from conftest import make_id_number
from minzheng.bookings.models import Slot
from minzheng.bookings.services import SlotFull
from minzheng.funeral import services
from minzheng.funeral.models import Channel, FuneralOrder, Relation

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_orders_racing_for_one_hall_slot(clerk, home, items, hall_slots):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency: PostgreSQL only")
    numbers = [make_id_number(dt.date(1930 + t, 1, 1)) for t in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    full: list[int] = []

    def work(t: int) -> None:
        try:
            start.wait()
            try:
                services.order_create(
                    actor=clerk, home=home, channel=Channel.ONLINE, hall_slot=hall_slots[0],
                    deceased=services.DeceasedInput(f"逝者{t}", numbers[t], timezone.localdate()),
                    contact=services.ContactInput("家属", Relation.CHILD, "13800000000"),
                    items=[(items["transport"], 1)])
            except SlotFull:
                full.append(t)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(full) == THREADS - 1
    assert Slot.objects.get(pk=hall_slots[0].pk).booked == 1
    year = timezone.localdate().year
    assert list(FuneralOrder.objects.values_list("number", flat=True)) == [f"FH310117-{year}-000001"]
