"""Minzheng policy engine: pure-Python rules for Shanghai civil-affairs programs.

Never imports Django.  See policy/README.md.  Public interface:

* ``RULES_VERSION``, ``InputError``
* ``load_parameters(directory=None) -> ParameterSet``
* ``evaluate_household(payload, *, trace=False, cpi_lookup=None, grants=()) -> dict``
* ``evaluate_batch(month, households, persons, *, cpi, grants=()) -> BatchResult``
* ``HouseholdTable``, ``PersonTable`` (policy.engine.tables), ``PROGRAMS``
  (policy.programs), ``OneOffGrant`` (policy.grants)
* lines and limits in fen for a month (policy.lines): ``dibao_standard_fen``,
  ``dibao_line_fen``, ``low_income_line_per_person_fen``, ``low_income_line_fen``,
  ``asset_limit_per_person_fen``, ``asset_limit_fen``, ``household_income_fen``,
  ``below_dibao_line``, ``below_low_income_line``, ``assets_within_limit``,
  ``private_cars_within_limit``, ``homes_within_limit``, ``counted_income_fen``,
  ``earned_income_disregard_fen``, ``low_income_counts_disregard``; ``ParameterMissing``
* ``parameters_from_in_force(month, content)``: the parameter set a stored run
  used, rebuilt from its ``in_force_json`` (so old decisions stay explainable)
"""

from policy.engine.batch import evaluate_batch
from policy.engine.parameters import ParameterSet, load_parameters, parameters_from_in_force
from policy.engine.results import BatchResult, ProgramResult, program_rows
from policy.engine.single import evaluate_household
from policy.engine.tables import DISABILITY_KINDS, HouseholdTable, PersonTable
from policy.errors import InputError, ParameterMissing
from policy.grants import OneOffGrant
from policy.lines import (
    asset_limit_fen,
    asset_limit_per_person_fen,
    assets_within_limit,
    below_dibao_line,
    below_low_income_line,
    counted_income_fen,
    dibao_line_fen,
    dibao_standard_fen,
    earned_income_disregard_fen,
    homes_within_limit,
    household_income_fen,
    low_income_counts_disregard,
    low_income_line_fen,
    low_income_line_per_person_fen,
    private_cars_within_limit,
)
from policy.programs import PROGRAMS
from policy.version import RULES_VERSION

__all__ = [
    "DISABILITY_KINDS",
    "PROGRAMS",
    "RULES_VERSION",
    "BatchResult",
    "HouseholdTable",
    "InputError",
    "OneOffGrant",
    "ParameterMissing",
    "ParameterSet",
    "parameters_from_in_force",
    "PersonTable",
    "ProgramResult",
    "asset_limit_fen",
    "asset_limit_per_person_fen",
    "assets_within_limit",
    "below_dibao_line",
    "below_low_income_line",
    "counted_income_fen",
    "dibao_line_fen",
    "dibao_standard_fen",
    "earned_income_disregard_fen",
    "evaluate_batch",
    "evaluate_household",
    "homes_within_limit",
    "household_income_fen",
    "load_parameters",
    "low_income_counts_disregard",
    "low_income_line_fen",
    "low_income_line_per_person_fen",
    "private_cars_within_limit",
    "program_rows",
]
