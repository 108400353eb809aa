"""``minzheng policy spark-batch``: the month's batch on Apache Spark, with
the same ``policy`` package and the same stored-rows rule as the local batch
(ADR 0018).

**Inputs laid out by household** (``inputs.json`` ``"layout":
"household_files"``, the contract in ``parquet_inputs``; what
``export-inputs`` writes): no shuffle and no sort. The driver makes a
DataFrame of the pairs of files, one pair per partition, and ``mapInArrow``
runs ``evaluate_files`` on it: the task reads its pair with pyarrow (so
Spark never splits a file), checks the layout (sorted, every person's
household in the pair), evaluates it in chunks cut at household boundaries
and writes the pair's decisions itself as ``decisions/street_id=<code>/
part-<n>.parquet`` (written to a temporary name and renamed: a retried task
rewrites the same file). It returns only counts, from which the driver
makes the summary. That a household id is in one households file only is
checked by the driver before (one column of the households files).

**Any other inputs** (the general path, or ``shuffle=True``): households are kept whole: the person rows (joined with their household's
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
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
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
    LAYOUT_HOUSEHOLD_FILES,
    PERSON_SCHEMA,
    LayoutError,
    columns_from_joined,
    file_pairs,
    grants_from_meta,
    joined_file_pair,
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
BATCH_ROWS = 10_000  # rows per Arrow batch handed to ``evaluate_partition`` inside a file task
# What a file task (``evaluate_files``) returns: its counts per street and program, for the summary.
FILE_TASK_SCHEMA = pa.schema([
    ("street_id", pa.string()),
    ("program", pa.string()),
    ("rows", pa.int64()),
    ("eligible", pa.int64()),
    ("amount_fen", pa.int64()),
    ("parameter_missing", pa.int64()),
    ("engine_s", pa.float64()),
])
FILES_SCHEMA = pa.schema([("n", pa.int64()), ("name", pa.string()), ("persons", pa.string()),
                          ("households", pa.string())])
LAYOUT_ERROR = "MINZHENG_LAYOUT_ERROR"  # marks a layout error raised in a task, recognised by the driver


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


def evaluate_files(batches: Iterable[pa.RecordBatch], call: EngineCall, target: str, *,
                   chunk_rows: int = CHUNK_ROWS) -> Iterator[pa.RecordBatch]:
    """A file task: for each pair of files (rows of ``FILES_SCHEMA``) read
    both with pyarrow, join them under the layout contract
    (``parquet_inputs.joined_file_pair``), evaluate (``evaluate_partition``:
    chunks cut at household boundaries) and write the decisions under
    ``target`` by street; yield the pair's counts (``FILE_TASK_SCHEMA``)."""
    for batch in batches:
        for n, name, persons_path, households_path in zip(*(batch.column(i).to_pylist() for i in range(4)),
                                                           strict=True):
            timed = replace(call, engine_seconds=_Seconds())
            try:
                rows = joined_file_pair(pq.read_table(households_path, schema=HOUSEHOLD_SCHEMA),
                                        pq.read_table(persons_path, schema=PERSON_SCHEMA), name)
            except LayoutError as err:
                raise RuntimeError(f"{LAYOUT_ERROR}: {err}") from err
            pieces = list(evaluate_partition(rows.to_batches(max_chunksize=min(chunk_rows, BATCH_ROWS)), timed,
                                             chunk_rows=chunk_rows))
            decisions = pa.Table.from_batches(pieces, schema=DECISION_SCHEMA)
            yield _write_by_street(decisions, Path(target), int(n), timed.engine_seconds.value)


class _Seconds:
    """A local stand-in for the accumulator while a file task times its engine calls."""

    def __init__(self) -> None:
        self.value = 0.0

    def add(self, seconds: float) -> None:
        self.value += seconds


