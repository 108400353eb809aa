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


def test_few_birth_dates_use_python_dates_with_the_same_keys() -> None:
    import numpy as np

    from policy.months import _civil_keys, birth_ymd_keys

    rng = np.random.default_rng(7)
    for _ in range(500):
        days = rng.integers(-40_000, 40_000, size=int(rng.integers(1, 8))).astype("datetime64[D]")
        assert birth_ymd_keys(days).tolist() == _civil_keys(days.astype(np.int64)).tolist()
    assert birth_ymd_keys(np.array(["2000-02-29", "1904-02-29"], dtype="datetime64[D]")).tolist() == [20000229, 19040229]
