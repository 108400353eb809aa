"""How a run's decisions are stored (ADR 0019): bulk COPY writes, runs
stored as differences from a base, partitions on PostgreSQL, and the one
selector every reader goes through. Run on SQLite and on PostgreSQL
(``DATABASE_URL``): the same assertions hold for both storage paths."""

import datetime as dt
import hashlib

import pytest
from django.db import connection

from minzheng.eligibility import partitions, selectors, services, storage
from minzheng.eligibility.models import Decision, DecisionRun, RunStatus
from minzheng.eligibility.tests import test_batch
from minzheng.registry import services as registry

small_district = test_batch.small_district  # the fixture: three households in two streets

ROW = ("program", "household_id", "person_id", "street_id", "committee_id", "eligible", "amount_fen", "reason_mask")


def _digest(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def selector_digest(run: DecisionRun) -> str:
    """The month's rows as every reader sees them (ORM selector)."""
    return _digest(tuple(r) for r in selectors.run_decisions(run).values_list(*ROW))


def sql_digest(run: DecisionRun) -> str:
    """The same through the set-wise SQL port."""
    sql, params = selectors.run_decisions_sql(run.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(ROW)} FROM ({sql}) d", params)
        return _digest((r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in cursor.fetchall())


def reference_digest(month: str) -> str:
    """The rows the in-memory evaluation says a run stores (``storage.stored_rows``)."""
    evaluation = services.month_evaluate(month)
    cols, rows = evaluation.cols, []
    for program_id, result in evaluation.batch.programs.items():
        index, household_row, person_ids = storage.stored_rows(program_id, result, cols)
        for k, (i, h) in enumerate(zip(index.tolist(), household_row.tolist(), strict=True)):
            rows.append((program_id, int(cols.household_id[h]), None if person_ids is None else int(person_ids[k]),
                         str(cols.household_street[h]), str(cols.household_committee[h]), bool(result.eligible[i]),
                         int(result.amount_fen[i]), int(result.reasons[i])))
    return _digest(rows)


def _change_the_registry(district, bureau):
    """A raise for the poor adult (dibao amount changes), the wife leaves the
    old couple's household (rows gone and new ones), and nothing else."""
    registry.person_income_record(actor=bureau, person=district["poor"], valid_from=dt.date(2025, 8, 1),
                                  earned_fen=0, pension_fen=0, other_fen=90000)
    registry.household_remove_member(actor=bureau, household=district["h_old"], person=district["wife"],
                                     end_date=dt.date(2025, 8, 1))


@pytest.mark.django_db
def test_copy_writes_the_rows_of_the_in_memory_evaluation(small_district):
    run = services.decision_run_month(actor="test", month="2025-08")
    assert run.base_run is None and run.written_rows == run.stored_rows
    assert selector_digest(run) == sql_digest(run) == reference_digest("2025-08")


@pytest.mark.django_db
def test_a_rerun_storing_differences_reads_as_a_full_write(users, small_district):
    first = services.decision_run_month(actor="test", month="2025-08")
    _change_the_registry(small_district, users["bureau"])
    second = services.decision_run_month(actor="test", month="2025-08")
    assert second.base_run == first
    assert 0 < second.written_rows < second.stored_rows  # only the changed rows (and removed markers)
    assert Decision.objects.filter(run=second, removed=True).exists()
    differences = selector_digest(second)
    assert differences == sql_digest(second) == reference_digest("2025-08")
    assert selectors.run_decisions(second).count() == second.stored_rows
    # the same month written in full gives the same rows
    services.DIFFERENCES_MAX_SHARE, saved = -1.0, services.DIFFERENCES_MAX_SHARE
    try:
        full = services.decision_run_month(actor="test", month="2025-08")
    finally:
        services.DIFFERENCES_MAX_SHARE = saved
    assert full.base_run is None and selector_digest(full) == differences


@pytest.mark.django_db
def test_a_rerun_with_the_same_inputs_stores_nothing_without_comparing(small_district, monkeypatch):
    first = services.decision_run_month(actor="test", month="2025-08")

    def must_not_compare(*args):
        raise AssertionError("the rows were compared")

    monkeypatch.setattr(storage, "rows_difference", must_not_compare)
    # the current run's parameters differ from those now in force (a changed file): compared as usual
    DecisionRun.objects.filter(pk=first.pk).update(parameter_set="0" * 64)
    with pytest.raises(AssertionError, match="compared"):
        services.decision_run_month(actor="test", month="2025-08")
    DecisionRun.objects.filter(pk=first.pk).update(parameter_set=first.parameter_set)
    # the same inputs, parameters, rules, CPI and grants: no comparison, no row written
    second = services.decision_run_month(actor="test", month="2025-08")
    assert second.base_run == first and second.written_rows == 0 and second.stored_rows == first.stored_rows
    assert selector_digest(second) == sql_digest(second) == reference_digest("2025-08")
    # and again: the current run stored no difference from its base, so its rows are the base's
    third = services.decision_run_month(actor="test", month="2025-08")
    assert third.base_run == first and third.written_rows == 0
    assert selector_digest(third) == reference_digest("2025-08")


@pytest.mark.django_db
def test_the_next_month_builds_on_the_previous_months_run(small_district):
    august = services.decision_run_month(actor="test", month="2025-08")
    september = services.decision_run_month(actor="test", month="2025-09")
    assert september.base_run == august and september.written_rows < september.stored_rows
    assert selector_digest(september) == reference_digest("2025-09")
    # re-running August stores it in differences too; its old run stays as September's base
    services.decision_run_month(actor="test", month="2025-08")
    august.refresh_from_db()
    assert august.status == RunStatus.SUPERSEDED and august.rows_present
    assert selector_digest(september) == reference_digest("2025-09")


@pytest.mark.django_db
def test_a_crash_in_the_middle_leaves_the_previous_run_readable(users, small_district, monkeypatch):
    good = services.decision_run_month(actor="test", month="2025-08")
    before = selector_digest(good)
    _change_the_registry(small_district, users["bureau"])
    real_copy = services.copy_arrays

    def explode(table, columns, arrays, nulls, **options):
        some = max(len(arrays[0]) // 2, 1)  # some rows, then die
        real_copy(table, columns, [a[:some] for a in arrays], {j: m[:some] for j, m in nulls.items()}, **options)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "copy_arrays", explode)
    with pytest.raises(RuntimeError):
        services.decision_run_month(actor="test", month="2025-08")
    failed = DecisionRun.objects.get(status=RunStatus.FAILED)
    assert selectors.current_run("2025-08") == good and selector_digest(good) == before
    assert not failed.rows_present and not Decision.objects.filter(run=failed).exists()
    monkeypatch.setattr(services, "copy_arrays", real_copy)
    after = services.decision_run_month(actor="test", month="2025-08")
    assert selector_digest(after) == reference_digest("2025-08")


@pytest.mark.django_db
def test_each_run_has_its_own_partition_on_postgresql(small_district):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps one plain table")
    services.DIFFERENCES_MAX_SHARE, saved = -1.0, services.DIFFERENCES_MAX_SHARE
    try:
        first = services.decision_run_month(actor="test", month="2025-08")
        second = services.decision_run_month(actor="test", month="2025-08")
    finally:
        services.DIFFERENCES_MAX_SHARE = saved
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s), to_regclass(%s)",
                       [partitions.partition_name(first.pk), partitions.partition_name(second.pk)])
        dropped, kept = cursor.fetchone()
    assert dropped is None and kept is not None
