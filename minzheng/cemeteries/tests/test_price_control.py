"""Price control (价格管控, ADR 0025): a price above the cap in force on its date
is refused naming the cap and its document; a lowered cap changes no price and
reports the prices now over it; public-welfare prices need their basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.cemeteries import services
from minzheng.cemeteries.models import PlotKind, Price
from minzheng.cemeteries.selectors import over_cap_report, price_lines
from minzheng.core.permissions import NotPermitted

D2024 = dt.date(2024, 1, 1)
D2025 = dt.date(2025, 1, 1)


def test_price_above_the_cap_in_force_is_refused_naming_cap_and_document(users, sites):
    bureau, site = users["bureau"], sites["commercial"]
    services.cap_set(actor=bureau, plot_kind=PlotKind.SMALL, cap_fen=3_000_000, effective_from=D2024,
                     citation="松民〔2024〕1号（演示）")
    with pytest.raises(ValidationError) as refused:
        services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.SMALL, price_fen=3_000_001,
                           effective_from=dt.date(2024, 5, 1))
    text = refused.value.messages[0]
    assert "30,000.00元" in text and "松民〔2024〕1号（演示）" in text and "30,000.01元" in text
    # before the cap took effect there was no cap: the price is accepted
    services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.SMALL, price_fen=3_500_000,
                       effective_from=dt.date(2023, 6, 1))
    services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.SMALL, price_fen=3_000_000,
                       effective_from=dt.date(2024, 5, 1))
    assert Price.objects.filter(cemetery=site).count() == 2


def test_site_cap_replaces_the_district_cap(users, sites):
    bureau, site = users["bureau"], sites["commercial"]
    services.cap_set(actor=bureau, plot_kind=PlotKind.WALL, cap_fen=1_000_000, effective_from=D2024, citation="甲")
    services.cap_set(actor=bureau, plot_kind=PlotKind.WALL, cap_fen=1_200_000, effective_from=D2024, citation="乙",
                     cemetery=site)
    services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.WALL, price_fen=1_100_000,
                       effective_from=D2024)
    with pytest.raises(ValidationError, match="乙"):
        services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.WALL, price_fen=1_300_000,
                           effective_from=D2025)


def test_lowered_cap_reports_prices_over_it_and_changes_none(users, sites):
    bureau, site = users["bureau"], sites["commercial"]
    services.cap_set(actor=bureau, plot_kind=PlotKind.TRADITIONAL, cap_fen=8_000_000, effective_from=D2024,
                     citation="旧文件")
    price = services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.TRADITIONAL, price_fen=7_500_000,
                               effective_from=D2024)
    cap, over = services.cap_set(actor=bureau, plot_kind=PlotKind.TRADITIONAL, cap_fen=7_000_000,
                                 effective_from=D2025, citation="新文件")
    assert [(o.cemetery, o.plot_kind, o.price, o.cap, o.excess_fen) for o in over] == [
        (site, PlotKind.TRADITIONAL, price, cap, 500_000)]
    price.refresh_from_db()
    assert price.price_fen == 7_500_000
    assert over_cap_report(bureau, dt.date(2025, 3, 1))[0].price == price
    assert over_cap_report(bureau, dt.date(2024, 3, 1)) == []
    line = next(li for li in price_lines(site, dt.date(2025, 3, 1)) if li.plot_kind == PlotKind.TRADITIONAL)
    assert line.over_cap and line.cap == cap


def test_public_welfare_prices_need_their_basis_and_take_no_cap(users, sites):
    bureau, site = users["bureau"], sites["public"]
    services.cap_set(actor=bureau, plot_kind=PlotKind.TREE, cap_fen=100_000, effective_from=D2024, citation="甲")
    with pytest.raises(ValidationError, match="定价依据"):
        services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.TREE, price_fen=500_000,
                           effective_from=D2024)
    services.price_add(actor=bureau, cemetery=site, plot_kind=PlotKind.TREE, price_fen=500_000,
                       effective_from=D2024, basis="泗泾镇政府定价文件（演示）")
    with pytest.raises(ValidationError, match="只适用于经营性"):
        services.cap_set(actor=bureau, plot_kind=PlotKind.TREE, cap_fen=1, effective_from=D2025, citation="丙",
                         cemetery=site)


def test_only_the_bureau_sets_caps_and_a_citation_is_required(users, cemetery_user):
    with pytest.raises(NotPermitted):
        services.cap_set(actor=cemetery_user, plot_kind=PlotKind.TREE, cap_fen=1, effective_from=D2024, citation="x")
    with pytest.raises(ValidationError, match="设定限价的文件"):
        services.cap_set(actor=users["bureau"], plot_kind=PlotKind.TREE, cap_fen=1, effective_from=D2024,
                         citation="  ")
