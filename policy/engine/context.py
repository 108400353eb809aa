"""Evaluation context: the month, its parameters, the input columns and shared derived columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from policy.engine.parameters import BandTable, ParameterSet, ParameterValue
from policy.engine.results import Level, ParameterUse
from policy.engine.tables import KIND_INTELLECTUAL, KIND_MENTAL, HouseholdTable, PersonTable
from policy.engine.trace import TraceNode, TraceRecorder, ValueSource
from policy.months import Month, ages_on

T = TypeVar("T")


@dataclass(frozen=True)
class Cpi:
    """The month's CPI year-on-year rises in percent (data, not parameters)."""

    all_yoy_pct: Decimal
    food_yoy_pct: Decimal


class EvaluationContext:
    """Shared state for evaluating every program for one month over one batch."""

    def __init__(
        self,
        month: Month,
        parameters: ParameterSet,
        households: HouseholdTable,
        persons: PersonTable,
        cpi: Cpi | None,
        trace: bool,
    ) -> None:
        self.month = month
        self.parameters = parameters
        self.in_force = parameters.in_force(month)
        self.households = households
        self.persons = persons
        self.grouping = persons.grouping(len(households))
        self.cpi = cpi
        self.recorder = TraceRecorder() if trace else None
        self.uses: dict[str, list[ParameterUse]] = {}
        self._current: list[ParameterUse] = []
        self._current_names: set[str] = set()
        self._cache: dict[str, Any] = {}
        self._program_prefix = ""
        self.traced_by_program: list[str] = []
        if self.recorder is not None:
            self._record_inputs()

    # -- program bookkeeping -------------------------------------------------
    def begin(self, program_id: str) -> None:
        """Start collecting the parameters consulted by ``program_id``."""
        self._current = self.uses.setdefault(program_id, [])
        self._current_names = {use.name for use in self._current}
        self._program_prefix = f"{program_id}."
        self.traced_by_program = []

    def param(self, name: str) -> ParameterValue | None:
        """The value of ``name`` in force on the 1st of the month (None: missing)."""
        value = self.in_force[name]
        if name not in self._current_names:
            self._current_names.add(name)
            self._current.append(ParameterUse(name, value))
        return value

    def param_fen(self, name: str) -> int | None:
        value = self.param(name)
        return None if value is None else value.fen

    def param_decimal(self, name: str) -> Decimal | None:
        value = self.param(name)
        return None if value is None else _decimal(value)

    def param_flag(self, name: str) -> bool | None:
        value = self.param(name)
        if value is None:
            return None
        assert isinstance(value.value, bool)
        return value.value

    def param_table(self, name: str) -> BandTable | None:
        value = self.param(name)
        if value is None:
            return None
        assert isinstance(value.value, BandTable)
        return value.value

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a shared column once per evaluation."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[no-any-return]

    def lasting(self, key: str, compute: Callable[[], T]) -> T:
        """A column that depends only on the input tables (and on the parameter
        values spelled in ``key``): computed once for these tables and reused by
        every later month evaluated on them — like the household grouping and
        the birth-date keys (the tables are not changed once built). Arrays are
        made read-only, since later evaluations share them. On the traced path
        it is computed per evaluation (its trace nodes belong to this one)."""
        if self.recorder is not None:
            return self.cached(key, compute)
        memo = self.grouping.lasting  # the person table's; the household table is checked too
        entry = memo.get(key)
        if entry is None or entry[0] is not self.households:
            value = compute()
            for column in (value.__dict__.values() if hasattr(value, "__dict__") else (value,)):
                if isinstance(column, np.ndarray):
                    column.flags.writeable = False
            entry = memo[key] = (self.households, value)
        return entry[1]

    # -- sizes and shared columns -------------------------------------------
    @property
    def household_count(self) -> int:
        return len(self.households)

    @property
    def person_count(self) -> int:
        return len(self.persons)

    def to_persons(self, values: NDArray[Any]) -> NDArray[Any]:
        return self.grouping.to_persons(values)

    @cached_property
    def no_person(self) -> NDArray[np.bool_]:
        """An all-False person mask (shared, read-only)."""
        zeros = np.zeros(self.person_count, dtype=np.bool_)
        zeros.flags.writeable = False
        return zeros

    @cached_property
    def age(self) -> NDArray[np.int32]:
        """Completed years on the last day of the month (project convention)."""
        ages = ages_on(self.month.last_day, self.persons.birth_keys)
        self.trace("age", "person", ages, unit="years", inputs=("input.birth_date",),
                   note=f"{self.month.last_day.isoformat()}（当月最后一日）的周岁年龄")
        return ages

    @cached_property
    def household_size(self) -> NDArray[np.int64]:
        sizes = self.grouping.sizes
        self.trace("household.size", "household", sizes, unit="count",
                   inputs=("input.person",), note="共同生活的家庭成员人数（含非本市户籍成员）")
        return sizes

    @cached_property
    def household_income_fen(self) -> NDArray[np.int64]:
        total = self.lasting("household_income", lambda: self.grouping.sum(self.persons.monthly_income_fen))
        self.trace("household.total_income", "household", total, unit="fen",
                   inputs=("input.monthly_income",), note="全体共同生活成员月收入之和")
        return total

    @cached_property
    def household_has_hukou(self) -> NDArray[np.bool_]:
        has = self.lasting("household_has_hukou", lambda: self.grouping.any(self.persons.hukou_shanghai))
        self.trace("household.has_hukou_member", "household", has, unit="bool",
                   inputs=("input.hukou_shanghai",), note="至少一名成员为本市户籍")
        return has

    @cached_property
    def severe_disability(self) -> NDArray[np.bool_]:
        """Grade 1-2 of any kind, or grade 3 intellectual/mental (, §5)."""
        grade = self.persons.disability_grade
        kind = self.persons.disability_kind
        severe: NDArray[np.bool_] = self.lasting("severe_disability", lambda: ((grade == 1) | (grade == 2)) | (
            (grade == 3) & ((kind == KIND_INTELLECTUAL) | (kind == KIND_MENTAL))
        ))
        self.trace("person.severe_disability", "person", severe, unit="bool",
                   inputs=("input.disability_grade", "input.disability_kind"),
                   note="一、二级残疾（任何类别），或三级智力/精神残疾")
        return severe

    # -- trace ---------------------------------------------------------------
    @property
    def tracing(self) -> bool:
        """True on the traced (single-household) path."""
        return self.recorder is not None

    def trace(
        self,
        name: str,
        level: Level,
        values: ValueSource,
        *,
        unit: str,
        inputs: Sequence[str] = (),
        parameters: Sequence[str] = (),
        note: str = "",
        lookup: tuple[str, NDArray[np.intp]] | None = None,
    ) -> None:
        """Record a computed column (no-op unless tracing).  ``values`` is a column
        (copied) or a callable returning a fresh one (called only when tracing)."""
        recorder = self.recorder
        if recorder is None:
            return
        if name.startswith(self._program_prefix):
            self.traced_by_program.append(name)
        # the values are listed now: some columns are finished in place later (e.g. amounts
        # zeroed where not eligible), and the renderer wants Python values anyway
        column = values() if callable(values) else values
        listed = column.tolist() if type(column) is np.ndarray else np.asarray(column).tolist()
        # tuple.__new__: the named tuple's own constructor is a Python-level function (~40 nodes a household)
        recorder.nodes[name] = tuple.__new__(TraceNode, (name, level, listed, unit, tuple(inputs), tuple(parameters),
                                                         note, lookup))

    def _record_inputs(self) -> None:
        """The input columns as trace nodes (listed: the trace is for one household)."""
        assert self.recorder is not None
        nodes = self.recorder.nodes
        inputs: tuple[tuple[Level, HouseholdTable | PersonTable, tuple[tuple[str, str, str], ...]], ...] = (
            ("person", self.persons, PERSON_INPUTS), ("household", self.households, HOUSEHOLD_INPUTS))
        for level, table, columns in inputs:
            for name, attribute, unit in columns:
                column = getattr(table, attribute) if attribute else np.ones(len(table), dtype=np.bool_)
                nodes[name] = tuple.__new__(TraceNode, (name, level, column.tolist(), unit, (), (), "输入", None))


