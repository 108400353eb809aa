"""Benchmark: booking under contention on PostgreSQL (ADR 0021).

``--attempts`` booking attempts (default 5,000: hold + confirm, with a
notice and two audit entries each, as staff at the window) against
``--slots`` × ``--capacity`` places (default 50 × 10 = 500) from
``--clients`` concurrent clients (default 50 threads, each with its own
database connection). Every attempt books a different couple, so only
capacity refuses; the slot of each attempt is drawn at random (seeded).

Prints attempts/s, bookings/s, latency percentiles, and the overbookings
**counted from the database** (places of occupying bookings per slot over
its capacity, and slots whose ``booked`` counter differs from their
bookings), not trusted from the clients. Both must be 0.

    createdb -h 127.0.0.1 -U postgres bench_bookings   # once
    PYTHONPATH=. .venv/bin/python bench/booking_throughput.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_bookings

Use a scratch database only: the script FLUSHES it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def connect(database_url: str) -> None:
    if any(database_url.rstrip("/").endswith(f"/{name}") for name in ("test", "postgres")):
        raise SystemExit("refusing to use the test or postgres database: give a scratch database")
    if not database_url.startswith("postgres"):
        raise SystemExit("this benchmark measures PostgreSQL: give a postgres:// database URL")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(ROOT / "var" / "bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup(slots: int, capacity: int):
    """Flush the scratch database; one resource with ``slots`` ten-minute slots of ``capacity`` (not timed)."""
    from django.core.management import call_command
    from django.utils import timezone

    from minzheng.bookings.models import ResourceKind, Slot
    from minzheng.bookings.services import (
        generate_slots,
        resource_create,
        special_day_add,
        template_add,
    )
    from minzheng.core.models import Division, Role
    from minzheng.core.services import division_load_tree, user_create

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    division_load_tree(actor="bench")
    user = user_create(actor="bench", username="window", password="bench-pass-1", role=Role.BUREAU,
                       scope_code="310117")
    resource = resource_create(actor=user, name="压测婚姻登记窗口", kind=ResourceKind.MARRIAGE_WINDOW,
                               division=Division.objects.get(code="310117"))
    start = dt.time(8, 0)
    end_minutes = 8 * 60 + 10 * slots
    if end_minutes >= 24 * 60:
        raise SystemExit("at most 95 ten-minute slots fit in a day")
    template_add(actor=user, resource=resource, weekdays="1234567", day_start=start,
                 day_end=dt.time(end_minutes // 60, end_minutes % 60), slot_minutes=10, capacity=capacity)
    day = timezone.localdate() + dt.timedelta(days=30)
    special_day_add(actor=user, resource=resource, date=day, name="压测开放日")  # independent of the holiday table
    generate_slots(resource, day, day, user)
    return user, list(Slot.objects.filter(resource=resource).order_by("start"))


def couples(n: int) -> list[list[tuple[str, str]]]:
    from minzheng.registry.services import with_check_character

    first = dt.date(1970, 1, 1)
    out = []
    for i in range(n):
        birth = first + dt.timedelta(days=i)
        out.append([(f"甲{i}", with_check_character(f"310117{birth:%Y%m%d}001")),
                    (f"乙{i}", with_check_character(f"310117{birth:%Y%m%d}002"))])
    return out


def run(user, slots, attempts: int, clients: int, seed: int) -> dict:
    from django.core.exceptions import ValidationError
    from django.db import connections

    from minzheng.bookings.services import SlotFull, book

    rng = random.Random(seed)
    plan = [(rng.choice(slots), people) for people in couples(attempts)]
    latencies: list[float] = []
    booked_latencies: list[float] = []
    booked_at: list[float] = []  # when each successful booking returned (seconds from the start)
    outcomes = {"booked": 0, "full": 0, "other_refusal": 0, "error": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(k: int) -> None:
        mine = plan[k::clients]
        local_lat, local_ok, local_at, local = [], [], [], dict.fromkeys(outcomes, 0)
        barrier.wait()
        for slot, people in mine:
            t0 = time.perf_counter()
            try:
                book(slot, parties=people, purpose="结婚登记", actor=user)
                local["booked"] += 1
                local_ok.append(time.perf_counter() - t0)
                local_at.append(time.perf_counter() - started)
            except SlotFull:
                local["full"] += 1
            except ValidationError:
                local["other_refusal"] += 1
            except Exception:  # noqa: BLE001 - counted and reported; must stay 0
                local["error"] += 1
            local_lat.append(time.perf_counter() - t0)
        connections.close_all()
        with lock:
            latencies.extend(local_lat)
            booked_latencies.extend(local_ok)
            booked_at.extend(local_at)
            for key, value in local.items():
                outcomes[key] += value

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.perf_counter()  # read by the clients after the barrier
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed, "latencies": latencies, "booked_latencies": booked_latencies,
            "filled_after": max(booked_at) if booked_at else None, **outcomes}


def database_check(slots) -> dict:
    """Overbooking as the database shows it, whatever the clients believed."""
    from django.db.models import Sum

    from minzheng.bookings.models import OCCUPYING, Booking, Slot

    taken = dict(Booking.objects.filter(slot__in=slots, status__in=OCCUPYING).values("slot")
                 .annotate(places=Sum("places")).values_list("slot", "places"))
    overbooked_places = mismatched = 0
    total_capacity = total_taken = 0
    for slot in Slot.objects.filter(pk__in=[s.pk for s in slots]):
        places = taken.get(slot.pk, 0)
        total_capacity += slot.capacity
        total_taken += places
        overbooked_places += max(0, places - slot.capacity)
        mismatched += slot.booked != places
    return {"capacity": total_capacity, "taken": total_taken, "overbooked_places": overbooked_places,
            "counter_mismatches": mismatched}


def _percentiles(values: list[float]) -> list[float]:
    if not values:
        return []
    return statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--attempts", type=int, default=5000)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    connect(args.database_url)
    user, slots = setup(args.slots, args.capacity)
    result = run(user, slots, args.attempts, args.clients, args.seed)
    check = database_check(slots)
    lat = sorted(result["latencies"])
    q = _percentiles(lat)
    ok = _percentiles(sorted(result["booked_latencies"]))
    print(f"booking throughput on PostgreSQL: {args.attempts} attempts, {args.clients} clients, "
          f"{args.slots} slots x {args.capacity} places = {args.slots * args.capacity} places")
    print(f"  elapsed            {result['elapsed']:.2f} s")
    print(f"  attempts/s         {args.attempts / result['elapsed']:.1f}")
    filled = result["filled_after"]
    print(f"  bookings/s         {result['booked'] / filled:.1f} while places were free "
          f"(booked {result['booked']}, the last after {filled:.2f} s)" if filled else "  bookings/s         0")
    print(f"  refused full       {result['full']}; other refusals {result['other_refusal']}; "
          f"errors {result['error']}")
    print(f"  latency p50/p95/p99  {q[49] * 1000:.1f} / {q[94] * 1000:.1f} / {q[98] * 1000:.1f} ms "
          f"(max {lat[-1] * 1000:.1f} ms), all attempts")
    if ok:
        print(f"  latency p50/p95/p99  {ok[49] * 1000:.1f} / {ok[94] * 1000:.1f} / {ok[98] * 1000:.1f} ms, "
              f"successful bookings")
    print(f"  database: places taken {check['taken']} of {check['capacity']}; "
          f"overbooked places {check['overbooked_places']}; booked-counter mismatches {check['counter_mismatches']}")
    if check["overbooked_places"] or check["counter_mismatches"] or result["error"]:
        raise SystemExit("FAILED: overbooking, counter mismatch or errors")


if __name__ == "__main__":
    main()
