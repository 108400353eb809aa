"""One household through the engine with the platform's data: the month's
stored CPI (unless the payload brings its own) and one-off grants."""

from __future__ import annotations

from typing import Any

from minzheng.eligibility.services import cpi_for_month, grants_for_month
from policy import evaluate_household
from policy.engine.household_input import parse_household


def evaluate_payload(payload: Any, *, trace: bool = False) -> dict:
    """Validate first (``InputError`` lists every problem, no database
    touched), then evaluate with the month's CPI data and grants."""
    parsed = parse_household(payload)
    month = str(parsed.month)
    return evaluate_household(payload, trace=trace, cpi_lookup=cpi_for_month, grants=grants_for_month(month))
