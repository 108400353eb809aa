"""Writes of the eligibility domain: the monthly whole-district batch, CPI
data and one-off grant definitions. Each validates first, runs in one
transaction (the batch: one per phase, see ``decision_run_month``) and audits.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import GRANT_MONTHS_AHEAD, decimal_parse, lengths_check, month_check
from minzheng.core.bulk_copy import copy_arrays
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.eligibility import inputs, partitions, storage
from minzheng.eligibility.cpi_months import cpi_source_month, cpi_used_text
from minzheng.eligibility.models import CpiMonth, DecisionRun, GrantDefinition, RunStatus
from minzheng.registry.columnar import RegistryColumns, registry_columns
from policy import RULES_VERSION, BatchResult, OneOffGrant, evaluate_batch, load_parameters
from policy.engine.parameters import ParameterSet
from policy.grants import TARGET_GROUPS
from policy.months import Month


def cpi_for_month(month: str) -> dict[str, str] | None:
    """The CPI figures to apply when evaluating benefit month ``month``: those
    recorded for month M − 1 (REFERENCE §9, ``cpi_months.cpi_source_month``),
    or None when that month is not recorded (the price subsidy then says
    PARAMETER_MISSING, never zero)."""
    record = CpiMonth.objects.filter(month=cpi_source_month(month)).first()
    return record.as_policy_input() if record else None


def grants_for_month(month: str) -> list[OneOffGrant]:
    return [
        OneOffGrant(name=g.name, label=g.label, month=g.month, amount_fen=g.amount_fen,
                    target_groups=tuple(g.target_groups), reference=g.reference)
        for g in GrantDefinition.objects.filter(month=month, active=True).order_by("name")
    ]


def grants_json(grants: list[OneOffGrant]) -> list[dict]:
    """The grants a run used, as ``DecisionRun.grants`` stores them."""
    return [{"name": g.name, "label": g.label, "amount_fen": g.amount_fen, "target_groups": list(g.target_groups)}
            for g in grants]


def run_inputs_unchanged(run: DecisionRun) -> bool:
    """Whether a batch of ``run``'s month started now would use exactly the
    policy inputs ``run`` used (ADR 0019 §8): ``run`` is the month's current
    run with its rows and input snapshot, the rules version and the hash of
    the parameters in force for the month are the run's, and so are the CPI
    figures (and their month) and the month's grants. The registry is not
    looked at here: the caller proves it unchanged (the monitor run, from the
    audit log). Reads only."""
    month = run.month
    return (run.status == RunStatus.CURRENT and run.rows_present and bool(run.snapshot)
            and run.rules_version == RULES_VERSION
            and run.parameter_set == load_parameters().hash_for(Month.parse(month))
            and run.cpi_month == cpi_source_month(month) and run.cpi == cpi_for_month(month)
            and run.grants == grants_json(grants_for_month(month))
            and default_storage.exists(run.snapshot))


@transaction.atomic
def cpi_record(*, actor: User | str, month: str, all_yoy_pct: str | Decimal, food_yoy_pct: str | Decimal,
               source: str = "") -> CpiMonth:
    """Enter or correct a month's CPI rises (percent, may be negative)."""
    require(actor, "eligibility.parameters_manage", allow_job=True)
    parsed = month_check(month, "CPI月份", months_ahead=0)  # published after the month: never a future month
    values = {label: decimal_parse(raw, label, minimum=Decimal("-50"), maximum=Decimal("100"))
              for label, raw in (("CPI同比涨幅", all_yoy_pct), ("食品价格同比涨幅", food_yoy_pct))}
    lengths_check(CpiMonth(month=parsed, source=source), ["source"])
    record, created = CpiMonth.objects.update_or_create(
        month=parsed,
        defaults={"all_yoy_pct": values["CPI同比涨幅"], "food_yoy_pct": values["食品价格同比涨幅"],
                  "source": source, "recorded_by": getattr(actor, "username", str(actor))},
    )
    audit_record(actor=actor, action="cpi.record", object_type="CpiMonth", object_id=parsed,
                 changes={"all_yoy_pct": str(record.all_yoy_pct), "food_yoy_pct": str(record.food_yoy_pct),
                          "created": created, "source": source})
    return record


