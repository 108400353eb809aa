"""统一社会信用代码 (GB 32100-2015, REFERENCE § 14): one check for every app
that records an organization's code (the social-organization register, the
elderly-care facilities' operators, the home-adaptation contractors).

The code is 18 characters: 8 digits (registration department, organization
category, administrative division), 9 characters of the organization code
(digits and capital letters without I, O, Z, S, V) and a MOD 31 check
character. ``stdnum.cn.uscc`` computes the check; this module says **where**
a code is wrong — the position of the first bad character, or the check
character (position 18) with the one the first 17 give — in Chinese.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 table 2 (stdnum.cn.uscc's alphabet)
LENGTH = 18


def uscc_check(text: str, label: str = "统一社会信用代码") -> str:
    """The code, compacted and in capitals; a ``ValidationError`` naming the
    position of the problem otherwise (empty is refused: callers that allow
    "not recorded" test for it first)."""
    code = uscc.compact(str(text or "")).upper()
    if not code:
        raise ValidationError(f"请填写{label}")
    if len(code) != LENGTH:
        raise ValidationError(f"{label}应为18位，实际为{len(code)}位")
    for position, char in enumerate(code, start=1):
        if position <= 8 and not char.isdigit():
            raise ValidationError(f"{label}第{position}位“{char}”错误：前8位应为数字")
        if position > 8 and char not in ALPHABET:
            raise ValidationError(f"{label}第{position}位“{char}”错误：应为数字或大写字母（不含I、O、Z、S、V）")
    expected = uscc.calc_check_digit(code[:-1])
    if code[-1] != expected:
        raise ValidationError(f"{label}第18位（校验位）“{code[-1]}”错误：按前17位计算应为“{expected}”，请核对代码")
    return code
