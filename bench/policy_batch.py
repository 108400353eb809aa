"""Benchmark: ``minzheng policy batch`` end to end (read → evaluate → write).

Runs the batch for a month against the database in ``--database-url`` (a
populated demo district, e.g. made with bench/demo_data.py) and prints the
phase timings, rows written and peak memory. Asserts nothing.

    .venv/bin/python bench/policy_batch.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench --month 2025-09

The first run of a month with no earlier run is written in full (binary COPY
into its own partition); the second stores only its differences from the
first — none when nothing changed (ADR 0019), found without comparing the
rows when the inputs' digest, parameters, rules, CPI and grants are the
current run's (§9); ``--store-in-full`` writes every run in full (the worst
case: fill the run's table, index it, attach it, §7). Each line prints wall
time, the CPU seconds of this process and the load average before → after
(the database server's CPU is not in it). ``--runs 1 --month 2025-10`` after a
2025-09 run shows a new month built on the previous one.
The 2,000,000-person district for the issue-12 figures:

    .venv/bin/python bench/demo_data.py --persons 2000000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench
    .venv/bin/python bench/policy_batch.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench
    .venv/bin/python bench/monitor_run.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--month", default="2025-09")
    parser.add_argument("--runs", type=int, default=2, help="the second run also replaces the first")
    parser.add_argument("--store-in-full", action="store_true",
                        help="write every run in full (no differences from a base): the worst case")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from minzheng.eligibility.services import decision_run_month

    call_command("migrate", verbosity=0)
    if args.store_in_full:
        from minzheng.eligibility import services

        services.DIFFERENCES_MAX_SHARE = -1.0
    for attempt in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        cpu_started = time.process_time()
        started = time.perf_counter()
        run = decision_run_month(actor="bench", month=args.month)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"run {attempt}: {run.household_count:,} households, {run.person_count:,} persons, "
              f"{run.stored_rows:,} rows ({getattr(run, 'written_rows', run.stored_rows):,} written, "
              f"base run {getattr(run, 'base_run_id', None)}); total {total:.1f} s (CPU {cpu:.1f} s in this process; load average {load:.1f} → {os.getloadavg()[0]:.1f}); phases {run.timings}; "
              f"peak RSS {peak_mb:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
