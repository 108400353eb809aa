"""Bounds on what people type or upload: dates, months, years, whole numbers,
page numbers, text lengths, file sizes. Each bound lives here, once, with the
reason for it; services call these checks so the pages, the API and the
command line refuse the same values with the same Chinese message
(``ValidationError``), before anything is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from minzheng.core.months import month_parse
from policy.months import Month

EARLIEST_DAY = dt.date(2000, 1, 1)
"""No case-work date (visit, notice, decision, suspension, payment) before
2000-01-01: the national minimum-living-guarantee regulations
(《城市居民最低生活保障条例》) took effect on 1999-10-01 and the district's
oldest records brought over from the previous system start in 2000. An
earlier date is a typing error (1900-01, 0001-01-01), never a fact."""

EARLIEST_MONTH = "2000-01"
"""The first benefit month, for the same reason as ``EARLIEST_DAY``."""

MONTHS_AHEAD = 1
"""Runs and batches (monitoring, eligibility, payments, suspensions) may be
prepared for at most next month: the bureau prepares next month's payments
before the month starts, but no parameter, CPI figure or registry fact is
known further ahead, so 9999-12 is always a typing error."""

GRANT_MONTHS_AHEAD = 12
"""A one-off grant (e.g. for the Spring Festival) may be defined up to a year
ahead: the decision to pay it is taken months before it is paid."""

SCHEDULE_DAYS_AHEAD = 31
"""A step scheduled ahead (a public notice's first day) starts within a month
of the day it is decided: the notice is posted for the application in hand,
and a start years ahead would leave it in notice indefinitely."""

LATEST_DAY = dt.date(2099, 12, 31)
"""No date after 2099 anywhere (far beyond any notice, decision or plan; a
date such as 9999-12-31 would overflow the date arithmetic that adds days)."""

EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
"""Years taken from pages (ledgers, yearly totals): the same span as dates."""

MAX_WHOLE = 2**63 - 1
"""The largest value a database integer column (BIGINT) and NumPy's int64 hold."""


def today() -> dt.date:
    return dt.date.today()


def day_check(day: dt.date, label: str, *, earliest: dt.date = EARLIEST_DAY,
              latest: dt.date | None = LATEST_DAY) -> dt.date:
    """``day`` itself, or a Chinese ``ValidationError`` naming ``label`` when it is
    before ``earliest`` (default 2000-01-01) or after ``latest``."""
    if day < earliest:
        raise ValidationError(f"{label}“{day.isoformat()}”过早：不能早于 {earliest.isoformat()}")
    if latest is not None and day > latest:
        raise ValidationError(f"{label}“{day.isoformat()}”过晚：不能晚于 {latest.isoformat()}")
    return day


def moment_check(moment: dt.datetime, label: str, *, earliest: dt.date = EARLIEST_DAY,
                 latest: dt.date | None = LATEST_DAY) -> dt.datetime:
    """A time of day sent by a person or a client, as an aware datetime: its day
    within bounds like ``day_check`` (checked before any time-zone arithmetic,
    which overflows near the years 1 and 9999), and a time without a zone taken
    as local time (``TIME_ZONE``, Asia/Shanghai) — never compared naive with aware."""
    day_check(moment.date(), label, earliest=earliest, latest=latest)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def day_parse(text: str, label: str, *, earliest: dt.date = EARLIEST_DAY,
              latest: dt.date | None = LATEST_DAY) -> dt.date:
    """A ``YYYY-MM-DD`` day typed by a person, within bounds, or ``ValidationError``."""
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError as err:
        raise ValidationError(f"{label}“{str(text)[:20]}”无效，应为 YYYY-MM-DD 格式的日期") from err
    return day_check(day, label, earliest=earliest, latest=latest)


def latest_month(on: dt.date | None = None, months_ahead: int = MONTHS_AHEAD) -> str:
    """The last month a run or batch may be for: next month (``MONTHS_AHEAD``)."""
    return str(Month.of(on or today()).shift(months_ahead))


def month_check(text: str, label: str = "月份", *, months_ahead: int | None = MONTHS_AHEAD,
                earliest: str = EARLIEST_MONTH, on: dt.date | None = None) -> str:
    """``YYYY-MM`` normalised and within bounds: not before ``earliest`` (2000-01)
    and, unless ``months_ahead`` is None, at most ``months_ahead`` months after
    the month of ``on`` (today). Otherwise a Chinese ``ValidationError``."""
    try:
        month = month_parse(text)
    except ValidationError as err:
        raise ValidationError(f"{label}“{str(text)[:20]}”无效，应为 YYYY-MM，且不早于 {earliest}") from err
    if month < earliest:
        raise ValidationError(f"{label}“{month}”过早：不能早于 {earliest}")
    if months_ahead is not None:
        last = latest_month(on, months_ahead)
        if month > last:
            when = "本月" if months_ahead == 0 else f"{last}（下月）" if months_ahead == 1 else last
            raise ValidationError(f"{label}“{month}”过晚：不能晚于{when}")
    return month


def year_parse(text: object, label: str = "年份") -> int:
    """A year from 2000 to 2099, or a Chinese ``ValidationError``."""
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or not EARLIEST_YEAR <= int(raw) <= LATEST_YEAR:
        raise ValidationError(f"{label}“{raw[:20]}”无效：应为 {EARLIEST_YEAR} 到 {LATEST_YEAR} 之间的四位年份")
    return int(raw)


def whole_number(text: object, label: str, *, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    """A whole number written in ASCII digits from ``minimum`` to ``maximum``, or
    a Chinese ``ValidationError`` (never NaN, an exponent or an overflow)."""
    raw = str(text).strip()
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits or not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        raise ValidationError(f"{label}“{raw[:20]}”无效：请填写 {minimum} 到 {maximum} 之间的整数")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValidationError(f"{label}“{raw[:20]}”超出范围：请填写 {minimum} 到 {maximum} 之间的整数")
    return value


def decimal_parse(text: object, label: str, *, minimum: Decimal, maximum: Decimal, places: int = 2) -> Decimal:
    """A finite decimal from ``minimum`` to ``maximum`` with at most ``places``
    decimals, or a Chinese ``ValidationError`` (NaN, sNaN and Infinity are refused
    before any comparison, which would raise on a signalling NaN)."""
    raw = str(text).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation as err:
        raise ValidationError(f"{label}“{raw[:20]}”不是有效的数字") from err
    if not value.is_finite():
        raise ValidationError(f"{label}“{raw[:20]}”不是有限的数字")
    if not minimum <= value <= maximum or value != value.quantize(Decimal(1).scaleb(-places)):
        decimals = "不带小数" if places == 0 else f"最多{'两' if places == 2 else places}位小数"
        raise ValidationError(f"{label}应在 {minimum} 到 {maximum} 之间，{decimals}")
    return value


def page_number(text: object, pages: int) -> int:
    """The page to show for a ``page`` parameter: a number from 1 to ``pages``;
    anything else (huge, negative, non-numeric) shows the first or last page."""
    raw = str(text or "").strip()
    if raw == "last":
        return max(pages, 1)
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return 1
    return min(max(int(raw), 1), max(pages, 1))


def lengths_check(instance: models.Model, fields: list[str] | None = None) -> None:
    """Refuse, before the database sees them, text values longer than their
    column (SQLite does not enforce ``max_length``; PostgreSQL would answer with
    an error that becomes a 500). Raises a Chinese ``ValidationError`` naming
    each field by its verbose name. Run for every model save by a ``pre_save``
    hook (``core.apps``); services may call it earlier, before other writes."""
    problems = []
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, models.CharField):
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"{field.verbose_name}过长：最多 {limit} 个字，现有 {len(value)} 个字")
    if problems:
        raise ValidationError(problems)


def text_check(value: str, label: str, limit: int) -> str:
    """``value`` when at most ``limit`` characters, else a Chinese ``ValidationError``."""
    if len(value) > limit:
        raise ValidationError(f"{label}过长：最多 {limit} 个字，现有 {len(value)} 个字")
    return value


def max_upload_bytes() -> int:
    """The largest file a page or the API accepts (``MINZHENG_MAX_UPLOAD_BYTES``, 20 MB by default)."""
    return int(getattr(settings, "MINZHENG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def max_request_bytes() -> int:
    """The largest multipart request (``MINZHENG_MAX_REQUEST_BYTES``; by default three
    files of the largest size and the form: an application with its documents)."""
    return int(getattr(settings, "MINZHENG_MAX_REQUEST_BYTES", 3 * max_upload_bytes() + 1024 * 1024))


def upload_check(upload) -> None:
    """Refuse an uploaded file larger than ``max_upload_bytes()`` before reading it."""
    limit = max_upload_bytes()
    if upload is not None and (upload.size or 0) > limit:
        raise ValidationError(f"文件“{upload.name}”过大：不能超过 {limit // (1024 * 1024)} MB")


HEADER_ONLY = "文件只有表头，没有数据行"