@transaction.atomic
def grant_code_new(month: str) -> str:
    """An unused internal code for a grant of ``month`` (staff choose grants by name, never by code)."""
    base = f"grant_{month.replace('-', '')}"
    n = GrantDefinition.objects.filter(name__startswith=base).count() + 1
    while GrantDefinition.objects.filter(name=f"{base}_{n}").exists():
        n += 1
    return f"{base}_{n}"


def grant_define(*, actor: User | str, name: str, label: str, month: str, amount_fen: int,
                 target_groups: list[str], reference: str = "") -> GrantDefinition:
    """Define a one-off grant (program ``one_off:<name>``) as data."""
    require(actor, "eligibility.parameters_manage", allow_job=True)
    parsed = month_check(month, "发放月份", months_ahead=GRANT_MONTHS_AHEAD)
    unknown = [g for g in target_groups if g not in TARGET_GROUPS]
    if not target_groups or unknown:
        raise ValidationError(f"发放对象无效：{'、'.join(unknown) or '未选择'}；可选：{'、'.join(TARGET_GROUPS)}")
    if amount_fen <= 0:
        raise ValidationError("每人金额必须大于0")
    if not label.strip():
        raise ValidationError("名称不能为空")
    try:
        OneOffGrant(name=name, label=label, month=parsed, amount_fen=amount_fen,
                    target_groups=tuple(target_groups), reference=reference)
    except ValueError as err:
        raise ValidationError(f"代号“{name}”无效：只能用小写字母、数字和下划线，以字母开头") from err
    if GrantDefinition.objects.filter(name=name).exists():
        raise ValidationError(f"代号 {name} 已存在")
    lengths_check(GrantDefinition(name=name, label=label.strip(), month=parsed, reference=reference))
    grant = GrantDefinition.objects.create(
        name=name, label=label.strip(), month=parsed, amount_fen=amount_fen, target_groups=target_groups,
        reference=reference, created_by=getattr(actor, "username", str(actor)),
    )
    audit_record(actor=actor, action="grant.define", object_type="GrantDefinition", object_id=name,
                 changes={"label": label, "month": parsed, "amount_fen": amount_fen, "target_groups": target_groups})
    return grant


def month_lock(params: dict[str, Any]) -> str:
    """The lock key of jobs that write or read a month's decisions (the batch
    and the monitoring run, ADR 0017): one such job per month at a time."""
    return f"month:{params['month']}"


def month_lock_label(params: dict[str, Any]) -> str:
    month = str(params["month"])
    return f"{month[:4]}年{int(month[5:7])}月的批量测算和动态监测"


# Stages the batch reports to ``progress(stage, done, total)`` (a job's progress bar, ADR 0017):
# reading the registry, evaluating, writing decisions, the snapshot, the flip.
BATCH_STEPS = 5


def unfinished_runs_discard(month: str) -> None:
    """Remove rows of runs that never became current (a crashed batch): the
    month's own, and any other month's started more than a day ago. Another
    month's batch may be running right now (a job holds only its own month's
    lock, ADR 0017), so a recent unfinished run of another month is left alone."""
    stale = Q(month=month) | Q(started_at__lt=timezone.now() - dt.timedelta(days=1))
    for run in DecisionRun.objects.filter(stale, status=RunStatus.RUNNING):
        with transaction.atomic():
            partitions.run_rows_delete(run.pk)
            run.status = RunStatus.FAILED
            run.rows_present = False
            run.save(update_fields=["status", "rows_present"])


# A run is stored as differences from a base only while they stay small; past this share
# of the full row count it is stored in full (and becomes a base itself), ADR 0019.
DIFFERENCES_MAX_SHARE = 0.25


def rows_file_name(run: DecisionRun) -> str:
    """Where a run stored in full keeps its rows for the next run's comparison."""
    return f"policy_runs/{run.month}-run{run.pk}-decisions.npz"


def _rows_file_save(run: DecisionRun, data: bytes) -> None:
    """Save ``run``'s rows file under exactly ``rows_file_name(run)``, the
    name the next run reads. A file already there cannot belong to a live run
    (run ids are never given twice): it is left over from a run whose
    transaction was rolled back (or a restored database), so it is replaced —
    otherwise the storage would save under another name and the next run
    would compare with the stale file."""
    name = rows_file_name(run)
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        raise RuntimeError(f"rows file of run {run.pk} saved as {saved!r}, expected {name!r}")


