"""Benchmark: a month of smart-water-meter readings scanned for alerts (ADR 0033).

``--elders`` elders (default 5,000) with one water meter each, a reading every
15 minutes for ``--days`` days (default 30: 96 × 30 × 5,000 = 14.4 million
readings), loaded into PostgreSQL with a binary ``COPY`` (minzheng.core.bulk_copy
.copy_arrays, in chunks of 500 meters: memory bounded), then ``ANALYZE``, then
the scan (``services.alerts_scan``: the gap detection in SQL with window
functions) — run twice: the second run must create nothing. Target: the scan
under 60 s.

Synthetic pattern (seeded): water used five times a day (about 07:00, 07:15,
12:00, 18:30 and 20:00, ±30 min); 1 % of the elders use no water for one whole
day (→ a no-water alert: 20:00 → next morning is 2 + 16 + 1 daytime hours);
0.5 % of the meters send nothing for 30 hours (→ a maintenance task; the spell
between the uses either side of such a silence also counts as quiet — the
interior-gap approximation of ADR 0033 — so those meters get a no-water alert too).

``at`` goes in PostgreSQL's binary ``timestamptz`` form (int64 microseconds
since 2000-01-01 UTC), which ``copy_arrays`` writes like a bigint.

    PYTHONPATH=. .venv/bin/python bench/water_scan.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_alerts

Use a scratch database only: the script empties the elder_alerts tables and
removes its own synthetic persons (named 压测…) before loading.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOT_MINUTES = 15
PER_DAY = 24 * 60 // SLOT_MINUTES
USE_SLOTS = (28, 29, 48, 74, 80)  # 07:00, 07:15, 12:00, 18:30, 20:00
CHUNK = 500


def connect(database_url: str) -> None:
    if any(database_url.rstrip("/").endswith(f"/{name}") for name in ("test", "postgres")):
        raise SystemExit("refusing to use the test or postgres database: give a scratch database")
    if not database_url.startswith("postgres"):
        raise SystemExit("this benchmark measures PostgreSQL: give a postgres:// database URL")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(ROOT / "var" / "bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--elders", type=int, default=5000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--scan-only", action="store_true",
                        help="keep the readings of the previous run; forget its alerts and scan again")
    args = parser.parse_args()
    connect(args.database_url)

    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from minzheng.core.bulk_copy import copy_arrays
    from minzheng.core.models import Division, DivisionLevel
    from minzheng.core.services import committee_create, division_load_tree
    from minzheng.elder_alerts import services
    from minzheng.elder_alerts.models import Alert, RuleCode, SensorDevice, SensorReading
    from minzheng.registry.models import Person

    call_command("migrate", verbosity=0)
    if not Division.objects.filter(level=DivisionLevel.STREET).exists():
        division_load_tree(actor="bench")
    committees = list(Division.objects.filter(level=DivisionLevel.COMMITTEE).order_by("code")[:50])
    if not committees:
        for street in Division.objects.filter(level=DivisionLevel.STREET).order_by("code"):
            committees.append(committee_create(actor="bench", street=street, code=f"{street.code}901",
                                               name=f"压测{street.name}居委会", village=False))
    rng = np.random.default_rng(args.seed)
    services.rules_seed_missing()
    if args.scan_only:
        return scan_again(args)

    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {SensorReading._meta.db_table}, {Alert._meta.db_table}, "
                       f"elder_alerts_alerttask, {SensorDevice._meta.db_table} CASCADE")
        Person.objects.filter(name__startswith="压测").delete()
        persons = Person.objects.bulk_create([Person(
            name=f"压测{i:05d}", name_pinyin=f"yace{i:05d}", name_initials="yc", id_number_enc="bench",
            id_number_index=f"bench-{i:06d}", id_number_masked="310117***********0",
            birth_date=dt.date(1940, 1, 1) + dt.timedelta(days=i % 5000), sex="F",
            street_id=committees[i % len(committees)].parent_id, committee=committees[i % len(committees)])
            for i in range(args.elders)], batch_size=5000)
        today = timezone.localdate()
        start_local = dt.datetime.combine(today - dt.timedelta(days=args.days + 1), dt.time())
        devices = SensorDevice.objects.bulk_create([SensorDevice(
            person=p, kind="water_meter", number=f"BENCH-WM-{i:05d}", installed_on=start_local.date())
            for i, p in enumerate(persons)], batch_size=5000)
    setup = time.perf_counter() - t0

    start = timezone.make_aware(start_local)
    epoch2000 = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    start_us = int((start - epoch2000).total_seconds()) * 1_000_000
    slots = PER_DAY * args.days
    slot_us = np.arange(slots, dtype=np.int64) * SLOT_MINUTES * 60 * 1_000_000 + start_us
    ids = np.array([d.pk for d in devices], dtype=np.int64)
    quiet = rng.random(len(ids)) < 0.01
    quiet_day = rng.integers(1, args.days - 1, len(ids))
    offline = rng.random(len(ids)) < 0.005
    offline_from = rng.integers(PER_DAY, slots - 3 * PER_DAY, len(ids))

    t0 = time.perf_counter()
    total = 0
    with transaction.atomic():
        for c in range(0, len(ids), CHUNK):
            chunk = ids[c:c + CHUNK]
            n = len(chunk)
            litres = np.zeros((n, slots), dtype=np.int64)
            day_base = (np.arange(args.days) * PER_DAY)[None, :, None]
            jitter = rng.integers(-2, 3, (n, args.days, len(USE_SLOTS)))
            use = np.clip(day_base + np.array(USE_SLOTS)[None, None, :] + jitter, 0, slots - 1)
            for k in range(n):
                if quiet[c + k]:
                    use[k, quiet_day[c + k], :] = -1
            rows_k, _, _ = np.nonzero(use >= 0)
            litres[rows_k, use[use >= 0]] = rng.integers(5, 60, len(rows_k))
            keep = np.ones((n, slots), dtype=bool)
            for k in range(n):
                if offline[c + k]:
                    keep[k, offline_from[c + k]:offline_from[c + k] + 30 * 60 // SLOT_MINUTES] = False
            device_col = np.repeat(chunk, slots).reshape(n, slots)[keep]
            at_col = np.broadcast_to(slot_us, (n, slots))[keep]
            total += copy_arrays(SensorReading._meta.db_table, ["device_id", "at", "litres", "alarm"],
                                 [device_col, at_col, litres[keep], np.zeros(len(device_col), dtype=bool)])
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SensorReading._meta.db_table}")
    analyze = time.perf_counter() - t0

    until = start + dt.timedelta(days=args.days)
    t0 = time.perf_counter()
    first = services.alerts_scan(actor="bench", until=until)
    scan1 = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = services.alerts_scan(actor="bench", until=until)
    scan2 = time.perf_counter() - t0
    water = Alert.objects.filter(rule__code=RuleCode.WATER_QUIET).count()
    offline_alerts = Alert.objects.filter(rule__code=RuleCode.DEVICE_OFFLINE).count()

    print(f"elders / water meters         {len(ids):,}")
    print(f"readings loaded (COPY binary) {total:,} in {load:.1f} s ({total / load:,.0f} rows/s); "
          f"setup {setup:.1f} s; ANALYZE {analyze:.1f} s")
    print(f"planted: quiet days {int(quiet.sum())}, 30-hour silences {int(offline.sum())}")
    print(f"scan 1 (until {timezone.localtime(until):%Y-%m-%d %H:%M}): {scan1:.1f} s — {first}")
    print(f"scan 2 (same until):            {scan2:.1f} s — {second}")
    print(f"alerts in the database: no water {water}, offline {offline_alerts}")
    print(f"target: scan < 60 s → {'met' if scan1 < 60 else 'NOT met'}")


def scan_again(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from minzheng.elder_alerts import services
    from minzheng.elder_alerts.models import SensorReading

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE elder_alerts_alerttask, elder_alerts_alert")
    last = SensorReading.objects.order_by("-at").values_list("at", flat=True).first()
    if last is None:
        raise SystemExit("no readings: run without --scan-only first")
    until = last + dt.timedelta(minutes=SLOT_MINUTES)
    for label in ("scan 1", "scan 2"):
        t0 = time.perf_counter()
        out = services.alerts_scan(actor="bench", until=until)
        print(f"{label} (until {timezone.localtime(until):%Y-%m-%d %H:%M}): {time.perf_counter() - t0:.1f} s — {out}")


if __name__ == "__main__":
    main()
