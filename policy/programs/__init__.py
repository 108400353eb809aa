"""Program registry: ``PROGRAMS`` maps program id → Program, in evaluation order.

Ids are the interface (stored with decisions); the order satisfies every
program's ``depends_on``.
"""

from __future__ import annotations

from policy.programs import (
    child_basic_living,
    dibao,
    disability_care_subsidy,
    disability_living_subsidy,
    elderly_allowance,
    elderly_care_subsidy,
    expense_poverty,
    extreme_poverty,
    low_income,
    price_subsidy,
    severe_disability_unemployed,
)
from policy.programs.base import Program

PROGRAMS: dict[str, Program] = {
    module.PROGRAM.id: module.PROGRAM
    for module in (
        extreme_poverty,
        dibao,
        low_income,
        expense_poverty,
        severe_disability_unemployed,
        disability_living_subsidy,
        disability_care_subsidy,
        child_basic_living,
        elderly_allowance,
        elderly_care_subsidy,
        price_subsidy,
    )
}


def _check_order() -> None:
    seen: set[str] = set()
    for program_id, program in PROGRAMS.items():
        missing = set(program.depends_on) - seen
        if missing:
            raise RuntimeError(f"{program_id} evaluated before {sorted(missing)}")
        seen.add(program_id)


_check_order()

__all__ = ["PROGRAMS", "Program"]
