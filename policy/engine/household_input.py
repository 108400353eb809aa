"""Validate one household's JSON payload and turn it into 1-household columns.

Every problem is collected (field path + Chinese message) and raised together
as ``InputError``.  Member fields other than ``id`` and ``birth_date`` are
optional: no disability, not employed, hukou true, income 0, flags false.

Income comes in one of two forms per member (policy/README.md §1 "Earned-income
disregard"): ``monthly_income_yuan`` alone (an employed member's income then
counts as earned, anyone else's as other income), or the split
``earned_income_yuan`` + ``other_income_yuan`` (both required together;
pensions belong to other income).  Giving both forms for one member is an
input error.
A member's ``care_assessment`` (``{level: 1-6, assessed_on}`` or null) is the
latest care-needs assessment (照护等级, REFERENCE §10).
Household ``id``, ``members``, ``monetary_assets_yuan``, ``private_cars`` and
``homes`` are required (a missing asset figure must not pass an asset test);
``medical_out_of_pocket_12m_yuan`` defaults to 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from policy.engine.batch import parse_cpi
from policy.engine.tables import DISABILITY_KINDS, HouseholdTable, PersonTable
from policy.errors import InputError
from policy.money import parse_yuan
from policy.months import Month

TOP_FIELDS = {"month", "cpi", "household"}
HOUSEHOLD_FIELDS = {"id", "monetary_assets_yuan", "private_cars", "homes",
                    "medical_out_of_pocket_12m_yuan", "members"}
MEMBER_FLAGS = {
    "hukou_shanghai": True,
    "employed": False,
    "able_to_work": False,
    "has_able_supporter": False,
    "orphan": False,
    "unsupported_child": False,
    "in_institution": False,
    "unemployment_insurance": False,
    "youfu": False,
    "in_school": False,
    "unemployment_subsidy": False,
}
INCOME_SPLIT_FIELDS = ("earned_income_yuan", "other_income_yuan")
MEMBER_FIELDS = {"id", "birth_date", "monthly_income_yuan", *INCOME_SPLIT_FIELDS, "disability", "care_assessment",
                 *MEMBER_FLAGS}
CARE_LEVELS = range(1, 7)


@dataclass
class HouseholdInput:
    """A validated payload as 1-household columns plus the ids for output."""

    month: Month
    household_id: str
    person_ids: list[str]
    cpi: Mapping[str, Any] | None
    households: HouseholdTable
    persons: PersonTable


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def unknown(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(f"{path}.{key}" if path else str(key), "未知字段")


def parse_household(payload: Any) -> HouseholdInput:
    """Validate ``payload``; raise ``InputError`` listing all problems."""
    problems = _Problems()
    if not isinstance(payload, Mapping):
        raise InputError([{"field": "", "message": "输入应为对象"}])
    problems.unknown(payload, TOP_FIELDS, "")
    month: Month | None = None
    try:
        month = Month.parse(payload.get("month"))
    except ValueError as error:
        problems.add("month", str(error))
    cpi = payload.get("cpi")
    try:
        parse_cpi(cpi, "cpi")
    except InputError as error:
        problems.items.extend(error.problems)
    household = payload.get("household")
    if not isinstance(household, Mapping):
        problems.add("household", "缺少家庭信息对象")
        raise InputError(problems.items)
    problems.unknown(household, HOUSEHOLD_FIELDS, "household")
    household_id = household.get("id")
    if not isinstance(household_id, str) or not household_id:
        problems.add("household.id", "缺少家庭编号（非空字符串）")
    assets = _money(household, "monetary_assets_yuan", "household", problems, required=True)
    medical = _money(household, "medical_out_of_pocket_12m_yuan", "household", problems, required=False)
    cars = _count(household, "private_cars", "household", problems)
    homes = _count(household, "homes", "household", problems)
    members = household.get("members")
    rows: list[dict[str, Any]] = []
    if not isinstance(members, list) or not members:
        problems.add("household.members", "家庭成员应为非空列表")
    else:
        seen: set[str] = set()
        for i, member in enumerate(members):
            row = _member(member, f"household.members[{i}]", month, problems)
            if row is not None:
                if row["id"] in seen:
                    problems.add(f"household.members[{i}].id", "成员编号重复")
                seen.add(row["id"])
                rows.append(row)
    if problems.items:
        raise InputError(problems.items)
    assert month is not None and isinstance(household_id, str)
    households = HouseholdTable(
        monetary_assets_fen=np.array([assets], dtype=np.int64),
        private_cars=np.array([cars], dtype=np.int16),
        homes=np.array([homes], dtype=np.int16),
        medical_oop_12m_fen=np.array([medical], dtype=np.int64),
    )
    persons = PersonTable(
        household_index=np.zeros(len(rows), dtype=np.int64),
        birth_date=np.array([r["birth_date"] for r in rows], dtype="datetime64[D]"),
        monthly_income_fen=np.array([r["income"] for r in rows], dtype=np.int64),
        earned_income_fen=np.array([r["earned"] for r in rows], dtype=np.int64),
        disability_grade=np.array([r["grade"] for r in rows], dtype=np.int8),
        disability_kind=np.array([r["kind"] for r in rows], dtype=np.int8),
        care_level=np.array([r["care_level"] for r in rows], dtype=np.int8),
        care_assessed_on=np.array([r["care_assessed_on"] or "NaT" for r in rows], dtype="datetime64[D]"),
        **{flag: np.array([r[flag] for r in rows], dtype=np.bool_) for flag in MEMBER_FLAGS},
    )
    return HouseholdInput(month, household_id, [r["id"] for r in rows], cpi, households, persons)


def _money(data: Mapping[str, Any], key: str, path: str, problems: _Problems, *, required: bool) -> int:
    if key not in data:
        if required:
            problems.add(f"{path}.{key}", "缺少必填字段")
        return 0
    try:
        return parse_yuan(data[key])
    except ValueError as error:
        problems.add(f"{path}.{key}", str(error))
        return 0


def _income(member: Mapping[str, Any], path: str, employed: bool, problems: _Problems) -> tuple[int, int]:
    """(whole monthly income, its earned part) in fen, from either income form."""
    split = [key for key in INCOME_SPLIT_FIELDS if key in member]
    if not split:
        income = _money(member, "monthly_income_yuan", path, problems, required=False)
        return income, income if employed else 0
    if "monthly_income_yuan" in member:
        problems.add(f"{path}.monthly_income_yuan",
                     "不能同时填写月收入（monthly_income_yuan）和劳动收入/其他收入，请只用一种方式")
        return 0, 0
    for key in INCOME_SPLIT_FIELDS:
        if key not in member:
            problems.add(f"{path}.{key}", "分项填报收入时，劳动收入（earned_income_yuan）和其他收入"
                                          "（other_income_yuan，含养老金）须同时填写")
    earned = _money(member, "earned_income_yuan", path, problems, required=False)
    other = _money(member, "other_income_yuan", path, problems, required=False)
    return earned + other, earned


def _count(data: Mapping[str, Any], key: str, path: str, problems: _Problems) -> int:
    value = data.get(key)
    if key not in data:
        problems.add(f"{path}.{key}", "缺少必填字段")
    elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        problems.add(f"{path}.{key}", "应为非负整数")
    else:
        return value
    return 0


def _member(member: Any, path: str, month: Month | None, problems: _Problems) -> dict[str, Any] | None:
    if not isinstance(member, Mapping):
        problems.add(path, "成员信息应为对象")
        return None
    problems.unknown(member, MEMBER_FIELDS, path)
    row: dict[str, Any] = {}
    member_id = member.get("id")
    if not isinstance(member_id, str) or not member_id:
        problems.add(f"{path}.id", "缺少成员编号（非空字符串）")
    row["id"] = member_id
    row["birth_date"] = date(1970, 1, 1)
    birth = member.get("birth_date")
    if "birth_date" not in member:
        problems.add(f"{path}.birth_date", "缺少必填字段")
    else:
        try:
            if not isinstance(birth, str) or len(birth) != 10:
                raise ValueError
            row["birth_date"] = date.fromisoformat(birth)
            if month is not None and row["birth_date"] > month.last_day:
                problems.add(f"{path}.birth_date", "出生日期晚于评估月份的最后一日")
            elif row["birth_date"].year < 1880:
                problems.add(f"{path}.birth_date", "出生日期不合理")
        except ValueError:
            problems.add(f"{path}.birth_date", "日期无效，应为 YYYY-MM-DD 格式的真实日期")
    for flag, default in MEMBER_FLAGS.items():
        value = member.get(flag, default)
        if not isinstance(value, bool):
            problems.add(f"{path}.{flag}", "应为布尔值 true/false")
            value = default
        row[flag] = value
    row["income"], row["earned"] = _income(member, path, row["employed"], problems)
    row["grade"], row["kind"] = 0, 0
    disability = member.get("disability")
    if disability is not None:
        if not isinstance(disability, Mapping):
            problems.add(f"{path}.disability", "应为对象 {grade, kind} 或 null")
        else:
            problems.unknown(disability, {"grade", "kind"}, f"{path}.disability")
            grade = disability.get("grade")
            if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
                problems.add(f"{path}.disability.grade", "残疾等级应为 1-4 的整数")
            else:
                row["grade"] = grade
            kind = disability.get("kind")
            if kind not in DISABILITY_KINDS:
                problems.add(f"{path}.disability.kind",
                             "残疾类别无效，应为 " + "/".join(DISABILITY_KINDS) + " 之一")
            else:
                row["kind"] = DISABILITY_KINDS[kind]
            if row["grade"] == 0 or row["kind"] == 0:
                row["grade"], row["kind"] = 0, 0
    row["care_level"], row["care_assessed_on"] = _care_assessment(member.get("care_assessment"), path, problems)
    return row


def _care_assessment(assessment: Any, path: str, problems: _Problems) -> tuple[int, date | None]:
    """``care_assessment: {level: 1-6, assessed_on: "YYYY-MM-DD"}`` or null
    (老年照护统一需求评估, REFERENCE §10): (level, date), (0, None) for none."""
    if assessment is None:
        return 0, None
    path = f"{path}.care_assessment"
    if not isinstance(assessment, Mapping):
        problems.add(path, "应为对象 {level, assessed_on} 或 null")
        return 0, None
    problems.unknown(assessment, {"level", "assessed_on"}, path)
    level, assessed_on = assessment.get("level"), assessment.get("assessed_on")
    ok = True
    if isinstance(level, bool) or not isinstance(level, int) or level not in CARE_LEVELS:
        problems.add(f"{path}.level", "照护等级应为 1-6 的整数")
        ok = False
    try:
        if not isinstance(assessed_on, str) or len(assessed_on) != 10:
            raise ValueError
        day = date.fromisoformat(assessed_on)
    except ValueError:
        problems.add(f"{path}.assessed_on", "评估日期无效，应为 YYYY-MM-DD 格式的真实日期")
        ok = False
    return (int(level), day) if ok and isinstance(level, int) else (0, None)
