"""The apps' one month parser and month helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.months import month_label, month_of, month_parse, month_shift, months_between


def test_month_parse_normalises_or_refuses_in_chinese():
    assert month_parse("2025-09") == "2025-09"
    for bad in ("2025-13", "2025/09", "abc", ""):
        with pytest.raises(ValidationError, match=f"月份“{bad}”无效，应为 YYYY-MM"):
            month_parse(bad)


def test_month_arithmetic():
    assert month_of(dt.date(2025, 1, 31)) == "2025-01"
    assert month_shift("2025-01", -1) == "2024-12"
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_between("2025-02", "2025-01") == []
    assert month_label("2025-08") == "2025年8月" and month_label("") == "—"
