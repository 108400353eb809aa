"""Benchmark the demo-data generator: rows/s and peak memory for N persons.

    .venv/bin/python bench/demo_data.py --persons 200000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench

Without ``--database-url`` it uses a fresh SQLite file under ``var/``. The
database is migrated first and any earlier demo data replaced. Use a scratch
database: the run deletes and rewrites demo persons.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_cpu(connection) -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend,
    from /proc when the server runs on this machine; -1 otherwise."""
    if connection.vendor != "postgresql":
        return -1.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database-url", default="", help="default: sqlite file var/bench_demo.sqlite3")
    parser.add_argument("--chunk-households", type=int, default=20_000)
    parser.add_argument("--settings", default="config.settings.local")
    parser.add_argument("--calibrate", action="store_true", help="also print the calibration counts")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench_demo.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minzheng.demo.calibration import SEED_2023, calibration_counts, scaled
    from minzheng.demo.generator import generate_demo_data

    call_command("migrate", verbosity=0)
    server_before = server_cpu(connection)
    cpu_started = time.process_time()
    started = time.perf_counter()
    summary = generate_demo_data(
        persons=args.persons, seed=args.seed, replace=True, chunk_households=args.chunk_households,
        progress=lambda message: print(message, flush=True),
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    server = server_cpu(connection) - server_before if server_before >= 0 else float("nan")
    rows = summary.persons + summary.households + summary.memberships + summary.disabilities + summary.moves
    print(f"database       {connection.vendor}")
    print(f"persons        {summary.persons:,}")
    print(f"households     {summary.households:,}")
    print(f"rows           {rows:,}")
    print(f"seconds        {wall:,.1f}")
    print(f"rows/s         {rows / wall:,.0f}")
    print(f"persons/s      {summary.persons / wall:,.0f}")
    print(f"cpu seconds    {cpu:,.1f} in this process, {server:,.1f} in the database backend "
          "(wall time depends on what else the machine runs; CPU time less so)")
    print(f"peak memory    {summary.peak_memory_mb:,.0f} MB (ru_maxrss)")
    if args.calibrate:
        counts = calibration_counts()
        for key, value in scaled(counts, summary.persons).items():
            print(f"{key:30s} {counts[key]:>8,} → {value:>10,.0f} at 1.9M (seed {SEED_2023[key]:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
