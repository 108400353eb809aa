"""The household asset test shared by dibao, low_income and expense_poverty.

Parameters: `policy/parameters/dibao/` (secondary, possibly outdated ~2015-16 rule):
monetary assets per person ≤ 30,000 yuan for households of 3 or more,
≤ 33,000 for households of 1-2 (inclusive); no private car (a disability
mobility vehicle is excepted — callers must not count it in ``private_cars``);
at most one home.  §2 and §3 apply the same test (assumption).

The limits and constants are ``policy.lines``' (shared with verification).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.lines import (
    LARGE_HOUSEHOLD_ASSET_LIMIT,
    MAX_HOMES,
    MAX_PRIVATE_CARS,
    SMALL_HOUSEHOLD_ASSET_LIMIT,
    AssetLimits,
    asset_limits_rule,
)
from policy.programs.base import ReasonCollector

SMALL_LIMIT = SMALL_HOUSEHOLD_ASSET_LIMIT
LARGE_LIMIT = LARGE_HOUSEHOLD_ASSET_LIMIT

ASSET_REASONS = {
    "ASSETS_ABOVE_LIMIT": "家庭人均货币财产超过规定上限",
    "HAS_PRIVATE_CAR": "家庭拥有私家车（残疾人代步车除外）",
    "MORE_THAN_ONE_HOME": "家庭拥有一套以上住房",
}


@dataclass(frozen=True)
class AssetTest:
    """Failing masks per household; ``assets_over_limit`` is None when a limit is missing."""

    assets_over_limit: NDArray[np.bool_] | None
    has_private_car: NDArray[np.bool_]
    too_many_homes: NDArray[np.bool_]


def asset_test(ctx: EvaluationContext) -> AssetTest:
    """Evaluate (once per batch) the asset test; records the limits as used by the caller."""
    limits = asset_limits_rule(ctx.param)
    # depends only on the tables and the limits' values: reused across months
    return ctx.lasting(f"asset_test:{limits}", lambda: _compute(ctx, limits))


def _compute(ctx: EvaluationContext, limits: AssetLimits | None) -> AssetTest:
    h = ctx.households
    size = ctx.household_size
    over: NDArray[np.bool_] | None = None
    if limits is not None:
        line = limits.household_column(size)
        over = h.monetary_assets_fen > line
        ctx.trace("asset_test.limit", "household", line, unit="fen",
                  inputs=("household.size",), parameters=(SMALL_LIMIT, LARGE_LIMIT),
                  note="人均上限 × 人数（1-2人家庭用小户上限，3人及以上用大户上限）")
        ctx.trace("asset_test.assets_over_limit", "household", over, unit="bool",
                  inputs=("input.monetary_assets", "asset_test.limit"),
                  note="货币财产 > 上限（等于上限仍合格）")
    car = h.private_cars > MAX_PRIVATE_CARS
    homes = h.homes > MAX_HOMES
    ctx.trace("asset_test.has_private_car", "household", car, unit="bool",
              inputs=("input.private_cars",), note="私家车数量 > 0")
    ctx.trace("asset_test.more_than_one_home", "household", homes, unit="bool",
              inputs=("input.homes",), note="住房套数 > 1")
    return AssetTest(over, car, homes)


def apply_asset_test(ctx: EvaluationContext, out: ReasonCollector) -> None:
    """Flag the asset-test failures (or missing limits) on a household program."""
    test = asset_test(ctx)
    if test.assets_over_limit is None:
        out.needs_missing(True)
    else:
        out.fail("ASSETS_ABOVE_LIMIT", test.assets_over_limit)
    out.fail("HAS_PRIVATE_CAR", test.has_private_car)
    out.fail("MORE_THAN_ONE_HOME", test.too_many_homes)


ASSET_TRACE_NODES = (
    "asset_test.assets_over_limit",
    "asset_test.has_private_car",
    "asset_test.more_than_one_home",
)