#: Input trace nodes: (node name, table attribute or "" for "one per person", unit).
PERSON_INPUTS = (
    ("input.birth_date", "birth_date", "date"),
    ("input.hukou_shanghai", "hukou_shanghai", "bool"),
    ("input.monthly_income", "monthly_income_fen", "fen"),
    ("input.earned_income", "earned_income_fen", "fen"),
    ("input.employed", "employed", "bool"),
    ("input.in_school", "in_school", "bool"),
    ("input.disability_grade", "disability_grade", "code"),
    ("input.disability_kind", "disability_kind", "code"),
    ("input.care_level", "care_level", "code"),
    ("input.care_assessed_on", "care_assessed_on", "date"),
    ("input.able_to_work", "able_to_work", "bool"),
    ("input.has_able_supporter", "has_able_supporter", "bool"),
    ("input.orphan", "orphan", "bool"),
    ("input.unsupported_child", "unsupported_child", "bool"),
    ("input.in_institution", "in_institution", "bool"),
    ("input.unemployment_insurance", "unemployment_insurance", "bool"),
    ("input.unemployment_subsidy", "unemployment_subsidy", "bool"),
    ("input.youfu", "youfu", "bool"),
    ("input.person", "", "bool"),
)
HOUSEHOLD_INPUTS = (
    ("input.monetary_assets", "monetary_assets_fen", "fen"),
    ("input.private_cars", "private_cars", "count"),
    ("input.homes", "homes", "count"),
    ("input.medical_out_of_pocket_12m", "medical_oop_12m_fen", "fen"),
)


def _decimal(value: ParameterValue) -> Decimal:
    assert isinstance(value.value, Decimal), value.name
    return value.value
