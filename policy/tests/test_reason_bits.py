"""The two forms of the reason collector (numpy columns for a district, Python
ints for one household) give the same bits, eligibility and amounts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import evaluate_batch
from policy.engine.household_input import parse_household
from policy.engine.tables import concat_tables
from policy.programs import base
from policy.tests.test_batch_equivalence import GRANT, MONTHS, _payload, cpi, household


def _evaluate(month: str, tables: Any, cpi_value: Any, small_rows: int) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "SMALL_ROWS", small_rows)
        return evaluate_batch(month, *tables, cpi=cpi_value, grants=(GRANT,))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(month=st.sampled_from(MONTHS), households=st.lists(household, min_size=1, max_size=6), cpi_value=cpi)
def test_python_and_numpy_reason_bits_agree(month: str, households: list[dict[str, Any]], cpi_value: Any) -> None:
    # given a random batch
    parsed = [parse_household(_payload(month, i, h, cpi_value)) for i, h in enumerate(households)]
    tables = concat_tables([(p.households, p.persons) for p in parsed])
    # when evaluated with numpy columns everywhere and with Python ints everywhere
    columns = _evaluate(month, tables, cpi_value, small_rows=-1)
    python = _evaluate(month, tables, cpi_value, small_rows=10**9)
    # then every program's columns are identical, dtypes included
    assert columns.programs.keys() == python.programs.keys()
    for program_id, result in columns.programs.items():
        other = python.programs[program_id]
        for name in ("eligible", "amount_fen", "reasons"):
            left, right = getattr(result, name), getattr(other, name)
            assert left.dtype == right.dtype and np.array_equal(left, right), (program_id, name)
