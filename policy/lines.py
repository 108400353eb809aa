"""Poverty lines, the asset limit and household income — one function each, in integer fen.

Every user of a line (the engine's programs, verification, monitoring, the
calculator and casework through the engine) reads it from here, so no module
re-derives one.  Values come only from the parameter files, in force on the
**1st of the month** (policy/README.md "Parameter files"); a value not in force raises
``ParameterMissing`` (reason ``PARAMETER_MISSING``), never a guessed default.

* Household income (policy/README.md §1): the sum of the monthly incomes of ALL
  co-resident members (hukou or not).  What counts as a person's monthly
  income is the caller's data (the registry reads income + pension).
* Counted income (§1 "Earned-income disregard", 就业人员收入豁免): for an
  employed member, ``dibao.earned_income_disregard`` (870 yuan from
  2023-07-01) of their monthly *earned* income is not counted, never below
  zero; pensions and other income always count.  Before the disregard has a
  value, a household with an employed member who has earned income cannot be
  tested (``PARAMETER_MISSING``).  The dibao test uses counted income; the
  low-income test too while ``low_income.earned_income_disregard_applies``
  (assumption) is true.
* Dibao line (§1): ``dibao.standard`` per person per month; a household is
  below it when Σ income < standard × members (strict, exact integers).
* Low-income line (§2): standard × ``low_income.income_line_ratio`` per person,
  rounded half up to the fen (exact with the current ratio 2); below it when
  Σ income < line × members (strict).
* Asset limit (§1 "Asset test", also §2, §3 by assumption): monetary assets
  ≤ per-person limit × members (inclusive), the limit being
  ``dibao.asset_limit_per_person_small_household`` for 1-2 members and
  ``…_large_household`` for 3 or more; no private car (a disability mobility
  vehicle is not counted); at most one home.

The ``*_rule`` functions take a parameter reader (``name → value or None``) and
return ``None`` when a value is missing: the engine's programs call them with
``EvaluationContext.param`` (which records the use for traces and hashes).
The public functions take a month and raise instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from policy.engine.parameters import ParameterSet, ParameterValue, load_parameters
from policy.errors import ParameterMissing
from policy.money import scale_fen_half_up
from policy.months import Month

DIBAO_STANDARD = "dibao.standard"
LOW_INCOME_RATIO = "low_income.income_line_ratio"
EARNED_INCOME_DISREGARD = "dibao.earned_income_disregard"
LOW_INCOME_DISREGARD_APPLIES = "low_income.earned_income_disregard_applies"
SMALL_HOUSEHOLD_ASSET_LIMIT = "dibao.asset_limit_per_person_small_household"
LARGE_HOUSEHOLD_ASSET_LIMIT = "dibao.asset_limit_per_person_large_household"
LARGE_HOUSEHOLD_MIN_MEMBERS = 3
MAX_PRIVATE_CARS = 0
MAX_HOMES = 1

#: Every parameter a line or limit reads (for showing their provenance).
LINE_PARAMETERS = (DIBAO_STANDARD, LOW_INCOME_RATIO, SMALL_HOUSEHOLD_ASSET_LIMIT, LARGE_HOUSEHOLD_ASSET_LIMIT,
                   EARNED_INCOME_DISREGARD, LOW_INCOME_DISREGARD_APPLIES)

Reader = Callable[[str], ParameterValue | None]
MonthLike = Month | str | date
T = TypeVar("T")


# -- rules over a parameter reader (None: a value is missing) -----------------

def dibao_standard_rule(read: Reader) -> int | None:
    """The dibao standard per person per month in fen (policy/README.md §1)."""
    return _fen(read(DIBAO_STANDARD))


def low_income_line_rule(read: Reader) -> int | None:
    """The low-income line per person per month in fen: standard × ratio,
    rounded half up to the fen (policy/README.md §2)."""
    standard = dibao_standard_rule(read)
    ratio = _decimal(read(LOW_INCOME_RATIO))
    if standard is None or ratio is None:
        return None
    return scale_fen_half_up(standard, ratio)


def earned_income_disregard_rule(read: Reader) -> int | None:
    """The monthly earned-income disregard for an employed member, in fen (§1)."""
    return _fen(read(EARNED_INCOME_DISREGARD))


def low_income_disregard_applies_rule(read: Reader) -> bool | None:
    """Whether the low-income test counts income after the disregard (§2, assumption)."""
    value = read(LOW_INCOME_DISREGARD_APPLIES)
    if value is None:
        return None
    assert isinstance(value.value, bool), value.name
    return value.value


def needs_disregard(earned_fen: NDArray[np.int64], employed: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Members whose counted income depends on the disregard: employed with earned income."""
    needs: NDArray[np.bool_] = employed & (earned_fen > 0)
    return needs


