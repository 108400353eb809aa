"""Benchmark: ``minzheng monitor run`` end to end (policy batch → comparisons → writes).

Runs the monitor run for a month against ``--database-url`` (a populated demo
district, e.g. made with bench/demo_data.py) twice — the second run must
create nothing — and prints the counts created, phase timings and peak
memory. Asserts nothing.

    .venv/bin/python bench/monitor_run.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench --month 2025-09

Run 1 is the whole month (the policy batch, then every comparison); run 2,
the same day with nothing written in between, stores no decision row and
skips the comparisons (ADR 0019 §6) — the "monitoring run that creates
nothing" figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
    parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--runs", type=int, default=2, help="the second run must create nothing")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from minzheng.monitoring.monitor_runs import monitor_run_month

    call_command("migrate", verbosity=0)
    today = dt.date.fromisoformat(args.today) if args.today else None
    for attempt in range(1, args.runs + 1):
        started = time.perf_counter()
        run = monitor_run_month(actor="bench", month=args.month, today=today)
        total = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"run {attempt}: total {total:.1f} s; peak RSS {peak_mb:.0f} MB", flush=True)
        print("  created " + json.dumps(run.counts, ensure_ascii=False))
        print("  phases  " + json.dumps(run.timings))


if __name__ == "__main__":
    main()
