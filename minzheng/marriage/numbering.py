"""Certificate numbers: one gap-free series per certificate kind, office and
year, e.g. ``J310117-2026-000123`` (结婚证), ``L…`` (离婚证), ``BJ…``/``BL…``
(补发的结婚证/离婚证: re-issues have their own series, so the yearly count of
re-issued certificates is the last number of the series).

The counter row is locked (``SELECT … FOR UPDATE``) and incremented inside the
caller's transaction: a registration that rolls back gives its number back, and
two registrations at once wait for each other — numbers are issued without gaps
(the same pattern as the payment batch numbers).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.marriage.models import CertificateCounter


def series_key(prefix: str, office_code: str, day: dt.date) -> str:
    return f"{prefix}{office_code}-{day.year}"


def next_number(prefix: str, office_code: str, day: dt.date) -> str:
    """The next number of the series; must run inside the certificate's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("certificate numbers are taken inside the issuing transaction")
    key = series_key(prefix, office_code, day)
    # create the row if missing without failing when another transaction creates it at the same time
    CertificateCounter.objects.bulk_create([CertificateCounter(key=key, last=0)], ignore_conflicts=True)
    counter = CertificateCounter.objects.select_for_update().get(key=key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{key}-{counter.last:06d}"
