"""Order numbers: one gap-free series per funeral home and year, e.g.
``FH310117-2026-000123`` (the idea of ``marriage.numbering``).

The counter row is created if missing (``INSERT … ON CONFLICT DO NOTHING``),
locked (``SELECT … FOR UPDATE``) and incremented inside the order's own
transaction: an order that is refused or rolls back gives its number back, and
two orders at once wait for each other.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.funeral.models import OrderCounter


def next_number(home_code: str, day: dt.date) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order numbers are taken inside the ordering transaction")
    key = f"{home_code}-{day.year}"
    OrderCounter.objects.bulk_create([OrderCounter(key=key, last=0)], ignore_conflicts=True)
    counter = OrderCounter.objects.select_for_update().get(key=key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{key}-{counter.last:06d}"
