"""Generate (or replace) the demo population: the orchestration.

1. Existing demo data are found through the run markers (``runs``): a
   finished run means "skip", an interrupted one means "use --replace".
2. ``--replace`` deletes the rows of every earlier run by id range.
3. The tree is ensured: ``division_load_tree`` then the demo committees.
4. Chunks are drawn (``simulation``), turned into rows (``rows``) and bulk
   written (``bulk_write``), one transaction per chunk (inside the load's
   transaction on PostgreSQL). Chunk *k* + 1 is drawn and encoded in a
   background thread while chunk *k* is written (``bulk_write.ahead``); the
   rows are the same as drawing them one after the other.
5. Sequences are reset and one ``demo_data.generate`` audit entry records the run.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from minzheng.core.models import Division, DivisionLevel
from minzheng.core.services import division_load_tree
from minzheng.demo import bulk_write, runs
from minzheng.demo.bulk_write import BulkWriter
from minzheng.demo.committees import ensure_committees
from minzheng.demo.identity import SequenceAllocator
from minzheng.demo.rows import (
    ASSET_FACT_COLUMNS,
    DISABILITY_COLUMNS,
    HOUSEHOLD_COLUMNS,
    INCOME_FACT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    MOVE_COLUMNS,
    PERSON_COLUMNS,
    IdBase,
    build_rows,
)
from minzheng.demo.simulation import DEFAULT_CHUNK_HOUSEHOLDS, Tree, draw_chunks
from minzheng.registry.models import (
    CareNeedsAssessment,
    DisabilityCertificate,
    Household,
    HouseholdAssetFact,
    HouseholdMembership,
    Person,
    PersonIncomeFact,
    ResidenceChange,
)

ACTOR = "demo_data"
TABLES = {
    "person": (Person, PERSON_COLUMNS),
    "household": (Household, HOUSEHOLD_COLUMNS),
    "membership": (HouseholdMembership, MEMBERSHIP_COLUMNS),
    "disability": (DisabilityCertificate, DISABILITY_COLUMNS),
    "move": (ResidenceChange, MOVE_COLUMNS),
    "income_fact": (PersonIncomeFact, INCOME_FACT_COLUMNS),
    "asset_fact": (HouseholdAssetFact, ASSET_FACT_COLUMNS),
}
WRITE_ORDER = ("household", "person", "membership", "disability", "move", "income_fact", "asset_fact")


Report = Callable[[str, int | None, int | None], None]


class DemoDataError(Exception):
    """A run that cannot go ahead; the message is for the operator (Chinese)."""


@dataclass
class Summary:
    persons: int = 0
    households: int = 0
    memberships: int = 0
    disabilities: int = 0
    moves: int = 0
    committees: int = 0
    committees_created: int = 0
    seconds: float = 0.0
    rows_per_second: float = 0.0
    peak_memory_mb: float = 0.0
    skipped: bool = False
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def delete_demo_data(*, actor: str = ACTOR) -> dict[str, int]:
    """Remove every active demo run's rows (finished or interrupted)."""
    active = runs.active_runs()
    if not active:
        return {}
    writer = BulkWriter()
    deleted = dict.fromkeys(TABLES, 0)
    try:
        with transaction.atomic():
            for run in active:
                p_lo, p_hi = run.ranges["person"]
                h_lo, h_hi = run.ranges["household"]
                deleted["move"] += writer.delete_range(ResidenceChange, "household_id", h_lo, h_hi)
                deleted["income_fact"] += writer.delete_range(PersonIncomeFact, "person_id", p_lo, p_hi)
                deleted["asset_fact"] += writer.delete_range(HouseholdAssetFact, "household_id", h_lo, h_hi)
                deleted["disability"] += writer.delete_range(DisabilityCertificate, "person_id", p_lo, p_hi)
                writer.delete_range(CareNeedsAssessment, "person_id", p_lo, p_hi)  # demo assessments (ADR 0031)
                deleted["membership"] += writer.delete_range(HouseholdMembership, "person_id", p_lo, p_hi)
                deleted["membership"] += writer.delete_range(HouseholdMembership, "household_id", h_lo, h_hi)
                deleted["person"] += writer.delete_range(Person, "id", p_lo, p_hi)
                deleted["household"] += writer.delete_range(Household, "id", h_lo, h_hi)
            runs.record_delete(actor=actor, runs=[r.start_id for r in active], deleted=deleted)
    except (IntegrityError, ProtectedError) as err:
        raise DemoDataError(
            "演示人员已被其他记录引用（如申请、救助对象），无法整体删除；请先删除这些记录。"
        ) from err
    return deleted


def _prepared_chunks(writer: BulkWriter, persons: int, seed: int, tree: Tree, chunk_households: int,
                     base: IdBase, now_value: str) -> Iterator[tuple[int, dict]]:
    """(chunk number, rows of every table ready for ``writer.write``), drawn
    in order; no database access, so it can run ahead in another thread."""
    sequences = SequenceAllocator()
    for drawn in draw_chunks(persons, seed, tree, chunk_households=chunk_households):
        data = build_rows(drawn, tree, sequences, base, seed, now_value)
        for key in TABLES:
            setattr(base, key, getattr(base, key) + len(data[key][0]))
        yield drawn.number, {key: writer.encode(columns) for key, columns in data.items()}


