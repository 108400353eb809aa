"""What a person search query matches, and in which order, shaped so that
PostgreSQL answers from an index at any registry size
(docs/adr/0020-person-search-indexes.md).

=====================  =============================================  ==========================
query                  matches                                         order
=====================  =============================================  ==========================
18-character ID        the blind index, exactly                        id
6–14 digits            ID numbers starting so: area code (masked        birth date, id
                       copy), birth date (range)
15–17, 19+ digits      refused (``query_problem``): the masked copy     —
                       no longer keeps digits 15–17
letters, no vowel      initials starting so (zw, zxm)                   initials, pinyin, id
letters with i/u/v     full pinyin starting so (liu, zhangwei)          pinyin, id
other letters          initials or full pinyin starting so              pinyin, id
1–2 Chinese chars      names starting so (surname; a two-character     name, birth date, id
                       name or a compound surname)
3+ characters          names containing the text (pg_trgm)             name, birth date, id
=====================  =============================================  ==========================

Names and pinyin sort in code point order (``COLLATE "C"`` on PostgreSQL,
SQLite's own order), so both databases list the same rows in the same order.
Fewer than six digits match nothing: the first six are the area code, which
most of the district shares. 15–17 digits are refused with a Chinese message
rather than matched as their first 14 (that would list other persons as if
they matched): the masked copy keeps only the first 6 and the last character
(ADR 0002), so the sequence digits 15–17 are in no searchable column.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate, Substr

from minzheng.core.personal_data import blind_index
from minzheng.registry.search_indexes import BYTE_ORDER_COLLATION

_ID_FULL = re.compile(r"^\d{17}[\dXx]$")
_PINYIN = re.compile(r"^[A-Za-z\s']+$")
_AREA_DIGITS = 6
_BIRTH_DIGITS = 8
_ID_PREFIX_MAX = _AREA_DIGITS + _BIRTH_DIGITS
ID_PREFIX_REFUSED = "身份证号码请输入前6至14位，或完整的18位"

ID_FULL, ID_PREFIX, PINYIN, NAME_PREFIX, NAME_CONTAINS, EVERYONE = (
    "id_full", "id_prefix", "pinyin", "name_prefix", "name_contains", "everyone")
NAME_PREFIX_MAX = 2  # trigrams need three characters; shorter names are matched as prefixes


def query_kind(q: str) -> str:
    """Which rule matches ``q`` (already stripped)."""
    if not q:
        return EVERYONE
    if _ID_FULL.match(q):
        return ID_FULL
    if q.isascii() and q.isdigit():
        return ID_PREFIX
    if _PINYIN.match(q):
        return PINYIN
    return NAME_PREFIX if len(q) <= NAME_PREFIX_MAX else NAME_CONTAINS


def query_problem(q: str) -> str | None:
    """The Chinese message for a query the search refuses, else None: digits
    that are neither an ID number's first 6–14 (area code and birth date) nor
    a whole 18-character number. Digits 15–17 cannot be matched (the masked
    copy no longer keeps them, ADR 0002) and must not be read as their first
    14 (other persons would be listed as matches)."""
    q = (q or "").strip()
    if q.isascii() and q.isdigit() and len(q) > _ID_PREFIX_MAX and not _ID_FULL.match(q):
        return ID_PREFIX_REFUSED
    return None


def byte_order(field: str) -> Any:
    """``field`` in code point order: ``COLLATE "C"`` on PostgreSQL (what the
    search indexes are built with), the column itself on SQLite (already so)."""
    if connection.vendor == "postgresql":
        return Collate(F(field), BYTE_ORDER_COLLATION)
    return F(field)


def persons_matching(qs: QuerySet, q: str) -> QuerySet:
    """``qs`` (persons) narrowed to those matching ``q``, in the order above."""
    q = (q or "").strip()
    if query_problem(q):
        return qs.none()  # never other persons' rows (callers show the message)
    kind = query_kind(q)
    if kind == EVERYONE:
        return qs.order_by("id")
    if kind == ID_FULL:
        return qs.filter(id_number_index=blind_index(q)).order_by("id")
    if kind == ID_PREFIX:
        return _id_prefix(qs, q)
    if kind == PINYIN:
        return _pinyin(qs, re.sub(r"[\s']", "", q).lower())
    name_order = (byte_order("name"), "birth_date", "id")
    if kind == NAME_PREFIX:
        return qs.filter(name__startswith=q).order_by(*name_order)
    return qs.filter(name__contains=q).order_by(*name_order)


def _pinyin(qs: QuerySet, key: str) -> QuerySet:
    """Initials or full pinyin starting with ``key``.

    Letters without a vowel (``zw``, ``zxm``; not ``zh``/``ch``/``sh``)
    cannot start a full pinyin: they are initials alone, listed in initials
    order (one contiguous range of the initials index). Letters with an i, u
    or v (``liu``, ``zhangwei``) cannot be initials: full pinyin alone, one
    contiguous range of the pinyin index; so are letters that no visible
    person's initials start with (``zhang``: one index probe decides).
    Otherwise (``zh``, ``oy``) both are tried; both start with the first letter of the full pinyin, which bounds
    the ordered scan of the pinyin index (``name_pinyin LIKE 'z%'``); one
    letter is that condition alone."""
    if initials_only(key):
        return qs.filter(name_initials__startswith=key).order_by(
            byte_order("name_initials"), byte_order("name_pinyin"), "id")
    pinyin_side = qs.filter(name_pinyin__startswith=key).order_by(byte_order("name_pinyin"), "id")
    if pinyin_only(key) or not qs.filter(name_initials__startswith=key).exists():
        return pinyin_side
    qs = qs.filter(name_pinyin__startswith=key[:1])
    if len(key) > 1:
        qs = qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key))
    return qs.order_by(byte_order("name_pinyin"), "id")


_VOWELS = frozenset("aeiouv")
_TWO_LETTER_INITIALS = frozenset({"zh", "ch", "sh"})


def pinyin_only(key: str) -> bool:
    """True if ``key`` (two letters or more) has an i, u or v: no syllable
    starts with one (they are written yi, wu, yu), so no initials contain it."""
    return len(key) > 1 and bool(_NEVER_INITIAL & set(key))


_NEVER_INITIAL = frozenset("iuv")


def initials_only(key: str) -> bool:
    """True if ``key`` (two letters or more) has no vowel and is not zh/ch/sh:
    every syllable of a name's pinyin has a vowel right after its initial."""
    return len(key) > 1 and key not in _TWO_LETTER_INITIALS and not (_VOWELS & set(key))


