"""Evaluating several months on the same tables (the "warm" path: columns that
depend only on the inputs are computed once and reused, ``EvaluationContext.lasting``)
gives exactly what fresh tables give for each month; and the household
reductions give the same counts whether a mask is counted through its rows
(sparse) or by a running count."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import evaluate_batch
from policy.engine import grouping
from policy.engine.household_input import parse_household
from policy.engine.tables import concat_tables
from policy.programs import base
from policy.tests.test_batch_equivalence import GRANT, MONTHS, _payload, cpi, household


def _tables(households: list[dict[str, Any]], cpi_value: Any) -> Any:
    parsed = [parse_household(_payload("2024-08", i, h, cpi_value)) for i, h in enumerate(households)]
    return concat_tables([(p.households, p.persons) for p in parsed])


def _columns(result: Any) -> dict[tuple[str, str], np.ndarray]:
    return {(program_id, name): getattr(program, name) for program_id, program in result.programs.items()
            for name in ("eligible", "amount_fen", "reasons")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months=st.lists(st.sampled_from(MONTHS), min_size=2, max_size=4),
       households=st.lists(household, min_size=2, max_size=6), cpi_value=cpi)
def test_months_on_the_same_tables_equal_fresh_tables(months: list[str], households: list[dict[str, Any]],
                                                       cpi_value: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "SMALL_ROWS", -1)  # numpy columns, as for a district
        shared = _tables(households, cpi_value)
        for month in months:
            warm = _columns(evaluate_batch(month, *shared, cpi=cpi_value, grants=(GRANT,)))
            fresh = _columns(evaluate_batch(month, *_tables(households, cpi_value), cpi=cpi_value, grants=(GRANT,)))
            assert warm.keys() == fresh.keys()
            for key, column in warm.items():
                assert column.dtype == fresh[key].dtype and np.array_equal(column, fresh[key]), (month, key)


@pytest.mark.parametrize("share", [0.0, 0.05, 0.3, 0.5, 0.95, 1.0])
def test_sparse_and_running_counts_agree(share: float) -> None:
    rng = np.random.default_rng(7)
    sizes = rng.integers(1, 7, 5000)
    index = np.repeat(np.arange(len(sizes)), sizes)
    groups = grouping.HouseholdGrouping(index, len(sizes))
    mask = rng.random(len(index)) < share
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grouping, "SPARSE_SHARE", 10**12)  # always through the rows
        sparse = groups.count(mask), groups.any(mask)
        patch.setattr(grouping, "SPARSE_SHARE", 0)  # always a running count
        running = groups.count(mask), groups.any(mask)
    assert sparse[0].dtype == running[0].dtype == np.int64 and np.array_equal(sparse[0], running[0])
    assert np.array_equal(sparse[1], running[1]) and np.array_equal(running[0], np.bincount(index[mask], minlength=len(sizes)))


def test_shared_columns_are_read_only() -> None:
    """Later months share them: an in-place change would corrupt the next evaluation."""
    rng = np.random.default_rng(1)
    households = [{"monetary_assets_yuan": "100", "private_cars": 0, "homes": 1, "medical_out_of_pocket_12m_yuan": "0",
                   "members": [{"birth_date": "1950-01-01", "monthly_income_yuan": str(int(rng.integers(0, 3000)))}]}
                  for _ in range(3)]
    tables = _tables(households, None)
    from policy.engine.context import EvaluationContext
    from policy.engine.parameters import load_parameters
    from policy.months import Month

    ctx = EvaluationContext(Month.parse("2024-08"), load_parameters(), *tables, None, False)
    with pytest.raises(ValueError):
        ctx.household_income_fen[0] = 1
