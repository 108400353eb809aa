"""Benchmark: server time of every page of the crawl, for every demo role.

    .venv/bin/python bench/page_times.py                 # 20,000 persons, as `make run`
    .venv/bin/python bench/page_times.py --persons 3000 --repeat 5

Builds (once, then reuses) a demo district in a SQLite file under
``var/bench/`` (or uses ``--database-url``), signs in as each role with the
Django test client, finds the pages the way the page crawl does
(``minzheng/integration_tests/test_demo_district.py``: every link from the home
page, breadth first, one page per path kind, same skip list and per-role
limit), then times each page several times (the first visit, which also
counts the database queries, is a warm-up and not timed). Prints p50/p95
over all timed visits and the slowest five pages. Target (issue 9): p95 under
300 ms on SQLite. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HREF = re.compile(r'href="(/[^"#?]*)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="timed visits per page (after one warm-up)")
    parser.add_argument("--database-url", default="", help="default: var/bench/pages-<persons>.sqlite3")
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite demo district again")
    parser.add_argument("--slowest", type=int, default=5)
    args = parser.parse_args()

    build = False
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench" / f"pages-{args.persons}-{args.seed}.sqlite3"
        ready = Path(f"{path}.ready")  # written once the district is complete
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild or not ready.exists():
            ready.unlink(missing_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            build = True
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("MINZHENG_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minzheng.core.models import User
    from minzheng.integration_tests.test_demo_district import PER_ROLE_LIMIT, ROLES, SKIP, _kind

    if build:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("demo_setup", persons=args.persons, seed=args.seed, stdout=open(os.devnull, "w"))
        print(f"demo district of {args.persons} persons built in {time.perf_counter() - started:.0f} s")
        if not args.database_url:
            ready.touch()

    times: list[float] = []
    cpu_times: list[float] = []  # the process's CPU time: the same figure on a busy machine
    per_page: list[tuple[float, float, str, str, int]] = []  # (median s, median CPU s, role, path, queries)
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=role))
        todo, seen, visited = ["/"], set(), 0
        while todo and visited < PER_ROLE_LIMIT:
            path = todo.pop(0)
            if SKIP.search(path) or _kind(path) in seen:
                continue
            seen.add(_kind(path))
            reset_queries()  # the log keeps the last request's queries until the next request starts
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            query_count = len(queries)  # now: the captured list is read from the live log
            visited += 1
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                print(f"  {role} {path}: answered {response.status_code}, not timed")
                continue
            todo += [href for href in HREF.findall(response.content.decode()) if _kind(href) not in seen]
            runs, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                runs.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            times += runs
            cpu_times += cpu
            per_page.append((statistics.median(runs), statistics.median(cpu), role, path, query_count))
        print(f"{role:9} {visited} pages")

    p50, p95 = _percentiles(times)
    c50, c95 = _percentiles(cpu_times)
    print(f"\ndatabase {connection.vendor}, {args.persons} persons: {len(per_page)} pages × {args.repeat} "
          f"= {len(times)} timed visits")
    print(f"wall time  p50 {p50 * 1000:.0f} ms   p95 {p95 * 1000:.0f} ms   max {max(times) * 1000:.0f} ms   "
          f"(target p95 < 300 ms: {'met' if p95 < 0.3 else 'NOT met'})")
    print(f"CPU time   p50 {c50 * 1000:.0f} ms   p95 {c95 * 1000:.0f} ms   (what the page costs when the machine is busy)")
    print(f"slowest {args.slowest} pages (median of {args.repeat}):")
    for seconds, cpu_seconds, role, path, queries in sorted(per_page, reverse=True)[: args.slowest]:
        print(f"  {seconds * 1000:6.0f} ms  (CPU {cpu_seconds * 1000:4.0f} ms)  {queries:4d} queries  {role:9} {path}")
    return 0


def _percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


if __name__ == "__main__":
    raise SystemExit(main())
