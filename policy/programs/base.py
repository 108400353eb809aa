"""What a program is: id, Chinese label, legal reference, level, reason codes,
formula, and how the platform handles it — every list, menu, form and batch
reads these attributes from here (``policy.PROGRAMS``), never a copy:

* ``level`` — ``household`` or ``person`` (who the decision is about);
* ``beneficiary_label`` — what its beneficiaries are called (低保对象 …);
* ``applications`` — people apply for it (casework; an eligible non-recipient
  becomes a lead unless the program is also ``automatic``);
* ``automatic`` — 免申即享: enrolled from the monthly batch, with a notice;
* ``payment`` — ``enrolment`` (paid to enrolments, amount from the month's
  decision), ``decision`` (paid to the month's eligible decisions) or
  ``none`` (a status without monthly cash; ``pays_cash`` is False).

Reason semantics (shared by every program):

* A row fails with every failing criterion that could be checked.
* ``PARAMETER_MISSING`` is reported when a row meets every criterion that could
  be checked but its outcome (eligibility or amount) needs a value not in force
  for the month (or an upstream status that is itself ``PARAMETER_MISSING``).
  It never becomes a silent zero.
* An eligible row carries the codes of the way(s) it qualifies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.results import PARAMETER_MISSING_BIT, Level, ProgramResult, decode_reasons

PARAMETER_MISSING_TEXT = "该月份缺少所需政策参数（或上游资格无法判定），无法判定，请人工核实"

Formula = Callable[[EvaluationContext, Mapping[str, ProgramResult]], ProgramResult]
Payment = Literal["enrolment", "decision", "none"]
PAYMENTS: tuple[Payment, ...] = ("enrolment", "decision", "none")


@dataclass(frozen=True)
class Program:
    """A benefit or status program; ``id`` is the stable interface name."""

    id: str
    label: str
    reference: str
    rule: str
    level: Level
    reasons: Mapping[str, str]
    depends_on: tuple[str, ...]
    formula: Formula = field(repr=False)
    beneficiary_label: str = field(kw_only=True)
    applications: bool = field(kw_only=True)
    automatic: bool = field(kw_only=True)
    payment: Payment = field(kw_only=True)

    def __post_init__(self) -> None:
        codes = list(self.reasons)
        if codes[0] != "PARAMETER_MISSING" or len(codes) > 32:
            raise ValueError(f"{self.id}: PARAMETER_MISSING must be the first of ≤ 32 codes")
        if self.payment not in PAYMENTS:
            raise ValueError(f"{self.id}: payment must be one of {PAYMENTS}")

    @property
    def pays_cash(self) -> bool:
        """False for a status program (low-income, expense poverty): amount always 0."""
        return self.payment != "none"

    @property
    def enrolled(self) -> bool:
        """Beneficiaries are enrolled (by application or automatically)."""
        return self.applications or self.automatic

    @property
    def finds_leads(self) -> bool:
        """An eligible non-recipient becomes a lead (政策找人): applied for, not automatic."""
        return self.applications and not self.automatic

    @property
    def bits_dtype(self) -> type[np.unsignedinteger[Any]]:
        return np.uint16 if len(self.reasons) <= 16 else np.uint32

    def bit(self, code: str) -> np.unsignedinteger[Any]:
        return self.bits[code]

    @cached_property
    def bits(self) -> dict[str, np.unsignedinteger[Any]]:
        """Reason code → its bit (of ``bits_dtype``)."""
        return {code: self.bits_dtype(1 << i) for i, code in enumerate(self.reasons)}

    @cached_property
    def accumulator_dtype(self) -> type[np.unsignedinteger[Any]]:
        """The column the batch ors bits into: one byte while the codes fit (half
        the memory traffic of ``bits_dtype``), widened once at the end."""
        return np.uint8 if len(self.reasons) <= 8 else self.bits_dtype

    @cached_property
    def accumulator_bits(self) -> dict[str, np.unsignedinteger[Any]]:
        """Reason code → its bit (of ``accumulator_dtype``)."""
        return {code: self.accumulator_dtype(1 << i) for i, code in enumerate(self.reasons)}

    @cached_property
    def int_bits(self) -> dict[str, int]:
        """Reason code → its bit as a Python int."""
        return {code: 1 << i for i, code in enumerate(self.reasons)}

    @cached_property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(self.reasons)

    def codes(self, bitmask: int) -> list[str]:
        return list(decode_reasons(self.reason_codes, bitmask))

    def evaluate(self, ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
        ctx.begin(self.id)
        return self.formula(ctx, results)


def reason_table(**codes: str) -> dict[str, str]:
    """Reason codes → Chinese texts, with PARAMETER_MISSING first (bit 0)."""
    return {"PARAMETER_MISSING": PARAMETER_MISSING_TEXT, **codes}


def _flags(mask: NDArray[np.bool_] | np.bool_, size: int) -> list[bool]:
    """A mask (or one numpy bool for every row) as Python bools."""
    flags = mask.tolist()
    if type(flags) is list and len(flags) == size:
        return flags
    return [bool(m) for m in np.broadcast_to(mask, (size,)).tolist()]


#: Up to this many rows (one household) the bits are Python ints: the numpy
#: call overhead would cost more than the work.  Both forms give the same bits
#: (``tests/test_reason_bits.py`` runs batches both ways).
SMALL_ROWS = 64


class ReasonCollector:
    """Builds a program's reason bitmask column; see the module docstring.

    Large columns: bits are or-ed in place into one preallocated column through
    one reused scratch column (``mask × bit``), so a criterion costs no new
    arrays; the column is one byte wide while the program's codes fit in 8
    bits and widened to ``bits_dtype`` once at the end.  Small ones
    (≤ ``SMALL_ROWS``): a list of Python ints.
    """

    def __init__(self, program: Program, size: int) -> None:
        self.program = program
        self._bit = program.accumulator_bits
        self._dtype = program.bits_dtype
        self._small = size <= SMALL_ROWS
        self._rows: list[int] = [0] * size if self._small else []
        accumulator = program.accumulator_dtype
        self._bits = np.zeros(0 if self._small else size, dtype=accumulator)
        self._scratch = np.empty(0 if self._small else size, dtype=accumulator)
        self._needs_missing: NDArray[np.bool_] | bool = False

    @property
    def bits(self) -> NDArray[np.unsignedinteger[Any]]:
        """The bitmask column so far (of the program's ``bits_dtype``)."""
        if self._small:
            return np.array(self._rows, dtype=self._dtype)
        return self._bits if self._bits.dtype == self._dtype else self._bits.astype(self._dtype)

    def fail(self, code: str, mask: NDArray[np.bool_] | bool) -> None:
        """Rows where ``mask`` holds fail with ``code``."""
        if self._small:
            bit = self.program.int_bits[code]
            rows = self._rows
            if mask is True or mask is False:
                if mask:
                    self._rows = [b | bit for b in rows]
                return
            flags = mask.tolist()
            if type(flags) is not list or len(flags) != len(rows):
                flags = _flags(mask, len(rows))
            self._rows = [b | bit if m else b for b, m in zip(rows, flags, strict=True)]
            return
        np_bit = self._bit[code]
        if mask is True or mask is False:
            if mask:
                self._bits |= np_bit
            return
        # multiply, not ``where=``: masked ufuncs are ~30x slower on large columns
        np.multiply(mask, np_bit, out=self._scratch)
        np.bitwise_or(self._bits, self._scratch, out=self._bits)

    def needs_missing(self, mask: NDArray[np.bool_] | bool) -> None:
        """Rows where ``mask`` holds need a value that is missing."""
        if mask is False or self._needs_missing is True:
            return
        if mask is True or self._needs_missing is False:
            self._needs_missing = mask
        else:
            self._needs_missing = self._needs_missing | mask

    def decide(self) -> NDArray[np.bool_]:
        """Flag PARAMETER_MISSING on otherwise-passing rows; return the eligible mask."""
        needs = self._needs_missing
        if self._small:
            passing = [b == 0 for b in self._rows]
            if needs is not False:
                missing = passing if needs is True else [p and n for p, n in zip(passing, _flags(needs, len(passing)),
                                                                                     strict=True)]
                self._rows = [b | PARAMETER_MISSING_BIT if m else b for b, m in zip(self._rows, missing, strict=True)]
                passing = [p and not m for p, m in zip(passing, missing, strict=True)]
            return np.array(passing, dtype=np.bool_)
        passing_column: NDArray[np.bool_] = self._bits == 0
        if needs is False:
            return passing_column
        missing_column = passing_column if needs is True else passing_column & needs
        self.fail("PARAMETER_MISSING", missing_column)
        if missing_column is passing_column:
            return np.zeros_like(passing_column)
        eligible: NDArray[np.bool_] = passing_column & ~missing_column
        return eligible

    def qualify(self, code: str, mask: NDArray[np.bool_]) -> None:
        """Eligible rows where ``mask`` holds qualify by way of ``code``."""
        self.fail(code, mask)

    def result(
        self,
        ctx: EvaluationContext,
        eligible: NDArray[np.bool_],
        amount_fen: NDArray[np.int64] | int,
        trace_inputs: tuple[str, ...] = (),
    ) -> ProgramResult:
        """Package the columns (amount 0 where not eligible); ``trace_inputs`` names
        shared nodes the decision used.  ``amount_fen`` may be one int for all rows;
        an int64 column is zeroed in place where not eligible (pass a fresh column)."""
        if isinstance(amount_fen, int):
            amount = eligible * np.int64(amount_fen)
        elif amount_fen.dtype == np.int64:
            amount = np.multiply(amount_fen, eligible, out=amount_fen)
        else:
            amount = (amount_fen * eligible).astype(np.int64)
        program = self.program
        level = program.level
        bits = self.bits
        if ctx.tracing:
            ctx.trace(f"{program.id}.amount", level, amount, unit="fen",
                      inputs=(*ctx.traced_by_program, *trace_inputs),
                      note="金额（不符合条件时为 0）")
            ctx.trace(program.id, level, eligible, unit="bool",
                      inputs=(f"{program.id}.amount", f"{program.id}.reasons"),
                      note=f"{program.label}：是否符合条件")
            ctx.trace(f"{program.id}.reasons", level, self._reason_text(bits), unit="code",
                      note="判定理由代码")
        return ProgramResult(
            program=program.id,
            level=level,
            reason_codes=program.reason_codes,
            eligible=eligible,
            amount_fen=amount,
            reasons=bits,
            parameters=tuple(ctx.uses.get(self.program.id, ())),
        )

    def _reason_text(self, bits: NDArray[np.unsignedinteger[Any]]) -> NDArray[Any]:
        codes = self.program.reason_codes
        return np.array([",".join(decode_reasons(codes, b)) for b in bits.tolist()], dtype=object)

