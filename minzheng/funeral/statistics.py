"""The funeral home's figures (殡仪服务统计) by month and for the year — one
service for the page and the API (docs/adr/0024-funeral-services.md):

* **orders** (殡仪服务订单): orders placed in the period (by ``ordered_on``),
  cancelled ones not counted — the report's "殡葬服务 6,530 cases";
* **online** (网上受理): those placed through 白事管家 (channel 网上), and the
  **online share** online / orders (the report's "线上受理率达95%以上"),
  as a percentage with two decimals; no orders → unknown (None), never 0 %;
* **revenue** (结算金额): the bills settled in the period (by ``settled_on``),
  the **subsidies deducted** (基本殡葬服务补贴抵扣) and how many orders had one,
  and the amount payable by the families.

Months not yet begun are None (not 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from minzheng.core.permissions import require
from minzheng.funeral.models import Channel, FuneralOrder, OrderStatus
from minzheng.funeral.selectors import in_jurisdiction

FIRST_YEAR = 2000


@dataclass(frozen=True)
class FigureRow:
    label: str
    orders: int | None
    online: int | None
    online_share: str | None  # "95.12" (%), None: no orders / not yet begun
    settled: int | None
    revenue_fen: int | None
    subsidy_fen: int | None
    subsidised: int | None
    payable_fen: int | None

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FuneralStatistics:
    year: int
    months: list[FigureRow]
    total: FigureRow

    @property
    def headline(self) -> str:
        t = self.total
        share = f"{t.online_share}%" if t.online_share is not None else "无订单，无法计算"
        return f"{self.year}年殡仪服务订单 {t.orders} 件，其中网上（白事管家）受理 {t.online} 件，线上受理率 {share}"


def share(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _year(year) -> int:
    try:
        value = int(str(year))
    except (TypeError, ValueError):
        raise ValidationError("年度应为四位数字，如 2026") from None
    today = timezone.localdate()
    if not FIRST_YEAR <= value <= today.year:
        raise ValidationError(f"年度应在{FIRST_YEAR}年至{today.year}年之间")
    return value


def funeral_statistics(user, year) -> FuneralStatistics:
    require(user, "funeral.statistics", allow_job=True)
    year = _year(year)
    today = timezone.localdate()
    rows = in_jurisdiction(FuneralOrder.objects.all(), user, prefix="home__")
    placed = {r["m"]: r for r in rows.filter(ordered_on__year=year).exclude(status=OrderStatus.CANCELLED)
              .annotate(m=ExtractMonth("ordered_on")).values("m")
              .annotate(n=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))}
    settled = {r["m"]: r for r in rows.filter(settled_on__year=year, status=OrderStatus.SETTLED)
               .annotate(m=ExtractMonth("settled_on")).values("m")
               .annotate(n=Count("pk"), revenue=Sum("total_fen"), subsidy=Sum("subsidy_fen"),
                         subsidised=Count("pk", filter=Q(subsidy_fen__gt=0)), payable=Sum("payable_fen"))}
    months = []
    for m in range(1, 13):
        if dt.date(year, m, 1) > today:
            months.append(FigureRow(f"{m}月", None, None, None, None, None, None, None, None))
            continue
        p, s = placed.get(m, {}), settled.get(m, {})
        n, online = p.get("n", 0), p.get("online", 0)
        months.append(FigureRow(f"{m}月", n, online, share(online, n), s.get("n", 0), s.get("revenue") or 0,
                                s.get("subsidy") or 0, s.get("subsidised", 0), s.get("payable") or 0))
    done = [r for r in months if r.orders is not None]

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in done)

    orders, online = total("orders"), total("online")
    year_row = FigureRow("全年" if year < today.year else f"全年（截至{today.month}月{today.day}日）", orders, online,
                         share(online, orders), total("settled"), total("revenue_fen"), total("subsidy_fen"),
                         total("subsidised"), total("payable_fen"))
    return FuneralStatistics(year, months, year_row)
