"""Benchmark: person search through the API (``GET /api/v1/persons?q=…``), each
kind of query many times with varied values, for a bureau (whole district)
user and a street user. Prints p50/p95 (ms) per kind and scope. Asserts nothing.

    .venv/bin/python bench/person_search.py --database-url postgres://postgres@127.0.0.1:5432/bench_search
    .venv/bin/python bench/person_search.py --database-url … --build 2000000   # make the district first

The values are drawn from the registry itself (random persons in the user's
scope): a full name of three or more characters, a two-character name, a
one-character surname, the full pinyin, the pinyin initials, a complete ID
number and an ID-number prefix (6 to 17 digits). ``--query-times`` adds the
selector's own time (database and ORM, no HTTP). Use a scratch database: the
run adds two staff accounts (bench_bureau, bench_street) and their tokens.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("full_name", "two_char_name", "surname", "pinyin_full", "pinyin_initials", "id_full", "id_prefix")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _sample_persons(scope_filter: dict, want: int, rng: random.Random) -> list:
    """``want`` random persons in the scope: the first person at or after a random id."""
    from minzheng.registry.models import Person

    bounds = Person.objects.filter(**scope_filter).order_by("pk")
    low = bounds.values_list("pk", flat=True).first()
    high = bounds.reverse().values_list("pk", flat=True).first()
    if low is None or high is None:
        return []
    found = []
    for _ in range(want):
        start = rng.randint(low, high)
        person = bounds.filter(pk__gte=start, merged_into__isnull=True).first()
        if person is not None:
            found.append(person)
    return found


def _queries(persons: list, per_kind: int, rng: random.Random) -> dict[str, list[str]]:
    from minzheng.core.personal_data import decrypt

    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for p in persons:
        number = decrypt(p.id_number_enc)
        if len(p.name) >= 3:
            out["full_name"].append(p.name)
        if len(p.name) == 2:
            out["two_char_name"].append(p.name)
        out["surname"].append(p.name[0])
        out["pinyin_full"].append(p.name_pinyin)
        out["pinyin_initials"].append(p.name_initials)
        out["id_full"].append(number)
        out["id_prefix"].append(number[: rng.choice((6, 8, 10, 12, 14, 17))])
    return {kind: values[:per_kind] for kind, values in out.items()}


def _query_times(user, values: list[str]) -> tuple[float, float]:
    """The selector alone (first page of 50 and the count the API makes), no HTTP."""
    from minzheng.registry import selectors

    times = []
    for value in values:
        started = time.perf_counter()
        qs = selectors.person_search(user, value)
        list(qs[:50])
        if hasattr(selectors, "bounded_count"):
            selectors.bounded_count(qs)
        else:
            qs.count()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), _percentile(times, 0.95)


def _run(client, token: str, queries: dict[str, list[str]], endpoint: str) -> dict[str, tuple[float, float, float]]:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    results = {}
    for kind, values in queries.items():
        for value in values[:3]:  # warm the plan cache and the buffers a little
            client.get(endpoint, {"q": value}, **auth)
        times, rows = [], []
        for value in values:
            started = time.perf_counter()
            response = client.get(endpoint, {"q": value}, **auth)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{endpoint}?q={value}: HTTP {response.status_code} {response.content[:200]!r}")
            body = response.json()
            rows.append(len(body["results"]))
        results[kind] = (statistics.median(times), _percentile(times, 0.95), statistics.mean(rows))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--build", type=int, default=0, help="generate a demo district of this many persons first")
    parser.add_argument("--per-kind", type=int, default=60, help="queries per kind and scope")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--endpoint", default="/api/v1/persons")
    parser.add_argument("--query-times", action="store_true",
                        help="also time the selector alone (first page and count), without HTTP")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from minzheng.core.models import Division, DivisionLevel, Role
    from minzheng.core.services import api_token_issue, user_ensure
    from minzheng.registry.models import Person

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if args.build:
        from minzheng.demo.generator import generate_demo_data

        started = time.perf_counter()
        generate_demo_data(persons=args.build, seed=2024, replace=True, progress=lambda m: print(m, flush=True))
        print(f"built {args.build:,} persons in {time.perf_counter() - started:,.0f} s")

    rng = random.Random(args.seed)
    district = Division.objects.filter(level=DivisionLevel.DISTRICT).order_by("code").first()
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", flat=True))
    street = streets[len(streets) // 2]
    bureau = user_ensure(actor="bench", username="bench_bureau", password="bench-pass-12345", role=Role.BUREAU,
                         scope_code=district.code)
    street_user = user_ensure(actor="bench", username="bench_street", password="bench-pass-12345",
                              role=Role.STREET, scope_code=street)
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from pg_indexes where tablename = 'registry_person'"
                       if connection.vendor == "postgresql" else
                       "select count(*) from sqlite_master where type = 'index' and tbl_name = 'registry_person'")
        index_count = cursor.fetchone()[0]
    total = Person.objects.count()
    in_street = Person.objects.filter(street_id=street).count()
    print(f"database {connection.vendor}; {total:,} persons; street {street}: {in_street:,}; "
          f"{index_count} indexes on registry_person; endpoint {args.endpoint}; {args.per_kind} queries per kind")
    client = Client()
    print(f"{'scope':8s} {'kind':16s} {'p50 ms':>9s} {'p95 ms':>9s} {'rows':>6s}"
          + (f" {'query p50':>9s} {'query p95':>9s}" if args.query_times else ""))
    for label, user, scope_filter in (("district", bureau, {}), ("street", street_user, {"street_id": street})):
        persons = _sample_persons(scope_filter, args.per_kind * 4, rng)
        queries = _queries(persons, args.per_kind, rng)
        key, _ = api_token_issue(user=user)
        for kind, (p50, p95, rows) in _run(client, key, queries, args.endpoint).items():
            line = f"{label:8s} {kind:16s} {p50:9.1f} {p95:9.1f} {rows:6.1f}"
            if args.query_times:
                q50, q95 = _query_times(user, queries[kind])
                line += f" {q50:9.1f} {q95:9.1f}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
