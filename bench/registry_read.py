"""Benchmark: the registry's columnar read for one month (``registry_columns``),
the first phase of the policy batch, repeated to separate it from the noise of
the write phase. Prints each time and the median. Asserts nothing. On
PostgreSQL the whole district is read on several connections at once, in one
exported snapshot (ADR 0019 §10), so the wall time falls with free cores.

    .venv/bin/python bench/registry_read.py --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench --month 2025-09
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--month", default="2025-09")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from minzheng.registry.columnar import registry_columns
    from policy.months import Month

    first_day = Month.parse(args.month).first_day
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        cols = registry_columns(first_day)
        times.append(time.perf_counter() - started)
    print(f"{cols.households:,} households, {cols.persons:,} persons; read "
          + ", ".join(f"{t:.2f}" for t in times) + f" s; median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
