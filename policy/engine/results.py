"""Per-program result columns and the batch result."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from policy.engine.parameters import ParameterValue

if TYPE_CHECKING:
    from policy.engine.trace import TraceRecorder

Level = Literal["household", "person"]
PARAMETER_MISSING_BIT = 1  # every program lists PARAMETER_MISSING first (bit 0)


class ParameterUse(NamedTuple):
    """A parameter a program consulted for the month (``value`` None: missing).
    A named tuple: one is made per parameter and program on every evaluation,
    the single household's included, and it is several times cheaper to make
    than a frozen dataclass."""

    name: str
    value: ParameterValue | None

    def as_json(self) -> dict[str, object]:
        if self.value is None:
            return {"name": self.name, "value": None, "effective": None, "reference": None,
                    "verified": False, "sureness": None, "source": "该月份无生效值"}
        return self.value.as_json()


@dataclass
class ProgramResult:
    """Columns for one program: one row per household or per person (see ``level``).

    ``reasons`` is a bitmask (uint16, or uint32 for programs with more than 16
    codes): bit *i* is the *i*-th code of the program's ``reasons`` mapping (bit 0 is always ``PARAMETER_MISSING``); decode with
    ``codes(bitmask)``.
    """

    program: str
    level: Level
    reason_codes: tuple[str, ...]
    eligible: NDArray[np.bool_]
    amount_fen: NDArray[np.int64]
    reasons: NDArray[np.unsignedinteger[Any]]
    parameters: tuple[ParameterUse, ...]

    @cached_property
    def missing(self) -> NDArray[np.bool_]:
        """Rows whose outcome needs a parameter not in force for the month (computed once)."""
        missing: NDArray[np.bool_] = (self.reasons & PARAMETER_MISSING_BIT) != 0
        return missing

    def codes(self, bitmask: int) -> list[str]:
        """Reason code strings of one row's bitmask, in the program's order."""
        return list(decode_reasons(self.reason_codes, bitmask))


@functools.lru_cache(maxsize=4096)
def decode_reasons(reason_codes: tuple[str, ...], bitmask: int) -> tuple[str, ...]:
    """The codes whose bits are set in ``bitmask`` (bit *i* = ``reason_codes[i]``; memoised)."""
    return tuple(code for bit, code in enumerate(reason_codes) if bitmask >> bit & 1)


@dataclass
class BatchResult:
    """Everything ``evaluate_batch`` computed for one month.

    ``programs`` maps program id (including ``one_off:<name>`` grants) to its
    columns; ``ProgramResult.level`` says whether row *i* is household *i* or
    person *i* of the input tables.
    """

    month: str
    parameter_set: str
    rules_version: str
    household_count: int
    person_count: int
    household_index: NDArray[np.int64]
    programs: Mapping[str, ProgramResult]
    trace: TraceRecorder | None = None

    def rows(self) -> Iterator[tuple[int, str, bool, int, list[str]]]:
        """Rows ``(entity index, program, eligible, amount_fen, reason codes)`` for bulk writing.

        The entity index is a household row for household-level programs and a
        person row for person-level ones (``programs[program].level``).
        """
        for program_id in self.programs:
            yield from program_rows(self, program_id)


def program_rows(batch: BatchResult, program_id: str) -> Iterator[tuple[int, str, bool, int, list[str]]]:
    """Rows of one program; reason bitmasks are decoded once per distinct value."""
    result = batch.programs[program_id]
    decoded = {int(mask): result.codes(int(mask)) for mask in np.unique(result.reasons)}
    eligible = result.eligible.tolist()
    amounts = result.amount_fen.tolist()
    reasons = result.reasons.tolist()
    for index in range(len(eligible)):
        yield index, program_id, eligible[index], amounts[index], list(decoded[reasons[index]])
