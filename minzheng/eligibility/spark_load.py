"""``minzheng policy load-spark``: Spark's decisions (``spark_batch``) stored
as the month's run in the database, so a city bureau computes on a cluster
and serves the results from the database (ADR 0018, stored as ADR 0019 says).

The rows are Spark's files, unchanged; everything else a run records comes
from the same sources as a local run's:

- the parameter hash and rules version must be the ones now in force for
  the month (refused otherwise, in Chinese): a run's reason bits, its
  explanation and its re-computation are read with the parameters it was
  made with, and those must be the ones this server holds
  (``parameters_in_force``);
- the reason codes and each program's level (household or person) are the
  engine's, from an evaluation of no rows, and must equal Spark's
  ``reason_vocabulary``;
- the input snapshot (what ``policy explain`` re-evaluates) is built from
  the export Spark evaluated (``inputs`` in ``decisions.json``, or
  ``inputs_dir``), whose month, parameter hash and counts must match;
- the rows are checked against those inputs before anything is written: one
  row per household for household programs, at most one per person for
  person programs, every row's household, street and committee as in the
  inputs, the row count as Spark's;
- counts per program and street are computed as the local batch computes
  them (``services._counts``): eligible rows, amounts of eligible rows,
  PARAMETER_MISSING (bit 0, set only on rows that pass every other
  condition, so never on a row the screening rule leaves out), persons in
  eligible households.

Storing goes through ``services.run_store`` — full or differences from a
base, binary ``COPY`` into the run's partition, write then flip — audited as
``policy.load_spark``. Without ``store`` it only checks and counts.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from django.core.exceptions import ValidationError

from minzheng.core.bounds import month_check
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.eligibility import services, storage
from minzheng.eligibility.models import DecisionRun
from minzheng.eligibility.parquet_inputs import (
    columns_from_joined,
    grants_from_meta,
    joined_table,
    read_inputs,
)
from minzheng.eligibility.spark_batch import (
    DECISIONS_DIR,
    DECISIONS_META,
    EngineCall,
    engine_programs,
)
from minzheng.registry.columnar import RegistryColumns
from policy import load_parameters
from policy.engine.results import PARAMETER_MISSING_BIT
from policy.months import Month
from policy.version import RULES_VERSION


@dataclass
class SparkLoad:
    month: str
    directory: Path
    households: int
    persons: int
    rows: int
    parameter_set: str
    run: DecisionRun | None = None  # None: checked only (not stored)
    timings: dict[str, float] = field(default_factory=dict)


def _spark_meta(spark_dir: Path) -> dict[str, Any]:
    path = spark_dir / DECISIONS_META
    if not path.is_file():
        raise ValidationError(f"目录 {spark_dir} 中没有完整的 Spark 测算结果（缺少说明文件），请先运行 policy spark-batch")
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return meta


def _input_columns(inputs_dir: Path, meta: dict[str, Any]) -> tuple[RegistryColumns, dict[str, Any]]:
    """The export Spark evaluated, as the registry columns a local run reads
    (households sorted by id, persons by household then person)."""
    inputs_meta, households, persons = read_inputs(inputs_dir)
    if (inputs_meta["month"], inputs_meta["parameter_set"]) != (meta["month"], meta["parameter_set"]):
        raise ValidationError(f"测算输入目录 {inputs_dir} 与 Spark 测算结果不是同一月份或同一参数集，请指明 Spark 所用的测算输入")
    cols = columns_from_joined(joined_table(households, persons))
    if (cols.households, cols.persons) != (meta["households"], meta["persons"]):
        raise ValidationError(f"测算输入有 {cols.households} 户 {cols.persons} 人，Spark 测算结果为 "
                              f"{meta['households']} 户 {meta['persons']} 人，不是同一批输入，不能载入")
    return cols, inputs_meta


def _sorted_codes(values: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A string column as (sorted distinct values, code of each row into them)."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    dictionary = np.asarray(encoded.dictionary.to_pylist(), dtype=object).astype(str)
    vocabulary, code = np.unique(dictionary, return_inverse=True)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return vocabulary, code.reshape(-1).astype(np.int32)[indices]


def _spark_rows(spark_dir: Path, levels: dict[str, str], cols: RegistryColumns, expected_rows: int) -> storage.RunRows:
    """Spark's decision files as a run's rows (``storage.RunRows``), each
    program's rows sorted by household then person, checked against the
    inputs ``cols``. Raises ``ValidationError`` (Chinese) on any mismatch."""
    directory = spark_dir / DECISIONS_DIR
    if not directory.is_dir():
        raise ValidationError(f"目录 {spark_dir} 中没有 Spark 测算决定文件")
    dataset = ds.dataset(directory, format="parquet",
                         partitioning=ds.partitioning(pa.schema([("street_id", pa.string())]), flavor="hive"))
    table = dataset.to_table(columns=list(storage.DECISION_COLUMNS[1:]))
    if table.num_rows != expected_rows:
        raise ValidationError(f"Spark 测算决定文件有 {table.num_rows} 行，说明文件记为 {expected_rows} 行，结果不完整，不能载入")
    program_names, program_code = _sorted_codes(table.column("program"))
    unknown = sorted(set(program_names.tolist()) - set(levels))
    if unknown:
        raise ValidationError(f"Spark 测算结果中有现行规则没有的救助项目（{'、'.join(unknown)}），不能载入")
    streets, street_code = _sorted_codes(table.column("street_id"))
    committees, committee_code = _sorted_codes(table.column("committee_id"))
    household = table.column("household_id").to_numpy()
    person_null = table.column("person_id").is_null().to_numpy(zero_copy_only=False)
    person = pc.fill_null(table.column("person_id"), 0).to_numpy()
    eligible = table.column("eligible").to_numpy(zero_copy_only=False).astype(bool)
    amount = table.column("amount_fen").to_numpy()
    reasons = table.column("reason_mask").to_numpy()

    # every row's household, street and committee as in the inputs
    order = np.argsort(cols.household_id, kind="stable")
    at = np.minimum(np.searchsorted(cols.household_id, household, sorter=order), len(order) - 1)
    household_row = order[at]
    if not (cols.household_id[household_row] == household).all():
        raise ValidationError("Spark 测算结果中有测算输入里没有的家庭，不能载入")
    if not ((streets[street_code] == cols.household_street.astype(str)[household_row]).all()
            and (committees[committee_code] == cols.household_committee.astype(str)[household_row]).all()):
        raise ValidationError("Spark 测算结果中有家庭的街镇或居村委与测算输入不符，不能载入")
    person_order = np.argsort(cols.person_id, kind="stable")

    programs: dict[str, dict[str, np.ndarray]] = {}
    for program_id in levels:
        k = np.searchsorted(program_names, program_id)
        here = np.flatnonzero(program_code == k) if k < len(program_names) and program_names[k] == program_id \
            else np.zeros(0, dtype=np.intp)
        here = here[np.lexsort((person[here], household[here]))]
        if levels[program_id] == "household":
            if not person_null[here].all() or len(here) != cols.households or \
                    (len(here) > 1 and not (np.diff(household[here]) > 0).all()):
                raise ValidationError(f"Spark 测算结果中项目 {program_id} 不是每户一行，不能载入")
        else:
            ids = person[here]
            if person_null[here].any() or (len(ids) > 1 and len(np.unique(ids)) != len(ids)):
                raise ValidationError(f"Spark 测算结果中项目 {program_id} 有缺少人员或重复人员的行，不能载入")
            where = np.minimum(np.searchsorted(cols.person_id, ids, sorter=person_order), len(person_order) - 1)
            found = person_order[where]
            if not ((cols.person_id[found] == ids).all()
                    and (cols.person_household_index[found] == household_row[here]).all()):
                raise ValidationError(f"Spark 测算结果中项目 {program_id} 有人员不在测算输入中或不属于所记家庭，不能载入")
        programs[program_id] = {
            "household_id": household[here].astype(np.int64),
            "person_id": person[here].astype(np.int64),
            "street": street_code[here],
            "committee": committee_code[here],
            "eligible": eligible[here],
            "amount_fen": amount[here].astype(np.int64),
            "reason_mask": reasons[here].astype(np.int64),
            "removed": np.zeros(len(here), dtype=bool),
        }
    return storage.RunRows(programs=programs, levels=dict(levels), streets=streets, committees=committees)


def _counts(rows: storage.RunRows, cols: RegistryColumns) -> tuple[dict, dict]:
    """Counts per program and eligible counts per street, as ``services._counts``
    computes them from the engine's result (see the module docstring)."""
    members = np.bincount(cols.person_household_index, minlength=cols.households)
    order = np.argsort(cols.household_id, kind="stable")
    program_counts: dict[str, dict[str, int]] = {}
    street_counts: dict[str, Counter] = {}
    for program_id, values in rows.programs.items():
        eligible = values["eligible"]
        row = {"eligible": int(eligible.sum()), "amount_fen": int(values["amount_fen"][eligible].sum()),
               "parameter_missing": int(((values["reason_mask"] & PARAMETER_MISSING_BIT) != 0).sum())}
        if rows.levels[program_id] == "household":
            index = order[np.searchsorted(cols.household_id, values["household_id"][eligible], sorter=order)]
            row["persons"] = int(members[index].sum())
        else:
            row["persons"] = row["eligible"]
        program_counts[program_id] = row
        for code, n in zip(*np.unique(values["street"][eligible], return_counts=True), strict=True):
            street_counts.setdefault(str(rows.streets[code]), Counter())[program_id] = int(n)
    return program_counts, {street: dict(c) for street, c in sorted(street_counts.items())}


