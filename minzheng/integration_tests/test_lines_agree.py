"""Every user of the poverty lines agrees at the edges (issue 8): the engine
read from the registry (as casework's ``engine_outcome`` and the calculator
do), the monitor run's edge list and the verification comparison, each
one fen under, at and one fen over the dibao line, the low-income line and the
asset limit, for households of 1-6 members, on both sides of the July 2025
change of the dibao standard. The lines come from ``policy.lines``; household
income is the income facts in force over the month's members (``registry.columnar``).

Since the rules revision 2026-11-30 the income held against the lines is the
counted income (REFERENCE §1 "Earned-income disregard"): an employed earner's
wages less ``policy.earned_income_disregard_fen`` — the same edges hold for
wages one fen under, at and over line + disregard; and before the disregard
has a value (2023-07) nobody counts such a household in full."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from minzheng.casework.amounts import engine_outcome
from minzheng.monitoring import matching
from minzheng.monitoring.models import EdgeBand, EdgeHousehold, MonitorRun
from minzheng.monitoring.monitor_runs import _lines_fen
from minzheng.registry import services as registry
from minzheng.registry.columnar import registry_columns
from minzheng.verification.computation import Figures
from minzheng.verification.lines import compare
from minzheng.verification.models import Outcome
from policy import asset_limit_fen, dibao_line_fen, earned_income_disregard_fen, low_income_line_fen
from policy.months import Month

pytestmark = pytest.mark.django_db

SINCE = dt.date(2020, 1, 1)
MONTHS = ("2025-06", "2025-07")  # the dibao standard changes on 1 July 2025
SIZES = range(1, 7)
OFFSETS = (-1, 0, 1)
MARGIN_PCT = 10
_births = itertools.count()


def _household(users, make_person, size: int, income_fen: int, assets_fen: int = 0):
    """``size`` working-age adults; the head's income is split between wages and pension."""
    people = [make_person(f"成员{i}", dt.date(1970, 1, 1) + dt.timedelta(days=next(_births)), able_to_work=True,
                          monthly_income_fen=income_fen // 2 if i == 0 else 0,
                          pension_fen=income_fen - income_fen // 2 if i == 0 else 0)
              for i in range(size)]
    household = registry.household_create(actor=users["bureau"], head=people[0], address="测试路1号",
                                          start_date=SINCE, monetary_assets_fen=assets_fen)
    for person in people[1:]:
        registry.household_add_member(actor=users["bureau"], household=household, person=person, relation="其他",
                                      start_date=SINCE)
    return household


def _reasons(household, program: str, month: str) -> set[str]:
    outcome = engine_outcome(household=household, program=program, person=None, month=month)
    assert outcome.eligible is not None, outcome.note
    return set(outcome.basis["reasons"])


def _verification(size: int, income_fen: int, month: str, assets_fen: int = 0, *, wages_of_employed: bool = False,
                  findings: list[str] | None = None) -> str:
    """The verification comparison for a household whose first member has
    ``income_fen`` (as wages of an employed member when ``wages_of_employed``)."""
    first = Month.parse(month).first_day
    parts = {0: {"earned_fen": income_fen, "pension_fen": 0, "other_fen": 0}} if wages_of_employed else {}
    figures = Figures(as_of=first, window_start=first, window_end=first, members=[SimpleNamespace()] * size,
                      member_income_fen={0: income_fen}, income_breakdown={}, income_parts=parts, monetary_assets_fen=assets_fen,
                      deposits_fen=assets_fen, securities_fen=0, business_capital_fen=0, businesses=0, homes=1,
                      vehicles=0, mobility_vehicles=0, medical_out_of_pocket_fen=0, drafts=[],
                      member_employed={0: wages_of_employed})
    comparison = compare(figures, month=first)
    if findings is not None:
        findings.extend(comparison.findings)
    return comparison.outcome


def _edges(month: str) -> dict[int, str]:
    first = Month.parse(month).first_day
    lines = _lines_fen(first)
    assert lines is not None
    run = MonitorRun.objects.create(month=month, actor="test", run_on=first)
    matching.edge_households_create(monitor_run_id=run.pk, month=month, cols=registry_columns(first),
                                    dibao_line_fen=lines[0], low_income_line_fen=lines[1], margin_pct=MARGIN_PCT)
    return dict(EdgeHousehold.objects.filter(month=month).values_list("household_id", "band"))


@pytest.mark.parametrize("month", MONTHS)
def test_dibao_line_edges_agree(users, make_person, month):
    cases = {(size, offset): _household(users, make_person, size, dibao_line_fen(month, size) + offset)
             for size in SIZES for offset in OFFSETS}
    edges = _edges(month)
    for (size, offset), household in cases.items():
        income = dibao_line_fen(month, size) + offset
        below = offset < 0
        assert ("INCOME_NOT_BELOW_STANDARD" not in _reasons(household, "dibao", month)) is below, (size, offset)
        assert (edges.get(household.pk) == EdgeBand.DIBAO) is not below, (size, offset)
        assert (_verification(size, income, month) == Outcome.BELOW_DIBAO) is below, (size, offset)


@pytest.mark.parametrize("month", MONTHS)
def test_low_income_line_edges_agree(users, make_person, month):
    cases = {(size, offset): _household(users, make_person, size, low_income_line_fen(month, size) + offset)
             for size in SIZES for offset in OFFSETS}
    edges = _edges(month)
    for (size, offset), household in cases.items():
        income = low_income_line_fen(month, size) + offset
        below = offset < 0
        reasons = _reasons(household, "low_income", month)
        assert ("INCOME_NOT_BELOW_LINE" not in reasons) is below, (size, offset)
        assert (edges.get(household.pk) == EdgeBand.LOW_INCOME) is not below, (size, offset)
        expected = Outcome.BELOW_LOW_INCOME if below else Outcome.ABOVE_LINES
        assert _verification(size, income, month) == expected, (size, offset)


@pytest.mark.parametrize("month", MONTHS)
def test_asset_limit_edges_agree(users, make_person, month):
    for size in SIZES:
        for offset in OFFSETS:
            assets = asset_limit_fen(month, size) + offset
            household = _household(users, make_person, size, 0, assets)
            within = offset <= 0
            assert ("ASSETS_ABOVE_LIMIT" not in _reasons(household, "dibao", month)) is within, (size, offset)
            expected = Outcome.BELOW_DIBAO if within else Outcome.ABOVE_LINES
            assert _verification(size, 0, month, assets) == expected, (size, offset)


def test_the_july_change_moves_every_users_line(users, make_person):
    # income between the June and the July standard: above in June, below in July
    june, july = dibao_line_fen("2025-06", 1), dibao_line_fen("2025-07", 1)
    assert june < july
    household = _household(users, make_person, 1, june)
    assert "INCOME_NOT_BELOW_STANDARD" in _reasons(household, "dibao", "2025-06")
    assert "INCOME_NOT_BELOW_STANDARD" not in _reasons(household, "dibao", "2025-07")
    assert _verification(1, june, "2025-06") == Outcome.BELOW_LOW_INCOME
    assert _verification(1, june, "2025-07") == Outcome.BELOW_DIBAO
    assert _edges("2025-06").get(household.pk) == EdgeBand.DIBAO
    assert household.pk not in _edges("2025-07")


def _earner_household(users, make_person, size: int, wages_fen: int):
    """An employed head earning ``wages_fen`` and ``size`` − 1 members without income."""
    people = [make_person(f"就业{i}", dt.date(1975, 1, 1) + dt.timedelta(days=next(_births)), able_to_work=True,
                          employment="employed" if i == 0 else "inactive",
                          monthly_income_fen=wages_fen if i == 0 else 0)
              for i in range(size)]
    household = registry.household_create(actor=users["bureau"], head=people[0], address="测试路2号",
                                          start_date=SINCE, monetary_assets_fen=0)
    for person in people[1:]:
        registry.household_add_member(actor=users["bureau"], household=household, person=person, relation="其他",
                                      start_date=SINCE)
    return household


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize(("line", "band", "reason", "below_outcome"), [
    (dibao_line_fen, EdgeBand.DIBAO, ("dibao", "INCOME_NOT_BELOW_STANDARD"), Outcome.BELOW_DIBAO),
    (low_income_line_fen, EdgeBand.LOW_INCOME, ("low_income", "INCOME_NOT_BELOW_LINE"), Outcome.BELOW_LOW_INCOME),
])
def test_employed_earners_wages_are_counted_less_the_disregard_everywhere(users, make_person, month, line, band,
                                                                        reason, below_outcome):
    disregard = earned_income_disregard_fen(month)
    sizes = (1, 3)
    cases = {(size, offset): _earner_household(users, make_person, size, line(month, size) + disregard + offset)
             for size in sizes for offset in OFFSETS}
    edges = _edges(month)
    for (size, offset), household in cases.items():
        wages = line(month, size) + disregard + offset
        below = offset < 0
        program, code = reason
        assert (code not in _reasons(household, program, month)) is below, (size, offset)
        assert (edges.get(household.pk) == band) is not below, (size, offset)
        outcome = _verification(size, wages, month, wages_of_employed=True)
        assert (outcome == below_outcome) is below, (size, offset, outcome)
        # the same wages as other income (a pension, or a member not employed) are counted in full
        assert _verification(size, wages, month) != below_outcome, (size, offset)


def test_before_the_disregard_has_a_value_nobody_counts_an_earner_in_full(users, make_person):
    month = "2023-06"  # the disregard is known from 2023-07 only
    below = _earner_household(users, make_person, 1, dibao_line_fen(month, 1) - 1)
    at_line = _earner_household(users, make_person, 1, dibao_line_fen(month, 1))
    outcome = engine_outcome(household=below, program="dibao", person=None, month=month)
    assert outcome.basis["reasons"] == ["PARAMETER_MISSING"]
    findings: list[str] = []
    assert _verification(1, dibao_line_fen(month, 1), month, wages_of_employed=True,
                         findings=findings) == Outcome.UNDETERMINED
    assert any("就业人员收入豁免额" in f and "没有有效值" in f and "参数缺失" in f for f in findings)
    assert at_line.pk not in _edges(month)
    # a household without an employed earner is judged as before, the disregard not needed
    assert _verification(1, dibao_line_fen(month, 1) - 1, month) == Outcome.BELOW_DIBAO
