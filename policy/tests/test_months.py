"""policy.months.Month: parsing and month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from policy.months import Month


def test_parse_and_write():
    assert str(Month.parse("2025-09")) == "2025-09"
    for bad in ("2025-9", "2025-13", "202509", "", None, "2025-09-01"):
        with pytest.raises(ValueError):
            Month.parse(bad)


def test_of_and_shift():
    assert Month.of(date(2025, 12, 31)) == Month(2025, 12)
    assert Month(2025, 12).shift(1) == Month(2026, 1)
    assert Month(2025, 1).shift(-1) == Month(2024, 12)
    assert Month(2025, 3).shift(-27) == Month(2022, 12)
    assert Month(2025, 3).shift(0) == Month(2025, 3)
