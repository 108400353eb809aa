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

import hashlib
import io
from dataclasses import dataclass

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
    "elderly_care_subsidy": frozenset({"NOT_ASSESSED"}),
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


# --- A run's rows in memory, and the differences between two runs (ADR 0019) ---

ROW_FIELDS = ("household_id", "person_id", "street", "committee", "eligible", "amount_fen", "reason_mask")
_VALUE_FIELDS = ("street", "committee", "eligible", "amount_fen", "reason_mask")
COPY_COLUMNS = (*DECISION_COLUMNS, "removed")


@dataclass
class RunRows:
    """A run's rows per program as arrays (``ROW_FIELDS``; ``person_id`` 0
    for a household row; ``street`` and ``committee`` codes into
    ``streets`` and ``committees``), and for a run stored as differences
    which rows are ``removed`` markers. The same rows ``stored_rows`` selects."""

    programs: dict[str, dict[str, np.ndarray]]
    levels: dict[str, str]
    streets: np.ndarray  # str, sorted
    committees: np.ndarray

    @property
    def count(self) -> int:
        return sum(len(rows["household_id"]) for rows in self.programs.values())


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values.astype(str), return_inverse=True)`` for a column of
    a few hundred distinct division codes over ~a million households: a dict
    over the distinct values instead of hashing a million fixed-width strings."""
    items = [str(v) for v in values.tolist()]
    distinct = sorted(set(items))
    index = {value: i for i, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    return np.asarray(distinct, dtype=str), codes


def run_rows(batch: BatchResult, cols: RegistryColumns) -> RunRows:
    """The rows a run of ``batch`` stores, in memory."""
    streets, street_code = _codes(cols.household_street)
    committees, committee_code = _codes(cols.household_committee)
    programs: dict[str, dict[str, np.ndarray]] = {}
    for program_id, result in batch.programs.items():
        index, household_row, person_ids = stored_rows(program_id, result, cols)
        programs[program_id] = {
            "household_id": cols.household_id[household_row].astype(np.int64),
            "person_id": np.zeros(len(index), dtype=np.int64) if person_ids is None else person_ids.astype(np.int64),
            "street": street_code.reshape(-1)[household_row].astype(np.int32),
            "committee": committee_code.reshape(-1)[household_row].astype(np.int32),
            "eligible": result.eligible[index].astype(bool),
            "amount_fen": result.amount_fen[index].astype(np.int64),
            "reason_mask": result.reasons[index].astype(np.int64),
            "removed": np.zeros(len(index), dtype=bool),
        }
    return RunRows(programs=programs, levels={pid: r.level for pid, r in batch.programs.items()},
                   streets=streets, committees=committees)


def rows_bytes(rows: RunRows) -> bytes:
    """A full run's rows as an ``.npz`` archive (uncompressed: read back in
    a fraction of a second), kept with the run so the next run can store
    only its differences without reading millions of rows back from the
    database."""
    out = io.BytesIO()
    arrays = {"programs": np.asarray(list(rows.programs), dtype=str),
              "levels": np.asarray([rows.levels[p] for p in rows.programs], dtype=str),
              "streets": rows.streets, "committees": rows.committees}
    for i, values in enumerate(rows.programs.values()):
        arrays.update({f"{i}.{name}": values[name] for name in ROW_FIELDS})
    np.savez(out, allow_pickle=False, **arrays)
    return out.getvalue()


def rows_load(data: bytes) -> RunRows:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        names = [str(p) for p in archive["programs"]]
        levels = [str(level) for level in archive["levels"]]
        programs = {}
        for i, name in enumerate(names):
            values = {field: archive[f"{i}.{field}"] for field in ROW_FIELDS}
            values["removed"] = np.zeros(len(values["household_id"]), dtype=bool)
            programs[name] = values
        return RunRows(programs=programs, levels=dict(zip(names, levels, strict=True)),
                       streets=archive["streets"], committees=archive["committees"])


def _recode(rows: RunRows, streets: np.ndarray, committees: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """``rows``' programs with their codes into the vocabularies given (which contain theirs)."""
    street_map = np.searchsorted(streets, rows.streets).astype(np.int32)
    committee_map = np.searchsorted(committees, rows.committees).astype(np.int32)
    return {pid: {**values, "street": street_map[values["street"]] if len(street_map) else values["street"],
                  "committee": committee_map[values["committee"]] if len(committee_map) else values["committee"]}
            for pid, values in rows.programs.items()}


