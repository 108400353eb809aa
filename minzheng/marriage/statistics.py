"""Marriage registration statistics in the terms of the bureau's yearly report
(seed: the 2023 work report, "五是优化婚姻登记服务"):

    全年全区共办理结婚登记 4845 对、离婚申请 2707 对、离婚登记 1895 对、补发婚姻证书
    1445 张 … 于6月1日起 … 推进婚姻登记"跨省通办"试点工作，截至12月底，共计办理跨省
    结婚登记953对、离婚申请402对、离婚登记221对，分别占同期本区内地居民婚姻登记的
    29.09%、22.31%和17.64%。

One service, :func:`marriage_statistics`, used by the statistics page, its
Excel download (:func:`statistics_workbook`) and ``GET
/api/v1/marriage/statistics?year=YYYY``. What is counted
(docs/adr/0022-marriage-registration.md, "Statistics"):

* 结婚登记（对）: registrations by ``registered_on``;
* 离婚申请（对）: divorce applications by the day the office received them
  (``received_on``), whatever became of them;
* 离婚登记（对）: registered divorces by ``registered_on``;
* 补发婚姻证书（张）: re-issued certificates (结婚证 and 离婚证, ``reissue_of`` set)
  by ``issued_on``.

跨省 (cross-province): the ``cross_province`` flag stored with the record
when it was made (``conditions.is_cross_province``): **neither** party's
hukou is in Shanghai — exactly the couples the cross-province pilot (跨省通办,
2023-06-01 to 2025-05-09, REFERENCE §12) let register at the office of their
habitual residence, and that could not register here before it
(``conditions.place_allows``). A divorce application carries the flag of its
parties (a registered divorce counts by its application's flag). From 2025-05-10 (婚姻登记条例 as revised,
国务院令第804号) anyone may register anywhere; the same couples are still
counted, as 异地登记, so the series continues unbroken. Before 2023-06-01
the figure does not exist: it is shown as "不适用", never 0.

The share (占同期…的比例) is the cross-province count divided by the total of
the **same figure over the same days**, counting only days from 2023-06-01:
for 2023 that is June to December (953 / 3276 = 29.09%), for later years
the whole year (to today for the current year). Percentages have two
decimals, rounded half up; a period with no registration has no share
(None, shown as "—"), never 0%. Months after today are not yet known (None).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from minzheng.core.bounds import year_parse
from minzheng.core.models import Division, User
from minzheng.core.permissions import require
from minzheng.core.scope import Scope
from minzheng.marriage.conditions import CROSS_PROVINCE_PILOT_FROM, NATIONWIDE_FROM
from minzheng.marriage.models import (
    DivorceApplication,
    DivorceStatus,
    MarriageCertificate,
    MarriageRegistration,
)
from minzheng.marriage.selectors import office_rows

CROSS_FROM = CROSS_PROVINCE_PILOT_FROM  # first day the cross-province figures exist


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # the report's words, with the unit
    cross: bool  # has a cross-province count and share


FIGURES = (
    Figure("marriages", "结婚登记（对）", True),
    Figure("divorce_applications", "离婚申请（对）", True),
    Figure("divorces", "离婚登记（对）", True),
    Figure("reissues", "补发婚姻证书（张）", False),
)
CROSS_FIGURES = tuple(f for f in FIGURES if f.cross)
CROSS_WORD = {"marriages": "跨省结婚登记（对）", "divorce_applications": "跨省离婚申请（对）",
              "divorces": "跨省离婚登记（对）"}
SHARE_WORD = {"marriages": "跨省结婚登记占同期结婚登记的比例",
              "divorce_applications": "跨省离婚申请占同期离婚申请的比例",
              "divorces": "跨省离婚登记占同期离婚登记的比例"}
NOT_APPLICABLE = "不适用"  # before the pilot: the figure does not exist
NOT_YET = "尚未到"  # a month after today


def share_percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage with two decimals, half up
    (953 of 3276 → 29.09); ``None`` when ``whole`` is 0 (no share, not 0%)."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One period (a month, the year, or the cross-province period of the year).

    ``counts[key]`` is ``None`` for a month not yet reached; ``cross[key]`` and
    ``base[key]`` are ``None`` when no day of the period lies in the
    cross-province era; ``base`` is the same figure counted over those days
    only (the share's denominator)."""

    label: str
    first: dt.date
    last: dt.date
    counts: dict[str, int | None] = field(default_factory=dict)
    cross: dict[str, int | None] = field(default_factory=dict)
    base: dict[str, int | None] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return all(v is not None for v in self.counts.values())

    def share(self, key: str) -> Decimal | None:
        cross, base = self.cross.get(key), self.base.get(key)
        if cross is None or base is None:
            return None
        return share_percent(cross, base)

    def as_json(self) -> dict:
        return {
            "label": self.label, "first": self.first.isoformat(), "last": self.last.isoformat(),
            **{f.key: self.counts.get(f.key) for f in FIGURES},
            **{f"{f.key}_cross": self.cross.get(f.key) for f in CROSS_FIGURES},
            **{f"{f.key}_same_period": self.base.get(f.key) for f in CROSS_FIGURES},
            **{f"{f.key}_cross_share": (None if (s := self.share(f.key)) is None else str(s))
               for f in CROSS_FIGURES},
        }


