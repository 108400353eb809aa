"""Back-pay (补发): which earlier months a batch also pays.

A month is back-paid to a beneficiary when the beneficiary was entitled to it
(enrolment months from the approved start month, minus suspensions; or an
eligible stored decision for no-application programs) and the program's
regular batch for that month is final (approved or later) but holds no
payment for them — e.g. the enrolment was approved after that batch, or the
payee had no account yet. Months before the program's first final batch were
not paid through this ledger and are never back-paid (ADR 0008).
"""

from __future__ import annotations

from minzheng.core.months import months_between
from minzheng.payments.models import FINAL_STATUSES, BatchKind, PaymentBatch


def paid_months_before(program: str, month: str) -> list[str]:
    """Months before ``month`` whose regular batch for ``program`` is final."""
    return sorted(PaymentBatch.objects.filter(program=program, kind=BatchKind.REGULAR, month__lt=month,
                                              status__in=FINAL_STATUSES).values_list("month", flat=True))


def enrolment_months(row: dict, *, first: str, last: str) -> list[str]:
    """Benefit months of an enrolment row (``casework.selectors.enrolments_for_payment``)
    within [first, last]: from its start month to its end month, minus
    suspended periods."""
    start = max(row["start_month"], first)
    end = min(row["end_month"] or last, last)
    months = months_between(start, end)
    for suspended_from, resumed in row["suspended"]:
        months = [m for m in months if not (m >= suspended_from and (not resumed or m < resumed))]
    return months
