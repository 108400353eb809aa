"""Reads of 慈善超市 and 福利彩票, scoped to the user's jurisdiction (ADR 0040):
the bureau sees the district, a street its own street, a committee account
the supermarkets of its committee; outside → 404 (``OutOfScope``).

Figures leave reversed records out (a reversal corrects the record it
names, in the month of that record). The 公益金 of a month is the file's
figure, else the cited rate in force on the 1st of the month applied to the
sales, else missing — a total with a missing month is shown as 参数缺失,
never as a smaller number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from minzheng.charity.models import (
    Distribution,
    DistributionLine,
    Donation,
    DonationKind,
    DonationLine,
    FundRate,
    MonthlySales,
    Outlet,
    SalesImport,
    Stock,
    StockEntry,
    Supermarket,
    SupermarketStatus,
)
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope, restrict

# --- supermarkets -----------------------------------------------------------------------------

def supermarkets_visible(user: User) -> QuerySet[Supermarket]:
    require(user, "charity.view")
    return restrict(Supermarket.objects.select_related("street", "committee"), user)


def supermarket_get(user: User, pk: int) -> Supermarket:
    try:
        return supermarkets_visible(user).get(pk=pk)
    except Supermarket.DoesNotExist:
        raise OutOfScope("没有这个慈善超市，或不在您的辖区内") from None


def stock_of(supermarket: Supermarket) -> QuerySet[Stock]:
    return Stock.objects.filter(supermarket=supermarket).select_related("item").order_by("item__name")


def ledger_of(supermarket: Supermarket) -> QuerySet[StockEntry]:
    return StockEntry.objects.filter(supermarket=supermarket).select_related("item").order_by("-id")


def ledger_visible(user: User) -> QuerySet[StockEntry]:
    require(user, "charity.view")
    return restrict(StockEntry.objects.select_related("item", "supermarket"), user,
                    street_field="supermarket__street_id", committee_field="supermarket__committee_id")


def donations_visible(user: User) -> QuerySet[Donation]:
    require(user, "charity.view")
    return restrict(Donation.objects.select_related("supermarket", "reversal").prefetch_related("lines__item"), user,
                    street_field="supermarket__street_id", committee_field="supermarket__committee_id")


def distributions_visible(user: User) -> QuerySet[Distribution]:
    require(user, "charity.view")
    return restrict(Distribution.objects.select_related("supermarket", "person", "reversal")
                    .prefetch_related("lines__item"), user,
                    street_field="supermarket__street_id", committee_field="supermarket__committee_id")


def donation_get(user: User, pk: int) -> Donation:
    try:
        return donations_visible(user).get(pk=pk)
    except Donation.DoesNotExist:
        raise OutOfScope("没有这条捐赠，或不在您的辖区内") from None


def distribution_get(user: User, pk: int) -> Distribution:
    try:
        return distributions_visible(user).get(pk=pk)
    except Distribution.DoesNotExist:
        raise OutOfScope("没有这条发放，或不在您的辖区内") from None


def ledger_imbalances(supermarket: Supermarket | None = None) -> list[tuple[int, int, int, int]]:
    """(supermarket, item, stock, Σ ledger) wherever the running balance differs
    from the sum of the ledger — empty when the books balance."""
    entries = StockEntry.objects.all()
    stocks = Stock.objects.all()
    if supermarket is not None:
        entries, stocks = entries.filter(supermarket=supermarket), stocks.filter(supermarket=supermarket)
    sums = {(r["supermarket_id"], r["item_id"]): r["n"] for r in
            entries.values("supermarket_id", "item_id").order_by().annotate(n=Sum("change"))}
    out = []
    for s in stocks.values("supermarket_id", "item_id", "quantity"):
        key = (s["supermarket_id"], s["item_id"])
        if sums.pop(key, 0) != s["quantity"]:
            out.append((*key, s["quantity"], sums.get(key, 0)))
    out.extend((k[0], k[1], 0, n) for k, n in sums.items())
    return out


# --- monthly figures --------------------------------------------------------------------------

@dataclass
class MonthFigures:
    """Donations in (count, money, goods quantity), distributions out (count,
    goods quantity) and the persons served (distinct) in one month."""

    month: str
    donations: int = 0
    money_fen: int = 0
    goods_in: int = 0
    distributions: int = 0
    goods_out: int = 0
    persons: int = 0


@dataclass
class FiguresRow:
    key: str  # supermarket id or street code
    label: str
    street: str
    months: dict[str, MonthFigures] = field(default_factory=dict)
    total: MonthFigures = field(default_factory=lambda: MonthFigures("全年"))


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def monthly_figures(user: User, year: int, *, by: str = "supermarket") -> list[FiguresRow]:
    """One row per supermarket (``by="supermarket"``) or per street (``by="street"``)
    in the user's jurisdiction, with the twelve months of ``year`` and the year's total.
    Persons served are counted once per row and period."""
    markets = list(supermarkets_visible(user).order_by("street_id", "name"))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: dict[str, FiguresRow] = {}
    key_of: dict[int, str] = {}
    for m in markets:
        key = str(m.pk) if by == "supermarket" else m.street_id
        key_of[m.pk] = key
        if key not in rows:
            rows[key] = FiguresRow(key, m.name if by == "supermarket" else m.street.name, m.street.name,
                                   {mo: MonthFigures(mo) for mo in _months(year)})
    ids = list(key_of)
    donations = (Donation.objects.filter(supermarket_id__in=ids, received_on__range=(start, end),
                                         reversal__isnull=True))
    for r in donations.values("supermarket_id", "received_on__month").order_by().annotate(
            n=Count("id"), money=Sum("amount_fen", filter=Q(kind=DonationKind.MONEY))):
        f = rows[key_of[r["supermarket_id"]]].months[f"{year}-{r['received_on__month']:02d}"]
        f.donations += r["n"]
        f.money_fen += r["money"] or 0
    for r in (DonationLine.objects.filter(donation__in=donations)
              .values("donation__supermarket_id", "donation__received_on__month").order_by()
              .annotate(q=Sum("quantity"))):
        rows[key_of[r["donation__supermarket_id"]]].months[
            f"{year}-{r['donation__received_on__month']:02d}"].goods_in += r["q"] or 0
    given = Distribution.objects.filter(supermarket_id__in=ids, given_on__range=(start, end), reversal__isnull=True)
    for r in given.values("supermarket_id", "given_on__month").order_by().annotate(n=Count("id")):
        rows[key_of[r["supermarket_id"]]].months[f"{year}-{r['given_on__month']:02d}"].distributions += r["n"]
    for r in (DistributionLine.objects.filter(distribution__in=given)
              .values("distribution__supermarket_id", "distribution__given_on__month").order_by()
              .annotate(q=Sum("quantity"))):
        rows[key_of[r["distribution__supermarket_id"]]].months[
            f"{year}-{r['distribution__given_on__month']:02d}"].goods_out += r["q"] or 0
    persons: dict[tuple[str, str], set[int]] = defaultdict(set)
    for market_id, month, person_id in given.values_list("supermarket_id", "given_on__month", "person_id"):
        persons[(key_of[market_id], f"{year}-{month:02d}")].add(person_id)
        persons[(key_of[market_id], "全年")].add(person_id)
    for row in rows.values():
        for mo, f in row.months.items():
            f.persons = len(persons.get((row.key, mo), ()))
            for name in ("donations", "money_fen", "goods_in", "distributions", "goods_out"):
                setattr(row.total, name, getattr(row.total, name) + getattr(f, name))
        row.total.persons = len(persons.get((row.key, "全年"), ()))
    return list(rows.values())


# --- 福利彩票 -----------------------------------------------------------------------------------

def outlets_visible(user: User) -> QuerySet[Outlet]:
    require(user, "charity.lottery_view")
    return restrict(Outlet.objects.select_related("street"), user, committee_field="street_id")


def outlet_get(user: User, pk: int) -> Outlet:
    try:
        return outlets_visible(user).get(pk=pk)
    except Outlet.DoesNotExist:
        raise OutOfScope("没有这个销售网点，或不在您的辖区内") from None


def sales_visible(user: User) -> QuerySet[MonthlySales]:
    require(user, "charity.lottery_view")
    return restrict(MonthlySales.objects.select_related("outlet", "street", "source"), user,
                    committee_field="street_id")


def imports_visible(user: User) -> QuerySet[SalesImport]:
    require(user, "charity.lottery_manage")
    return SalesImport.objects.all()


def import_get(user: User, pk: int) -> SalesImport:
    try:
        return imports_visible(user).get(pk=pk)
    except SalesImport.DoesNotExist:
        raise OutOfScope("没有这次导入") from None


def fund_rates() -> QuerySet[FundRate]:
    return FundRate.objects.all()


def rate_on(day: dt.date, rates: list[FundRate] | None = None) -> FundRate | None:
    """The rate in force on ``day`` (the latest starting on or before it), or None."""
    for rate in rates if rates is not None else list(fund_rates()):
        if rate.effective_from <= day:
            return rate
    return None


def fund_of(sales: MonthlySales, rates: list[FundRate]) -> tuple[int | None, str]:
    """(公益金 in fen or None, where it comes from: 文件 / 按比例测算 / 参数缺失)."""
    if sales.fund_fen is not None:
        return sales.fund_fen, "文件"
    year, month = (int(x) for x in sales.month.split("-"))
    rate = rate_on(dt.date(year, month, 1), rates)
    if rate is None:
        return None, "参数缺失"
    fen = (Decimal(sales.sales_fen) * rate.percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(fen), "按比例测算"


@dataclass
class LotteryStreet:
    street: Division
    outlets: int = 0
    sales_fen: int = 0
    fund_fen: int = 0  # the known part
    fund_missing: int = 0  # months whose fund is 参数缺失
    months: int = 0

    @property
    def fund_total(self) -> int | None:
        """The year's fund, or None (参数缺失) if any month's fund is unknown."""
        return None if self.fund_missing else self.fund_fen


def lottery_by_street(user: User, year: int) -> list[LotteryStreet]:
    """The year's sales and 公益金 per street in scope (every street, even with no outlet)."""
    rates = list(fund_rates())
    streets = restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                       committee_field="children__code").distinct().order_by("code")
    out = {s.code: LotteryStreet(s) for s in streets}
    for r in outlets_visible(user).values("street_id").order_by().annotate(n=Count("id")):
        if r["street_id"] in out:
            out[r["street_id"]].outlets = r["n"]
    for sales in sales_visible(user).filter(month__startswith=f"{year}-").select_related(None).only(
            "street_id", "month", "sales_fen", "fund_fen"):
        row = out.get(sales.street_id)
        if row is None:
            continue
        fund, _source = fund_of(sales, rates)
        row.sales_fen += sales.sales_fen
        row.months += 1
        if fund is None:
            row.fund_missing += 1
        else:
            row.fund_fen += fund
    return list(out.values())


