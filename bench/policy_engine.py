"""Benchmark the policy engine on a synthetic district (a script, not a test).

Synthesises ~800,000 households / 2,000,000 persons as numpy columns
(deterministic seed), then times:

* building the inputs (synthesis + HouseholdTable/PersonTable construction);
* evaluating every program (cold = first month on fresh tables, which includes
  deriving birth-date keys and the household grouping; warm = other months on
  the same tables, ``ROUNDS`` rounds of 3 months: min and median);
* one household (3 and 2 persons) through ``evaluate_household`` without and
  with trace (1000 runs each: min, median, p95) and the size of its JSON output.

The machine may be shared: compare minima (and medians) of several runs, and
the thread CPU times printed beside the wall times (less disturbed by other
processes; for one household: the best of each block of 60 runs, median over
the blocks).
Run: ``.venv/bin/python bench/policy_engine.py``.  Targets (2-core machine):
all programs warm < 0.2 s, building inputs < 2 s, one traced household < 1 ms
with a compact trace (shared ``trace_nodes``, tens of KB, not hundreds).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import numpy as np

from policy import (
    HouseholdTable,
    OneOffGrant,
    PersonTable,
    evaluate_batch,
    evaluate_household,
    load_parameters,
)

HOUSEHOLDS = 800_000
PERSONS = 2_000_000
SEED = 20240801
ROUNDS = 5
SINGLE_RUNS = 1000


def synthesise(rng: np.random.Generator) -> tuple[dict[str, Any], dict[str, Any]]:
    """Raw columns for a plausible district (not real data)."""
    sizes = rng.choice([1, 2, 3, 4, 5, 6], size=HOUSEHOLDS, p=[0.18, 0.34, 0.30, 0.11, 0.05, 0.02])
    diff = int(sizes.sum()) - PERSONS
    if diff > 0:
        sizes[rng.choice(np.flatnonzero(sizes > 1), diff, replace=False)] -= 1
    elif diff < 0:
        sizes[rng.choice(HOUSEHOLDS, -diff, replace=False)] += 1
    household_index = np.repeat(np.arange(HOUSEHOLDS, dtype=np.int64), sizes)
    n = len(household_index)
    birth_days = rng.integers(np.datetime64("1922-01-01").astype(int),
                              np.datetime64("2024-08-31").astype(int), size=n)
    earning = rng.random(n) < 0.6
    income = np.where(earning, rng.lognormal(np.log(350_000), 0.6, n), 0).astype(np.int64)
    disabled = rng.random(n) < 0.06
    grade = np.where(disabled, rng.integers(1, 5, n), 0).astype(np.int8)
    kind = np.where(disabled, rng.integers(1, 8, n), 0).astype(np.int8)
    persons = {
        "household_index": household_index,
        "birth_date": birth_days.astype("datetime64[D]"),
        "hukou_shanghai": rng.random(n) < 0.85,
        "monthly_income_fen": income,
        "employed": earning & (rng.random(n) < 0.8),
        "disability_grade": grade,
        "disability_kind": kind,
        "able_to_work": rng.random(n) < 0.7,
        "has_able_supporter": rng.random(n) < 0.8,
        "orphan": rng.random(n) < 0.001,
        "unsupported_child": rng.random(n) < 0.001,
        "in_institution": rng.random(n) < 0.002,
        "unemployment_insurance": rng.random(n) < 0.01,
        "youfu": rng.random(n) < 0.005,
    }
    households = {
        "monetary_assets_fen": rng.lognormal(np.log(5_000_000), 1.2, HOUSEHOLDS).astype(np.int64),
        "private_cars": (rng.random(HOUSEHOLDS) < 0.3).astype(np.int16),
        "homes": rng.choice([0, 1, 2], size=HOUSEHOLDS, p=[0.2, 0.65, 0.15]).astype(np.int16),
        "medical_oop_12m_fen": rng.lognormal(np.log(300_000), 1.0, HOUSEHOLDS).astype(np.int64),
    }
    return households, persons


def main() -> None:
    load_parameters()  # parse YAML once, outside the timings
    t0 = time.perf_counter()
    raw_households, raw_persons = synthesise(np.random.default_rng(SEED))
    t1 = time.perf_counter()
    households = HouseholdTable(**raw_households)
    persons = PersonTable(**raw_persons)
    t2 = time.perf_counter()
    grant = OneOffGrant("spring_festival_bench", "春节一次性补助（基准测试用虚构数据）", "2024-08", 50_000,
                        ("dibao", "extreme_poverty", "severe_disability_unemployed"))
    cpi = {"all_yoy_pct": 3.6, "food_yoy_pct": 6.2}
    t3 = time.perf_counter()
    cold = evaluate_batch("2024-08", households, persons, cpi=cpi, grants=(grant,))
    t4 = time.perf_counter()
    warm_times, warm_cpu = [], []
    for _ in range(ROUNDS):
        for month in ("2025-08", "2024-08", "2023-01"):
            start, start_cpu = time.perf_counter(), time.thread_time()
            evaluate_batch(month, households, persons, cpi=cpi, grants=(grant,))
            warm_times.append(time.perf_counter() - start)
            warm_cpu.append(time.thread_time() - start_cpu)

    print(f"households: {len(households):,}  persons: {len(persons):,}")
    print(f"synthesise raw columns:           {t1 - t0:7.3f} s")
    print(f"build HouseholdTable/PersonTable: {t2 - t1:7.3f} s")
    print(f"building inputs total:            {t2 - t0:7.3f} s")
    print(f"evaluate all programs (cold):     {t4 - t3:7.3f} s  (includes birth-date keys, grouping)")
    print(f"evaluate all programs (warm):     min {min(warm_times):.3f} s, median "
          f"{statistics.median(warm_times):.3f} s  ({ROUNDS} rounds of 3 months; target < 0.2 s)")
    print(f"  thread CPU time:                min {min(warm_cpu):.3f} s, median {statistics.median(warm_cpu):.3f} s"
          "  (a shared machine: compare these)")
    for program_id, result in cold.programs.items():
        print(f"  {program_id:32s} eligible {int(result.eligible.sum()):>9,}  "
              f"total {int(result.amount_fen.sum()) / 100:>16,.2f} yuan")

    members = [
        {"id": "p1", "birth_date": "1950-03-02", "monthly_income_yuan": "800",
         "disability": {"grade": 2, "kind": "肢体"}, "has_able_supporter": True},
        {"id": "p2", "birth_date": "1980-05-01", "monthly_income_yuan": "1200",
         "able_to_work": True, "employed": True},
        {"id": "p3", "birth_date": "2012-09-30", "has_able_supporter": True},
    ]
    for size in (3, 2):
        payload = {
            "month": "2024-08",
            "cpi": cpi,
            "household": {"id": "h1", "monetary_assets_yuan": "20000", "private_cars": 0, "homes": 1,
                          "members": members[:size]},
        }
        for trace in (False, True):
            times, cpu = [], []
            for _ in range(SINGLE_RUNS):
                start, start_cpu = time.perf_counter(), time.thread_time()
                output = evaluate_household(payload, trace=trace)
                times.append(time.perf_counter() - start)
                cpu.append(time.thread_time() - start_cpu)
            times.sort()
            # best of 60 runs, the lowest of the run's blocks of 60 (thread CPU time)
            best_of_60 = statistics.median(min(cpu[i:i + 60]) for i in range(0, SINGLE_RUNS - 59, 60))
            label = "with trace" if trace else "no trace  "
            size_bytes = len(json.dumps(output, ensure_ascii=False).encode())
            trace_bytes = len(json.dumps(output.get("trace_nodes", {}), ensure_ascii=False).encode())
            print(f"one household {label} ({size} persons): min {times[0] * 1000:.3f} ms, "
                  f"median {statistics.median(times) * 1000:.3f} ms, p95 {times[int(0.95 * SINGLE_RUNS)] * 1000:.3f} ms, "
                  f"thread CPU best of 60 {best_of_60 * 1000:.3f} ms (median over blocks); "
                  f"JSON {size_bytes / 1000:.1f} KB" + (f" (trace_nodes {trace_bytes / 1000:.1f} KB)" if trace else "")
                  + ("  target traced < 1 ms" if trace else ""))


if __name__ == "__main__":
    main()
