"""The city on Spark (issue 12, ADR 0018): the month's inputs exported to
Parquet come back as the same registry columns; the Spark batch on a small
demo district gives exactly the local batch's stored decisions (the compare
command finds nothing, and finds a changed row), on the no-shuffle path for
inputs laid out by household and on the general path; a household is never
split when partition, file and Arrow batch boundaries fall inside its rows,
and files that break the layout they claim are refused; Spark's results
loaded as the month's run (``policy load-spark``) compare equal and explain.

One Spark session (``local[2]``, three shuffle partitions, no UI) for the file."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from minzheng.core.models import AuditEntry, Role
from minzheng.core.services import user_create
from minzheng.demo.care_assessments import care_assessments_seed
from minzheng.demo.generator import generate_demo_data
from minzheng.eligibility import services
from minzheng.eligibility.cpi_months import cpi_source_month
from minzheng.eligibility.models import Decision, DecisionRun, RunStatus
from minzheng.eligibility.parquet_export import inputs_export
from minzheng.eligibility.parquet_inputs import (
    HOUSEHOLD_SCHEMA,
    PERSON_SCHEMA,
    columns_from_joined,
    grants_from_meta,
    joined_table,
    read_inputs,
)
from minzheng.eligibility.selectors import run_decisions
from minzheng.eligibility.spark_batch import (
    DECISIONS_DIR,
    EngineCall,
    evaluate_partition,
    spark_batch_run,
    spark_session,
)
from minzheng.eligibility.spark_compare import spark_compare
from minzheng.eligibility.spark_load import spark_run_load
from minzheng.registry.columnar import registry_columns
from policy import load_parameters
from policy.months import Month

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spark():
    session = spark_session("local[2]", app_name="minzheng-tests", config={
        "spark.sql.shuffle.partitions": "3", "spark.default.parallelism": "2", "spark.driver.memory": "1g",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "1000",
    })
    yield session
    session.stop()


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small demo district, the month's CPI and a one-off grant, and the
    month's local batch — made once for the file inside a transaction that is
    rolled back at its end (each test runs in a savepoint within it)."""
    month = timezone.localdate().strftime("%Y-%m")
    checkpoints = tmp_path_factory.mktemp("audit") / "audit-checkpoints.jsonl"
    with django_db_blocker.unblock(), override_settings(MINZHENG_AUDIT_CHECKPOINTS=checkpoints):
        block = transaction.atomic()
        block.__enter__()
        try:
            generate_demo_data(persons=400, seed=7, chunk_households=400)
            care_assessments_seed(actor="test", seed=7)  # so the parity covers 养老服务补贴 (ADR 0031)
            services.cpi_record(actor="test", month=cpi_source_month(month), all_yoy_pct="3.6", food_yoy_pct="1.0")
            services.grant_define(actor="test", name="grant_spark_test", label="测试一次性补助", month=month,
                                  amount_fen=20000, target_groups=["dibao", "elderly_allowance"])
            run = services.decision_run_month(actor="test", month=month)
            yield month, run
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def demo_month(demo_district, db, settings):
    settings.MINZHENG_AUDIT_CHECKPOINTS = Path(settings.MINZHENG_AUDIT_CHECKPOINTS)
    return demo_district


def _export(month: str, directory: Path) -> Path:
    inputs_export(actor="test", month=month, directory=directory)
    return directory


def test_export_round_trip_gives_the_registry_columns_and_the_month(demo_month, tmp_path):
    month, run = demo_month
    out = io.StringIO()
    call_command("policy_export_inputs", month=month, out=str(tmp_path / "in"), stdout=out)
    assert "测算输入已导出" in out.getvalue()
    meta, households, persons = read_inputs(tmp_path / "in")
    # the month's facts: CPI of M − 1, the grant, the parameter hash — as the local run used them
    assert meta["cpi"] == run.cpi and meta["parameter_set"] == run.parameter_set
    assert [g.name for g in grants_from_meta(meta)] == ["grant_spark_test"]
    assert (meta["households"], meta["persons"]) == (run.household_count, run.person_count)
    assert sorted(p.name for p in (tmp_path / "in" / "persons").iterdir()) == \
        sorted(f"street={s}" for s in meta["streets"] if meta["streets"][s]["persons"])
    # the columns come back exactly (households with unknown facts are left out, as the batch leaves them)
    back = columns_from_joined(joined_table(households, persons))
    cols = registry_columns(Month.parse(month).first_day)
    cols = cols.keep_households(~cols.facts_missing)
    for name, value in vars(cols).items():
        assert np.array_equal(getattr(back, name), value), name


def test_export_refuses_a_directory_with_other_files(demo_month, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValidationError, match="不是空目录"):
        _export(demo_month[0], tmp_path)


