"""Benchmark: ``minzheng monitor run`` end to end (policy batch → comparisons → writes).

Runs the monitor run for a month against ``--database-url`` (a populated demo
district, e.g. made with bench/demo_data.py) twice — the second run must
create nothing — and prints the counts created, phase timings and peak
memory. Asserts nothing.

    .venv/bin/python bench/monitor_run.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench --month 2025-09

Run 1 is the whole month (the policy batch, then every comparison;
``--store-in-full`` makes its batch write the month in full, the worst case);
run 2, the same day with nothing written in between, neither runs the batch
(ADR 0019 §8) nor compares (§6) — the "monitoring run that creates nothing"
figure. ``--today`` on a later day makes run 1 a full run again (a repeat
is only trusted on the same day).
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
    parser.add_argument("--store-in-full", action="store_true",
                        help="the batch writes the month in full (no differences from a base): the worst case")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from minzheng.monitoring.monitor_runs import monitor_run_month

    call_command("migrate", verbosity=0)
    if args.store_in_full:
        from minzheng.eligibility import services

        services.DIFFERENCES_MAX_SHARE = -1.0
    today = dt.date.fromisoformat(args.today) if args.today else None
    for attempt in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        cpu_started = time.process_time()
        started = time.perf_counter()
        run = monitor_run_month(actor="bench", month=args.month, today=today)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"run {attempt}: total {total:.1f} s (CPU {cpu:.1f} s in this process; load average {load:.1f} → {os.getloadavg()[0]:.1f}); peak RSS {peak_mb:.0f} MB", flush=True)
        print("  created " + json.dumps(run.counts, ensure_ascii=False))
        print("  phases  " + json.dumps(run.timings))


if __name__ == "__main__":
    main()