def _base_candidate(month: str, vocabulary: dict) -> tuple[DecisionRun, storage.RunRows] | None:
    """The run a new run of ``month`` may store its differences from: the
    base of (or else) the month's current run, or else of the latest earlier
    month's current run — a run stored in full, with the same reason codes
    (a row's reason bits are read with the reading run's vocabulary) and its
    rows file. None: store in full."""
    current = (DecisionRun.objects.filter(month=month, status=RunStatus.CURRENT).first()
               or DecisionRun.objects.filter(month__lt=month, status=RunStatus.CURRENT).order_by("-month").first())
    if current is None:
        return None
    base = current.base_run or current
    if not base.rows_present or base.reason_vocabulary != vocabulary:
        return None
    name = rows_file_name(base)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return base, storage.rows_load(handle.read())


def _rows_cleanup() -> float:
    """Delete the rows of superseded and failed runs that no current or
    running run builds on (ADR 0019: a base stays while a run reads through
    it). Each under a lock on the run's row, so a batch choosing it as its
    base at the same time either sees it gone or keeps it."""
    started = time.perf_counter()
    in_use = DecisionRun.objects.filter(status__in=[RunStatus.CURRENT, RunStatus.RUNNING], base_run__isnull=False)
    bases = set(in_use.values_list("base_run_id", flat=True))
    for run_id in DecisionRun.objects.filter(status__in=[RunStatus.SUPERSEDED, RunStatus.FAILED],
                                             rows_present=True).exclude(pk__in=bases).values_list("pk", flat=True):
        with transaction.atomic():
            run = DecisionRun.objects.select_for_update().get(pk=run_id)
            if DecisionRun.objects.filter(base_run=run, status__in=[RunStatus.CURRENT, RunStatus.RUNNING]).exists():
                continue
            partitions.run_rows_delete(run.pk)
            run.rows_present = False
            run.save(update_fields=["rows_present"])
        name = rows_file_name(run)
        if default_storage.exists(name):
            default_storage.delete(name)
    return round(time.perf_counter() - started, 3)


def _same_as_current(evaluation: MonthEvaluation, inputs_digest: str, vocabulary: dict,
                     program_counts: dict) -> DecisionRun | None:
    """The run stored in full whose rows a new run's rows provably are, so
    they need not be compared (ADR 0019 §9): the month's current run — if it
    is stored in full, or else its base if it stored no difference from it —
    when that run has its rows and its rows file, and the current run was
    made from inputs with the same digest
    (``inputs.snapshot_digest``: every input column, ids and divisions
    included), the same parameter-set hash, rules version, CPI (and CPI
    month), grants and reason codes — the engine is a function of exactly
    these — and, as a cheap check on top, it counted the same per program.
    None (compare as usual) in every other case, and when runs are written in
    full (``DIFFERENCES_MAX_SHARE`` < 0)."""
    if DIFFERENCES_MAX_SHARE < 0:
        return None
    batch = evaluation.batch
    current = DecisionRun.objects.filter(month=evaluation.month, status=RunStatus.CURRENT).select_related(
        "base_run").first()
    if current is None:
        return None
    # the run stored in full whose rows the current run's are: itself, or its base when it stored no difference
    full = current if current.base_run_id is None else (current.base_run if current.written_rows == 0 else None)
    if (full is None or not full.rows_present
            or current.snapshot_digest != inputs_digest or current.parameter_set != batch.parameter_set
            or current.rules_version != batch.rules_version or current.cpi != evaluation.cpi
            or current.cpi_month != evaluation.cpi_month or current.grants != grants_json(evaluation.grants)
            or current.reason_vocabulary != vocabulary or current.program_counts != program_counts
            or current.households_facts_missing != evaluation.households_facts_missing):
        return None
    return full if default_storage.exists(rows_file_name(full)) else None


@dataclass
class MonthEvaluation:
    """The whole district evaluated for one month, in memory (nothing stored):
    the registry columns read, the engine's result and what it was given."""

    month: str
    cols: RegistryColumns
    batch: BatchResult
    cpi: dict[str, str] | None
    cpi_month: str
    grants: list[OneOffGrant]
    households_facts_missing: int
    parameters: ParameterSet
    timings: dict[str, float] = field(default_factory=dict)