def _write_by_street(decisions: pa.Table, target: Path, n: int, engine_s: float) -> pa.RecordBatch:
    """Write one task's decisions as ``street_id=<code>/part-<n>.parquet``
    (``street_id`` in the path only, as Spark's ``partitionBy`` writes it) and
    return their counts per street and program. Each file is written under a
    temporary name and renamed, so a reader never sees half a file and a
    retried task replaces it."""
    import pyarrow.compute as pc

    counts: list[dict[str, Any]] = []
    body = decisions.drop_columns(["street_id"])
    street_column = decisions.column("street_id")
    streets = pc.unique(street_column).to_pylist()
    for street in streets:
        here = decisions if len(streets) == 1 else decisions.filter(pc.equal(street_column, street))
        directory = target / f"street_id={street}"
        directory.mkdir(parents=True, exist_ok=True)
        final = directory / f"part-{n:05d}.parquet"
        temporary = directory / f".part-{n:05d}.parquet.{os.getpid()}.tmp"
        pq.write_table(body if len(streets) == 1 else here.drop_columns(["street_id"]), temporary,
                       compression="snappy")
        os.replace(temporary, final)
        eligible = here.column("eligible")
        summed = pa.table({
            "program": here.column("program"),
            "rows": pa.array(np.ones(here.num_rows, dtype=np.int64)),
            "eligible": pc.cast(eligible, pa.int64()),
            "amount_fen": pc.if_else(eligible, here.column("amount_fen"), 0),
            # bit 0: PARAMETER_MISSING, as the general path's summary counts it
            "parameter_missing": pc.cast(pc.not_equal(pc.bit_wise_and(here.column("reason_mask"), 1), 0), pa.int64()),
        }).group_by("program").aggregate([(name, "sum") for name in ("rows", "eligible", "amount_fen",
                                                                     "parameter_missing")])
        for row in summed.to_pylist():
            counts.append({"street_id": street, "program": row["program"], "rows": row["rows_sum"],
                           "eligible": row["eligible_sum"], "amount_fen": row["amount_fen_sum"],
                           "parameter_missing": row["parameter_missing_sum"], "engine_s": 0.0})
    if counts:
        counts[0]["engine_s"] = engine_s
    else:
        counts.append({"street_id": "", "program": "", "rows": 0, "eligible": 0, "amount_fen": 0,
                       "parameter_missing": 0, "engine_s": engine_s})
    return pa.RecordBatch.from_pylist(counts, schema=FILE_TASK_SCHEMA)


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
                    partitions: int | None = None, chunk_rows: int = CHUNK_ROWS, shuffle: bool = False,
                    log: Any = None) -> SparkBatchSummary:
    """Evaluate an export (``parquet_export``) on ``spark``; write the
    decisions under ``out_dir/decisions`` (Parquet, by street) and
    ``out_dir/decisions.json`` (month, parameter hash, rules version, reason
    codes, counts, timings, the inputs' directory). Refuses when the export
    is of another month or the parameter files now give another parameter
    hash for the month. Inputs laid out by household are evaluated file by
    file without a shuffle unless ``shuffle`` (the general path for any input)."""
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
                      parameter_set=parameter_set)
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
    laid_out = meta.get("layout") == LAYOUT_HOUSEHOLD_FILES and not shuffle
    pairs = file_pairs(source) if laid_out else []
    if laid_out:
        _households_in_one_file(pairs)
    timings["read_s"] = round(time.perf_counter() - started, 3)
    say(f"读取测算输入：{counted[1]} 户，{counted[0]} 人，用时 {timings['read_s']} 秒"
        + (f"（按户分好的 {len(pairs)} 对文件，不重新分区）" if laid_out else ""))

    target = out / DECISIONS_DIR
    started = time.perf_counter()
    if laid_out:
        parts = len(pairs)
        program_counts, engine_s = _evaluate_file_pairs(spark, pairs, call, target, chunk_rows)
        timings["evaluate_write_s"] = round(time.perf_counter() - started, 3)
        timings["engine_task_s"] = round(engine_s, 3)
        timings["summary_s"] = 0.0  # the tasks' own counts
    else:
        parts = partitions or max(spark.sparkContext.defaultParallelism,
                                  int(spark.conf.get("spark.sql.shuffle.partitions")))
        call.engine_seconds = spark.sparkContext.accumulator(0.0)
        _evaluate_shuffled(spark, source, call, target, parts, chunk_rows)
        timings["evaluate_write_s"] = round(time.perf_counter() - started, 3)
        timings["engine_task_s"] = round(call.engine_seconds.value, 3)
        started = time.perf_counter()
        program_counts = _written_counts(spark, target)
        timings["summary_s"] = round(time.perf_counter() - started, 3)
    say(f"分区计算并写出决定：{parts} 个分区，用时 {timings['evaluate_write_s']} 秒")
    rows = sum(c["rows"] for c in program_counts.values())

    vocabulary, _ = engine_programs(call)
    summary = SparkBatchSummary(month=str(parsed), directory=out, parameter_set=parameter_set,
                                rules_version=meta["rules_version"], households=counted[1], persons=counted[0],
                                rows=rows, program_counts=program_counts, timings=timings)
    (out / DECISIONS_META).write_text(json.dumps({
        "month": summary.month, "parameter_set": parameter_set, "rules_version": summary.rules_version,
        "cpi": meta["cpi"], "cpi_month": meta["cpi_month"], "grants": meta["grants"],
        "reason_vocabulary": vocabulary, "households": summary.households, "persons": summary.persons,
        "rows": rows, "program_counts": program_counts, "timings": timings, "partitions": parts,
        "shuffled": not laid_out, "inputs": str(source.resolve()),
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _households_in_one_file(pairs: list[tuple[str, str, str, int]]) -> None:
    """The layout's cross-file rule, checked on the driver: no household id
    in two households files (one int64 column of each file). With each task
    checking that its persons' households are in its own households file,
    no household's rows can be in two tasks."""
    ids = np.concatenate([pq.read_table(households, columns=["household_id"]).column("household_id").to_numpy()
                          for _, _, households, _ in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    ids.sort()
    repeated = ids[1:][ids[1:] == ids[:-1]]
    if len(repeated):
        raise ValidationError(f"测算输入的文件布局不符：家庭 {int(repeated[0])} 出现在多个文件中，请重新导出")


def _evaluate_file_pairs(spark: SparkSession, pairs: list[tuple[str, str, str, int]], call: EngineCall,
                         target: Path, chunk_rows: int) -> tuple[dict[str, dict[str, int]], float]:
    """The no-shuffle path: one partition per pair of files (largest first),
    each evaluated and written by ``evaluate_files``; the tasks' counts summed."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    rows = [(n, name, persons, households) for n, (name, persons, households, _) in enumerate(pairs)]
    files = spark.sparkContext.parallelize(rows, len(rows)).toDF(_spark_schema(FILES_SCHEMA))
    where = str(target)

    def evaluate(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return evaluate_files(batches, call, where, chunk_rows=chunk_rows)

    try:
        counted = files.mapInArrow(evaluate, _spark_schema(FILE_TASK_SCHEMA)).collect()
    except Exception as err:  # a task's layout error comes back wrapped in Spark's exception
        text = str(err)
        if LAYOUT_ERROR in text:
            detail = text[text.index(LAYOUT_ERROR) + len(LAYOUT_ERROR) + 2:].splitlines()[0]
            raise ValidationError(f"测算输入的文件布局不符（{detail}），请重新导出") from err
        raise
    program_counts: dict[str, dict[str, int]] = {}
    engine_s = 0.0
    for row in counted:
        engine_s += row["engine_s"]
        if not row["program"]:
            continue
        c = program_counts.setdefault(row["program"], {"rows": 0, "eligible": 0, "amount_fen": 0,
                                                       "parameter_missing": 0})
        for key in c:
            c[key] += int(row[key])
    return dict(sorted(program_counts.items())), engine_s


def _evaluate_shuffled(spark: SparkSession, source: Path, call: EngineCall, target: Path, parts: int,
                       chunk_rows: int) -> None:
    """The general path: any inputs, repartitioned by household."""
    persons = spark.read.schema(_spark_schema(PERSON_SCHEMA)).parquet(str(source / "persons"))
    households = spark.read.schema(_spark_schema(HOUSEHOLD_SCHEMA)).parquet(str(source / "households"))
    persons = persons.select(*PERSON_SCHEMA.names)
    households = households.select(*HOUSEHOLD_SCHEMA.names)
    # both sides hashed by household into the same partitions: the join needs no further shuffle, and every
    # row of a household lands in one partition
    joined = persons.repartition(parts, "household_id").join(households.repartition(parts, "household_id"),
                                                             "household_id").select(*JOINED_SCHEMA.names)
    grouped = joined.sortWithinPartitions("household_id", "person_id")

    def evaluate(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return evaluate_partition(batches, call, chunk_rows=chunk_rows)

    decisions = grouped.mapInArrow(evaluate, _spark_schema(DECISION_SCHEMA))
    decisions.write.mode("overwrite").partitionBy("street_id").parquet(str(target))


def _written_counts(spark: SparkSession, target: Path) -> dict[str, dict[str, int]]:
    """Counts per program of the decisions written by the general path."""
    from pyspark.sql import functions as F

    written = spark.read.parquet(str(target))
    summary_rows = written.groupBy("program").agg(
        F.count(F.lit(1)).alias("rows"),
        F.sum(F.col("eligible").cast("long")).alias("eligible"),
        F.sum(F.when(F.col("eligible"), F.col("amount_fen")).otherwise(0)).alias("amount_fen"),
        F.sum((F.col("reason_mask").bitwiseAND(1) != 0).cast("long")).alias("parameter_missing"),
    ).collect()
    return {r["program"]: {"rows": int(r["rows"]), "eligible": int(r["eligible"] or 0),
                           "amount_fen": int(r["amount_fen"] or 0),
                           "parameter_missing": int(r["parameter_missing"] or 0)}
            for r in sorted(summary_rows, key=lambda r: r["program"])}


def engine_programs(call: EngineCall) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each program's reason codes in bit order (as a run's ``reason_vocabulary``)
    and level (``household`` or ``person``): the engine's, from an evaluation of no rows."""
    empty = pa.Table.from_batches([], schema=JOINED_SCHEMA)
    cols = columns_from_joined(empty)
    households, persons = inputs.policy_tables(cols)
    batch = evaluate_batch(call.month, households, persons, cpi=call.cpi, grants=call.grants,
                           parameters=call.parameters)
    return ({pid: list(r.reason_codes) for pid, r in batch.programs.items()},
            {pid: r.level for pid, r in batch.programs.items()})


def _parquet_rows(directory: Path) -> int:
    """Rows of every Parquet file under ``directory``, from their footers."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in directory.rglob("*.parquet"))


def _spark_schema(schema: pa.Schema) -> Any:
    """The Spark SQL type of an Arrow schema (PySpark's own conversion)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
