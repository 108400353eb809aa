"""Benchmark the department-data import: N rows validated and stored, wall
time and peak memory.

    createdb -h 127.0.0.1 -U postgres minzheng_feeds_bench
    .venv/bin/python bench/feeds_import.py --rows 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_feeds_bench

The file is a human-resources wage file (``hrss_wages``): ``--persons``
synthetic residents × consecutive months, one row in ``--bad-every`` with a
negative amount (quarantined), half of the persons registered in the
registry (the other half stay unmatched). The database is migrated and the
feeds tables emptied first, so use a scratch database — the bench refuses
``test`` and ``postgres``. Without ``--database-url`` it uses a fresh SQLite
file under ``var/``.

Reported: rows/s of the import (reading, validation, COPY to staging, the
natural-key insert and person linking, events), the seconds of each of those
stages (the import's own log line), CPU seconds of this process and of its
database backend, the load average at the end (the machine may be shared),
the time of a repeated import of the same file (hash check only), and peak
RSS (``ru_maxrss``) before and after the import, so the import's own memory
is visible.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_DATABASES = {"test", "postgres"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def synthetic_id(n: int) -> str:
    from minzheng.registry.id_numbers import with_check_character

    birth_year = 1950 + n % 50
    day = 1 + (n // 50) % 28
    month = 1 + (n // 1400) % 12
    order = (n // 16800) % 1000
    return with_check_character(f"310117{birth_year:04d}{month:02d}{day:02d}{order:03d}")


def write_file(path: Path, rows: int, persons: int, bad_every: int) -> None:
    months_per_person = -(-rows // persons)
    first_year = 2024 - (months_per_person + 11) // 12
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["身份证号码", "姓名", "所属月份", "用人单位", "应发工资（元）"])
        ids = [synthetic_id(n) for n in range(persons)]
        written = 0
        for m in range(months_per_person):
            month = f"{first_year + m // 12}-{m % 12 + 1:02d}"
            for p, number in enumerate(ids):
                if written >= rows:
                    return
                amount = "-1" if bad_every and written % bad_every == bad_every - 1 else f"{3000 + p % 9000}.{p % 100:02d}"
                writer.writerow([number, "张三", month, f"单位{p % 500}", amount])
                written += 1


def register_persons(count: int) -> None:
    """Half the synthetic persons in the registry, written with COPY (bench setup, not measured)."""
    from django.db import transaction

    from minzheng.core.bulk_copy import copy_rows
    from minzheng.core.models import Division
    from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
    from minzheng.core.services import committee_create, division_load_tree
    from minzheng.registry.models import Person

    division_load_tree(actor="bench")
    street = Division.objects.get(code="310117001")
    committee = Division.objects.filter(code="310117001901").first() or committee_create(
        actor="bench", street=street, code="310117001901", name="基准测试居委会", village=False)
    from django.db import connection

    with connection.cursor() as cursor:  # a scratch database: no cascade through Python objects
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE committee_id = %s", [committee.code])
    columns = ("name", "name_pinyin", "name_initials", "id_number_enc", "id_number_index", "id_number_masked",
               "birth_date", "sex", "phone_enc", "hukou_shanghai", "street_id", "committee_id", "alive",
               "employment", "able_to_work", "unemployment_insurance", "unemployment_subsidy", "youfu",
               "orphan", "unsupported_child", "in_institution", "has_able_supporter", "created_at", "updated_at")

    def rows():
        for n in range(0, count, 2):
            number = synthetic_id(n)
            yield ("张三", "zhangsan", "zs", encrypt(number), blind_index(number), mask_id_number(number),
                   f"{number[6:10]}-{number[10:12]}-{number[12:14]}", "M" if int(number[16]) % 2 else "F", "",
                   True, street.code, committee.code, True, "employed", True, False, False, False, False, False,
                   False, True, "2024-01-01 00:00:00+00", "2024-01-01 00:00:00+00")

    with transaction.atomic():
        copy_rows(Person._meta.db_table, columns, rows())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=85_000)
    parser.add_argument("--bad-every", type=int, default=100, help="one bad row in N (0: none)")
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--settings", default="config.settings.local")
    args = parser.parse_args()

    if args.database_url:
        name = urlparse(args.database_url).path.lstrip("/")
        if name in FORBIDDEN_DATABASES:
            parser.error(f"refusing to use database {name!r}: use a scratch database such as minzheng_feeds_bench")
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench_feeds.sqlite3"
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

    from minzheng.core.models import Role, User
    from minzheng.feeds.importing import feed_file_import
    from minzheng.feeds.models import FeedEvent, FeedFile, FeedRecord, QuarantinedRow

    call_command("migrate", verbosity=0)
    tables = [m._meta.db_table for m in (FeedEvent, FeedRecord, QuarantinedRow, FeedFile)]
    with connection.cursor() as cursor:  # not the ORM, which would load a million records to cascade
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    register_persons(args.persons)
    actor = User.objects.filter(username="feeds-bench").first() or User.objects.create_user(
        username="feeds-bench", password=None, role=Role.BUREAU, scope_id="310117")
    path = ROOT / "var" / f"bench_feeds_{args.rows}.csv"
    path.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    write_file(path, args.rows, args.persons, args.bad_every)
    print(f"file           {path.name}, {path.stat().st_size / 1e6:,.0f} MB, written in {time.perf_counter() - started:,.1f} s")

    timings: list[str] = []  # the import logs where its time went (validate, stage, insert, events)

    class Timings(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            timings.append(record.getMessage().split(": ", 1)[-1])

    import_logger = logging.getLogger("minzheng.feeds.importing")
    import_logger.addHandler(Timings(logging.INFO))
    import_logger.setLevel(logging.INFO)
    before = peak_mb()
    server_before = server_cpu(connection)
    started = time.perf_counter()
    cpu_started = time.process_time()
    with path.open("rb") as stream:
        result = feed_file_import(actor=actor, source_code="hrss_wages", filename=path.name, content=stream,
                                  chunk_rows=args.chunk_rows)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    server = server_cpu(connection) - server_before if server_before >= 0 else float("nan")
    after = peak_mb()
    started = time.perf_counter()
    with path.open("rb") as stream:
        again = feed_file_import(actor=actor, source_code="hrss_wages", filename=path.name, content=stream)
    repeat = time.perf_counter() - started
    f = result.file
    print(f"database       {connection.vendor}")
    print(f"rows           {f.total_rows:,} (good {f.good_rows:,}, quarantined {f.bad_rows:,})")
    print(f"records        {f.new_records:,} new, {f.unmatched_records:,} unmatched")
    print(f"seconds        {wall:,.1f}")
    print(f"rows/s         {f.total_rows / wall:,.0f}")
    print(f"cpu seconds    {cpu:,.1f} in this process, {server:,.1f} in the database backend "
          "(wall time depends on what else the machine runs; CPU time less so)")
    print(f"stages         {timings[0] if timings else '(not logged)'}")
    print(f"load average   {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end")
    print(f"repeat import  {repeat:,.2f} s (already imported: {again.already_imported})")
    print(f"peak memory    {after:,.0f} MB (ru_maxrss; {before:,.0f} MB before the import)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
