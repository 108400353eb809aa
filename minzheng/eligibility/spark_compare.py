"""``minzheng policy compare``: Spark's decisions (``spark_batch``) against
the month's current run in the database, row by row (ADR 0018).

Both sides hold the same rows by the same rule (``storage.stored_rows``), so
the comparison is exact: the run's parameter hash, rules version and reason
codes, then per street every decision row keyed by program, household and
person, with eligibility, amount, reason bits and committee. Reads only; one
street at a time, so memory follows the largest street.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from django.core.exceptions import ValidationError
from django.db import connection

from minzheng.core.bounds import month_check
from minzheng.core.models import Division
from minzheng.eligibility.selectors import (
    current_run,
    program_label,
    run_decisions,
    run_decisions_sql,
)
from minzheng.eligibility.spark_batch import DECISIONS_DIR, DECISIONS_META
from policy.money import format_fen

KEYS = ("program", "household_id", "person_key")
VALUES = ("eligible", "amount_fen", "reason_mask", "committee_id")
SHOWN = 50  # differences listed in full; all are counted
FETCH_ROWS = 100_000


@dataclass
class Comparison:
    month: str
    database_rows: int = 0
    spark_rows: int = 0
    streets: int = 0
    differences: int = 0
    lines: list[str] = field(default_factory=list)  # Chinese, at most SHOWN row lines plus run-level ones

    @property
    def equal(self) -> bool:
        return self.differences == 0


def _decision_text(eligible: object, amount: object, mask: object, committee: object) -> str:
    if eligible is None:
        return "无此记录"
    state = "符合" if eligible else "不符合"
    return f"{state}，{format_fen(int(str(amount)))} 元，理由位 {mask}，居村委 {committee}"


def _database_street(run_id: int, street: str) -> pa.Table:
    """One street's rows of a run, read in chunks into columns."""
    columns: list[list] = [[] for _ in range(7)]
    run_sql, run_params = run_decisions_sql(run_id)  # the run's full set, however it is stored (ADR 0019)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT program, household_id, person_id, committee_id, eligible, amount_fen, reason_mask "
                       f"FROM ({run_sql}) d WHERE street_id = %s", [*run_params, street])
        while rows := cursor.fetchmany(FETCH_ROWS):
            for target, values in zip(columns, zip(*rows, strict=True), strict=True):
                target.extend(values)
    person = np.asarray([-1 if p is None else p for p in columns[2]], dtype=np.int64)
    return pa.table({
        "program": pa.array(columns[0], pa.string()),
        "household_id": pa.array(columns[1], pa.int64()),
        "person_key": pa.array(person, pa.int64()),
        "committee_id": pa.array(columns[3], pa.string()),
        "eligible": pa.array([bool(v) for v in columns[4]], pa.bool_()),
        "amount_fen": pa.array(columns[5], pa.int64()),
        "reason_mask": pa.array(columns[6], pa.int64()),
    })


def _spark_street(dataset: ds.Dataset, street: str) -> pa.Table:
    table = dataset.to_table(filter=pc.field("street_id") == street)
    return pa.table({
        "program": table.column("program"),
        "household_id": table.column("household_id"),
        "person_key": pc.fill_null(table.column("person_id"), -1),
        "committee_id": table.column("committee_id"),
        "eligible": table.column("eligible"),
        "amount_fen": table.column("amount_fen"),
        "reason_mask": table.column("reason_mask"),
    })


def _row_differences(db: pa.Table, spark: pa.Table) -> pa.Table:
    """Rows present on one side only or with any value different."""
    joined = db.join(spark, list(KEYS), join_type="full outer", left_suffix="_db", right_suffix="_spark",
                     coalesce_keys=True)
    differs = None
    for name in VALUES:
        left, right = joined.column(f"{name}_db"), joined.column(f"{name}_spark")
        one = pc.fill_null(pc.not_equal(left, right), True)  # a null: the row is missing on one side
        differs = one if differs is None else pc.or_(differs, one)
    if differs is None:
        return joined
    return joined.filter(differs)


def spark_compare(month: str, spark_dir: Path | str) -> Comparison:
    """Compare; ``Comparison.lines`` says in Chinese what differs (nothing when equal)."""
    parsed = month_check(month, "测算月份")
    run = current_run(parsed)
    if run is None:
        raise ValidationError(f"数据库中还没有 {parsed} 的批量测算结果，请先运行 minzheng policy batch --month {parsed}")
    meta_path = Path(spark_dir) / DECISIONS_META
    if not meta_path.is_file():
        raise ValidationError(f"目录 {spark_dir} 中没有完整的 Spark 测算结果（缺少说明文件）")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    result = Comparison(month=parsed)
    if meta["month"] != parsed:
        raise ValidationError(f"Spark 测算结果是 {meta['month']} 的，不是 {parsed} 的")

    def run_level(label: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            result.differences += 1
            result.lines.append(f"{label}不同：数据库 {ours}，Spark {theirs}")

    run_level("参数集", run.parameter_set, meta["parameter_set"])
    run_level("规则版本", run.rules_version, meta["rules_version"])
    run_level("CPI数据", run.cpi, meta["cpi"])
    run_level("家庭数", run.household_count, meta["households"])
    run_level("人数", run.person_count, meta["persons"])
    for program in sorted(set(run.reason_vocabulary) | set(meta["reason_vocabulary"])):
        run_level(f"{program_label(program)}的理由代码", run.reason_vocabulary.get(program),
                  meta["reason_vocabulary"].get(program))

    dataset = ds.dataset(Path(spark_dir) / DECISIONS_DIR, format="parquet",
                         partitioning=ds.partitioning(pa.schema([("street_id", pa.string())]), flavor="hive"))
    streets = set(run_decisions(run).order_by().values_list("street_id", flat=True).distinct())
    streets |= set(pc.unique(dataset.to_table(columns=["street_id"]).column("street_id")).to_pylist())
    result.streets = len(streets)
    names = dict(Division.objects.filter(code__in=streets).values_list("code", "name"))
    for street in sorted(streets):
        db, spark = _database_street(run.pk, street), _spark_street(dataset, street)
        result.database_rows += db.num_rows
        result.spark_rows += spark.num_rows
        different = _row_differences(db, spark)
        result.differences += different.num_rows
        for row in different.slice(0, max(0, SHOWN - len(result.lines))).to_pylist():
            who = f"户 {row['household_id']}" + (f" 人员 {row['person_key']}" if row["person_key"] >= 0 else "")
            ours = _decision_text(row["eligible_db"], row["amount_fen_db"], row["reason_mask_db"], row["committee_id_db"])
            theirs = _decision_text(row["eligible_spark"], row["amount_fen_spark"], row["reason_mask_spark"],
                                    row["committee_id_spark"])
            result.lines.append(f"{names.get(street, street)} {who} {program_label(row['program'])}：数据库 {ours}；Spark {theirs}")
    if result.differences > len(result.lines):
        result.lines.append(f"……共 {result.differences} 处不同，只列出前 {len(result.lines)} 处")
    return result