def test_spark_batch_equals_the_local_batch(demo_month, spark, tmp_path):
    month, run = demo_month
    inputs = _export(month, tmp_path / "in")
    out = io.StringIO()
    call_command("policy_spark_batch", inputs=str(inputs), month=month, out=str(tmp_path / "spark"), stdout=out,
                 stderr=io.StringIO())
    assert "Spark 批量测算完成" in out.getvalue()
    out = io.StringIO()
    call_command("policy_compare", month=month, spark=str(tmp_path / "spark"), stdout=out)
    assert "结果完全一致" in out.getvalue()
    result = spark_compare(month, tmp_path / "spark")
    assert result.equal and result.spark_rows == result.database_rows == run.stored_rows > 0
    assert Decision.objects.filter(run=run, program="one_off:grant_spark_test").exists()

    # and the comparison sees a changed amount
    part = next((tmp_path / "spark" / DECISIONS_DIR).rglob("*.parquet"))
    table = pq.read_table(part, partitioning=None)
    amounts = table.column("amount_fen").to_numpy().copy()
    amounts[0] += 1
    pq.write_table(table.set_column(table.schema.get_field_index("amount_fen"), "amount_fen", pa.array(amounts)), part)
    with pytest.raises(CommandError, match="发现 1 处不同"):
        call_command("policy_compare", month=month, spark=str(tmp_path / "spark"), stdout=(out := io.StringIO()))
    assert "数据库 " in out.getvalue() and "Spark " in out.getvalue()


def test_a_household_is_never_split_across_batches(demo_month, spark, tmp_path):
    month, run = demo_month
    inputs = _export(month, tmp_path / "in")
    # Arrow batches of 3 rows and engine chunks of 2 rows: boundaries fall inside households all the time
    # (the general path: the inputs repartitioned by household, as for inputs not laid out by household)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "3")
    try:
        spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark, partitions=3,
                        chunk_rows=2, shuffle=True)
    finally:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
    assert json.loads((tmp_path / "spark" / "decisions.json").read_text(encoding="utf-8"))["shuffled"]
    assert spark_compare(month, tmp_path / "spark").equal
    dibao = pq.read_table(tmp_path / "spark" / DECISIONS_DIR, partitioning=None, columns=["program", "household_id"])
    households = dibao.filter(pc.equal(dibao.column("program"), "dibao")).column("household_id").to_numpy()
    assert len(households) == len(np.unique(households)) == run.household_count


def _split_pairs(inputs: Path, cut) -> int:
    """Rewrite every street's pair of files as two pairs (part-0, part-1):
    ``cut(households, persons)`` gives (households of part 0, persons of
    part 0) as row counts. Returns the number of pairs written."""
    pairs = 0
    for persons_file in sorted((inputs / "persons").rglob("part-0.parquet")):
        households_file = inputs / "households" / persons_file.relative_to(inputs / "persons")
        households = pq.read_table(households_file, schema=HOUSEHOLD_SCHEMA)
        persons = pq.read_table(persons_file, schema=PERSON_SCHEMA)
        at_households, at_persons = cut(households, persons)
        for n, (h, p) in enumerate([(households.slice(0, at_households), persons.slice(0, at_persons)),
                                    (households.slice(at_households), persons.slice(at_persons))]):
            pq.write_table(h, households_file.with_name(f"part-{n}.parquet"))
            pq.write_table(p, persons_file.with_name(f"part-{n}.parquet"))
            pairs += 1
    return pairs


def _middle_household(households: pa.Table, persons: pa.Table) -> tuple[int, int]:
    """A cut between two households near the middle: the second part starts with a household's first person."""
    middle = households.num_rows // 2
    first = households.column("household_id")[middle].as_py()
    return middle, int(np.searchsorted(persons.column("household_id").to_numpy(), first, side="left"))


def test_laid_out_inputs_are_evaluated_file_by_file_without_a_shuffle(demo_month, spark, tmp_path):
    month, run = demo_month
    inputs = _export(month, tmp_path / "in")
    assert json.loads((inputs / "inputs.json").read_text(encoding="utf-8"))["layout"] == "household_files"
    # a household boundary on every file boundary: each street in two pairs of files, cut between households,
    # and engine chunks of 2 persons inside each file
    pairs = _split_pairs(inputs, _middle_household)
    summary = spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark, chunk_rows=2)
    meta = json.loads((tmp_path / "spark" / "decisions.json").read_text(encoding="utf-8"))
    assert not meta["shuffled"] and meta["partitions"] == pairs
    assert summary.rows == run.stored_rows
    assert spark_compare(month, tmp_path / "spark").equal
    # the tasks' counts are the run's
    for pid, counts in summary.program_counts.items():
        assert (counts["eligible"], counts["amount_fen"]) == (run.program_counts[pid]["eligible"],
                                                              run.program_counts[pid]["amount_fen"]), pid


