"""A synthetic city as the policy batch's Parquet inputs (a script, not a test).

Writes ``--persons`` residents (default 25,000,000: Shanghai) in the layout of
``minzheng policy export-inputs`` (``minzheng.eligibility.parquet_inputs``):
``households/street=<code>/part-0.parquet``, ``persons/street=<code>/…`` and
``inputs.json`` (month, CPI, no grants, the parameter hash of the parameter
files now in force, and ``"layout": "household_files"``: each street's two
files hold whole households, sorted by household, so ``spark-batch`` needs no
shuffle). One street at a time (~116,000 persons each, as
Shanghai's 215 streets and towns), so memory stays at one street whatever the
size. The data are random and plausible, not real; deterministic for a seed.

Run: ``PYTHONPATH=. .venv/bin/python bench/city_parquet.py --persons 25000000 --out var/city``.
Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from minzheng.eligibility.parquet_inputs import (
    FORMAT_VERSION,
    HOUSEHOLD_SCHEMA,
    INPUTS_META,
    LAYOUT_HOUSEHOLD_FILES,
    PERSON_BOOLS,
    PERSON_SCHEMA,
)
from policy import load_parameters
from policy.months import Month
from policy.version import RULES_VERSION

PERSONS_PER_STREET = 116_000
SIZES, SIZE_P = [1, 2, 3, 4, 5, 6], [0.18, 0.34, 0.30, 0.11, 0.05, 0.02]
FLAG_RATES = {"hukou_shanghai": 0.85, "able_to_work": 0.7, "has_able_supporter": 0.8, "orphan": 0.001,
              "unsupported_child": 0.001, "in_institution": 0.002, "unemployment_insurance": 0.01,
              "unemployment_subsidy": 0.003, "youfu": 0.005}


def street_tables(rng: np.random.Generator, street: str, persons: int, first_household: int, first_person: int,
                  month: Month) -> tuple[pa.Table, pa.Table]:
    sizes = rng.choice(SIZES, size=int(persons / 2.5) + 8, p=SIZE_P)
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), persons)) + 1]
    sizes[-1] -= int(sizes.sum()) - persons  # exactly ``persons``
    sizes = sizes[sizes > 0]
    households = len(sizes)
    household_id = np.arange(first_household, first_household + households, dtype=np.int64)
    committees = np.array([f"{street}{c:03d}" for c in range(1, 31)], dtype=object)
    household_table = pa.table({
        "household_id": household_id,
        "household_street": pa.array(np.full(households, street, dtype=object), pa.string()),
        "household_committee": pa.array(committees[rng.integers(0, len(committees), households)], pa.string()),
        "monetary_assets_fen": rng.lognormal(np.log(5_000_000), 1.2, households).astype(np.int64),
        "private_cars": (rng.random(households) < 0.3).astype(np.int16),
        "homes": rng.choice([0, 1, 2], size=households, p=[0.2, 0.65, 0.15]).astype(np.int16),
        "medical_oop_12m_fen": rng.lognormal(np.log(300_000), 1.0, households).astype(np.int64),
    }, schema=HOUSEHOLD_SCHEMA)
    n = persons
    last_day = (month.first_day - np.datetime64("1970-01-01", "D").astype(object)).days
    birth = rng.integers(np.datetime64("1922-01-01").astype(int), last_day, size=n).astype(np.int32)
    earning = rng.random(n) < 0.6
    income = np.where(earning, rng.lognormal(np.log(350_000), 0.6, n), 0).astype(np.int64)
    pension = np.where(rng.random(n) < 0.25, rng.lognormal(np.log(300_000), 0.4, n), 0).astype(np.int64)
    employed = earning & (rng.random(n) < 0.8)
    disabled = rng.random(n) < 0.06
    assessed = (birth < last_day - 60 * 365) & (rng.random(n) < 0.1)  # some elders hold a care-needs assessment
    person_table = pa.table({
        "household_id": np.repeat(household_id, sizes),
        "person_id": np.arange(first_person, first_person + n, dtype=np.int64),
        "birth_date": pa.array(birth, pa.int32()).cast(pa.date32()),
        "monthly_income_fen": income + pension,
        "earned_income_fen": income,
        "disability_grade": np.where(disabled, rng.integers(1, 5, n), 0).astype(np.int8),
        "disability_kind": np.where(disabled, rng.integers(1, 8, n), 0).astype(np.int8),
        "care_level": np.where(assessed, rng.integers(1, 7, n), 0).astype(np.int8),
        "care_assessed_on": pa.array(np.full(n, last_day - 400, dtype=np.int32), pa.int32(),
                                     mask=~assessed).cast(pa.date32()),
        **{name: (employed if name == "employed" else (~employed & (rng.random(n) < 0.08)) if name == "in_school"
                  else rng.random(n) < FLAG_RATES[name]) for name in PERSON_BOOLS},
    }, schema=PERSON_SCHEMA)
    return household_table, person_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=25_000_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--month", default="2025-08")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    month = Month.parse(args.month)
    out = Path(args.out)
    for sub in ("households", "persons"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / INPUTS_META).unlink(missing_ok=True)
    rng = np.random.default_rng(args.seed)
    streets = max(1, round(args.persons / PERSONS_PER_STREET))
    started = time.perf_counter()
    households = persons = 0
    counts = {}
    for s in range(streets):
        street = f"3100{s // 30 + 1:02d}{s % 30 + 1:03d}"  # 9 digits, like a street's division code
        n = args.persons // streets + (1 if s < args.persons % streets else 0)
        hh, pp = street_tables(rng, street, n, households + 1, persons + 1, month)
        for sub, table in (("households", hh), ("persons", pp)):
            part = out / sub / f"street={street}"
            part.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, part / "part-0.parquet", compression="zstd")
        counts[street] = {"households": hh.num_rows, "persons": pp.num_rows}
        households += hh.num_rows
        persons += pp.num_rows
        if s % 20 == 0 or s == streets - 1:
            print(f"street {s + 1}/{streets}: {persons:,} persons, {time.perf_counter() - started:.1f} s", flush=True)
    meta = {"format": FORMAT_VERSION, "month": str(month), "cpi": {"all_yoy_pct": "3.6", "food_yoy_pct": "6.2"},
            "cpi_month": str(month.shift(-1)), "grants": [],
            "parameter_set": load_parameters().hash_for(month), "rules_version": RULES_VERSION,
            "households": households, "persons": persons, "households_facts_missing": 0, "streets": counts,
            "layout": LAYOUT_HOUSEHOLD_FILES, "synthetic": True}
    (out / INPUTS_META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    size = sum(f.stat().st_size for f in out.rglob("*.parquet"))
    elapsed = time.perf_counter() - started
    print(f"{persons:,} persons, {households:,} households, {streets} streets in {elapsed:.1f} s "
          f"({persons / elapsed:,.0f} persons/s); {size / 1e6:,.0f} MB of Parquet in {out}; "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
