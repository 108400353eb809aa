"""The outcome of a yearly inspection (年检结论), derived from its results and
rectifications on a given day (ADR 0025). Never stored: it changes as
rectifications are verified or run overdue.

* 检查未完成 — an item of the year's checklist has no result yet.
* 不合格 — a rectification is overdue (逾期: its deadline passed and the bureau
  has not verified it).
* 限期整改 — an item was found 不符合 (or a finding of its own recorded) and
  some rectification is not verified yet, none overdue.
* 合格 — every applicable item 符合, or every rectification verified.

Items marked 不适用 are not applicable and count neither way. A 不符合 item
without any rectification keeps the outcome at 限期整改 (a finding must be
followed up; the page asks for its rectification).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from minzheng.cemeteries.models import (
    Inspection,
    ItemResult,
    Outcome,
    Rectification,
    RectificationStatus,
    rectification_status,
)


@dataclass(frozen=True)
class InspectionSummary:
    outcome: Outcome
    items: int
    answered: int
    failed: int
    findings: int
    rectifications: int
    verified: int
    done_unverified: int
    overdue: int

    @property
    def outcome_label(self) -> str:
        return self.outcome.label


def summarise(*, items: int, results: Iterable[str], rectifications: Iterable[Rectification],
              failed_without_rectification: int, today: dt.date) -> InspectionSummary:
    """The rules above on plain values (tested without a database too)."""
    results = list(results)
    rects = list(rectifications)
    statuses = [rectification_status(r, today) for r in rects]
    failed = sum(1 for r in results if r == ItemResult.FAIL)
    verified = statuses.count(RectificationStatus.VERIFIED)
    overdue = statuses.count(RectificationStatus.OVERDUE)
    if len(results) < items:
        outcome = Outcome.PENDING
    elif overdue:
        outcome = Outcome.FAILED
    elif failed_without_rectification or verified < len(rects):
        outcome = Outcome.RECTIFY
    else:
        outcome = Outcome.PASSED
    return InspectionSummary(outcome=outcome, items=items, answered=len(results), failed=failed,
                             findings=max(failed, 0) + sum(1 for r in rects if r.result_id is None),
                             rectifications=len(rects), verified=verified,
                             done_unverified=statuses.count(RectificationStatus.DONE), overdue=overdue)


def inspection_summary(inspection: Inspection, today: dt.date) -> InspectionSummary:
    results = list(inspection.results.all())
    rects = list(inspection.rectifications.all())
    covered = {r.result_id for r in rects if r.result_id is not None}
    return summarise(items=inspection.checklist.items.count(), results=[r.result for r in results],
                     rectifications=rects,
                     failed_without_rectification=sum(1 for r in results
                                                      if r.result == ItemResult.FAIL and r.pk not in covered),
                     today=today)