@dataclass
class YearStatistics:
    year: int
    office_label: str
    today: dt.date
    months: list[Row]
    total: Row  # the year (to today)
    cross_period: Row | None  # the days of the year from the pilot on, None before 2023-06

    @property
    def title(self) -> str:
        return f"{self.office_label}{self.year}年婚姻登记统计"

    @property
    def cross_rule(self) -> str:
        """How the cross-province figures of this year are defined, in words."""
        if self.cross_period is None:
            return "本年度在婚姻登记“跨省通办”试点（2023年6月1日起）之前，无跨省登记统计。"
        parts = []
        if self.cross_period.first < NATIONWIDE_FROM:
            parts.append("“跨省通办”试点期间（2023年6月1日至2025年5月9日），双方户籍均不在本市、"
                         "在本处（经常居住地）办理的登记")
        if self.cross_period.last >= NATIONWIDE_FROM:
            parts.append("《婚姻登记条例》修订施行（2025年5月10日）后全国通办，仍按双方户籍均不在本市统计为跨省（异地）登记")
        first, last = self.cross_period.first, self.cross_period.last
        span = f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
        return f"跨省：{'；'.join(parts)}。比例为{span}同期同类登记中跨省登记所占百分比。"


def _office_label(user: User) -> str:
    scope = Scope.of(user)
    if not scope.code:
        return "全部登记机关"
    return Division.objects.filter(code=scope.code).values_list("name", flat=True).first() or scope.code


def _by_month(qs: QuerySet, day_field: str, *, cross: bool) -> dict[int, tuple[int, int | None, int | None]]:
    """month → (count, cross-province count, count from the pilot on), one query."""
    cross_days = Q(**{f"{day_field}__gte": CROSS_FROM})
    sums = {"n": Count("id")}
    if cross:
        sums["cross"] = Count("id", filter=cross_days & Q(cross_province=True))
        sums["base"] = Count("id", filter=cross_days)
    rows = qs.annotate(month=ExtractMonth(day_field)).values("month").annotate(**sums).order_by("month")
    return {r["month"]: (r["n"], r.get("cross"), r.get("base")) for r in rows}


def _querysets(user: User, year: int) -> dict[str, tuple[QuerySet, str, bool]]:
    """The four figures' rows, narrowed to the user's office (``selectors.office_rows``)."""
    return {
        "marriages": (office_rows(MarriageRegistration.objects.filter(registered_on__year=year), user),
                      "registered_on", True),
        "divorce_applications": (office_rows(DivorceApplication.objects.filter(received_on__year=year), user),
                                 "received_on", True),
        "divorces": (office_rows(DivorceApplication.objects.filter(status=DivorceStatus.REGISTERED,
                                                                   registered_on__year=year), user),
                     "registered_on", True),
        "reissues": (office_rows(MarriageCertificate.objects.filter(reissue_of__isnull=False, issued_on__year=year),
                                 user), "issued_on", False),
    }


def _sum(rows: Iterable[Row], label: str, first: dt.date, last: dt.date, *, cross_only: bool = False) -> Row:
    rows = [r for r in rows if r.known]
    total = Row(label, first, last)
    for f in FIGURES:
        total.counts[f.key] = sum(r.counts[f.key] for r in rows) if not cross_only or not f.cross else \
            sum(r.base[f.key] or 0 for r in rows)
    for f in CROSS_FIGURES:
        applicable = [r for r in rows if r.cross.get(f.key) is not None]
        total.cross[f.key] = sum(r.cross[f.key] for r in applicable) if applicable else None
        total.base[f.key] = sum(r.base[f.key] for r in applicable) if applicable else None
    return total


