import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.feeds.catalogue import Column
from minzheng.feeds.validation import CellError, parse_amount, parse_month, person_key, validator
from minzheng.registry.services import InvalidIdNumber, parse_id_number, with_check_character


@settings(max_examples=400, deadline=None)
@given(
    area=st.sampled_from(["310117", "310227", "310104", "110101", "999999", "000000"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    order=st.integers(min_value=0, max_value=999),
    corrupt=st.sampled_from(["none", "check", "day", "lower_x"]),
)
def test_fast_id_check_agrees_with_parse_id_number(area, birth, order, corrupt):
    # given a number built from parts, sometimes corrupted
    number = with_check_character(f"{area}{birth:%Y%m%d}{order:03d}")
    if corrupt == "check":
        number = number[:17] + ("0" if number[17] != "0" else "1")
    elif corrupt == "day":
        number = number[:12] + "32" + number[14:]
    elif corrupt == "lower_x":
        number = number.lower()
    # when both validate it (the fast path is primed by earlier examples)
    try:
        expected = parse_id_number(number).number
    except InvalidIdNumber as err:
        expected = str(err)
    try:
        person_key.cache_clear()
        got = person_key(number)
    except CellError as err:
        assert str(err) == expected
    else:
        # then a pass on one side is a pass on the other, for the same number
        from minzheng.core.personal_data import blind_index

        assert got[0] == blind_index(expected)


def test_amounts_months_and_codes():
    today = dt.date(2024, 6, 30)
    assert parse_amount("1,234.50") == 123450
    for text, message in [("-1", "金额不能为负数"), ("1.005", "两位小数"), ("abc", "金额格式无效")]:
        with pytest.raises(CellError, match=message):
            parse_amount(text)
    assert parse_month("202403", today) == dt.date(2024, 3, 1)
    with pytest.raises(CellError, match="月份晚于本月"):
        parse_month("2024-07", today)
    code = validator(Column(header="类型", field="t", type="code", required=True, values=("甲", "乙")), today)
    with pytest.raises(CellError, match="应为：甲、乙"):
        code("丙")