def counted_incomes_fen(income_fen: NDArray[np.int64], earned_fen: NDArray[np.int64],
                        employed: NDArray[np.bool_], disregard_fen: int) -> NDArray[np.int64]:
    """Each member's counted monthly income: whole income − min(earned, disregard)
    for an employed member; whole income for anyone else (§1)."""
    counted: NDArray[np.int64] = np.minimum(earned_fen, np.int64(disregard_fen))  # the disregarded part
    np.multiply(counted, employed, out=counted)
    np.subtract(income_fen, counted, out=counted)
    return counted


@dataclass(frozen=True)
class AssetLimits:
    """Per-person monetary-asset limits in fen (policy/README.md §1 "Asset test")."""

    small_household_fen: int
    large_household_fen: int

    def per_person_fen(self, household_size: int) -> int:
        """The per-person limit for a household of ``household_size`` members."""
        _check_size(household_size)
        large = household_size >= LARGE_HOUSEHOLD_MIN_MEMBERS
        return self.large_household_fen if large else self.small_household_fen

    def household_fen(self, household_size: int) -> int:
        """Per-person limit × members (assets equal to it still pass)."""
        return self.per_person_fen(household_size) * household_size

    def household_column(self, sizes: NDArray[np.int64]) -> NDArray[np.int64]:
        """``household_fen`` for a column of household sizes (the batch's form)."""
        per_person = np.where(sizes >= LARGE_HOUSEHOLD_MIN_MEMBERS, self.large_household_fen,
                              self.small_household_fen)
        limit: NDArray[np.int64] = per_person.astype(np.int64) * sizes
        return limit


def asset_limits_rule(read: Reader) -> AssetLimits | None:
    """Both per-person asset limits in fen (policy/README.md §1 "Asset test")."""
    small = _fen(read(SMALL_HOUSEHOLD_ASSET_LIMIT))
    large = _fen(read(LARGE_HOUSEHOLD_ASSET_LIMIT))
    if small is None or large is None:
        return None
    return AssetLimits(small, large)


# -- public functions: a month in, integer fen out -----------------------------

def dibao_standard_fen(month: MonthLike, *, parameters: ParameterSet | None = None) -> int:
    """The dibao standard per person for ``month`` in fen (policy/README.md §1)."""
    return _need(dibao_standard_rule, month, parameters, (DIBAO_STANDARD,))


def dibao_line_fen(month: MonthLike, household_size: int, *, parameters: ParameterSet | None = None) -> int:
    """The household's dibao line: standard × members, in fen (policy/README.md §1)."""
    _check_size(household_size)
    return dibao_standard_fen(month, parameters=parameters) * household_size


def low_income_line_per_person_fen(month: MonthLike, *, parameters: ParameterSet | None = None) -> int:
    """The low-income line per person for ``month`` in fen (policy/README.md §2)."""
    return _need(low_income_line_rule, month, parameters, (DIBAO_STANDARD, LOW_INCOME_RATIO))


def low_income_line_fen(month: MonthLike, household_size: int, *, parameters: ParameterSet | None = None) -> int:
    """The household's low-income line: per-person line × members, in fen (policy/README.md §2)."""
    _check_size(household_size)
    return low_income_line_per_person_fen(month, parameters=parameters) * household_size


def asset_limits(month: MonthLike, *, parameters: ParameterSet | None = None) -> AssetLimits:
    """Both per-person asset limits for ``month`` (policy/README.md §1 "Asset test")."""
    return _need(asset_limits_rule, month, parameters, (SMALL_HOUSEHOLD_ASSET_LIMIT, LARGE_HOUSEHOLD_ASSET_LIMIT))


def asset_limit_per_person_fen(month: MonthLike, household_size: int, *,
                               parameters: ParameterSet | None = None) -> int:
    """The per-person monetary-asset limit: small-household for 1-2 members, large for 3+."""
    return asset_limits(month, parameters=parameters).per_person_fen(household_size)