def rows_difference(new: RunRows, base: RunRows) -> RunRows:
    """What a run must store when its full set is ``new`` and it builds on
    a base run whose full set is ``base``: every row of ``new`` not in
    ``base`` exactly (same program, household, person and values), and a
    ``removed`` copy of every row of ``base`` whose (program, household,
    person) ``new`` does not have. Reading the base's rows minus those with a
    key among the stored ones, plus the stored ones not removed, gives
    ``new`` again (``selectors.run_decisions``)."""
    streets = np.union1d(new.streets, base.streets)
    committees = np.union1d(new.committees, base.committees)
    new_programs, base_programs = _recode(new, streets, committees), _recode(base, streets, committees)
    out: dict[str, dict[str, np.ndarray]] = {}
    for program_id in dict.fromkeys([*new_programs, *base_programs]):
        now = new_programs.get(program_id)
        old = base_programs.get(program_id)
        if old is None or not len(old["household_id"]):
            if now is not None:
                out[program_id] = now
            continue
        if now is None or not len(now["household_id"]):
            out[program_id] = {**old, "removed": np.ones(len(old["household_id"]), dtype=bool)}
            continue
        # within a program a person (person rows) or a household (household rows) has one row per run
        key = "household_id" if new.levels.get(program_id) == "household" else "person_id"
        old_keys = old[key]
        if len(old_keys) > 1 and (old_keys[1:] > old_keys[:-1]).all():
            order = np.arange(len(old_keys))  # already in key order (household programs)
        else:
            order = np.argsort(old_keys, kind="stable")
        old_sorted = old_keys[order]
        pos = np.minimum(np.searchsorted(old_sorted, now[key]), len(old_sorted) - 1)
        found = old_sorted[pos] == now[key]
        match = order[pos]
        same_key = found & (old["household_id"][match] == now["household_id"]) & (old["person_id"][match] == now["person_id"])
        same = same_key.copy()
        for name in _VALUE_FIELDS:
            same &= old[name][match] == now[name]
        covered = np.zeros(len(old_keys), dtype=bool)
        covered[match[same_key]] = True
        gone = ~covered
        out[program_id] = {
            name: np.concatenate([now[name][~same], old[name][gone]]) for name in ROW_FIELDS
        } | {"removed": np.concatenate([np.zeros(int((~same).sum()), dtype=bool), np.ones(int(gone.sum()), dtype=bool)])}
    return RunRows(programs=out, levels={**base.levels, **new.levels}, streets=streets, committees=committees)


def rows_none(rows: RunRows) -> RunRows:
    """What a run stores when its full set is ``rows`` and its base's full
    set is ``rows`` too: nothing (``rows_difference`` of a set with itself —
    the same programs and code vocabularies, no row)."""
    return RunRows(programs={pid: {name: values[:0] for name, values in program.items()}
                             for pid, program in rows.programs.items()},
                   levels=dict(rows.levels), streets=rows.streets, committees=rows.committees)


def rows_digest(rows: RunRows) -> str:
    """A SHA-256 of the rows as written (programs in order, every column's
    bytes, the code vocabularies): two runs on the same base with the same
    digest stored the same differences, so their decisions are the same
    (used by the monitor run)."""
    digest = hashlib.sha256()
    digest.update("\0".join([*rows.streets.tolist(), "|", *rows.committees.tolist()]).encode())
    for program_id, values in rows.programs.items():
        digest.update(program_id.encode() + b"\0")
        for name in (*ROW_FIELDS, "removed"):
            digest.update(np.ascontiguousarray(values[name]).tobytes())
    return digest.hexdigest()


def copy_arrays_of(run_id: int, rows: RunRows) -> tuple[list[np.ndarray], dict[int, np.ndarray]]:
    """``rows`` as arrays in ``COPY_COLUMNS`` order for ``core.bulk_copy.copy_arrays``,
    with the NULL ``person_id`` of household rows."""
    parts: list[list[np.ndarray]] = [[] for _ in COPY_COLUMNS]
    person_null: list[np.ndarray] = []
    streets = np.char.encode(rows.streets.astype(str), "utf-8") if len(rows.streets) else np.zeros(0, dtype="S1")
    committees = (np.char.encode(rows.committees.astype(str), "utf-8") if len(rows.committees)
                  else np.zeros(0, dtype="S1"))
    for program_id, values in rows.programs.items():
        n = len(values["household_id"])
        if not n:
            continue
        parts[0].append(np.full(n, run_id, dtype=np.int64))
        parts[1].append(np.full(n, program_id.encode(), dtype=f"S{len(program_id.encode())}"))
        parts[2].append(values["household_id"])
        parts[3].append(values["person_id"])
        person_null.append(np.full(n, rows.levels.get(program_id) == "household"))
        parts[4].append(streets[values["street"]])
        parts[5].append(committees[values["committee"]])
        parts[6].append(values["eligible"])
        parts[7].append(values["amount_fen"])
        parts[8].append(values["reason_mask"])
        parts[9].append(values["removed"])
    if not person_null:
        return [np.zeros(0, dtype=np.int64) for _ in COPY_COLUMNS], {}
    return [np.concatenate(p) for p in parts], {3: np.concatenate(person_null)}
