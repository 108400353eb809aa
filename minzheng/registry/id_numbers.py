"""Resident ID numbers (居民身份证号码, GB 11643-1999).

Validation is python-stdnum's ``cn.ric`` (length, digits, ISO 7064 MOD 11-2
check character, real birth date, known area code) plus our own rule that the
birth date is not in the future. Errors are Chinese sentences for staff.

One deliberate relaxation (docs/adr/0003-id-number-area-codes.md): stdnum
also requires the area code to have existed in the birth year. Numbers were
issued in the 1980s-90s with the code in force then, so a Songjiang resident
born in 1955 holds 310227… (松江县, 1982-1998) and stdnum rejects a real
number. We accept an area code known to stdnum's table for any period.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric


class InvalidIdNumber(ValueError):
    """The text is not a valid resident ID number; ``str(err)`` is Chinese."""


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: dt.date
    sex: str  # "M" | "F"


def parse_id_number(text: str, *, today: dt.date | None = None) -> IdFacts:
    """Validate ``text`` and derive birth date and sex (odd 17th digit = male)."""
    number = ric.compact(text or "")
    if not number:
        raise InvalidIdNumber("身份证号码不能为空")
    try:
        ric.validate(number)
    except stdnum_errors.InvalidLength as err:
        raise InvalidIdNumber(f"身份证号码应为18位，实际为{len(number)}位") from err
    except stdnum_errors.InvalidFormat as err:
        raise InvalidIdNumber("身份证号码前17位必须是数字") from err
    except stdnum_errors.InvalidChecksum as err:
        raise InvalidIdNumber("身份证号码校验位错误，请核对最后一位") from err
    except stdnum_errors.InvalidComponent as err:
        try:
            ric.get_birth_date(number)
        except stdnum_errors.InvalidComponent:
            raise InvalidIdNumber("身份证号码中的出生日期不存在") from err
        if not _area_code_known(number[:6]):
            raise InvalidIdNumber("身份证号码前6位不是有效的行政区划代码") from err
    birth = ric.get_birth_date(number)
    if birth > (today or dt.date.today()):
        raise InvalidIdNumber("身份证号码中的出生日期晚于今天")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdFacts(number=number, birth_date=birth, sex=sex)


@functools.cache
def _area_code_known(code: str) -> bool:
    """True if stdnum's area table knows the county code in any period."""
    info = dict(kv for _, props in numdb.get("cn/loc").info(code) for kv in props.items())
    return bool(info.get("county"))


def with_check_character(first17: str) -> str:
    """Append the MOD 11-2 check character to 17 digits (for synthetic data)."""
    return first17 + ric.calc_check_digit(first17 + "0")