def spark_run_load(*, actor: User | str, month: str, spark_dir: Path | str, inputs_dir: Path | str | None = None,
                   store: bool = False, log: Any = None) -> SparkLoad:
    """Check Spark's results of ``month`` in ``spark_dir`` against the
    parameters in force and the inputs it evaluated; with ``store`` keep
    them as the month's run (replacing its current run, audited as
    ``policy.load_spark``). Raises ``ValidationError`` in Chinese."""
    require(actor, "eligibility.run", allow_job=True)
    parsed = Month.parse(month_check(month, "测算月份"))
    say = log or (lambda message: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    directory = Path(spark_dir)
    meta = _spark_meta(directory)
    if meta["month"] != str(parsed):
        raise ValidationError(f"Spark 测算结果是 {meta['month']} 的，不是 {parsed} 的")
    parameters = load_parameters()
    parameter_set = parameters.hash_for(parsed)
    if meta["parameter_set"] != parameter_set:
        raise ValidationError(f"Spark 测算结果所用的参数集（{meta['parameter_set'][:12]}…）与本服务器 {parsed} 现行的参数集"
                              f"（{parameter_set[:12]}…）不同，不能载入；请按现行参数重新导出测算输入并在 Spark 上重新测算")
    if meta["rules_version"] != RULES_VERSION:
        raise ValidationError(f"Spark 测算结果的规则版本（{meta['rules_version']}）与本服务器的规则版本（{RULES_VERSION}）"
                              "不同，不能载入；请用同一版本的程序重新测算")
    source = Path(inputs_dir) if inputs_dir else Path(meta.get("inputs") or "")
    if not inputs_dir and not meta.get("inputs"):
        raise ValidationError("Spark 测算结果没有记录所用的测算输入目录，请用 --inputs 指明")
    cols, inputs_meta = _input_columns(source, meta)
    call = EngineCall(month=str(parsed), cpi=meta["cpi"], grants=grants_from_meta(meta), parameters=parameters,
                      parameter_set=parameter_set)
    vocabulary, levels = engine_programs(call)
    if vocabulary != meta["reason_vocabulary"]:
        raise ValidationError("Spark 测算结果的理由代码与现行规则不同，不能载入；请用同一版本的程序重新测算")
    rows = _spark_rows(directory, levels, cols, int(meta["rows"]))
    program_counts, street_counts = _counts(rows, cols)
    timings["read_s"] = round(time.perf_counter() - started, 3)
    say(f"读取并核对 Spark 测算结果：{cols.households} 户，{cols.persons} 人，{rows.count} 行决定，用时 {timings['read_s']} 秒")
    result = SparkLoad(month=str(parsed), directory=directory, households=cols.households, persons=cols.persons,
                       rows=rows.count, parameter_set=parameter_set, timings=timings)
    if not store:
        return result
    services.unfinished_runs_discard(str(parsed))
    facts = services.RunFacts(
        month=str(parsed), parameter_set=parameter_set, rules_version=RULES_VERSION, cpi=meta["cpi"],
        cpi_month=meta["cpi_month"],
        grants=[{"name": g["name"], "label": g["label"], "amount_fen": g["amount_fen"],
                 "target_groups": list(g["target_groups"])} for g in meta["grants"]],
        reason_vocabulary=vocabulary, households_facts_missing=int(inputs_meta.get("households_facts_missing", 0)),
        program_counts=program_counts, street_counts=street_counts,
        parameters_in_force=parameters.in_force_json(parsed))
    result.run = services.run_store(actor=actor, facts=facts, cols=cols, rows=rows, timings=timings, log=say,
                                    audit_action="policy.load_spark",
                                    audit_changes={"source": "spark", "directory": str(directory.resolve()),
                                                   "inputs": str(source.resolve())})
    return result
