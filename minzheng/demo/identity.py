"""Synthetic resident ID numbers (GB 11643) and mobile numbers.

An ID number is area code + birth date + 3-digit sequence + check character.
Area codes: Shanghai-hukou people born in Songjiang get 310227 (松江县, before
1998) or 310117 (松江区, from 1998); some were born elsewhere in Shanghai;
migrants get county codes of other provinces. All codes are in stdnum's
table (any period is accepted by ``parse_id_number``, see ADR 0003).

Uniqueness: :class:`SequenceAllocator` hands out the sequence numbers per
(area, birth date, sex) in order, odd for men and even for women, so numbers
never repeat within a run; a fixed array of counters keeps memory bounded.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SONGJIANG_COUNTY = "310227"  # 松江县, codes issued before 1998
SONGJIANG_DISTRICT = "310117"  # 松江区, from 1998
OTHER_SHANGHAI = ("310101", "310104", "310105", "310106", "310107", "310110", "310112", "310115", "310120")
OTHER_PROVINCES = (  # weighted towards Songjiang's main migrant sources
    ("340102", 8), ("340121", 6), ("341222", 6), ("342422", 5), ("320321", 5), ("320723", 4),
    ("321282", 3), ("320102", 2), ("410102", 4), ("411323", 4), ("412702", 4), ("411521", 3),
    ("510102", 3), ("511321", 3), ("512501", 3), ("500101", 3), ("500235", 2), ("420102", 2),
    ("421126", 3), ("430102", 2), ("431121", 2), ("360102", 2), ("362329", 3), ("330102", 2),
    ("330523", 2), ("370102", 2), ("371522", 2), ("350102", 1), ("520102", 1), ("522422", 2),
    ("130102", 1), ("230102", 1), ("610102", 1), ("620102", 1), ("450102", 1), ("530102", 1),
)
AREA_CODES: tuple[str, ...] = (
    SONGJIANG_COUNTY, SONGJIANG_DISTRICT, *OTHER_SHANGHAI, *(code for code, _ in OTHER_PROVINCES)
)
_MIGRANT_FIRST = 2 + len(OTHER_SHANGHAI)
_MIGRANT_P = np.array([w for _, w in OTHER_PROVINCES], dtype=float)
_MIGRANT_P /= _MIGRANT_P.sum()

EPOCH = dt.date(1900, 1, 1)
_DAYS = (dt.date(2100, 1, 1) - EPOCH).days


def draw_area_codes(
    rng: np.random.Generator, *, hukou: np.ndarray, birth_year: np.ndarray
) -> np.ndarray:
    """Index into :data:`AREA_CODES` per person."""
    n = len(hukou)
    local_born = rng.random(n) < 0.85
    songjiang = np.where(birth_year < 1998, 0, 1)
    other_sh = 2 + rng.integers(0, len(OTHER_SHANGHAI), size=n)
    migrant = _MIGRANT_FIRST + rng.choice(len(OTHER_PROVINCES), size=n, p=_MIGRANT_P)
    return np.where(hukou, np.where(local_born, songjiang, other_sh), migrant).astype(np.int16)


class SequenceAllocator:
    """Next free sequence per (area, birth day, sex); bounded memory (~60 MB at most)."""

    def __init__(self) -> None:
        self._used = np.zeros((len(AREA_CODES), _DAYS, 2), dtype=np.int16)

    def allocate(self, area: np.ndarray, day: np.ndarray, male: np.ndarray) -> np.ndarray:
        """3-digit sequences: men 001, 003, …; women 002, 004, … (never 000)."""
        sex = male.astype(np.int64)
        key = (area.astype(np.int64) * _DAYS + day) * 2 + sex
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
        rank = np.empty(len(key), dtype=np.int64)
        rank[order] = np.arange(len(key)) - group_start
        flat = self._used.reshape(-1)
        base = flat[key].astype(np.int64)
        n = base + rank
        if (n >= 499).any():
            raise OverflowError("more than 499 people share an area code, birth date and sex")
        np.maximum.at(flat, key, (n + 1).astype(np.int16))
        return np.where(male, 2 * n + 1, 2 * n + 2)


_AREA_DIGITS = np.array([[int(ch) for ch in code] for code in AREA_CODES], dtype=np.int64)
_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)  # GB 11643: W_i = 2^(i-1) mod 11
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)  # check character for (Σ a_i·W_i) mod 11
_EPOCH64 = np.datetime64(EPOCH, "D")


def id_numbers(area: np.ndarray, birth_day: np.ndarray, seq: np.ndarray) -> tuple[list[str], list[str]]:
    """Full 18-character numbers with the MOD 11-2 check character (GB 11643)
    and their masked copies (``personal_data.mask_id_number``: first 6 and
    last 1 kept), built as one digit matrix with numpy — area code, birth
    date (days since :data:`EPOCH`), 3-digit sequence, check character; the
    same characters ``registry.services.with_check_character`` and
    ``mask_id_number`` give one number at a time (tested)."""
    days = _EPOCH64 + np.asarray(birth_day).astype("timedelta64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    fields = (  # (value, digits)
        (years.astype(np.int64) + 1970, 4), ((months - years).astype(np.int64) + 1, 2),
        ((days - months).astype(np.int64) + 1, 2), (np.asarray(seq, dtype=np.int64), 3),
    )
    digits = np.empty((len(days), 17), dtype=np.int64)
    digits[:, :6] = _AREA_DIGITS[np.asarray(area, dtype=np.int64)]
    position = 6
    for value, width in fields:
        for power in range(width - 1, -1, -1):
            digits[:, position] = value // 10**power % 10
            position += 1
    text = np.empty((len(days), 18), dtype=np.uint8)
    text[:, :17] = digits + ord("0")
    text[:, 17] = _CHECK[digits @ _WEIGHTS % 11]
    numbers = np.char.decode(text.view("S18").reshape(-1), "ascii").tolist()
    text[:, 6:17] = ord("*")
    return numbers, np.char.decode(text.view("S18").reshape(-1), "ascii").tolist()


_MOBILE_PREFIXES = np.array([
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
    "158", "159", "177", "180", "181", "186", "187", "188", "189", "199",
])


def phones(rng: np.random.Generator, has_phone: np.ndarray) -> list[str]:
    """Mobile numbers ('' for people without one, e.g. small children)."""
    prefix = rng.choice(_MOBILE_PREFIXES, size=len(has_phone))
    body = rng.integers(0, 100_000_000, size=len(has_phone))
    return [f"{p}{b:08d}" if h else "" for p, b, h in zip(prefix, body.tolist(), has_phone.tolist(), strict=True)]
