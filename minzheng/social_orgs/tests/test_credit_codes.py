"""统一社会信用代码 (REFERENCE § 14): a good code, a bad check character with its
position, a wrong length, a character not allowed, with the position."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.credit_codes import uscc_check
from minzheng.social_orgs.tests.conftest import valid_uscc


def test_a_valid_code_is_compacted_and_kept():
    code = valid_uscc()
    assert uscc_check(f" {code[:9]} {code[9:].lower()} ") == code


def test_a_bad_check_character_is_refused_with_position_18_and_the_right_one():
    code = valid_uscc()
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError) as err:
        uscc_check(code[:-1] + wrong)
    assert "第18位（校验位）" in err.value.messages[0]
    assert f"应为“{code[-1]}”" in err.value.messages[0]


def test_wrong_length_names_the_length():
    with pytest.raises(ValidationError, match="应为18位，实际为17位"):
        uscc_check(valid_uscc()[:17])


@pytest.mark.parametrize("position, char, why", [(3, "A", "前8位应为数字"), (12, "I", "不含I、O、Z、S、V")])
def test_a_character_not_allowed_names_its_position(position, char, why):
    code = valid_uscc()
    bad = code[: position - 1] + char + code[position:]
    with pytest.raises(ValidationError) as err:
        uscc_check(bad)
    assert f"第{position}位“{char}”" in err.value.messages[0] and why in err.value.messages[0]


def test_empty_is_refused():
    with pytest.raises(ValidationError, match="请填写"):
        uscc_check("")
