"""Money conventions: integer fen (分) everywhere, explicit rounding.

Project conventions: money is held as integer fen, never float; household
amounts are rounded to whole yuan half up after summing members.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

FEN_PER_YUAN = 100

MAX_YUAN = 10**12 - 1
"""The largest amount accepted (999,999,999,999 yuan, < 10**14 fen): far above
any household's income, assets or benefit, and small enough that integer fen
summed over any household or district stay within a 64-bit integer column (an
18-digit amount would overflow it)."""

_INVALID = "金额格式无效，应为以元为单位的数字或数字字符串"
_PLAIN_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_yuan(value: object, *, allow_negative: bool = False, thousands: bool = False) -> int:
    """Parse a yuan amount (decimal string or number) into integer fen.

    The one parser of money typed by people or read from files. Strings are
    plain decimal notation (``"795"``, ``"795.5"``, ``"-0.50"``; no exponent);
    with ``thousands`` the separators ``,`` and ``，`` are ignored. Raises
    ``ValueError`` with a Chinese message when the value is not a finite amount
    with at most two decimals, is larger than ``MAX_YUAN``, or is negative and
    ``allow_negative`` is false.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(_INVALID)
    text = str(value).strip()
    if thousands:
        text = text.replace(",", "").replace("，", "")
    if isinstance(value, str) and not _PLAIN_DECIMAL.match(text):
        raise ValueError(_INVALID)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_INVALID) from None
    if not amount.is_finite():
        raise ValueError("金额必须是有限数值")
    if amount < 0 and not allow_negative:
        raise ValueError("金额不能为负数")
    if abs(amount) > MAX_YUAN:
        raise ValueError(f"金额过大：不能超过 {MAX_YUAN:,} 元")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError("金额最多精确到分（两位小数）")
    return int(fen)


def decimal_to_fen(amount: Decimal) -> int:
    """Convert a parameter value in yuan to fen; the value must be a whole number of fen."""
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} yuan is not a whole number of fen")
    return int(fen)


def format_fen(fen: int, *, grouping: bool = False, unit: str = "") -> str:
    """Format fen as a yuan string with two decimals: 79500 -> "795.00".

    ``grouping`` adds thousands separators (12345678 -> "123,456.78"); ``unit``
    is appended as given (``"元"`` or ``" 元"``). Negative amounts keep the sign
    in front: -50 -> "-0.50".
    """
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    whole = f"{fen // FEN_PER_YUAN:,}" if grouping else str(fen // FEN_PER_YUAN)
    return f"{sign}{whole}.{fen % FEN_PER_YUAN:02d}{unit}"


@functools.lru_cache(maxsize=1024)
def scale_fen_ceil(fen: int, ratio: Decimal, step_fen: int) -> int:
    """``fen × ratio`` rounded UP to the next multiple of ``step_fen`` (exact arithmetic; memoised)."""
    exact = Fraction(fen) * Fraction(ratio)
    steps = -((-exact.numerator) // (exact.denominator * step_fen))
    return int(steps * step_fen)


@functools.lru_cache(maxsize=1024)
def scale_fen_half_up(fen: int, ratio: Fraction | Decimal, step_fen: int = 1) -> int:
    """``fen × ratio`` rounded half up to a multiple of ``step_fen`` (exact; for fen ≥ 0; memoised)."""
    exact = Fraction(fen) * Fraction(ratio)
    num, den = exact.numerator, exact.denominator
    return int(((2 * num + step_fen * den) // (2 * step_fen * den)) * step_fen)


def divide_half_up_to_yuan(numerator: NDArray[np.int64], divisor: NDArray[np.int64]) -> NDArray[np.int64]:
    """Round ``numerator / divisor`` fen to whole yuan, half up; result in fen.

    Exact integer arithmetic for non-negative numerators:
    ``floor((n/d + 50) / 100) = floor((n + 50 d) / (100 d))``.
    """
    return ((numerator + 50 * divisor) // (FEN_PER_YUAN * divisor)) * FEN_PER_YUAN
