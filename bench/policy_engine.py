"""Benchmark the policy engine on a synthetic district (a script, not a test).

Synthesises ~800,000 households / 2,000,000 persons as numpy columns
(deterministic seed), then times:

* building the inputs (synthesis + HouseholdTable/PersonTable construction);
* evaluating every program (cold = first month on fresh tables, which includes
  deriving birth-date keys; warm = another month on the same tables);
* one household with trace through ``evaluate_household`` (median of 1000).

Run: ``.venv/bin/python bench/policy_engine.py``.  Targets: all programs < 1 s,
building ≤ 2 × that, one traced household < 2 ms.
"""

from __future__ import annotations

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
    warm_times = []
    for month in ("2025-08", "2024-08", "2023-01"):
        start = time.perf_counter()
        evaluate_batch(month, households, persons, cpi=cpi, grants=(grant,))
        warm_times.append(time.perf_counter() - start)

    print(f"households: {len(households):,}  persons: {len(persons):,}")
    print(f"synthesise raw columns:           {t1 - t0:7.3f} s")
    print(f"build HouseholdTable/PersonTable: {t2 - t1:7.3f} s")
    print(f"building inputs total:            {t2 - t0:7.3f} s")
    print(f"evaluate all programs (cold):     {t4 - t3:7.3f} s  (includes birth-date keys)")
    print(f"evaluate all programs (warm):     {statistics.median(warm_times):7.3f} s  (median of 3 months)")
    for program_id, result in cold.programs.items():
        print(f"  {program_id:32s} eligible {int(result.eligible.sum()):>9,}  "
              f"total {int(result.amount_fen.sum()) / 100:>16,.2f} yuan")

    payload = {
        "month": "2024-08",
        "cpi": cpi,
        "household": {
            "id": "h1", "monetary_assets_yuan": "20000", "private_cars": 0, "homes": 1,
            "members": [
                {"id": "p1", "birth_date": "1950-03-02", "monthly_income_yuan": "800",
                 "disability": {"grade": 2, "kind": "肢体"}, "has_able_supporter": True},
                {"id": "p2", "birth_date": "1980-05-01", "monthly_income_yuan": "1200",
                 "able_to_work": True, "employed": True},
                {"id": "p3", "birth_date": "2012-09-30", "has_able_supporter": True},
            ],
        },
    }
    for trace in (False, True):
        times = []
        for _ in range(1000):
            start = time.perf_counter()
            evaluate_household(payload, trace=trace)
            times.append(time.perf_counter() - start)
        label = "with trace" if trace else "no trace  "
        print(f"one household {label} (3 persons): median {statistics.median(times) * 1000:.3f} ms, "
              f"p95 {sorted(times)[949] * 1000:.3f} ms")


if __name__ == "__main__":
    main()