def asset_limit_fen(month: MonthLike, household_size: int, *, parameters: ParameterSet | None = None) -> int:
    """The household's monetary-asset limit: per-person limit × members, in fen (inclusive)."""
    return asset_limits(month, parameters=parameters).household_fen(household_size)


def earned_income_disregard_fen(month: MonthLike, *, parameters: ParameterSet | None = None) -> int:
    """The earned-income disregard in force for ``month`` in fen (§1); raises
    ``ParameterMissing`` before it has a value (before 2023-07)."""
    return _need(earned_income_disregard_rule, month, parameters, (EARNED_INCOME_DISREGARD,))


def counted_income_fen(month: MonthLike, *, income_fen: int, earned_fen: int, employed: bool,
                       parameters: ParameterSet | None = None) -> int:
    """One member's counted monthly income for the dibao test, in fen (§1).

    ``income_fen`` is the whole income (earned + pensions + other),
    ``earned_fen`` its earned part.  Only an employed member's earned income is
    reduced (never below zero); when that needs a disregard that is not in
    force, ``ParameterMissing`` is raised."""
    if not 0 <= earned_fen <= income_fen:
        raise ValueError("earned income must be between 0 and the whole income")
    if not (employed and earned_fen > 0):
        return income_fen
    disregard = earned_income_disregard_fen(month, parameters=parameters)
    return income_fen - min(earned_fen, disregard)


def low_income_counts_disregard(month: MonthLike, *, parameters: ParameterSet | None = None) -> bool:
    """True when the low-income test uses counted income (§2, assumption)."""
    return _need(low_income_disregard_applies_rule, month, parameters, (LOW_INCOME_DISREGARD_APPLIES,))


def household_income_fen(member_incomes_fen: Iterable[int]) -> int:
    """Household monthly income: the sum over ALL co-resident members (policy/README.md §1)."""
    total = 0
    for income in member_incomes_fen:
        if int(income) != income or income < 0:
            raise ValueError(f"member income must be a non-negative whole number of fen, not {income!r}")
        total += int(income)
    return total


# -- comparisons (exact integers, no division) -------------------------------

def below_dibao_line(month: MonthLike, household_size: int, income_fen: int, *,
                     parameters: ParameterSet | None = None) -> bool:
    """Σ income < standard × members (strict)."""
    return income_fen < dibao_line_fen(month, household_size, parameters=parameters)


def below_low_income_line(month: MonthLike, household_size: int, income_fen: int, *,
                          parameters: ParameterSet | None = None) -> bool:
    """Σ income < low-income line × members (strict)."""
    return income_fen < low_income_line_fen(month, household_size, parameters=parameters)


def assets_within_limit(month: MonthLike, household_size: int, monetary_assets_fen: int, *,
                        parameters: ParameterSet | None = None) -> bool:
    """Monetary assets ≤ limit × members (equal to the limit still passes)."""
    return monetary_assets_fen <= asset_limit_fen(month, household_size, parameters=parameters)


def private_cars_within_limit(private_cars: int) -> bool:
    """No private car (a disability mobility vehicle must not be counted)."""
    return private_cars <= MAX_PRIVATE_CARS


def homes_within_limit(homes: int) -> bool:
    """At most one home."""
    return homes <= MAX_HOMES


# -- helpers -----------------------------------------------------------------

def as_month(month: MonthLike) -> Month:
    """``YYYY-MM``, a ``Month`` or any date in the month → the ``Month``."""
    if isinstance(month, Month):
        return month
    if isinstance(month, date):
        return Month(month.year, month.month)
    return Month.parse(month)


def _need(rule: Callable[[Reader], T | None], month: MonthLike, parameters: ParameterSet | None,
          names: tuple[str, ...]) -> T:
    parsed = as_month(month)
    params = parameters if parameters is not None else load_parameters()
    in_force = params.in_force(parsed)
    value = rule(in_force.__getitem__)
    if value is None:
        raise ParameterMissing(tuple(n for n in names if in_force[n] is None), parsed)
    return value


def _check_size(household_size: int) -> None:
    if household_size < 1:
        raise ValueError("household size must be at least 1")


def _decimal(value: ParameterValue | None) -> Decimal | None:
    if value is None:
        return None
    assert isinstance(value.value, Decimal), value.name
    return value.value


def _fen(value: ParameterValue | None) -> int | None:
    return None if value is None else value.fen
