"""Run the per-program YAML cases (policy/tests/cases/<program>.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from policy import evaluate_household
from policy.tests.case_runner import check, load_cases

CASES = load_cases()


@pytest.mark.parametrize("run", [run for _, run in CASES], ids=[test_id for test_id, _ in CASES])
def test_case(run: dict[str, Any]) -> None:
    # given a household and month from the case file
    # when it is evaluated
    output = evaluate_household(run["payload"], grants=run["grants"])
    # then every listed expectation holds
    check(output, run["payload"], run["expect"])


def test_every_program_has_a_case_file() -> None:
    from policy.programs import PROGRAMS
    from policy.tests.case_runner import CASES_DIR

    files = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert set(PROGRAMS) <= files
