"""Which decisions a batch run stores, and in what shape.

Household-level programs: one row per household, always. Person-level
programs: a row when the person is eligible, or when the person is in the
program's target population but fails a condition (those are the rows that
"policy finds people" and exit reviews look at). A person screened out by the
program's basic category — under 65 for the elderly allowance, no disability
certificate for the disability subsidies — is not stored: ~2 million persons
× 9 programs would otherwise be ~18 million rows of "not applicable" each
month (ADR 0004). Such a person's decision is still available on demand in
the calculator.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from minzheng.registry.columnar import RegistryColumns
from policy import BatchResult
from policy.engine.results import ProgramResult

# Reason codes meaning "outside this program's target population".
SCREENING_CODES: dict[str, frozenset[str]] = {
    "extreme_poverty": frozenset({"NOT_IN_SUPPORTED_CATEGORY"}),
    "severe_disability_unemployed": frozenset({"NO_SEVERE_DISABILITY"}),
    "disability_living_subsidy": frozenset({"NO_DISABILITY_CERTIFICATE"}),
    "disability_care_subsidy": frozenset({"NO_QUALIFYING_DISABILITY"}),
    "child_basic_living": frozenset({"AGE_18_OR_OVER", "NOT_ORPHAN_OR_UNSUPPORTED"}),
    "elderly_allowance": frozenset({"AGE_BELOW_65"}),
    "price_subsidy": frozenset({"NOT_IN_COVERED_GROUP"}),
}
GRANT_SCREENING = frozenset({"NOT_IN_TARGET_GROUP"})

DECISION_COLUMNS = ("run_id", "program", "household_id", "person_id", "street_id", "committee_id", "eligible",
                    "amount_fen", "reason_mask")


def screening_mask(program_id: str, reason_codes: tuple[str, ...]) -> int:
    codes = GRANT_SCREENING if program_id.startswith("one_off:") else SCREENING_CODES.get(program_id, frozenset())
    return sum(1 << bit for bit, code in enumerate(reason_codes) if code in codes)


def stored_rows(program_id: str, result: ProgramResult, cols: RegistryColumns
                ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int64] | None]:
    """Which rows of one program's result a run stores: ``(index into the
    result, household row, person ids or None for household programs)``.
    Shared by the batch write and the re-computation's comparison, so both
    see the same rows."""
    if result.level == "household":
        index = np.arange(len(result.eligible))
        return index, index, None
    screen = np.uint32(screening_mask(program_id, result.reason_codes))
    keep = result.eligible | ((result.reasons.astype(np.uint32) & screen) == 0)
    index = np.flatnonzero(keep)
    return index, cols.person_household_index[index], cols.person_id[index]


def stored_columns(run_id: int, batch: BatchResult, cols: RegistryColumns) -> list[list]:
    """Decision rows to write for a run, column-wise in ``DECISION_COLUMNS`` order."""
    out: list[list] = [[] for _ in DECISION_COLUMNS]
    for program_id, result in batch.programs.items():
        index, household_row, person_ids = stored_rows(program_id, result, cols)
        person: list = [None] * len(index) if person_ids is None else person_ids.tolist()
        n = len(index)
        out[0].extend([run_id] * n)
        out[1].extend([program_id] * n)
        out[2].extend(cols.household_id[household_row].tolist())
        out[3].extend(person)
        out[4].extend(cols.household_street[household_row].tolist())
        out[5].extend(cols.household_committee[household_row].tolist())
        out[6].extend(result.eligible[index].tolist())
        out[7].extend(result.amount_fen[index].tolist())
        out[8].extend(result.reasons[index].astype(np.int64).tolist())
    return out


def stored_arrays(batch: BatchResult, cols: RegistryColumns) -> dict[str, np.ndarray]:
    """The same rows as ``stored_columns`` (the same ``stored_rows`` rule), as
    numpy arrays without ``run_id``, for files written outside the database
    (the Spark batch, ADR 0018). ``person_id`` is -1 on household rows (null
    in the file)."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name in DECISION_COLUMNS[1:]}
    for program_id, result in batch.programs.items():
        index, household_row, person_ids = stored_rows(program_id, result, cols)
        parts["program"].append(np.full(len(index), program_id, dtype=object))
        parts["household_id"].append(cols.household_id[household_row].astype(np.int64))
        parts["person_id"].append(np.full(len(index), -1, dtype=np.int64) if person_ids is None
                                  else person_ids.astype(np.int64))
        parts["street_id"].append(cols.household_street[household_row].astype(object))
        parts["committee_id"].append(cols.household_committee[household_row].astype(object))
        parts["eligible"].append(result.eligible[index].astype(bool))
        parts["amount_fen"].append(result.amount_fen[index].astype(np.int64))
        parts["reason_mask"].append(result.reasons[index].astype(np.int64))
    empty = {"program": object, "street_id": object, "committee_id": object, "eligible": bool}
    return {name: np.concatenate(arrays) if arrays else np.zeros(0, dtype=empty.get(name, np.int64))
            for name, arrays in parts.items()}