def month_evaluate(month: str, *, parameters: ParameterSet | None = None, log: Any = None,
                   progress: Any = None) -> MonthEvaluation:
    """Evaluate every program for every household of the registry for
    ``month`` in memory — phases 1 and 2 of ``decision_run_month``, shared
    with the re-computation (``recompute``). Reads only.

    The CPI figures are month M − 1's (REFERENCE §9); ``parameters`` defaults
    to the parameter set now in force (``policy.load_parameters``)."""
    parsed = Month.parse(month_check(month, "测算月份"))
    say = log or (lambda message: None)
    step = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    step("读取人口库", 0, BATCH_STEPS)
    cols = registry_columns(parsed.first_day)
    unknown = int(cols.facts_missing.sum())
    if unknown:  # nothing is assumed for a household whose income or assets are unknown on the 1st
        cols = cols.keep_households(~cols.facts_missing)
    households, persons = inputs.policy_tables(cols)
    timings["read_s"] = round(time.perf_counter() - started, 3)
    say(f"读取人口库：{cols.households} 户，{cols.persons} 人，用时 {timings['read_s']} 秒"
        + (f"；{unknown} 户当月1日的收入或财产不明，未测算" if unknown else ""))

    cpi_month = cpi_source_month(str(parsed))
    cpi = cpi_for_month(str(parsed))
    grants = grants_for_month(str(parsed))
    parameters = parameters if parameters is not None else load_parameters()
    started = time.perf_counter()
    step("政策计算", 1, BATCH_STEPS)
    batch = evaluate_batch(str(parsed), households, persons, cpi=cpi, grants=grants, parameters=parameters)
    timings["evaluate_s"] = round(time.perf_counter() - started, 3)
    say(f"政策计算：{len(batch.programs)} 个项目，用时 {timings['evaluate_s']} 秒；"
        f"价格临时补贴使用{cpi_used_text(cpi_month, cpi)}")
    return MonthEvaluation(month=str(parsed), cols=cols, batch=batch, cpi=cpi, cpi_month=cpi_month, grants=grants,
                           households_facts_missing=unknown, parameters=parameters, timings=timings)


def decision_run_month(*, actor: User | str, month: str, log: Any = None,
                       evaluation: MonthEvaluation | None = None, progress: Any = None) -> DecisionRun:
    """Evaluate every program for every household of the registry for
    ``month`` and store the decisions, replacing the month's previous run.

    Phases: read the registry as columns; evaluate (``policy.evaluate_batch``)
    — both in ``month_evaluate``, or an ``evaluation`` already made for this
    month (the confirmed re-computation stores exactly what it compared);
    write the rows in bulk under a new run; then, in one short transaction,
    make it the month's current run and supersede the old one. Until that
    flip readers see the previous complete run; a crash leaves a ``running``
    run that the next batch discards.
    """
    require(actor, "eligibility.run", allow_job=True)
    parsed = Month.parse(month_check(month, "测算月份"))
    if evaluation is not None and evaluation.month != str(parsed):
        raise ValidationError(f"测算结果属于 {evaluation.month}，不能存为 {parsed} 的结果")
    say = log or (lambda message: None)
    step = progress or (lambda stage, done, total: None)
    unfinished_runs_discard(str(parsed))
    evaluation = evaluation or month_evaluate(str(parsed), log=say, progress=step)
    cols, batch, cpi, grants = evaluation.cols, evaluation.batch, evaluation.cpi, evaluation.grants
    unknown = evaluation.households_facts_missing
    timings = dict(evaluation.timings)

    program_counts, street_counts = _counts(batch, cols)
    vocabulary = {pid: list(r.reason_codes) for pid, r in batch.programs.items()}
    started = time.perf_counter()
    inputs_digest = inputs.snapshot_digest(cols)
    rows = storage.run_rows(batch, cols)
    timings["compare_s"] = round(time.perf_counter() - started, 3)  # run_store adds the comparison's time
    facts = RunFacts(month=str(parsed), parameter_set=batch.parameter_set, rules_version=batch.rules_version,
                     cpi=cpi, cpi_month=evaluation.cpi_month,
                     grants=grants_json(grants),
                     reason_vocabulary=vocabulary, households_facts_missing=unknown,
                     program_counts=program_counts, street_counts=street_counts,
                     parameters_in_force=evaluation.parameters.in_force_json(parsed))
    same = _same_as_current(evaluation, inputs_digest, vocabulary, program_counts)
    return run_store(actor=actor, facts=facts, cols=cols, rows=rows, timings=timings, log=say, progress=step,
                     inputs_digest=inputs_digest, same_as=same)


