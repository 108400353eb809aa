"""Cell validation by column type, with Chinese reasons for staff.

Rules (one per type in ``catalogue.COLUMN_TYPES``):

* ``id_number`` — GB 11643 via ``registry.id_numbers.parse_id_number``
  (checksum, birth date, area code); the same number is parsed once per file
  chunk run (an LRU cache), since a person appears in many monthly rows.
* ``date`` — ``YYYY-MM-DD`` (also ``YYYY/MM/DD`` and ``YYYYMMDD``), not after today.
* ``month`` — ``YYYY-MM`` (also ``YYYYMM``, ``YYYY/MM``), not after this month.
* ``amount`` — yuan, ≥ 0, at most two decimals (``policy.money.parse_yuan``),
  thousands separators allowed; stored as integer fen.
* ``decimal`` — like ``amount`` but kept as text (areas).
* ``int`` — non-negative integer.
* ``code`` — one of the configured values.
* ``credit_code`` — 18-character unified social credit code (python-stdnum ``cn.uscc``).
* ``account`` — an account number (letters, digits, ``-``; at most 40): only
  its last 4 characters are stored (as for bank deposits), with a keyed blind
  index of the whole number (``<field>_index``) that tells accounts apart and
  makes the natural key.
* ``text`` — at most 200 characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from minzheng.core.personal_data import blind_index, mask_id_number
from minzheng.feeds.catalogue import Column
from minzheng.registry.services import InvalidIdNumber, parse_id_number
from policy.money import format_fen, parse_yuan

TEXT_MAX = 200
_MONTH = re.compile(r"^(\d{4})[-/]?(\d{1,2})$")


class CellError(ValueError):
    """A cell's value is invalid; ``str(err)`` is the Chinese reason."""


# GB 11643-1999 check character: weights 2^(17-i) mod 11, ISO 7064 MOD 11-2.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARACTERS = "10X98765432"
_area_accepted: dict[str, bool] = {}


def _passes_fast_check(number: str, today: dt.date) -> bool:
    """Length, digits, check character and birth date, as ``parse_id_number``
    checks them, without python-stdnum's per-call overhead (≈ 45 µs, which
    is most of the cost of a million-row file). Only a pass is trusted: any
    failure, and the first number of each area code, go through
    ``parse_id_number`` itself, which gives the Chinese reason and decides
    the area code (``_area_accepted`` remembers its verdict per area)."""
    if len(number) != 18 or not (number[:17].isascii() and number[:17].isdigit()):
        return False
    total = sum(int(c) * w for c, w in zip(number, _WEIGHTS, strict=False))
    if _CHECK_CHARACTERS[total % 11] != number[17]:
        return False
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return birth <= today and _area_accepted.get(number[:6], False)


@functools.lru_cache(maxsize=200_000)
def person_key(text: str) -> tuple[str, str]:
    """Validate an ID number; return (blind index, masked number). Cached per process."""
    number = text.strip().upper()
    if not _passes_fast_check(number, dt.date.today()):
        try:
            facts = parse_id_number(text)
        except InvalidIdNumber as err:
            raise CellError(str(err)) from err
        number = facts.number
        _area_accepted[number[:6]] = True
    return blind_index(number), mask_id_number(number)


_LONG_NUMBER = re.compile(r"[0-9]{14,17}[0-9Xx]|[0-9]{11,}")


def masked_filename(name: str) -> str:
    """A file name fit for logs and the audit trail: ID numbers (15/18
    characters) keep only their first 6 and last 1 (ADR 0002), other runs of 11+ digits
    (phone, account numbers) only their last 4. ``FeedFile.filename`` keeps
    the original for staff."""
    def mask(match: re.Match[str]) -> str:
        text = match.group(0)
        if len(text) in (15, 18):
            return mask_id_number(text)
        return "*" * (len(text) - 4) + text[-4:]

    return _LONG_NUMBER.sub(mask, name)


ACCOUNT_MAX = 40
_ACCOUNT = re.compile(r"^[0-9A-Za-z-]+$")


class AccountNumber(NamedTuple):
    """A parsed ``account`` cell: what is stored, never the whole number."""

    last4: str
    index: str


def parse_account(text: str) -> AccountNumber:
    number = text.strip().replace(" ", "")
    if len(number) > ACCOUNT_MAX or not _ACCOUNT.match(number):
        raise CellError(f"账户号码应为不超过{ACCOUNT_MAX}位的字母或数字")
    return AccountNumber(number[-4:], blind_index(number))


def mask_account(text: str) -> str:
    """An account number as quarantined rows keep it: the last 4 only."""
    number = text.strip().replace(" ", "")
    return "*" * max(len(number) - 4, 0) + number[-4:]


def parse_date(text: str, today: dt.date) -> dt.date:
    cleaned = text.replace("/", "-")
    if len(cleaned) == 8 and cleaned.isascii() and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    if len(cleaned) > 10 and cleaned[10] in " T":  # a timestamp: keep the day
        cleaned = cleaned[:10]
    try:
        value = dt.date.fromisoformat(cleaned)
    except ValueError:
        raise CellError("日期格式应为 YYYY-MM-DD，或日期不存在") from None
    if value > today:
        raise CellError("日期晚于今天")
    if value.year < 1900:
        raise CellError("日期早于1900年")
    return value


def parse_month(text: str, today: dt.date) -> dt.date:
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CellError("月份格式应为 YYYY-MM")
    value = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if value > today.replace(day=1):
        raise CellError("月份晚于本月")
    if value.year < 1950:
        raise CellError("月份早于1950年")
    return value


def parse_amount(text: str) -> int:
    try:
        return parse_yuan(text, thousands=True)
    except ValueError as err:
        raise CellError(str(err)) from err


def parse_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise CellError("应为非负整数")
    return int(text)


def parse_credit_code(text: str) -> str:
    try:
        return uscc.validate(text)
    except stdnum_errors.InvalidLength:
        raise CellError("统一社会信用代码应为18位") from None
    except stdnum_errors.ValidationError:
        raise CellError("统一社会信用代码无效（校验位或格式错误）") from None


def validator(column: Column, today: dt.date) -> Callable[[str], object]:
    """The parser for one column: text → typed value, or ``CellError``."""
    kind = column.type
    if kind == "id_number":
        return person_key
    if kind == "date":
        return functools.lru_cache(maxsize=20_000)(lambda text: parse_date(text, today))
    if kind == "month":
        return functools.lru_cache(maxsize=2_000)(lambda text: parse_month(text, today))
    if kind == "amount":
        return parse_amount
    if kind == "decimal":
        return lambda text: format_fen(parse_amount(text))
    if kind == "int":
        return parse_int
    if kind == "credit_code":
        return parse_credit_code
    if kind == "account":
        return parse_account
    if kind == "code":
        allowed = frozenset(column.values)
        message = "应为：" + "、".join(column.values)

        def code(text: str) -> str:
            if text not in allowed:
                raise CellError(f"“{text[:20]}”无效，{message}")
            return text

        return code

    def free_text(text: str) -> str:
        if len(text) > TEXT_MAX:
            raise CellError(f"超过{TEXT_MAX}个字符")
        return text

    return free_text