def test_files_that_break_the_layout_are_refused(demo_month, spark, tmp_path):
    month = demo_month[0]
    # a household's persons in two files (its household row in the first): the second file's task refuses
    inputs = _export(month, tmp_path / "split")

    def inside_a_household(households: pa.Table, persons: pa.Table) -> tuple[int, int]:
        sizes = np.bincount(np.searchsorted(households.column("household_id").to_numpy(),
                                            persons.column("household_id").to_numpy()))
        big = int(np.flatnonzero(sizes > 1)[0])  # a household of two or more persons
        return big + 1, int(sizes[:big].sum()) + 1

    _split_pairs(inputs, inside_a_household)
    with pytest.raises(ValidationError, match="文件布局不符"):
        spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark)
    # a household in two households files: refused by the driver before any task
    inputs = _export(month, tmp_path / "twice")
    _split_pairs(inputs, lambda households, persons: _middle_household(households, persons))
    first = next((inputs / "households").rglob("part-0.parquet"))
    second = first.with_name("part-1.parquet")
    both = pa.concat_tables([pq.read_table(first, schema=HOUSEHOLD_SCHEMA),
                             pq.read_table(second, schema=HOUSEHOLD_SCHEMA).slice(0, 1)]).sort_by("household_id")
    pq.write_table(both, first)
    meta = json.loads((inputs / "inputs.json").read_text(encoding="utf-8"))
    (inputs / "inputs.json").write_text(json.dumps({**meta, "households": meta["households"] + 1}), encoding="utf-8")
    with pytest.raises(ValidationError, match="出现在多个文件中"):
        spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark)


def test_spark_results_load_as_the_months_run(demo_month, spark, tmp_path):
    month, run = demo_month
    inputs = _export(month, tmp_path / "in")
    spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark)
    user_create(actor="test", username="spark_loader", password="pass-12345", role=Role.BUREAU, scope_code="310117")
    user_create(actor="test", username="spark_auditor", password="pass-12345", role=Role.AUDITOR, scope_code="310117")
    with pytest.raises(CommandError, match="执行全区批量测算"):  # only the bureau runs (and loads) the batch
        call_command("policy_load_spark", month=month, spark=str(tmp_path / "spark"), confirm=True,
                     username="spark_auditor", stdout=io.StringIO(), stderr=io.StringIO())
    # without --confirm: checked, nothing written
    out = io.StringIO()
    call_command("policy_load_spark", month=month, spark=str(tmp_path / "spark"), stdout=out, stderr=io.StringIO())
    assert "只核对，未写入数据库" in out.getvalue()
    assert DecisionRun.objects.get(month=month, status=RunStatus.CURRENT).pk == run.pk
    out = io.StringIO()
    call_command("policy_load_spark", month=month, spark=str(tmp_path / "spark"), confirm=True,
                 username="spark_loader", stdout=out, stderr=io.StringIO())
    loaded = DecisionRun.objects.get(month=month, status=RunStatus.CURRENT)
    assert loaded.pk != run.pk and f"已存为 {month} 的测算批次 {loaded.pk}" in out.getvalue()
    assert DecisionRun.objects.get(pk=run.pk).status == RunStatus.SUPERSEDED
    assert AuditEntry.objects.filter(action="policy.load_spark", object_id=str(loaded.pk), actor="spark_loader").exists()
    # the same run as the local batch's: rows (nothing differs from the base, so nothing rewritten), counts, facts
    assert (loaded.stored_rows, loaded.written_rows, loaded.base_run_id) == (run.stored_rows, 0, run.pk)
    assert (loaded.household_count, loaded.person_count) == (run.household_count, run.person_count)
    assert loaded.program_counts == run.program_counts and loaded.street_counts == run.street_counts
    assert (loaded.parameter_set, loaded.cpi, loaded.cpi_month, loaded.grants, loaded.reason_vocabulary) == \
        (run.parameter_set, run.cpi, run.cpi_month, run.grants, run.reason_vocabulary)
    call_command("policy_compare", month=month, spark=str(tmp_path / "spark"), stdout=(out := io.StringIO()))
    assert "结果完全一致" in out.getvalue()
    # policy explain re-evaluates a household from the loaded run's snapshot and finds the stored rows
    # (a household with an eligible row, read through the loaded run: its base's rows)
    household = run_decisions(loaded).filter(eligible=True).order_by("household_id").first().household_id
    out = io.StringIO()
    call_command("policy_explain", month=month, household=household, stdout=out)
    compared = re.search(rf"与批次 {loaded.pk} 存储的 (\d+) 条决定完全一致", out.getvalue())
    assert compared and int(compared.group(1)) > 0


