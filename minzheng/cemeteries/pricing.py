"""Which price and which cap are in force on a day, and which prices are over
their cap (价格管控, ADR 0025).

* The price in force for a cemetery and plot kind on day D is the price-list
  row with the latest ``effective_from`` ≤ D (none → no price on that day).
* The cap in force for a 经营性 cemetery and plot kind on day D is the
  cemetery's own cap with the latest ``effective_from`` ≤ D if it has one in
  force, otherwise the district-wide cap (``cemetery`` empty) in force; none →
  no cap (the price is not limited: there is no policy value to invent).
* 公益性 cemeteries have no cap: their prices are set by the authorities and
  recorded with the pricing document (``Price.basis``).
* A cap set lower than existing prices changes no price: :func:`prices_over_cap`
  lists the cemeteries and plot kinds now over it (a report for the bureau).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from minzheng.cemeteries.models import COMMERCIAL_KINDS, Cemetery, PlotKind, Price, PriceCap
from policy.money import format_fen


def money(fen: int) -> str:
    """12345600 → ``123,456.00元`` (messages, reports)."""
    return format_fen(int(fen), grouping=True, unit="元")


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def price_in_force(cemetery: Cemetery, plot_kind: str, on: dt.date) -> Price | None:
    return (Price.objects.filter(cemetery=cemetery, plot_kind=plot_kind, effective_from__lte=on)
            .order_by("-effective_from").first())


def cap_in_force(cemetery: Cemetery, plot_kind: str, on: dt.date) -> PriceCap | None:
    if not cemetery.is_commercial:
        return None
    caps = PriceCap.objects.filter(plot_kind=plot_kind, effective_from__lte=on).order_by("-effective_from")
    own = caps.filter(cemetery=cemetery).first()
    return own if own is not None else caps.filter(cemetery__isnull=True).first()


def cap_text(cap: PriceCap) -> str:
    """How a refusal or a report names a cap: amount, date and document."""
    where = f"{cap.cemetery.name}" if cap.cemetery_id else "全区经营性公墓"
    return (f"{where}{PlotKind(cap.plot_kind).label}最高限价{money(cap.cap_fen)}"
            f"（{cn_day(cap.effective_from)}起执行，依据《{cap.citation}》）")


@dataclass(frozen=True)
class OverCap:
    cemetery: Cemetery
    plot_kind: str
    price: Price
    cap: PriceCap

    @property
    def plot_kind_label(self) -> str:
        return PlotKind(self.plot_kind).label

    @property
    def excess_fen(self) -> int:
        return self.price.price_fen - self.cap.cap_fen


def prices_over_cap(sites: QuerySet[Cemetery], on: dt.date, *, plot_kind: str | None = None) -> list[OverCap]:
    """Every (经营性 cemetery, plot kind) among ``sites`` whose price in force on
    ``on`` is above the cap in force on ``on``; also prices that take effect
    later and are above the cap in force on their own date."""
    out: list[OverCap] = []
    kinds = [plot_kind] if plot_kind else list(PlotKind.values)
    for site in sites.filter(kind__in=COMMERCIAL_KINDS).order_by("name"):
        for kind in kinds:
            cap = cap_in_force(site, kind, on)
            current = price_in_force(site, kind, on) if cap is not None else None
            if cap is not None and current is not None and current.price_fen > cap.cap_fen:
                out.append(OverCap(site, kind, current, cap))
            for price in Price.objects.filter(cemetery=site, plot_kind=kind, effective_from__gt=on
                                              ).order_by("effective_from"):
                later_cap = cap_in_force(site, kind, price.effective_from)
                if later_cap is not None and price.price_fen > later_cap.cap_fen:
                    out.append(OverCap(site, kind, price, later_cap))
    return out