@dataclass
class RunFacts:
    """What a run records besides its rows (``DecisionRun``'s fields), from a
    local evaluation or from Spark's results (``spark_load``)."""

    month: str
    parameter_set: str
    rules_version: str
    cpi: dict[str, str] | None
    cpi_month: str
    grants: list[dict[str, Any]]
    reason_vocabulary: dict[str, list[str]]
    households_facts_missing: int
    program_counts: dict[str, dict[str, int]]
    street_counts: dict[str, dict[str, int]]
    parameters_in_force: dict[str, Any]


def run_store(*, actor: User | str, facts: RunFacts, cols: RegistryColumns, rows: storage.RunRows,
              timings: dict[str, float], log: Any = None, progress: Any = None,
              audit_action: str = "policy.batch", audit_changes: dict[str, Any] | None = None,
              inputs_digest: str | None = None, same_as: DecisionRun | None = None) -> DecisionRun:
    """Store ``rows`` (a run's full row set, ``storage.RunRows``) as the
    month's new run and make it current (ADR 0019): in full or as its
    differences from a base run; rows written by binary ``COPY`` into the
    run's own partition under a ``running`` run; the input snapshot ``cols``
    saved for ``policy explain``; then one short transaction makes it current,
    supersedes the month's previous run and audits ``audit_action``.
    Shared by the local batch (``decision_run_month``) and the loading of
    Spark's results (``spark_load``). The caller has checked permission.

    ``same_as``: a run stored in full whose rows ``rows`` provably are
    (``_same_as_current``, ADR 0019 §9) — then nothing is compared and
    nothing written. ``inputs_digest``: ``inputs.snapshot_digest(cols)`` if
    the caller has it already."""
    say = log or (lambda message: None)
    step = progress or (lambda stage, done, total: None)
    parsed = facts.month
    started = time.perf_counter()
    inputs_digest = inputs_digest if inputs_digest is not None else inputs.snapshot_digest(cols)
    candidate = None
    if same_as is not None:  # its rows, provably: nothing to compare, nothing to write (ADR 0019 §9)
        say(f"人口库输入、政策参数、规则版本、CPI 和一次性补助均与当月当前批次相同，测算决定即批次 {same_as.pk} 的决定，不再逐行比对")
    elif DIFFERENCES_MAX_SHARE >= 0:
        candidate = _base_candidate(parsed, facts.reason_vocabulary)
    to_write, base = (storage.rows_none(rows), same_as) if same_as is not None else (rows, None)
    if candidate is not None:
        difference = storage.rows_difference(rows, candidate[1])
        if difference.count <= DIFFERENCES_MAX_SHARE * rows.count:
            to_write, base = difference, candidate[0]
    timings["compare_s"] = round(timings.get("compare_s", 0.0) + time.perf_counter() - started, 3)
    with transaction.atomic():
        if base is not None:  # the base must still have its rows (``_rows_cleanup`` locks it too)
            base = DecisionRun.objects.select_for_update().get(pk=base.pk)
            if not base.rows_present:
                to_write, base = rows, None
        run = DecisionRun.objects.create(
            month=parsed, parameter_set=facts.parameter_set, rules_version=facts.rules_version,
            actor=getattr(actor, "username", str(actor)), household_count=cols.households,
            person_count=cols.persons, cpi=facts.cpi, cpi_month=facts.cpi_month, grants=facts.grants,
            reason_vocabulary=facts.reason_vocabulary,
            households_facts_missing=facts.households_facts_missing, program_counts=facts.program_counts,
            street_counts=facts.street_counts, parameters_in_force=facts.parameters_in_force, base_run=base,
        )
    try:
        started = time.perf_counter()
        step("写入测算决定", 2, BATCH_STEPS)
        with transaction.atomic():  # the run's own table: filled, then indexed (ADR 0019 §7)
            table, new_table = partitions.rows_table_create(run.pk)
            arrays, nulls = storage.copy_arrays_of(run.pk, to_write)
            written = copy_arrays(table, storage.COPY_COLUMNS, arrays, nulls, freeze=new_table)
            partitions.rows_table_finish(run.pk)
        partitions.rows_table_attach(run.pk)
        timings["write_s"] = round(time.perf_counter() - started, 3)
        digest = storage.rows_digest(to_write) if base is not None else ""
        say(f"写入决定：{written} 行（全部 {rows.count} 行"
            + (f"，与批次 {base.pk} 相同的未重写" if base is not None else "") + f"），用时 {timings['write_s']} 秒")
        started = time.perf_counter()
        step("保存测算输入快照", 3, BATCH_STEPS)
        same_inputs = (DecisionRun.objects.filter(month=parsed, status=RunStatus.CURRENT,
                                                  snapshot_digest=inputs_digest).exclude(snapshot="").first())
        if same_inputs is not None and default_storage.exists(same_inputs.snapshot):
            name = same_inputs.snapshot  # the same inputs as the run it replaces: one file for both
        else:
            name = default_storage.save(f"policy_runs/{parsed}-run{run.pk}.npz",
                                        ContentFile(inputs.snapshot_bytes(cols)))
        if base is None:  # a run stored in full keeps its rows for the next run's comparison
            _rows_file_save(run, storage.rows_bytes(rows))
        timings["snapshot_s"] = round(time.perf_counter() - started, 3)
    except BaseException:
        with transaction.atomic():
            partitions.run_rows_delete(run.pk)
            DecisionRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, rows_present=False)
        raise

    step("替换该月上一次结果", 4, BATCH_STEPS)
    with transaction.atomic():
        previous = list(DecisionRun.objects.select_for_update().filter(month=parsed, status=RunStatus.CURRENT))
        DecisionRun.objects.filter(pk__in=[p.pk for p in previous]).update(status=RunStatus.SUPERSEDED)
        run.status = RunStatus.CURRENT
        run.finished_at = timezone.now()
        run.stored_rows = rows.count
        run.written_rows = written
        run.written_digest = digest
        run.snapshot = name
        run.snapshot_digest = inputs_digest
        run.timings = timings
        run.save()
        audit_record(actor=actor, action=audit_action, object_type="DecisionRun", object_id=run.pk,
                     scope_code="", changes={"month": parsed, "households": cols.households,
                                             "persons": cols.persons, "rows": rows.count, "written_rows": written,
                                             "base_run": base.pk if base is not None else None,
                                             "parameter_set": facts.parameter_set,
                                             "cpi_month": facts.cpi_month,
                                             "replaced_runs": [p.pk for p in previous], **(audit_changes or {})})
    timings["cleanup_s"] = _rows_cleanup()
    DecisionRun.objects.filter(pk=run.pk).update(timings=timings)
    run.timings = timings
    step("批量测算完成", BATCH_STEPS, BATCH_STEPS)
    return run


def _counts(batch, cols) -> tuple[dict, dict]:
    """Eligible counts and amounts per program, and eligible counts per street."""
    program_counts: dict[str, dict[str, int]] = {}
    street_counts: dict[str, Counter] = defaultdict(Counter)
    person_street = cols.household_street[cols.person_household_index] if cols.persons else np.array([], dtype=object)
    for pid, result in batch.programs.items():
        eligible = result.eligible
        row = {"eligible": int(eligible.sum()), "amount_fen": int(result.amount_fen[eligible].sum()),
               "parameter_missing": int(result.missing.sum())}
        if result.level == "household":
            members = np.bincount(cols.person_household_index, minlength=cols.households)
            row["persons"] = int(members[eligible].sum())
            streets = cols.household_street[eligible]
        else:
            row["persons"] = row["eligible"]
            streets = person_street[eligible]
        program_counts[pid] = row
        for street, n in Counter(streets.tolist()).items():
            street_counts[street][pid] = n
    return program_counts, {street: dict(c) for street, c in sorted(street_counts.items())}
