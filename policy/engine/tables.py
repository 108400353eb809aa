"""Columnar inputs: one numpy array per field, one row per household / person.

Disability kind codes (``PersonTable.disability_kind``, int8; GB/T 26341 order):

==== ====
code kind
==== ====
0    none (no disability certificate)
1    视力 (visual)
2    听力 (hearing)
3    言语 (speech)
4    肢体 (physical)
5    智力 (intellectual)
6    精神 (mental)
7    多重 (multiple)
==== ====

``care_level`` is the person's latest care-needs assessment (老年照护统一需求评估,
照护等级 1-6; 0 = none) and ``care_assessed_on`` its date (NaT with level 0);
the elderly-care subsidy counts an assessment from the month of its date on
(REFERENCE §10, docs/adr/0031-elderly-care-subsidy.md).

``disability_grade`` is 0 for none, else 1-4 (1 = most severe).  Holding a
grade > 0 means holding a valid disability certificate (残疾人证).

Income columns (policy/README.md §1 "Earned-income disregard"):
``monthly_income_fen`` is a person's whole monthly income (earned + pensions +
other); ``earned_income_fen`` is the earned part of it (wages, business), the
only part the disregard touches, and only for an ``employed`` member.  When
``earned_income_fen`` is not given, an employed person's income counts as
earned and anyone else has no earned income (the rule for inputs without the
split).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from policy.engine.grouping import HouseholdGrouping
from policy.errors import InputError
from policy.months import birth_ymd_keys

DISABILITY_KINDS: dict[str, int] = {
    "视力": 1,
    "听力": 2,
    "言语": 3,
    "肢体": 4,
    "智力": 5,
    "精神": 6,
    "多重": 7,
}
KIND_INTELLECTUAL = DISABILITY_KINDS["智力"]
KIND_MENTAL = DISABILITY_KINDS["精神"]

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass
class HouseholdTable:
    """One row per household. Money in integer fen."""

    monetary_assets_fen: NDArray[np.int64]
    private_cars: NDArray[np.int16]
    homes: NDArray[np.int16]
    medical_oop_12m_fen: NDArray[np.int64]

    def __post_init__(self) -> None:
        self.monetary_assets_fen = np.asarray(self.monetary_assets_fen, dtype=np.int64)
        self.private_cars = np.asarray(self.private_cars, dtype=np.int16)
        self.homes = np.asarray(self.homes, dtype=np.int16)
        self.medical_oop_12m_fen = np.asarray(self.medical_oop_12m_fen, dtype=np.int64)
        problems = _same_length(self, "households")
        for name in ("monetary_assets_fen", "private_cars", "homes", "medical_oop_12m_fen"):
            if (getattr(self, name) < 0).any():
                problems.append({"field": f"households.{name}", "message": "不能为负数"})
        if problems:
            raise InputError(problems)

    def __len__(self) -> int:
        return len(self.monetary_assets_fen)


@dataclass
class PersonTable:
    """One row per person; ``household_index`` points into the HouseholdTable.

    ``birth_date`` may be given as ``datetime64[D]`` or as int days since
    1970-01-01.  Rows need not be sorted by household (sorted input is faster).
    """

    household_index: NDArray[np.int64]
    birth_date: NDArray[np.datetime64]
    hukou_shanghai: BoolArray
    monthly_income_fen: NDArray[np.int64]
    employed: BoolArray
    disability_grade: NDArray[np.int8]
    disability_kind: NDArray[np.int8]
    able_to_work: BoolArray
    has_able_supporter: BoolArray
    orphan: BoolArray
    unsupported_child: BoolArray
    in_institution: BoolArray
    unemployment_insurance: BoolArray
    youfu: BoolArray
    # optional inputs: None is replaced by the column's rule in __post_init__
    earned_income_fen: NDArray[np.int64] = None  # type: ignore[assignment]
    in_school: BoolArray = None  # type: ignore[assignment]
    unemployment_subsidy: BoolArray = None  # type: ignore[assignment]
    # 老年照护统一需求评估: the latest assessment's level (0 = none, 1-6) and its date (NaT = none)
    care_level: NDArray[np.int8] = None  # type: ignore[assignment]
    care_assessed_on: NDArray[np.datetime64] = None  # type: ignore[assignment]
    _birth_keys: NDArray[np.int32] | None = field(default=None, init=False, repr=False, compare=False)
    _grouping: HouseholdGrouping | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.household_index = np.asarray(self.household_index, dtype=np.int64)
        birth = np.asarray(self.birth_date)
        self.birth_date = birth.astype("datetime64[D]") if birth.dtype.kind != "M" else birth.astype("datetime64[D]", copy=False)
        self.monthly_income_fen = np.asarray(self.monthly_income_fen, dtype=np.int64)
        self.employed = np.asarray(self.employed, dtype=np.bool_)
        if self.earned_income_fen is None:
            self.earned_income_fen = np.where(self.employed, self.monthly_income_fen, 0).astype(np.int64)
        else:
            self.earned_income_fen = np.asarray(self.earned_income_fen, dtype=np.int64)
        for name in _OPTIONAL_BOOL_COLUMNS:
            column = getattr(self, name)
            setattr(self, name, np.zeros(len(self.household_index), dtype=np.bool_) if column is None
                    else np.asarray(column, dtype=np.bool_))
        size = len(self.household_index)
        self.care_level = (np.zeros(size, dtype=np.int8) if self.care_level is None
                           else np.asarray(self.care_level, dtype=np.int8))
        self.care_assessed_on = (np.full(size, np.datetime64("NaT"), dtype="datetime64[D]")
                                 if self.care_assessed_on is None
                                 else np.asarray(self.care_assessed_on).astype("datetime64[D]"))
        self.disability_grade = np.asarray(self.disability_grade, dtype=np.int8)
        self.disability_kind = np.asarray(self.disability_kind, dtype=np.int8)
        for name in _BOOL_COLUMNS:
            setattr(self, name, np.asarray(getattr(self, name), dtype=np.bool_))
        problems = _same_length(self, "persons")
        if (self.monthly_income_fen < 0).any():
            problems.append({"field": "persons.monthly_income_fen", "message": "收入不能为负数"})
        if not problems and ((self.earned_income_fen < 0) | (self.earned_income_fen > self.monthly_income_fen)).any():
            problems.append({"field": "persons.earned_income_fen", "message": "劳动收入应在 0 与月收入之间"})
        if ((self.disability_grade < 0) | (self.disability_grade > 4)).any():
            problems.append({"field": "persons.disability_grade", "message": "残疾等级应为 0-4"})
        if ((self.disability_kind < 0) | (self.disability_kind > 7)).any():
            problems.append({"field": "persons.disability_kind", "message": "残疾类别代码应为 0-7"})
        if ((self.disability_grade == 0) != (self.disability_kind == 0)).any():
            problems.append({"field": "persons.disability_kind", "message": "残疾等级与类别须同时为 0 或同时非 0"})
        if ((self.care_level < 0) | (self.care_level > 6)).any():
            problems.append({"field": "persons.care_level", "message": "照护等级应为 0（未评估）或 1-6"})
        elif len(self.care_level) == len(self.care_assessed_on) and \
                ((self.care_level == 0) != np.isnat(self.care_assessed_on)).any():
            problems.append({"field": "persons.care_assessed_on", "message": "照护等级与评估日期须同时填写或同时为空"})
        if np.isnat(self.birth_date).any():
            problems.append({"field": "persons.birth_date", "message": "出生日期缺失"})
        if problems:
            raise InputError(problems)

    def __len__(self) -> int:
        return len(self.household_index)

    @property
    def birth_keys(self) -> NDArray[np.int32]:
        """``YYYYMMDD`` birth keys (computed once, reused across months)."""
        if self._birth_keys is None:
            self._birth_keys = birth_ymd_keys(self.birth_date)
        return self._birth_keys

    def grouping(self, household_count: int) -> HouseholdGrouping:
        """Sums and broadcasts by household (built once, reused across months)."""
        if self._grouping is None or self._grouping.household_count != household_count:
            self._grouping = HouseholdGrouping(self.household_index, household_count)
        return self._grouping


_BOOL_COLUMNS = (
    "hukou_shanghai",
    "employed",
    "able_to_work",
    "has_able_supporter",
    "orphan",
    "unsupported_child",
    "in_institution",
    "unemployment_insurance",
    "youfu",
)
_OPTIONAL_BOOL_COLUMNS = ("in_school", "unemployment_subsidy")


def _same_length(table: Any, label: str) -> list[dict[str, str]]:
    lengths = {f.name: len(getattr(table, f.name)) for f in fields(table) if f.init}
    if len(set(lengths.values())) > 1:
        return [{"field": label, "message": f"各列长度不一致：{lengths}"}]
    return []


def concat_tables(
    parts: list[tuple[HouseholdTable, PersonTable]],
) -> tuple[HouseholdTable, PersonTable]:
    """Stack several (households, persons) pairs into one batch, re-basing household_index."""
    offsets = np.cumsum([0] + [len(h) for h, _ in parts[:-1]])
    households = HouseholdTable(
        **{
            f.name: np.concatenate([getattr(h, f.name) for h, _ in parts])
            for f in fields(HouseholdTable)
        }
    )
    person_columns: dict[str, Any] = {}
    for f in fields(PersonTable):
        if not f.init:
            continue
        if f.name == "household_index":
            person_columns[f.name] = np.concatenate(
                [p.household_index + offset for (_, p), offset in zip(parts, offsets, strict=True)]
            )
        else:
            person_columns[f.name] = np.concatenate([getattr(p, f.name) for _, p in parts])
    return households, PersonTable(**person_columns)
