"""Benchmark: ``minzheng policy batch`` end to end (read → evaluate → write).

Runs the batch for a month against the database in ``--database-url`` (a
populated demo district, e.g. made with bench/demo_data.py) and prints the
phase timings, rows written and peak memory. Asserts nothing.

    .venv/bin/python bench/policy_batch.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench --month 2025-09
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
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from minzheng.eligibility.services import decision_run_month

    call_command("migrate", verbosity=0)
    for attempt in range(1, args.runs + 1):
        started = time.perf_counter()
        run = decision_run_month(actor="bench", month=args.month)
        total = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"run {attempt}: {run.household_count:,} households, {run.person_count:,} persons, "
              f"{run.stored_rows:,} rows; total {total:.1f} s; phases {run.timings}; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
