"""policy.money is the one parser and formatter of yuan amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.money import format_fen, parse_yuan


@pytest.mark.parametrize("text, fen", [("0", 0), ("795", 79500), ("795.5", 79550), ("795.05", 79505),
                                       (" 12.30 ", 1230), (".5", 50), ("+3", 300), ("-0", 0),
                                       (12, 1200), (Decimal("0.01"), 1), (795.5, 79550)])
def test_parses_yuan_into_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text, message", [
    ("-0.50", "金额不能为负数"), ("-1", "金额不能为负数"), (-3, "金额不能为负数"),
    ("12.345", "金额最多精确到分（两位小数）"), ("0.001", "金额最多精确到分（两位小数）"),
    ("", "金额格式无效"), ("abc", "金额格式无效"), ("1e3", "金额格式无效"), ("1,000", "金额格式无效"),
    ("1.2.3", "金额格式无效"), ("NaN", "金额格式无效"), (True, "金额格式无效"), (None, "金额格式无效"),
    (float("inf"), "金额必须是有限数值"),
])
def test_refuses_bad_amounts_with_a_chinese_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_yuan(text)


def test_negative_amounts_only_when_allowed():
    assert parse_yuan("-0.50", allow_negative=True) == -50
    assert parse_yuan("-12.30", allow_negative=True) == -1230
    with pytest.raises(ValueError, match="两位小数"):
        parse_yuan("-12.345", allow_negative=True)


def test_thousands_separators_only_when_asked():
    assert parse_yuan("1,234.50", thousands=True) == 123450
    assert parse_yuan("1，234", thousands=True) == 123400


@pytest.mark.parametrize("fen, kwargs, text", [
    (79500, {}, "795.00"), (5, {}, "0.05"), (-50, {}, "-0.50"), (-12345, {}, "-123.45"),
    (12345678, {"grouping": True}, "123,456.78"), (-12345678, {"grouping": True, "unit": "元"}, "-123,456.78元"),
    (0, {"unit": " 元"}, "0.00 元"),
])
def test_formats_fen_as_yuan(fen, kwargs, text):
    assert format_fen(fen, **kwargs) == text


@given(st.integers(-10**12, 10**12))
def test_format_and_parse_round_trip(fen):
    assert parse_yuan(format_fen(fen), allow_negative=True) == fen
    assert parse_yuan(format_fen(fen, grouping=True), allow_negative=True, thousands=True) == fen


@pytest.mark.parametrize("value, message", [
    ("999999999999999999", "金额过大"), ("1000000000000", "金额过大"), (Decimal("1E+30"), "金额过大"),
    (1e30, "金额过大"), (10**18, "金额过大"), ("-999999999999999999", "金额过大"),
    ("sNaN", "金额格式无效"), ("Infinity", "金额格式无效"), ("-Infinity", "金额格式无效"),
    (Decimal("NaN"), "金额必须是有限数值"), (Decimal("sNaN"), "金额必须是有限数值"),
    (Decimal("-Infinity"), "金额必须是有限数值"), (float("nan"), "金额必须是有限数值"),
])
def test_refuses_amounts_that_are_not_finite_or_would_overflow_a_64_bit_column(value, message):
    with pytest.raises(ValueError, match=message):
        parse_yuan(value, allow_negative=True)


def test_the_largest_amount_is_accepted():
    assert parse_yuan("999999999999") == 99999999999900
