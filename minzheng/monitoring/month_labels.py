"""A benefit month (``YYYY-MM``) as people read it: ``2025年8月`` (ADR 0012: no codes on pages)."""

from __future__ import annotations


def month_label(month: str | None) -> str:
    """``"2025-08"`` → ``"2025年8月"``; anything else is shown as given (empty: —)."""
    if not month:
        return "—"
    try:
        return f"{int(month[:4])}年{int(month[5:7])}月"
    except ValueError:
        return month
