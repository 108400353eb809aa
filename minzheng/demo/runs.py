"""Run markers in the audit trail: started, finished, deleted.

A run appends ``demo_data.start`` (seed, persons, first id and planned last
id of each table) before writing anything, and ``demo_data.generate``
(counts, exact id ranges, seconds) after the last chunk commits. A start with
no matching finish is an interrupted run: its committed chunks lie inside
the planned id ranges, so ``--replace`` can remove them. ``demo_data.delete``
closes every earlier run. On PostgreSQL the start marker also keeps the
definitions of the indexes and foreign keys the load takes off
(``rebuilt_schema``), so that a run interrupted after its rows committed has
them put back by the next run (``bulk_write.BulkWriter.restore``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minzheng.core.audit import audit_record
from minzheng.core.models import AuditEntry

START, FINISH, DELETE = "demo_data.start", "demo_data.generate", "demo_data.delete"
DISTRICT_CODE = "310117"


@dataclass
class DemoRun:
    start_id: int
    seed: int
    persons: int
    ranges: dict[str, list[int]]  # table key → [first id, last id]
    finished: bool
    summary: dict[str, Any]
    schema: dict[str, list[list[str]]] | None = None  # indexes and foreign keys the load took off (PostgreSQL)


def active_runs() -> list[DemoRun]:
    """Demo runs whose data have not been deleted, oldest first."""
    entries = list(AuditEntry.objects.filter(action__in=(START, FINISH, DELETE)).order_by("id"))
    runs: dict[int, DemoRun] = {}
    for entry in entries:
        if entry.action == DELETE:
            runs.clear()
        elif entry.action == START:
            changes = entry.changes
            runs[entry.id] = DemoRun(
                start_id=entry.id, seed=changes["seed"], persons=changes["persons"],
                ranges=changes["planned_ranges"], finished=False, summary={}, schema=changes.get("rebuilt_schema"),
            )
        else:
            run = runs.get(int(entry.changes.get("run", 0)))
            if run is not None:
                run.finished = True
                run.ranges = entry.changes["id_ranges"]
                run.summary = entry.changes
    return list(runs.values())


def record_start(*, actor: str, seed: int, persons: int, planned_ranges: dict[str, list[int]],
                 schema: dict[str, list[list[str]]] | None = None) -> int:
    """``schema``: the indexes and foreign keys the load takes off and puts
    back (``bulk_write``), kept so that an interrupted run can be repaired."""
    changes: dict[str, Any] = {"seed": seed, "persons": persons, "planned_ranges": planned_ranges}
    if schema and (schema["indexes"] or schema["foreign_keys"]):
        changes["rebuilt_schema"] = schema
    entry = audit_record(
        actor=actor, action=START, object_type="DemoData", object_id=DISTRICT_CODE, scope_code=DISTRICT_CODE,
        changes=changes,
    )
    return entry.id


def record_finish(*, actor: str, run: int, summary: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=FINISH, object_type="DemoData", object_id=DISTRICT_CODE, scope_code=DISTRICT_CODE,
        changes={"run": run, **summary},
    )


def record_delete(*, actor: str, runs: list[int], deleted: dict[str, int]) -> None:
    audit_record(
        actor=actor, action=DELETE, object_type="DemoData", object_id=DISTRICT_CODE, scope_code=DISTRICT_CODE,
        changes={"runs": runs, "deleted": deleted},
    )
