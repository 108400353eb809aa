"""``calendar_held``: a bulk computation reads each year's holiday
arrangement once, and outside the block every call reads afresh."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.workdays import calendar_held, is_working_day

pytestmark = pytest.mark.django_db


def test_within_the_block_a_year_is_read_once(django_assert_max_num_queries):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(120)]
    with django_assert_max_num_queries(2), calendar_held():
        held = [is_working_day(d) for d in days]
    assert held == [is_working_day(d) for d in days]  # the same answers, read day by day
    assert not held[0] and held[1]  # 元旦 2025-01-01 a holiday, 2 January a working day
    assert is_working_day(dt.date(2025, 1, 26))  # a Sunday made a working day (调休上班) before 春节