def _id_prefix(qs: QuerySet, digits: str) -> QuerySet:
    """ID numbers starting with ``digits`` (6–14; fewer match nothing, more
    are refused by ``query_problem``): the area code is the masked copy's
    first six characters, the next eight the birth date. Nothing here reveals
    more than a list row already shows (ADR 0002)."""
    if not _AREA_DIGITS <= len(digits) <= _ID_PREFIX_MAX:
        return qs.none()
    birth = birth_date_range(digits[_AREA_DIGITS:])
    if birth is None:
        return qs.none()
    qs = qs.alias(id_area=Substr("id_number_masked", 1, _AREA_DIGITS)).filter(
        id_area=digits[:_AREA_DIGITS], birth_date__range=birth)
    return qs.order_by("birth_date", "id")


def birth_date_range(prefix: str) -> tuple[dt.date, dt.date] | None:
    """The first and last real dates whose ``YYYYMMDD`` starts with ``prefix``
    (0–8 digits), or None when no date does (``199013``)."""
    low = _first_date_from(prefix + "0" * (_BIRTH_DIGITS - len(prefix)))
    high = _last_date_until(prefix + "9" * (_BIRTH_DIGITS - len(prefix)))
    if low is None or high is None or low > high:
        return None
    return low, high


def _first_date_from(text: str) -> dt.date | None:
    """The first real date on or after ``text`` (YYYYMMDD, compared as text)."""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if year == 0:
        return dt.date(1, 1, 1)
    if month == 0:
        return dt.date(year, 1, 1)
    if month > 12:
        return dt.date(year + 1, 1, 1) if year < 9999 else None
    if day == 0:
        return dt.date(year, month, 1)
    if day > calendar.monthrange(year, month)[1]:
        if month == 12:
            return dt.date(year + 1, 1, 1) if year < 9999 else None
        return dt.date(year, month + 1, 1)
    return dt.date(year, month, day)


def _last_date_until(text: str) -> dt.date | None:
    """The last real date on or before ``text`` (YYYYMMDD, compared as text)."""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if month == 0:
        return dt.date(year - 1, 12, 31) if year > 1 else None
    if month > 12:
        return dt.date(year, 12, 31) if year > 0 else None
    if year == 0:
        return None
    if day == 0:
        previous = dt.date(year, month, 1) - dt.timedelta(days=1) if (year, month) != (1, 1) else None
        return previous
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
