"""Benchmark the demo marriage archive (``minzheng.demo.marriage``): seconds,
CPU and rows for the office's records from 2023 to ``--today``, and the 2023
statistics it reproduces.

    .venv/bin/python bench/marriage_archive.py --persons 20000 --today 2026-12-01 \
        --database-url postgres://postgres@127.0.0.1:5432/bench_marriage

Without ``--database-url`` it uses a fresh SQLite file under ``var/``. The
database is migrated, the demo population generated (``--persons``, so some
parties are registry residents) and the marriage tables must be empty for
the office: use a scratch database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--today", default="", help="YYYY-MM-DD; default: today")
    parser.add_argument("--database-url", default="", help="default: sqlite file var/bench_marriage.sqlite3")
    parser.add_argument("--settings", default="config.settings.local")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench_marriage.sqlite3"
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

    from minzheng.core.models import User
    from minzheng.demo.generator import generate_demo_data
    from minzheng.demo.marriage import demo_registrar, marriage_archive_seed
    from minzheng.marriage.statistics import headline, marriage_statistics

    call_command("migrate", verbosity=0)
    generate_demo_data(persons=args.persons, seed=args.seed, replace=True)
    registrar = demo_registrar("bench-only-password")
    today = dt.date.fromisoformat(args.today) if args.today else None
    cpu_started, started = time.process_time(), time.perf_counter()
    summary = marriage_archive_seed(registrar=registrar, seed=args.seed, today=today,
                                    progress=lambda m: print(m, flush=True))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(summary.message)
    print(f"database       {connection.vendor}")
    print(f"seconds        {wall:,.1f} (wall; depends on what else the machine runs)")
    print(f"cpu seconds    {cpu:,.1f} in this process")
    superuser = User(is_superuser=True, is_active=True, username="bench")
    print(f"2023           {headline(marriage_statistics(superuser, 2023))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