def generate_demo_data(
    *,
    persons: int = 20_000,
    seed: int = 2024,
    replace: bool = False,
    chunk_households: int = DEFAULT_CHUNK_HOUSEHOLDS,
    progress: Callable[[str], None] | None = None,
    actor: str = ACTOR,
    report: Report | None = None,
) -> Summary:
    """Build ``persons`` demo residents deterministically from ``seed``.

    ``progress`` receives log messages (Chinese); ``report(stage, done,
    total)`` the stage and counts for a progress bar or a job's record."""
    if persons <= 0:
        raise DemoDataError("人数必须为正整数")
    say = progress or (lambda _message: None)
    stage = report or (lambda _stage, _done=None, _total=None: None)
    active = runs.active_runs()
    if active and not replace:
        unfinished = [r for r in active if not r.finished]
        if unfinished:
            raise DemoDataError(
                f"上次生成演示数据未完成（种子 {unfinished[-1].seed}，计划 {unfinished[-1].persons} 人）；"
                "请使用 --replace 删除残留数据后重新生成。"
            )
        last = active[-1]
        same = last.seed == seed and last.persons == persons
        return Summary(
            persons=last.summary.get("persons", last.persons), households=last.summary.get("households", 0),
            skipped=True,
            message=(
                f"演示数据已存在（种子 {last.seed}，{last.persons} 人），"
                + ("参数相同，跳过。" if same else "未重新生成；")
                + "如需重新生成请使用 --replace。"
            ),
        )
    started = time.perf_counter()
    writer = BulkWriter()
    if writer.postgres and not transaction.get_connection().in_atomic_block:
        for run in active:  # a run interrupted after its rows committed: its indexes and foreign keys first
            if not run.finished and run.schema:
                stage("恢复索引与外键约束", None, None)
                writer.restore(run.schema)
    if active:
        stage("删除上次的演示数据", None, None)
        deleted = delete_demo_data(actor=actor)
        say(f"已删除上次的演示数据：{deleted.get('person', 0)} 人，{deleted.get('household', 0)} 户")

    stage("准备区划与居村委", None, None)
    division_load_tree(actor=actor)
    summary = Summary(committees_created=ensure_committees(actor=actor))
    summary.committees = Division.objects.filter(level=DivisionLevel.COMMITTEE, code__startswith="310117").count()
    say(f"居村委：共 {summary.committees} 个（本次新建 {summary.committees_created} 个）")

    first = {key: writer.next_id(model) for key, (model, _) in TABLES.items()}
    planned = {key: [first[key], first[key] + 2 * persons] for key in TABLES}
    models = [model for model, _ in TABLES.values()]
    schema = writer.secondary_schema(models)
    run_id = runs.record_start(actor=actor, seed=seed, persons=persons, planned_ranges=planned, schema=schema)

    tree = Tree.build()
    counts = dict.fromkeys(TABLES, 0)
    now_value = writer.datetime(timezone.now())
    stage("生成人员与家庭", 0, persons)
    with writer.loading(schema):
        prepared = _prepared_chunks(writer, persons, seed, tree, chunk_households, IdBase(**first), now_value)
        for number, data in bulk_write.ahead(prepared):
            with transaction.atomic():
                for key in WRITE_ORDER:
                    model, columns = TABLES[key]
                    counts[key] += writer.write(model, columns, data[key])
            elapsed = time.perf_counter() - started
            stage("生成人员与家庭", counts["person"], persons)
            say(
                f"第 {number + 1} 批：{counts['person']:,}/{persons:,} 人，{counts['household']:,} 户，"
                f"{sum(counts.values()) / elapsed:,.0f} 行/秒，峰值内存 {peak_memory_mb():,.0f} MB"
            )
        if writer.postgres:
            stage("重建索引与外键约束", None, None)
    stage("更新统计信息", None, None)
    writer.reset_sequences(models)
    writer.analyze(models)

    seconds = time.perf_counter() - started
    summary.persons, summary.households = counts["person"], counts["household"]
    summary.memberships, summary.disabilities, summary.moves = counts["membership"], counts["disability"], counts["move"]
    summary.seconds = round(seconds, 2)
    summary.rows_per_second = round(sum(counts.values()) / seconds)
    summary.peak_memory_mb = round(peak_memory_mb(), 1)
    ranges = {key: [first[key], first[key] + counts[key] - 1] for key in TABLES}
    with transaction.atomic():
        runs.record_finish(
            actor=actor, run=run_id,
            summary={"seed": seed, "persons": persons, "households": summary.households,
                     "memberships": summary.memberships, "disabilities": summary.disabilities,
                     "moves": summary.moves, "committees": summary.committees, "id_ranges": ranges,
                     "seconds": summary.seconds},
        )
    stage("完成", persons, persons)
    summary.message = "演示数据生成完成。"
    return summary
