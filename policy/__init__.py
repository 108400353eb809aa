"""Minzheng policy engine: pure-Python rules for Shanghai civil-affairs programs.

Never imports Django.  See policy/README.md.  Public interface:

* ``RULES_VERSION``, ``InputError``
* ``load_parameters(directory=None) -> ParameterSet``
* ``evaluate_household(payload, *, trace=False, cpi_lookup=None, grants=()) -> dict``
* ``evaluate_batch(month, households, persons, *, cpi, grants=()) -> BatchResult``
* ``HouseholdTable``, ``PersonTable`` (policy.engine.tables), ``PROGRAMS``
  (policy.programs), ``OneOffGrant`` (policy.grants)
"""

from policy.engine.batch import evaluate_batch
from policy.engine.parameters import ParameterSet, load_parameters
from policy.engine.results import BatchResult, ProgramResult, program_rows
from policy.engine.single import evaluate_household
from policy.engine.tables import DISABILITY_KINDS, HouseholdTable, PersonTable
from policy.errors import InputError
from policy.grants import OneOffGrant
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
    "ParameterSet",
    "PersonTable",
    "ProgramResult",
    "evaluate_batch",
    "evaluate_household",
    "load_parameters",
    "program_rows",
]
