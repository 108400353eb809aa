import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minzheng.registry.id_numbers import InvalidIdNumber, parse_id_number, with_check_character

GOOD = with_check_character("31011719800517001")


def test_good_number_gives_birth_date_and_sex():
    facts = parse_id_number(GOOD)
    assert facts.birth_date == dt.date(1980, 5, 17)
    assert facts.sex == "M"  # 17th digit 1 is odd
    assert parse_id_number(with_check_character("31011719800517002")).sex == "F"


def test_lower_case_x_is_accepted():
    number = with_check_character("31022719550312001")
    assert number.endswith("X")
    assert parse_id_number(number.lower()).number == number


def test_bad_check_character():
    wrong = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    with pytest.raises(InvalidIdNumber, match="校验位错误"):
        parse_id_number(wrong)


def test_impossible_date():
    with pytest.raises(InvalidIdNumber, match="出生日期不存在"):
        parse_id_number(with_check_character("31011719800231001"))


def test_future_date():
    with pytest.raises(InvalidIdNumber, match="晚于今天"):
        parse_id_number(with_check_character("31011720990101001"), today=dt.date(2026, 11, 29))


def test_wrong_length_and_letters():
    with pytest.raises(InvalidIdNumber, match="18位"):
        parse_id_number("3101171980051700")
    with pytest.raises(InvalidIdNumber, match="前17位必须是数字"):
        parse_id_number("31011719800517A01X")
    with pytest.raises(InvalidIdNumber, match="不能为空"):
        parse_id_number("")


def test_unknown_area_code():
    with pytest.raises(InvalidIdNumber, match="行政区划代码"):
        parse_id_number(with_check_character("99011719800517001"))


def test_area_code_of_an_earlier_period_is_accepted():
    # 310227 (松江县, 1982-1998) was issued to people born long before 1982.
    assert parse_id_number(with_check_character("31022719550312002")).birth_date == dt.date(1955, 3, 12)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)), st.integers(0, 999))
def test_any_constructed_number_round_trips(birth, order):
    number = with_check_character(f"310101{birth:%Y%m%d}{order:03d}")
    facts = parse_id_number(number, today=dt.date(2026, 1, 1))
    assert facts.birth_date == birth
    assert facts.sex == ("M" if order % 2 else "F")