@dataclass
class StreetOverview:
    street: Division
    supermarkets: int = 0
    operating: int = 0
    donations: int = 0
    money_fen: int = 0
    goods_in: int = 0
    distributions: int = 0
    persons: int = 0
    lottery: LotteryStreet | None = None


def overview_by_street(user: User, year: int) -> list[StreetOverview]:
    """The charity overview: per street in scope, the supermarkets, the year's
    donations and distributions and persons served, and (for those who may read
    them) the year's lottery sales and fund."""
    from minzheng.core.permissions import can

    streets = restrict(Division.objects.filter(level=DivisionLevel.STREET), user, street_field="code",
                       committee_field="children__code").distinct().order_by("code")
    out = {s.code: StreetOverview(s) for s in streets}
    for r in supermarkets_visible(user).values("street_id").order_by().annotate(
            n=Count("id"), op=Count("id", filter=Q(status=SupermarketStatus.OPERATING))):
        if r["street_id"] in out:
            out[r["street_id"]].supermarkets, out[r["street_id"]].operating = r["n"], r["op"]
    for row in monthly_figures(user, year, by="street"):
        if row.key in out:
            o = out[row.key]
            o.donations, o.money_fen, o.goods_in = row.total.donations, row.total.money_fen, row.total.goods_in
            o.distributions, o.persons = row.total.distributions, row.total.persons
    if can(user, "charity.lottery_view"):
        for lot in lottery_by_street(user, year):
            if lot.street.code in out:
                out[lot.street.code].lottery = lot
    return list(out.values())