def marriage_statistics(user: User, year: object, *, today: dt.date | None = None) -> YearStatistics:
    """The year's figures by month, the year's total and the cross-province
    period, for the offices in ``user``'s jurisdiction. ``year`` is checked
    (2000–2099, not after this year): a Chinese ``ValidationError`` otherwise."""
    require(user, "marriage.statistics")
    number = year_parse(year)
    today = today or timezone.localdate()
    if number > today.year:
        raise ValidationError(f"{number}年尚未到来，没有统计数据；请选择{today.year}年或以前的年份")
    counted = {key: _by_month(qs, day, cross=cross) for key, (qs, day, cross) in _querysets(user, number).items()}
    months: list[Row] = []
    for month in range(1, 13):
        first = dt.date(number, month, 1)
        last = dt.date(number, month, calendar.monthrange(number, month)[1])
        label = f"{month}月（截至{today.day}日）" if first <= today < last else f"{month}月"
        row = Row(label, first, min(last, today) if first <= today else last)
        for f in FIGURES:
            n, cross, base = counted[f.key].get(month, (0, 0 if f.cross else None, 0 if f.cross else None))
            row.counts[f.key] = n if first <= today else None
            if f.cross:
                applicable = first <= today and row.last >= CROSS_FROM
                row.cross[f.key] = cross if applicable else None
                row.base[f.key] = base if applicable else None
        months.append(row)
    year_last = min(dt.date(number, 12, 31), today)
    total = _sum(months, "全年" if year_last.month == 12 and year_last.day == 31 else f"全年（截至{year_last.month}月{year_last.day}日）",
                 dt.date(number, 1, 1), year_last)
    cross_period = None
    if year_last >= CROSS_FROM:
        first = max(dt.date(number, 1, 1), CROSS_FROM)
        cross_period = _sum([m for m in months if m.last >= CROSS_FROM], "跨省通办期间", first, year_last,
                            cross_only=True)
        cross_period.label = f"{first.month}月至{year_last.month}月（同期）" if first.year == number else "同期"
    return YearStatistics(number, _office_label(user), today, months, total, cross_period)


# ---------------------------------------------------------------------------
# The Excel download (core.spreadsheets: text that would run as a formula stays text)


def _cell(value: object) -> object:
    return value if value is not None else ""


def statistics_headers() -> list[str]:
    """The sheet's header row, in the report's words (no codes)."""
    headers = ["月份"]
    for f in FIGURES:
        headers.append(f.label)
        if f.cross:
            headers += [CROSS_WORD[f.key], f"{SHARE_WORD[f.key]}（%）"]
    return headers


def _row_cells(row: Row, *, missing: str) -> list[object]:
    cells: list[object] = [row.label]
    for f in FIGURES:
        count = row.counts.get(f.key)
        cells.append(missing if count is None else count)
        if f.cross:
            cross = row.cross.get(f.key)
            share = row.share(f.key)
            if count is None:
                cells += [missing, missing]
            elif cross is None:
                cells += [NOT_APPLICABLE, NOT_APPLICABLE]
            else:
                cells += [cross, "—" if share is None else float(share)]
    return cells


def statistics_workbook(stats: YearStatistics) -> bytes:
    from openpyxl import Workbook

    from minzheng.core.spreadsheets import sheet_append

    book = Workbook(write_only=True)
    sheet = book.create_sheet("婚姻登记统计")
    sheet_append(sheet, [stats.title])
    sheet_append(sheet, statistics_headers())
    for row in stats.months:
        sheet_append(sheet, _row_cells(row, missing=NOT_YET))
    sheet_append(sheet, _row_cells(stats.total, missing=NOT_YET))
    if stats.cross_period is not None:
        sheet_append(sheet, _row_cells(stats.cross_period, missing=NOT_YET))
    sheet_append(sheet, [])
    sheet_append(sheet, ["说明", stats.cross_rule])
    sheet_append(sheet, ["", "离婚申请按登记机关收到申请之日统计；离婚登记按发给离婚证之日统计；补发婚姻证书含结婚证和离婚证。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def headline(stats: YearStatistics) -> str:
    """The report's sentence for the year (the page's summary line)."""
    t = stats.total.counts
    text = (f"{stats.year}年共办理结婚登记{t['marriages']}对、离婚申请{t['divorce_applications']}对、"
            f"离婚登记{t['divorces']}对、补发婚姻证书{t['reissues']}张")
    p = stats.cross_period
    if p is not None and all(p.cross[f.key] is not None for f in CROSS_FIGURES):
        shares = "、".join("—" if (s := p.share(f.key)) is None else f"{s}%" for f in CROSS_FIGURES)
        text += (f"；{p.first.month}月{p.first.day}日起共办理跨省结婚登记{p.cross['marriages']}对、离婚申请"
                 f"{p.cross['divorce_applications']}对、离婚登记{p.cross['divorces']}对，分别占同期同类登记的{shares}")
    return text + "。"
