"""Benchmark the demo-data generator: rows/s and peak memory for N persons.

    .venv/bin/python bench/demo_data.py --persons 200000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_bench

Prints the time of each stage the generator reports (drawing and writing,
re-creating indexes and foreign keys, statistics) with the CPU seconds of
this process, of its database backend, and of the server processes that
ended meanwhile (parallel index-build workers and the generator's index-build
sessions — but also any other database's, so an upper bound), and the load
average at the end: the machine may be shared.

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


def ended_children_cpu(connection) -> float:
    """CPU seconds of the PostgreSQL server's processes that have ended (the
    postmaster's reaped children: parallel index-build workers, other
    sessions — of every database, so an upper bound for ours); -1 when the
    server is not on this machine."""
    if connection.vendor != "postgresql":
        return -1.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        fields = Path(f"/proc/{parent}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


class ServerSampler:
    """CPU seconds of every PostgreSQL process working for ``database`` (its
    sessions and their parallel workers), sampled from /proc every 0.2 s —
    processes that live shorter than that are missed, so a lower bound."""

    def __init__(self, database: str) -> None:
        import threading

        self.database = database
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        ours: set[str] = set()
        found: list[tuple[int, str, float]] = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if not command.startswith("postgres: "):
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found.append((int(entry.name), command, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")))
            if f" {self.database} " in command:
                ours.add(entry.name)
        for pid, command, cpu in found:
            if pid in self.seen or str(pid) in ours or any(command.endswith(f"for PID {p} ") for p in ours):
                self.seen[pid] = cpu

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self._sample()

    def total(self) -> float:
        self._sample()
        return sum(self.seen.values())


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
    sampler = ServerSampler(connection.settings_dict["NAME"]) if connection.vendor == "postgresql" else None
    if sampler:
        sampler.thread.start()
        sampler_before = sampler.total()
    server_before = server_cpu(connection)
    cpu_started = time.process_time()
    started = time.perf_counter()
    # stage, wall, client CPU, backend CPU, ended server processes' CPU at its start
    phases: list[tuple[str, float, float, float, float]] = []

    def report(stage: str, _done: int | None = None, _total: int | None = None) -> None:
        if not phases or phases[-1][0] != stage:
            phases.append((stage, time.perf_counter(), time.process_time(), server_cpu(connection),
                           ended_children_cpu(connection)))

    summary = generate_demo_data(
        persons=args.persons, seed=args.seed, replace=True, chunk_households=args.chunk_households,
        progress=lambda message: print(message, flush=True), report=report,
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    server = server_cpu(connection) - server_before if server_before >= 0 else float("nan")
    print(f"{'stage':20s} {'wall s':>8s} {'client CPU s':>13s} {'backend CPU s':>14s} {'other server CPU s':>19s}")
    ends = [*phases[1:], ("", started + wall, cpu_started + cpu, server_before + server, ended_children_cpu(connection))]
    for (stage, *at), (_, *end) in zip(phases, ends, strict=True):
        wall_s, cpu_s, server_s, other_s = (b - a for a, b in zip(at, end, strict=True))
        print(f"{stage:20s} {wall_s:8.1f} {cpu_s:13.1f} {server_s:14.1f} {other_s:19.1f}")
    print(f"load average   {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end")
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
    if sampler:
        sampler.stop.set()
        print(f"server CPU     {sampler.total() - sampler_before:,.1f} s in every PostgreSQL process of this database "
              "(sessions and parallel workers, sampled every 0.2 s: a lower bound)")
    print(f"peak memory    {summary.peak_memory_mb:,.0f} MB (ru_maxrss)")
    if args.calibrate:
        counts = calibration_counts()
        for key, value in scaled(counts, summary.persons).items():
            print(f"{key:30s} {counts[key]:>8,} → {value:>10,.0f} at 1.9M (seed {SEED_2023[key]:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
