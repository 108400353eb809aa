"""老年综合津贴 (elderly_allowance) — person level, no-application program.

Parameters: `policy/parameters/elderly_allowance/`: Shanghai hukou; age on the last day of the month looked up in
a band table with inclusive lower bounds (NOT a cumulative scale): 65-69: 75;
70-79: 150; 80-89: 180; 90-99: 350; 100+: 600 yuan per month, since 2016-05.
Someone who turns 65 during the month qualifies for that month.

Vectorised as a dense age → row table (ages are small integers), so the
district batch does one gather instead of a binary search per person.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from policy.engine.context import EvaluationContext
from policy.engine.parameters import BandTable
from policy.engine.results import ProgramResult
from policy.money import decimal_to_fen
from policy.programs.base import Program, ReasonCollector, reason_table

BANDS = "elderly_allowance.age_bands"
MAX_TABLE_AGE = 150  # ages above share the last row (clipped)


@functools.lru_cache(maxsize=64)
def _age_table(table: BandTable) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Matched row (−1: none) and amount in fen for every age 0…MAX_TABLE_AGE (per table, memoised)."""
    dense_rows = table.lookup(np.arange(MAX_TABLE_AGE + 1))
    amounts = np.array([0] + [decimal_to_fen(a) for _, a in table.rows], dtype=np.int64)
    amount_by_age = amounts[dense_rows + 1]
    dense_rows.flags.writeable = amount_by_age.flags.writeable = False
    return dense_rows, amount_by_age


def evaluate(ctx: EvaluationContext, results: Mapping[str, ProgramResult]) -> ProgramResult:
    hukou = ctx.persons.hukou_shanghai
    out = ReasonCollector(PROGRAM, ctx.person_count)
    out.fail("NO_SHANGHAI_HUKOU", ~hukou)
    table = ctx.param_table(BANDS)
    amount: NDArray[np.int64] | int = 0
    if table is None:
        out.needs_missing(True)
    else:
        dense_rows, amount_by_age = _age_table(table)
        # clipped straight into an index column (no int32 → intp conversion in the gather)
        age = np.clip(ctx.age, 0, MAX_TABLE_AGE, out=np.empty(ctx.person_count, dtype=np.intp))
        amount = np.take(amount_by_age, age)
        out.fail("AGE_BELOW_65", ctx.age < table.rows[0][0])
        if ctx.tracing:
            ctx.trace("elderly_allowance.band_amount", "person", amount, unit="fen",
                      inputs=("age",), parameters=(BANDS,), lookup=(BANDS, dense_rows[age]),
                      note="按当月最后一日周岁年龄查表（下限含本数，非累进）")
    eligible = out.decide()
    out.qualify("AGE_BAND_MATCHED", eligible)
    return out.result(ctx, eligible, amount, ("input.hukou_shanghai", "age"))


PROGRAM = Program(
    id="elderly_allowance",
    label="老年综合津贴",
    reference="上海市老年综合津贴制度（2016年5月起实施）",
    rule="policy/README.md §8",
    level="person",
    reasons=reason_table(
        AGE_BAND_MATCHED="本市户籍，当月末年满65周岁，按年龄段发放",
        NO_SHANGHAI_HUKOU="非本市户籍",
        AGE_BELOW_65="当月最后一日未满65周岁",
    ),
    depends_on=(),
    formula=evaluate,
    beneficiary_label="老年综合津贴对象",
    applications=False,
    automatic=True,
    payment="decision",
)
