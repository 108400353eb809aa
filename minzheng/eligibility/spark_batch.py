"""``minzheng policy spark-batch``: the month's batch on Apache Spark, with
the same ``policy`` package and the same stored-rows rule as the local batch
(ADR 0018).

Households are kept whole: the person rows (joined with their household's
columns) are repartitioned by ``household_id`` — every row of a household
hashes to the same partition — and sorted within each partition by household
and person. ``mapInArrow`` hands a partition over as a stream of Arrow record
batches whose boundaries fall anywhere (``spark.sql.execution.arrow.
maxRecordsPerBatch``), so ``evaluate_partition`` buffers the rows and
evaluates only up to the last household boundary it has seen; the trailing
household waits for the next batch (or the end of the partition). Each
buffered chunk is one ``policy.evaluate_batch`` call on numpy columns, and
its decisions are the rows ``storage.stored_rows`` keeps.

This module imports no Django model and needs no database: Spark's Python
workers import it (and ``policy``) to evaluate a partition.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import ValidationError

from minzheng.eligibility import inputs, storage
from minzheng.eligibility.parquet_inputs import (
    HOUSEHOLD_SCHEMA,
    JOINED_SCHEMA,
    PERSON_SCHEMA,
    columns_from_joined,
    grants_from_meta,
    read_meta,
)
from policy import OneOffGrant, evaluate_batch, load_parameters
from policy.engine.parameters import ParameterSet
from policy.months import Month

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DECISIONS_META = "decisions.json"
DECISIONS_DIR = "decisions"
DECISION_SCHEMA = pa.schema([
    ("program", pa.string()),
    ("household_id", pa.int64()),
    ("person_id", pa.int64()),  # null on household programs' rows
    ("street_id", pa.string()),
    ("committee_id", pa.string()),
    ("eligible", pa.bool_()),
    ("amount_fen", pa.int64()),
    ("reason_mask", pa.int64()),
])
CHUNK_ROWS = 200_000  # persons per engine call on a worker


@dataclass
class EngineCall:
    """What every partition evaluates with (pickled to the workers)."""

    month: str
    cpi: dict[str, str] | None
    grants: list[OneOffGrant]
    parameters: ParameterSet
    parameter_set: str
    engine_seconds: Any = None  # a Spark accumulator: time in ``evaluate_batch`` summed over tasks

    def decisions(self, rows: pa.Table) -> pa.RecordBatch:
        cols = columns_from_joined(rows)
        households, persons = inputs.policy_tables(cols)
        started = time.perf_counter()
        batch = evaluate_batch(self.month, households, persons, cpi=self.cpi, grants=self.grants,
                               parameters=self.parameters)
        if self.engine_seconds is not None:
            self.engine_seconds.add(time.perf_counter() - started)
        if batch.parameter_set != self.parameter_set:  # never: the driver checked the files
            raise RuntimeError(f"parameter set {batch.parameter_set} differs from the export's {self.parameter_set}")
        arrays = storage.stored_arrays(batch, cols)
        person = arrays["person_id"]
        return pa.RecordBatch.from_arrays([
            pa.array(arrays["program"], pa.string()),
            pa.array(arrays["household_id"], pa.int64()),
            pa.array(person, pa.int64(), mask=person < 0),
            pa.array(arrays["street_id"], pa.string()),
            pa.array(arrays["committee_id"], pa.string()),
            pa.array(arrays["eligible"], pa.bool_()),
            pa.array(arrays["amount_fen"], pa.int64()),
            pa.array(arrays["reason_mask"], pa.int64()),
        ], schema=DECISION_SCHEMA)


def evaluate_partition(batches: Iterable[pa.RecordBatch], call: EngineCall, *,
                       chunk_rows: int = CHUNK_ROWS) -> Iterator[pa.RecordBatch]:
    """Evaluate one partition's rows (``JOINED_SCHEMA``, sorted by household
    then person; every row of a household in this partition) batch by batch,
    never splitting a household: a chunk is cut at the last household
    boundary, the trailing household is kept for the next chunk. Raises if a
    household comes back after its chunk was evaluated (rows not grouped)."""
    pending: list[pa.RecordBatch] = []
    buffered = 0
    last_done: int | None = None

    def flush(table: pa.Table) -> Iterator[pa.RecordBatch]:
        nonlocal last_done
        if not table.num_rows:
            return
        first = table.column("household_id")[0].as_py()
        if last_done is not None and first <= last_done:
            raise RuntimeError(f"household {first} is split across chunks (rows not sorted by household)")
        last_done = table.column("household_id")[-1].as_py()
        yield call.decisions(table)

    for batch in batches:
        if not batch.num_rows:
            continue
        pending.append(batch)
        buffered += batch.num_rows
        if buffered < chunk_rows:
            continue
        table = pa.Table.from_batches(pending)
        household = table.column("household_id").to_numpy()
        cut = int(np.searchsorted(household, household[-1], side="left"))  # where the trailing household starts
        if cut == 0:  # one household so far: keep reading
            continue
        yield from flush(table.slice(0, cut))
        rest = table.slice(cut)
        pending, buffered = rest.to_batches(), rest.num_rows
    if pending:
        yield from flush(pa.Table.from_batches(pending))


@dataclass
class SparkBatchSummary:
    month: str
    directory: Path
    parameter_set: str
    rules_version: str
    households: int
    persons: int
    rows: int
    program_counts: dict[str, dict[str, int]]
    timings: dict[str, float] = field(default_factory=dict)


def spark_session(master: str = "local[*]", *, app_name: str = "minzheng-policy-batch",
                  config: dict[str, str] | None = None) -> SparkSession:
    """A Spark session (the one already active, if any: tests, notebooks).
    Nothing is downloaded: PySpark ships Spark's jars; Java 17 runs them."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):  # the workers run this interpreter (its packages); a cluster sets its own
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {
        "spark.ui.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        # street codes (street=310117001) stay strings when a directory is read back
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        **(config or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_batch_run(*, inputs_dir: Path | str, month: str, out_dir: Path | str, spark: SparkSession,
                    partitions: int | None = None, chunk_rows: int = CHUNK_ROWS, log: Any = None) -> SparkBatchSummary:
    """Evaluate an export (``parquet_export``) on ``spark``; write the
    decisions under ``out_dir/decisions`` (Parquet, by street) and
    ``out_dir/decisions.json`` (month, parameter hash, rules version, reason
    codes, counts, timings). Refuses when the export is of another month or
    the parameter files now give another parameter hash for the month."""
    from pyspark.sql import functions as F

    say = log or (lambda message: None)
    meta = read_meta(inputs_dir)
    try:
        parsed = Month.parse(month)
    except ValueError as err:
        raise ValidationError(f"月份格式应为 YYYY-MM：{month}") from err
    if meta["month"] != str(parsed):
        raise ValidationError(f"测算输入是 {meta['month']} 的，不是 {parsed} 的；请导出该月的测算输入")
    parameters = load_parameters()
    parameter_set = parameters.hash_for(parsed)
    if parameter_set != meta["parameter_set"]:
        raise ValidationError("导出测算输入之后政策参数已改变（参数集不同），请重新导出该月的测算输入")
    call = EngineCall(month=str(parsed), cpi=meta["cpi"], grants=grants_from_meta(meta), parameters=parameters,
                      parameter_set=parameter_set, engine_seconds=spark.sparkContext.accumulator(0.0))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / DECISIONS_META).unlink(missing_ok=True)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    source = Path(inputs_dir)
    counted = _parquet_rows(source / "persons"), _parquet_rows(source / "households")  # from the files' footers
    if counted != (meta["persons"], meta["households"]):
        raise ValidationError("测算输入文件不完整：户数或人数与导出说明不符，请重新导出")
    if not counted[0]:
        raise ValidationError("测算输入中没有人员，无需测算")
    persons = spark.read.schema(_spark_schema(PERSON_SCHEMA)).parquet(str(source / "persons"))
    households = spark.read.schema(_spark_schema(HOUSEHOLD_SCHEMA)).parquet(str(source / "households"))
    persons = persons.select(*PERSON_SCHEMA.names)
    households = households.select(*HOUSEHOLD_SCHEMA.names)
    timings["read_s"] = round(time.perf_counter() - started, 3)
    say(f"读取测算输入：{counted[1]} 户，{counted[0]} 人，用时 {timings['read_s']} 秒")

    started = time.perf_counter()
    parts = partitions or max(spark.sparkContext.defaultParallelism, int(spark.conf.get("spark.sql.shuffle.partitions")))
    # both sides hashed by household into the same partitions: the join needs no further shuffle, and every
    # row of a household lands in one partition
    joined = persons.repartition(parts, "household_id").join(households.repartition(parts, "household_id"),
                                                             "household_id").select(*JOINED_SCHEMA.names)
    grouped = joined.sortWithinPartitions("household_id", "person_id")

    def evaluate(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return evaluate_partition(batches, call, chunk_rows=chunk_rows)

    decisions = grouped.mapInArrow(evaluate, _spark_schema(DECISION_SCHEMA))
    target = out / DECISIONS_DIR
    decisions.write.mode("overwrite").partitionBy("street_id").parquet(str(target))
    timings["evaluate_write_s"] = round(time.perf_counter() - started, 3)
    timings["engine_task_s"] = round(call.engine_seconds.value, 3)
    say(f"分区计算并写出决定：{parts} 个分区，用时 {timings['evaluate_write_s']} 秒")

    started = time.perf_counter()
    written = spark.read.parquet(str(target))
    summary_rows = written.groupBy("program").agg(
        F.count(F.lit(1)).alias("rows"),
        F.sum(F.col("eligible").cast("long")).alias("eligible"),
        F.sum(F.when(F.col("eligible"), F.col("amount_fen")).otherwise(0)).alias("amount_fen"),
        F.sum((F.col("reason_mask").bitwiseAND(1) != 0).cast("long")).alias("parameter_missing"),
    ).collect()
    program_counts = {r["program"]: {"rows": int(r["rows"]), "eligible": int(r["eligible"] or 0),
                                     "amount_fen": int(r["amount_fen"] or 0),
                                     "parameter_missing": int(r["parameter_missing"] or 0)}
                      for r in sorted(summary_rows, key=lambda r: r["program"])}
    rows = sum(c["rows"] for c in program_counts.values())
    timings["summary_s"] = round(time.perf_counter() - started, 3)

    vocabulary = _reason_vocabulary(call)
    summary = SparkBatchSummary(month=str(parsed), directory=out, parameter_set=parameter_set,
                                rules_version=meta["rules_version"], households=counted[1], persons=counted[0],
                                rows=rows, program_counts=program_counts, timings=timings)
    (out / DECISIONS_META).write_text(json.dumps({
        "month": summary.month, "parameter_set": parameter_set, "rules_version": summary.rules_version,
        "cpi": meta["cpi"], "cpi_month": meta["cpi_month"], "grants": meta["grants"],
        "reason_vocabulary": vocabulary, "households": summary.households, "persons": summary.persons,
        "rows": rows, "program_counts": program_counts, "timings": timings, "partitions": parts,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _reason_vocabulary(call: EngineCall) -> dict[str, list[str]]:
    """Each program's reason codes in bit order (as a run's ``reason_vocabulary``):
    the engine's, from an evaluation of no rows."""
    empty = pa.Table.from_batches([], schema=JOINED_SCHEMA)
    cols = columns_from_joined(empty)
    households, persons = inputs.policy_tables(cols)
    batch = evaluate_batch(call.month, households, persons, cpi=call.cpi, grants=call.grants,
                           parameters=call.parameters)
    return {pid: list(r.reason_codes) for pid, r in batch.programs.items()}


def _parquet_rows(directory: Path) -> int:
    """Rows of every Parquet file under ``directory``, from their footers."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in directory.rglob("*.parquet"))


def _spark_schema(schema: pa.Schema) -> Any:
    """The Spark SQL type of an Arrow schema (PySpark's own conversion)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
