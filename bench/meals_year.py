"""Benchmark: a year of meal records imported, validated and settled (issue 16; ADR 0032).

``--rows`` meal rows (default 1,500,000) across ``--canteens`` canteens
(default 60) for the year ``--year`` (default 2025), written as one CSV per
canteen and month (the canteens' daily files gathered by month: 720 files by
default), with one bad row in ``--bad-every`` (an impossible date, quarantined).
The elders (``--elders`` per canteen, default 60) eat lunch most days and
dinner some days (the second meal of a day is recorded unsubsidised); about
a tenth are in extreme-poverty support (4-yuan tier), some are under 65 or
turn 65 during the year, a few die mid-year.

Timed: every file through ``services.meal_file_import`` (the page's and the
job's path: checked rows, quarantine, subsidy rules, COPY), then the
settlement of every canteen for each of the twelve months
(``services.settlements_run_all``). Setup (persons, canteens, files) is not
timed. Prints rows/s, the totals, and the peak resident memory of this
process (the import streams each file in chunks; memory must stay flat).

    PYTHONPATH=. .venv/bin/python bench/meals_year.py \\
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_meals_bench

Use a scratch database only: the script deletes the meal tables' rows and
the bench persons.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_DATABASES = {"test", "postgres"}
COMMITTEE_SUFFIX = "951"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (from /proc; -1 when not local)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def synthetic_id(n: int) -> str:
    from minzheng.registry.services import with_check_character

    birth_year = 1935 + n % 28  # 1935..1962: some under 65, some turning 65 in the year
    day = 1 + (n // 28) % 28
    month = 1 + (n // 784) % 12
    order = 500 + (n // 9408) % 500
    return with_check_character(f"310117{birth_year:04d}{month:02d}{day:02d}{order:03d}")


def setup(canteens: int, elders: int, year: int) -> tuple[list, dict[int, list[str]]]:
    """Canteens (one bench committee per street) and their elders (COPY); not timed."""
    from django.db import connection, transaction

    from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
    from minzheng.casework.models import Enrolment
    from minzheng.core.bulk_copy import copy_rows
    from minzheng.core.models import Division, DivisionLevel
    from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
    from minzheng.core.services import committee_create, division_load_tree
    from minzheng.meals.models import MealImport, MealRecord, QuarantinedRow, Settlement
    from minzheng.registry.models import Person

    division_load_tree(actor="bench")
    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (QuarantinedRow, MealRecord, Settlement, MealImport)]
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute(f"DELETE FROM {Enrolment._meta.db_table} WHERE committee_id LIKE %s",
                       [f"%{COMMITTEE_SUFFIX}"])
        cursor.execute(f"DELETE FROM {Facility._meta.db_table} WHERE name LIKE '基准测试%%'")
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE committee_id LIKE %s", [f"%{COMMITTEE_SUFFIX}"])
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    committees = []
    for street in streets:
        code = f"{street.code}{COMMITTEE_SUFFIX}"
        committees.append(Division.objects.filter(code=code).first() or committee_create(
            actor="bench", street=street, code=code, name=f"基准测试{street.name}居委会", village=False))
    sites = []
    for c in range(canteens):
        committee = committees[c % len(committees)]
        sites.append(Facility.objects.create(
            name=f"基准测试长者食堂{c + 1:02d}", kind=FacilityKind.CANTEEN, street_id=committee.parent_id,
            committee=committee, status=FacilityStatus.OPERATING))
    columns = ("name", "name_pinyin", "name_initials", "id_number_enc", "id_number_index", "id_number_masked",
               "birth_date", "sex", "phone_enc", "hukou_shanghai", "street_id", "committee_id", "alive",
               "death_date", "employment", "able_to_work", "unemployment_insurance", "unemployment_subsidy",
               "youfu", "orphan", "unsupported_child", "in_institution", "has_able_supporter", "created_at",
               "updated_at")
    regulars: dict[int, list[str]] = {}
    rows = []
    for c, site in enumerate(sites):
        regulars[site.pk] = []
        for e in range(elders):
            n = c * elders + e
            number = synthetic_id(n)
            regulars[site.pk].append(number)
            dead = n % 97 == 0
            rows.append(("基准老人", "jizhunlaoren", "jzlr", encrypt(number), blind_index(number),
                         mask_id_number(number), f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
                         "M" if int(number[16]) % 2 else "F", "", n % 53 != 0, site.street_id, site.committee_id,
                         not dead, dt.date(year, 7, 1) if dead else None, "retired", False, False, False, False,
                         False, False, False, True, "2024-01-01 00:00:00+00", "2024-01-01 00:00:00+00"))
    with transaction.atomic():
        copy_rows(Person._meta.db_table, columns, rows)
        poor = Person.objects.filter(committee_id__in=[c.code for c in committees]).values_list(
            "pk", "street_id", "committee_id")
        Enrolment.objects.bulk_create([
            Enrolment(program="extreme_poverty", person_id=pk, street_id=s, committee_id=cm,
                      start_month=f"{year - 1}-01", source="other")
            for pk, s, cm in poor if pk % 10 == 0])
    return sites, regulars


def write_files(folder: Path, sites: list, regulars: dict[int, list[str]], rows: int, year: int,
                bad_every: int) -> list[tuple[int, Path]]:
    """One CSV per canteen and month, ``rows`` rows in all (lunch most days, dinner some)."""
    rng = random.Random(7)
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)]
    per_canteen = rows // len(sites)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    written = 0
    for site in sites:
        elders = regulars[site.pk]
        lunch_share = min(1.0, per_canteen / (len(days) * len(elders)))
        dinner_share = max(0.0, per_canteen / (len(days) * len(elders)) - lunch_share)
        quota = per_canteen if site is not sites[-1] else rows - written
        mine = 0
        for month in range(1, 13):
            path = folder / f"{site.pk}-{year}-{month:02d}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["身份证号", "姓名", "用餐日期", "餐次", "用餐方式"])
                for day in (d for d in days if d.month == month):
                    for number in elders:
                        for slot, share in (("午餐", lunch_share), ("晚餐", dinner_share)):
                            if mine >= quota or rng.random() >= share:
                                continue
                            mine += 1
                            bad = bad_every and (written + mine) % bad_every == 0
                            writer.writerow([number, "基准老人", "2025-02-30" if bad else day.isoformat(), slot,
                                             "送餐" if rng.random() < 0.2 else "堂食"])
            files.append((site.pk, path))
        written += mine
        # top up to the quota with dinners at the year's end file if the shares fell short
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--canteens", type=int, default=60)
    parser.add_argument("--elders", type=int, default=60, help="regular elders per canteen")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--bad-every", type=int, default=500, help="one bad row in N (0: none)")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--settings", default="config.settings.local")
    args = parser.parse_args()
    name = urlparse(args.database_url).path.lstrip("/")
    if name in FORBIDDEN_DATABASES or not args.database_url.startswith("postgres"):
        parser.error("give a scratch PostgreSQL database (not test or postgres)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    os.environ.setdefault("MINZHENG_VAR_DIR", str(ROOT / "var" / "bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, Sum

    from minzheng.meals.models import MealRecord, QuarantinedRow, Settlement
    from minzheng.meals.services import meal_file_import, settlements_run_all

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    sites, regulars = setup(args.canteens, args.elders, args.year)
    files = write_files(ROOT / "var" / "bench_meals", sites, regulars, args.rows, args.year, args.bad_every)
    size = sum(p.stat().st_size for _, p in files)
    print(f"setup          {len(sites)} canteens, {sum(len(v) for v in regulars.values())} elders, "
          f"{len(files)} files ({size / 1e6:,.0f} MB) in {time.perf_counter() - started:,.1f} s (not timed)")

    started, cpu0, db0 = time.perf_counter(), own_cpu(), server_cpu()
    total = 0
    for canteen, path in files:
        with path.open("rb") as stream:
            meal_import, _ = meal_file_import(actor="bench", canteen_id=canteen, stream=stream, file_name=path.name)
        total += meal_import.rows_total
    imported = time.perf_counter() - started
    cpu1, db1 = own_cpu(), server_cpu()
    print(f"import         {total:,} rows in {imported:,.1f} s ({total / imported:,.0f} rows/s), "
          f"peak RSS {peak_mb():,.0f} MB; CPU: Python {cpu1 - cpu0:,.1f} s, PostgreSQL backend {db1 - db0:,.1f} s")
    again = time.perf_counter()
    canteen, path = files[0]
    with path.open("rb") as stream:
        _, created = meal_file_import(actor="bench", canteen_id=canteen, stream=stream, file_name=path.name)
    print(f"same file      again: created={created} in {time.perf_counter() - again:,.2f} s")

    started, cpu0, db0 = time.perf_counter(), own_cpu(), server_cpu()
    for month in range(1, 13):
        settlements_run_all(actor="bench", month=f"{args.year}-{month:02d}")
    settled = time.perf_counter() - started
    figures = MealRecord.objects.aggregate(meals=Count("id"), fen=Sum("subsidy_fen"))
    subsidised = MealRecord.objects.filter(subsidised=True).count()
    sums = Settlement.objects.aggregate(n=Count("id"), fen=Sum("total_fen"))
    print(f"settle         {sums['n']} settlements (12 months × {len(sites)} canteens) in {settled:,.1f} s; "
          f"CPU: Python {own_cpu() - cpu0:,.1f} s, PostgreSQL backend {server_cpu() - db0:,.1f} s")
    print(f"records        {figures['meals']:,} meals, {subsidised:,} subsidised, "
          f"{QuarantinedRow.objects.count():,} rows quarantined; subsidy {figures['fen'] / 100:,.2f} yuan; "
          f"settled total {sums['fen'] / 100:,.2f} yuan (must match)")
    print(f"total          {imported + settled:,.1f} s wall (target < 60 s), peak RSS {peak_mb():,.0f} MB; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if sums["fen"] == figures["fen"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
