"""policy.lines: one function per line, in fen, agreeing with the engine's programs
at the edges (one fen under, at and over each line), for household sizes 1-6
(the asset limit changes between 2 and 3 members) and on both sides of the
July parameter changes (policy/README.md §1, §2)."""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy import lines
from policy.errors import ParameterMissing
from policy.money import format_fen
from policy.months import Month
from policy.programs import PROGRAMS

PARAMS = policy.load_parameters()
# both sides of two July changes of the dibao standard
MONTHS = ("2024-06", "2024-07", "2025-06", "2025-07")
SIZES = range(1, 7)
OFFSETS = (-1, 0, 1)


def _fen(name: str, month: str) -> int:
    value = PARAMS.get(name, month)
    assert value is not None
    return int(Decimal(str(value.value)) * 100)


def _ratio(month: str) -> Decimal:
    value = PARAMS.get(lines.LOW_INCOME_RATIO, month)
    assert value is not None
    return Decimal(str(value.value))


def engine_codes(month: str, size: int, income_fen: int, assets_fen: int,
                 parameters: policy.ParameterSet | None = None) -> dict[str, set[str]]:
    """Household programs' reason codes for ``size`` working-age adults; the
    first member earns all of ``income_fen``."""
    members: list[dict[str, Any]] = [
        {"id": f"p{i}", "birth_date": "1980-05-01", "able_to_work": True,
         "monthly_income_yuan": format_fen(income_fen if i == 0 else 0)}
        for i in range(size)
    ]
    out = policy.evaluate_household({"month": month, "household": {
        "id": "h", "monetary_assets_yuan": format_fen(assets_fen), "private_cars": 0, "homes": 1,
        "members": members}}, parameters=parameters)
    return {r["program"]: {c["code"] for c in r["reasons"]} for r in out["results"] if r["person"] is None}


# -- the values are the parameter files' -------------------------------------