def test_a_full_load_and_a_refused_one(demo_month, spark, tmp_path):
    month, run = demo_month
    inputs = _export(month, tmp_path / "in")
    spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark)
    meta_path = tmp_path / "spark" / "decisions.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    # another parameter hash: refused, in Chinese, nothing written
    meta_path.write_text(json.dumps({**meta, "parameter_set": "0" * 64}), encoding="utf-8")
    with pytest.raises(ValidationError, match="参数集.*不同，不能载入"):
        spark_run_load(actor="test", month=month, spark_dir=tmp_path / "spark", store=True)
    # a row the inputs do not have: refused
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    part = next((tmp_path / "spark" / DECISIONS_DIR).rglob("*.parquet"))
    table = pq.read_table(part, partitioning=None)
    ids = table.column("household_id").to_numpy().copy()
    ids[0] = 10**12
    pq.write_table(table.set_column(table.schema.get_field_index("household_id"), "household_id", pa.array(ids)), part)
    with pytest.raises(ValidationError, match="测算输入里没有的家庭"):
        spark_run_load(actor="test", month=month, spark_dir=tmp_path / "spark", store=True)
    assert DecisionRun.objects.get(month=month, status=RunStatus.CURRENT).pk == run.pk
    # with no base to build on (the local run's rows file gone), the load is stored in full
    spark_batch_run(inputs_dir=inputs, month=month, out_dir=tmp_path / "spark", spark=spark)
    DecisionRun.objects.filter(pk=run.pk).update(reason_vocabulary={})
    loaded = spark_run_load(actor="test", month=month, spark_dir=tmp_path / "spark", store=True).run
    assert loaded.base_run_id is None and loaded.written_rows == loaded.stored_rows == run.stored_rows
    assert spark_compare(month, tmp_path / "spark").equal


def test_partition_evaluation_cuts_only_between_households(demo_month, tmp_path):
    month, run = demo_month
    meta, households, persons = read_inputs(_export(month, tmp_path / "in"))
    rows = joined_table(households, persons)
    parameters = load_parameters()
    call = EngineCall(month=month, cpi=meta["cpi"], grants=grants_from_meta(meta), parameters=parameters,
                      parameter_set=meta["parameter_set"])
    whole = pa.Table.from_batches([call.decisions(rows)]).sort_by([("program", "ascending"), ("household_id", "ascending"),
                                                                   ("person_id", "ascending")])
    sizes = [len(np.unique(b.column("household_id").to_numpy()))
             for b in evaluate_partition(rows.to_batches(max_chunksize=3), _Counting(call), chunk_rows=4)]
    assert sizes and sum(sizes) == run.household_count  # each household evaluated once, in one chunk
    pieces = pa.Table.from_batches(list(evaluate_partition(rows.to_batches(max_chunksize=3), call, chunk_rows=4)))
    assert pieces.sort_by([("program", "ascending"), ("household_id", "ascending"), ("person_id", "ascending")]).equals(whole)
    # rows not grouped by household are refused, never evaluated in pieces
    shuffled = rows.take(np.r_[np.arange(1, rows.num_rows), 0])
    with pytest.raises((RuntimeError, ValueError)):
        list(evaluate_partition(shuffled.to_batches(max_chunksize=3), call, chunk_rows=4))


class _Counting:
    """An ``EngineCall`` that returns each chunk's household rows (to count chunks' households)."""

    def __init__(self, call: EngineCall) -> None:
        self.call = call

    def decisions(self, rows: pa.Table) -> pa.RecordBatch:
        return pa.RecordBatch.from_arrays([rows.column("household_id").combine_chunks()], names=["household_id"])


def test_spark_batch_refuses_another_month_or_other_parameters(demo_month, spark, tmp_path):
    inputs = _export(demo_month[0], tmp_path / "in")
    with pytest.raises(ValidationError, match="不是 2020-01 的"):
        spark_batch_run(inputs_dir=inputs, month="2020-01", out_dir=tmp_path / "spark", spark=spark)
    # nor inputs exported under other parameter files (another parameter hash for the month)
    meta = json.loads((inputs / "inputs.json").read_text(encoding="utf-8"))
    (inputs / "inputs.json").write_text(json.dumps({**meta, "parameter_set": "0" * 64}), encoding="utf-8")
    with pytest.raises(ValidationError, match="政策参数已改变"):
        spark_batch_run(inputs_dir=inputs, month=demo_month[0], out_dir=tmp_path / "spark", spark=spark)


def test_the_worker_side_imports_without_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    # a Django model imported without settings would raise here (ImproperlyConfigured)
    done = subprocess.run([sys.executable, "-c", "import minzheng.eligibility.spark_batch"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
