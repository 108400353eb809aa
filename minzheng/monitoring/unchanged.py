"""When a monitor run can skip its comparisons (ADR 0019): a second run
for a month on the same day, when nothing has been written since the
previous one and the month's decisions are the same rows, would create
nothing — so it does nothing but the escalation.

"Nothing written since" is read from the audit log: every write goes
through a service that appends an audit entry (ADR 0002), so the entries
after the previous run's own entry are every change since — casework,
registry, department data, other runs. The policy batch the run itself has
just made is the one write allowed (its decisions are compared instead).
Any other entry, even a read that is audited, means the full run: the test
errs only towards doing the work.

"The same rows" is decided from the stored differences (ADR 0019) without
reading the month's millions of rows: the same run, a run built on the
previous one with no difference, or a run built on the same base with the
same differences (``DecisionRun.written_digest``).
"""

from __future__ import annotations

import datetime as dt

from minzheng.core.models import AuditEntry
from minzheng.eligibility.models import DecisionRun
from minzheng.eligibility.services import run_inputs_unchanged
from minzheng.monitoring.models import MonitorRun


def same_decisions(previous: DecisionRun, current: DecisionRun) -> bool:
    """Whether ``current``'s decisions are exactly ``previous``'s (both
    runs of the month; ``previous`` may be superseded but must have rows)."""
    if previous.pk == current.pk:
        return True
    if current.base_run_id == previous.pk:
        return current.written_rows == 0
    if current.base_run_id is not None and current.base_run_id == previous.base_run_id:
        # the same differences from the same base (the previous run's own rows may be gone by now)
        return bool(current.written_digest) and current.written_digest == previous.written_digest
    return False


def batch_to_reuse(month: str, today: dt.date) -> DecisionRun | None:
    """The month's current policy batch run when a monitor run starting now
    may use it instead of running the batch again (ADR 0019 §8), or None:
    run the batch. Only for a repeat on the same day of a monitor run that
    finished with that run: no audit entry at all since that monitor run's
    own (no registry, casework, department-data, CPI or grant write, no other
    batch), and the run's policy inputs are still those in force
    (``eligibility.services.run_inputs_unchanged``: rules version, parameter
    hash, CPI, grants, its rows and snapshot present). The batch would then
    read the same registry with the same rules and store no row."""
    previous = MonitorRun.objects.filter(month=month, finished_at__isnull=False).select_related("decision_run").first()
    if previous is None or previous.run_on != today or previous.decision_run is None:
        return None
    entry = _own_entry(previous)
    if entry is None or AuditEntry.objects.filter(id__gt=entry).exists():
        return None
    decision = previous.decision_run
    return decision if run_inputs_unchanged(decision) else None


def _own_entry(run: MonitorRun) -> int | None:
    return (AuditEntry.objects.filter(action="monitoring.run", object_type="MonitorRun", object_id=str(run.pk))
            .order_by("-id").values_list("id", flat=True).first())


def nothing_to_do(month: str, today: dt.date, decision: DecisionRun) -> MonitorRun | None:
    """The previous run of ``month`` whose results this run would repeat
    exactly (see the module docstring), or None: run everything."""
    previous = MonitorRun.objects.filter(month=month, finished_at__isnull=False).select_related("decision_run").first()
    if previous is None or previous.run_on != today or previous.decision_run is None:
        return None
    entry = _own_entry(previous)
    if entry is None:
        return None
    if AuditEntry.objects.filter(id__gt=entry).exclude(action="policy.batch", object_id=str(decision.pk)).exists():
        return None
    return previous if same_decisions(previous.decision_run, decision) else None
