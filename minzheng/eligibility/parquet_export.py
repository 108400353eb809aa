"""``minzheng policy export-inputs``: a month's engine inputs from the
registry to Parquet files (layout: ``parquet_inputs``; ADR 0018).

The registry is read one street at a time (``registry_columns(street=…)``),
so memory follows the largest street, not the city. Households whose income
or assets are unknown on the 1st are left out and counted, as the local batch
does (``services.month_evaluate``). Each street's files hold whole
households sorted by household (the layout contract of ``parquet_inputs``,
``"layout"`` in ``inputs.json``), so Spark evaluates them without a shuffle.
``inputs.json`` is written last: a
directory without it is an unfinished export.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import month_check
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.eligibility.cpi_months import cpi_source_month
from minzheng.eligibility.parquet_inputs import (
    FORMAT_VERSION,
    INPUTS_META,
    LAYOUT_HOUSEHOLD_FILES,
    household_table,
    person_table,
)
from minzheng.eligibility.services import cpi_for_month, grants_for_month
from minzheng.registry.columnar import registry_columns
from minzheng.registry.models import Household
from policy import load_parameters
from policy.months import Month
from policy.version import RULES_VERSION


@dataclass
class ExportSummary:
    month: str
    directory: Path
    streets: int
    households: int
    persons: int
    households_facts_missing: int
    parameter_set: str


def _prepare(directory: Path) -> None:
    """An export goes into a new or empty directory, or replaces an earlier export."""
    if directory.exists():
        if not directory.is_dir():
            raise ValidationError(f"{directory} 不是目录")
        entries = {p.name for p in directory.iterdir()}
        if entries and not entries <= {INPUTS_META, "households", "persons"}:
            raise ValidationError(f"目录 {directory} 不是空目录，也不是上一次导出的测算输入；请换一个目录")
        (directory / INPUTS_META).unlink(missing_ok=True)
        for sub in ("households", "persons"):
            shutil.rmtree(directory / sub, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


def inputs_export(*, actor: User | str, month: str, directory: Path | str, log: Any = None) -> ExportSummary:
    """Write ``month``'s engine inputs under ``directory`` (layout in the
    module docstring), one street at a time. Audited (``policy.export_inputs``):
    the files hold residents' incomes and assets."""
    require(actor, "eligibility.run", allow_job=True)
    parsed = Month.parse(month_check(month, "测算月份"))
    say = log or (lambda message: None)
    out = Path(directory)
    _prepare(out)
    streets = sorted(Household.objects.order_by().values_list("street_id", flat=True).distinct())
    counts: dict[str, dict[str, int]] = {}
    households = persons = missing = 0
    for street in streets:
        cols = registry_columns(parsed.first_day, street=street)
        unknown = int(cols.facts_missing.sum())
        if unknown:
            cols = cols.keep_households(~cols.facts_missing)
        missing += unknown
        if cols.households:
            for sub, table in (("households", household_table(cols)), ("persons", person_table(cols))):
                part = out / sub / f"street={street}"
                part.mkdir(parents=True, exist_ok=True)
                pq.write_table(table, part / "part-0.parquet", compression="zstd")
        counts[street] = {"households": cols.households, "persons": cols.persons}
        households += cols.households
        persons += cols.persons
        say(f"街镇 {street}：{cols.households} 户，{cols.persons} 人" + (f"；{unknown} 户收入或财产不明，未导出" if unknown else ""))
    grants = grants_for_month(str(parsed))
    parameter_set = load_parameters().hash_for(parsed)
    meta = {
        "format": FORMAT_VERSION, "month": str(parsed), "cpi": cpi_for_month(str(parsed)),
        "cpi_month": cpi_source_month(str(parsed)),
        "grants": [{"name": g.name, "label": g.label, "month": g.month, "amount_fen": g.amount_fen,
                    "target_groups": list(g.target_groups), "reference": g.reference} for g in grants],
        "parameter_set": parameter_set, "rules_version": RULES_VERSION,
        "layout": LAYOUT_HOUSEHOLD_FILES,  # one street per pair of files, sorted by household (parquet_inputs)
        "households": households, "persons": persons, "households_facts_missing": missing, "streets": counts,
    }
    (out / INPUTS_META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    with transaction.atomic():
        audit_record(actor=actor, action="policy.export_inputs", object_type="PolicyInputs", object_id=str(parsed),
                     changes={"directory": str(out.resolve()), "households": households, "persons": persons,
                              "households_facts_missing": missing, "parameter_set": parameter_set})
    return ExportSummary(month=str(parsed), directory=out, streets=len(streets), households=households,
                         persons=persons, households_facts_missing=missing, parameter_set=parameter_set)
