"""Chinese labels of programs, line kinds and months for files and pages."""

from __future__ import annotations

from minzheng.core.months import month_label
from minzheng.eligibility import selectors as eligibility_selectors
from minzheng.payments.models import LineKind

PURPOSE_SUFFIX = {LineKind.REGULAR: "", LineKind.BACKPAY: "（补发）", LineKind.ADJUSTMENT: "（补差）",
                  LineKind.REISSUE: "（重发）"}


def program_label(program: str) -> str:
    return eligibility_selectors.program_label(program)


def purpose(program_text: str, benefit_month: str, kind: str) -> str:
    """用途 of a bank line: ``2025年8月最低生活保障（补发）``."""
    return f"{month_label(benefit_month)}{program_text}{PURPOSE_SUFFIX.get(kind, '')}"
