"""Benchmark: ``minzheng policy load-spark`` — Spark's decisions stored as the
month's run in the database (``eligibility.spark_load``; ADR 0018, 0019).

Input: a ``spark-batch`` result directory (e.g. ``bench/spark_city.py`` over
a ``bench/city_parquet.py`` city; the decisions need no registry rows: the
decision table has no foreign key to households). Loads it ``--runs`` times
into the database in ``--database-url`` and prints per load: read and check
(the inputs and the decision files with pyarrow, every row checked against
the inputs), compare with the base run, binary ``COPY``, snapshot, total,
rows written, and the peak memory of the process. The first load of a month
is stored in full; the next one, with the same rows, stores only its
differences from the first (none). Asserts nothing.

    .venv/bin/python bench/spark_load.py --spark var/out-2.5m \
        --database-url postgres://postgres@127.0.0.1:5432/bench_NAME
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--spark", required=True, help="a spark-batch result directory")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from minzheng.eligibility.spark_load import spark_run_load

    call_command("migrate", verbosity=0)
    month = json.loads((Path(args.spark) / "decisions.json").read_text(encoding="utf-8"))["month"]
    for attempt in range(1, args.runs + 1):
        started = time.perf_counter()
        loaded = spark_run_load(actor="bench", month=month, spark_dir=args.spark, store=True)
        total = time.perf_counter() - started
        run = loaded.run
        t = run.timings
        print(f"load {attempt}: {loaded.persons:,} persons, {loaded.households:,} households, run {run.pk}"
              f"{f' on base {run.base_run_id}' if run.base_run_id else ' (in full)'}: "
              f"{run.written_rows:,} of {run.stored_rows:,} rows written")
        print(f"  read and check {t['read_s']:7.1f} s, compare {t['compare_s']:6.1f} s, write {t['write_s']:7.1f} s, "
              f"snapshot {t['snapshot_s']:6.1f} s, cleanup {t['cleanup_s']:5.1f} s; total {total:7.1f} s "
              f"({loaded.rows / total:,.0f} decision rows/s)")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
