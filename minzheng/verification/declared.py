"""Declared figures beside the verified ones, and the large differences.

The declared figures are the registry's economic facts in force on the
verification date (what the household declared at registration or intake,
or an earlier verification). A difference is **large** — flagged for the
reviewer, who decides before accepting — when

* a member's monthly income differs by more than ``INCOME_TOLERANCE_PCT``
  percent of the larger figure and more than ``INCOME_TOLERANCE_FEN``;
* the household's monetary assets (with securities) differ by more than
  ``ASSET_TOLERANCE_PCT`` percent and more than ``ASSET_TOLERANCE_FEN``;
* the number of vehicles or homes differs at all, or nothing was declared.

These tolerances are working rules of the bureau's verification desk, not
policy values (docs/adr/0011-economic-facts.md); they only flag, never decide.
"""

from __future__ import annotations

import datetime as dt

from minzheng.registry.models import Household, Person
from minzheng.registry.selectors import assets_in_force, income_in_force
from minzheng.verification.computation import Figures
from policy.money import format_fen

INCOME_TOLERANCE_PCT = 10
INCOME_TOLERANCE_FEN = 100_00
ASSET_TOLERANCE_PCT = 10
ASSET_TOLERANCE_FEN = 1_000_00


def _large(declared: int, verified: int, pct: int, floor_fen: int) -> bool:
    gap = abs(declared - verified)
    return gap > floor_fen and gap * 100 > pct * max(declared, verified)


def declared_figures(household: Household, members: list[Person], on: dt.date) -> dict:
    """The registry's facts in force on ``on`` (``None`` where nothing is recorded)."""
    income = {}
    for person in members:
        fact = income_in_force(person, on)
        income[str(person.pk)] = None if fact is None else {
            "earned_fen": fact.earned_fen, "pension_fen": fact.pension_fen, "other_fen": fact.other_fen,
            "total_fen": fact.total_fen, "origin": fact.get_origin_display(), "valid_from": fact.valid_from.isoformat()}
    assets = assets_in_force(household, on)
    return {"income": income, "assets": None if assets is None else {
        "monetary_assets_fen": assets.monetary_assets_fen + assets.securities_fen,
        "private_cars": assets.private_cars, "homes": assets.homes, "origin": assets.get_origin_display(),
        "valid_from": assets.valid_from.isoformat()}}


def large_differences(declared: dict, figures: Figures) -> list[str]:
    """Chinese sentences, one per large difference."""
    found: list[str] = []
    for person in figures.members:
        verified = figures.member_income_fen[person.pk]
        entry = declared["income"].get(str(person.pk))
        if entry is None:
            found.append(f"{person.name}：人口库中没有申报收入，核对月均收入{format_fen(verified)}元")
        elif _large(entry["total_fen"], verified, INCOME_TOLERANCE_PCT, INCOME_TOLERANCE_FEN):
            found.append(f"{person.name}：申报月均收入{format_fen(entry['total_fen'])}元，"
                         f"核对月均收入{format_fen(verified)}元，差异较大")
    assets = declared["assets"]
    if assets is None:
        found.append("人口库中没有该家庭的申报财产")
        return found
    if _large(assets["monetary_assets_fen"], figures.monetary_assets_fen, ASSET_TOLERANCE_PCT, ASSET_TOLERANCE_FEN):
        found.append(f"货币财产：申报{format_fen(assets['monetary_assets_fen'])}元，"
                     f"核对{format_fen(figures.monetary_assets_fen)}元，差异较大")
    if assets["private_cars"] != figures.vehicles:
        found.append(f"机动车：申报{assets['private_cars']}辆，核对{figures.vehicles}辆")
    if assets["homes"] != figures.homes:
        found.append(f"住房：申报{assets['homes']}套，核对{figures.homes}套")
    return found