@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("size", SIZES)
def test_lines_are_the_parameter_values_times_members(month: str, size: int) -> None:
    standard = _fen(lines.DIBAO_STANDARD, month)
    per_person_low = int((standard * _ratio(month)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    limit_name = lines.LARGE_HOUSEHOLD_ASSET_LIMIT if size >= 3 else lines.SMALL_HOUSEHOLD_ASSET_LIMIT
    assert lines.dibao_standard_fen(month) == standard
    assert lines.dibao_line_fen(month, size) == standard * size
    assert lines.low_income_line_per_person_fen(month) == per_person_low
    assert lines.low_income_line_fen(month, size) == per_person_low * size
    assert lines.asset_limit_per_person_fen(month, size) == _fen(limit_name, month)
    assert lines.asset_limit_fen(month, size) == _fen(limit_name, month) * size
    assert all(isinstance(v, int) for v in (lines.dibao_line_fen(month, size), lines.low_income_line_fen(month, size),
                                            lines.asset_limit_fen(month, size)))


def test_the_july_change_moves_the_line_on_the_first() -> None:
    assert lines.dibao_standard_fen("2025-06") == _fen(lines.DIBAO_STANDARD, "2025-06-30")
    assert lines.dibao_standard_fen("2025-07") == _fen(lines.DIBAO_STANDARD, "2025-07-01")
    assert lines.dibao_standard_fen("2025-06") != lines.dibao_standard_fen("2025-07")
    # any day of the month reads the values in force on its 1st
    from datetime import date
    assert lines.dibao_standard_fen(date(2025, 7, 31)) == lines.dibao_standard_fen(Month(2025, 7))


def test_small_and_large_household_limits_differ_between_two_and_three_members() -> None:
    limits = lines.asset_limits("2025-07")
    assert lines.asset_limit_per_person_fen("2025-07", 2) == limits.small_household_fen
    assert lines.asset_limit_per_person_fen("2025-07", 3) == limits.large_household_fen


def test_household_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        lines.dibao_line_fen("2025-07", 0)


# -- missing values: PARAMETER_MISSING, never a default ----------------------

def test_a_month_without_values_raises_parameter_missing_and_the_engine_agrees() -> None:
    with pytest.raises(ParameterMissing) as err:
        lines.low_income_line_fen("2019-03", 2)
    assert err.value.code == "PARAMETER_MISSING"
    assert set(err.value.names) == {lines.DIBAO_STANDARD, lines.LOW_INCOME_RATIO}
    assert "2019年3月" in err.value.message
    with pytest.raises(ParameterMissing):
        lines.dibao_line_fen("2019-03", 1)
    with pytest.raises(ParameterMissing):
        lines.asset_limit_fen("2019-03", 1)
    codes = engine_codes("2019-03", 1, 0, 0)
    assert codes["dibao"] == {"PARAMETER_MISSING"}
    assert codes["low_income"] == {"PARAMETER_MISSING"}


# -- household income ----------------------------------------------------------

def test_household_income_is_the_sum_over_all_members() -> None:
    assert lines.household_income_fen([]) == 0
    assert lines.household_income_fen([150_000, 0, 1]) == 150_001
    with pytest.raises(ValueError):
        lines.household_income_fen([-1])


# -- the engine's programs agree at every edge -------------------------------

@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("size", SIZES)
def test_engine_agrees_one_fen_either_side_of_each_line(month: str, size: int) -> None:
    for offset in OFFSETS:
        income = lines.dibao_line_fen(month, size) + offset
        codes = engine_codes(month, size, income, 0)
        assert ("INCOME_NOT_BELOW_STANDARD" not in codes["dibao"]) == lines.below_dibao_line(month, size, income)
        assert lines.below_dibao_line(month, size, income) == (offset < 0)

        income = lines.low_income_line_fen(month, size) + offset
        codes = engine_codes(month, size, income, 0)
        assert ("INCOME_NOT_BELOW_LINE" not in codes["low_income"]) == lines.below_low_income_line(month, size, income)
        assert lines.below_low_income_line(month, size, income) == (offset < 0)

        assets = lines.asset_limit_fen(month, size) + offset
        codes = engine_codes(month, size, lines.dibao_line_fen(month, size), assets)
        for program in ("dibao", "low_income", "expense_poverty"):
            assert ("ASSETS_ABOVE_LIMIT" not in codes[program]) == lines.assets_within_limit(month, size, assets)
        assert lines.assets_within_limit(month, size, assets) == (offset <= 0)


_ALL_MONTHS = [str(Month(2019 + i // 12, 1 + i % 12)) for i in range(3, 12 * 7)]  # 2019-04 … 2025-12


@settings(max_examples=60, deadline=None)
@given(month=st.sampled_from(_ALL_MONTHS), size=st.integers(1, 6), offset=st.integers(-3, 3),
       line=st.sampled_from(("dibao", "low_income", "assets")))
def test_engine_and_lines_agree_for_any_month(month: str, size: int, offset: int, line: str) -> None:
    if line == "assets":
        assets = lines.asset_limit_fen(month, size) + offset
        if assets < 0:
            return
        codes = engine_codes(month, size, 0, assets)
        assert ("ASSETS_ABOVE_LIMIT" not in codes["dibao"]) == lines.assets_within_limit(month, size, assets)
        return
    if line == "dibao":
        income = lines.dibao_line_fen(month, size) + offset
        codes = engine_codes(month, size, income, 0)
        assert ("INCOME_NOT_BELOW_STANDARD" not in codes["dibao"]) == lines.below_dibao_line(month, size, income)
    else:
        income = lines.low_income_line_fen(month, size) + offset
        codes = engine_codes(month, size, income, 0)
        assert ("INCOME_NOT_BELOW_LINE" not in codes["low_income"]) == lines.below_low_income_line(month, size, income)


def test_a_ratio_giving_part_of_a_fen_rounds_half_up_and_the_engine_uses_the_same_line(tmp_path: Path) -> None:
    # given a copy of the parameters whose low-income ratio is 1.0003 (standard 1650 → 1650.495 yuan)
    directory = tmp_path / "parameters"
    shutil.copytree(Path(PARAMS.directory or ""), directory)
    ratio_file = directory / "low_income" / "income_line_ratio.yaml"
    ratio_file.write_text(ratio_file.read_text(encoding="utf-8").replace("value: 2\n", "value: 1.0003\n"),
                          encoding="utf-8")
    custom = policy.load_parameters(directory)
    standard = lines.dibao_standard_fen("2025-07", parameters=custom)
    line = lines.low_income_line_per_person_fen("2025-07", parameters=custom)
    exact = Decimal(standard) * Decimal("1.0003")
    assert line == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    for size in (1, 3):
        household_line = lines.low_income_line_fen("2025-07", size, parameters=custom)
        for offset in OFFSETS:
            income = household_line + offset
            codes = engine_codes("2025-07", size, income, 0, parameters=custom)
            below = lines.below_low_income_line("2025-07", size, income, parameters=custom)
            assert ("INCOME_NOT_BELOW_LINE" not in codes["low_income"]) == below == (offset < 0)


# -- program attributes ----------------------------------------------------------

def test_program_attributes_are_consistent() -> None:
    for program in PROGRAMS.values():
        assert program.beneficiary_label
        assert program.payment in ("enrolment", "decision", "none")
        if program.automatic:
            assert program.level == "person"  # automatic enrolment is per person
        if program.payment == "enrolment":
            assert program.enrolled
        if program.finds_leads:
            assert program.applications and not program.automatic
    statuses = {pid for pid, p in PROGRAMS.items() if not p.pays_cash}
    assert statuses == {"low_income", "expense_poverty"}


def test_counted_income_disregards_earned_income_of_employed_members_only() -> None:
    # 870 from 2023-07-01 (REFERENCE 1, secondary)
    assert lines.counted_income_fen("2024-08", income_fen=100_000, earned_fen=100_000, employed=True) == 13_000
    assert lines.counted_income_fen("2024-08", income_fen=87_000, earned_fen=87_000, employed=True) == 0
    assert lines.counted_income_fen("2024-08", income_fen=50_000, earned_fen=50_000, employed=True) == 0
    # pensions and other income are never disregarded
    assert lines.counted_income_fen("2024-08", income_fen=150_000, earned_fen=50_000, employed=True) == 100_000
    # not employed: nothing disregarded, even earned income
    assert lines.counted_income_fen("2024-08", income_fen=100_000, earned_fen=100_000, employed=False) == 100_000
    # before 2023-07 the amount is unknown: missing, not zero — unless nothing depends on it
    with pytest.raises(ParameterMissing) as caught:
        lines.counted_income_fen("2023-06", income_fen=100_000, earned_fen=100_000, employed=True)
    assert caught.value.names == ("dibao.earned_income_disregard",)
    assert lines.counted_income_fen("2023-06", income_fen=100_000, earned_fen=0, employed=True) == 100_000
    with pytest.raises(ValueError):
        lines.counted_income_fen("2024-08", income_fen=100, earned_fen=200, employed=True)
    assert lines.low_income_counts_disregard("2024-08") is True
