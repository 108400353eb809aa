"""Chinese labels of programs, line kinds and months for files and pages."""

from __future__ import annotations

from minzheng.core.months import month_label
from minzheng.eligibility import selectors as eligibility_selectors
from minzheng.payments.models import LineKind

PURPOSE_SUFFIX = {LineKind.REGULAR: "", LineKind.BACKPAY: "（补发）", LineKind.ADJUSTMENT: "（补差）",
                  LineKind.REISSUE: "（重发）"}


def program_label(program: str) -> str:
    from minzheng.payments.one_off import one_off_program_label

    return one_off_program_label(program) or eligibility_selectors.program_label(program)


def purpose(program_text: str, benefit_month: str, kind: str) -> str:
    """用途 of a bank line: ``2025年8月最低生活保障（补发）``."""
    return f"{month_label(benefit_month)}{program_text}{PURPOSE_SUFFIX.get(kind, '')}"


def program_choices() -> list[tuple[str, str]]:
    """Programs a batch can pay, by their Chinese labels (the code is only the
    option's value): monthly cash programs, then the one-off grants set up."""
    from policy import PROGRAMS

    choices = [(pid, p.label) for pid, p in PROGRAMS.items() if p.pays_cash]
    choices += [(f"one_off:{g.name}", f"{g.label}（一次性补助）") for g in eligibility_selectors.grant_definitions()]
    return choices + one_off_program_choices()


def one_off_program_choices() -> list[tuple[str, str]]:
    """One-off programs registered by domain apps (``one_off``), paid from queued requests."""
    from minzheng.payments.one_off import one_off_programs

    return [(p.code, f"{p.label}（一次性补贴）") for p in one_off_programs()]
