"""Bad input raises InputError listing ALL problems with field paths and Chinese text."""

from __future__ import annotations

import numpy as np
import pytest

from policy import HouseholdTable, InputError, PersonTable, evaluate_batch, evaluate_household
from policy.engine.household_input import parse_household


def _problems(payload: object) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        evaluate_household(payload)  # type: ignore[arg-type]
    return {p["field"]: p["message"] for p in caught.value.problems}


def test_all_problems_are_reported_together() -> None:
    # given a payload with many independent mistakes
    payload = {
        "month": "2024-13",
        "colour": "blue",
        "cpi": {"all_yoy_pct": "abc", "food_yoy_pct": 1.0},
        "household": {
            "id": "h1", "monetary_assets_yuan": "-5", "private_cars": -1, "homes": 1,
            "members": [
                {"id": "p1", "birth_date": "2023-02-30", "monthly_income_yuan": "12.345",
                 "disability": {"grade": 5, "kind": "心理"}, "nickname": "x"},
                {"id": "p1", "birth_date": "1980-01-01", "hukou_shanghai": "yes"},
                {"birth_date": "1980-01-01"},
            ],
        },
    }
    # when evaluated / then every problem is listed with its path
    problems = _problems(payload)
    assert set(problems) >= {
        "month", "colour", "cpi.all_yoy_pct",
        "household.monetary_assets_yuan", "household.private_cars",
        "household.members[0].birth_date", "household.members[0].monthly_income_yuan",
        "household.members[0].disability.grade", "household.members[0].disability.kind",
        "household.members[0].nickname", "household.members[1].id",
        "household.members[1].hukou_shanghai", "household.members[2].id",
    }
    assert problems["household.monetary_assets_yuan"] == "金额不能为负数"
    assert problems["colour"] == "未知字段"
    assert "残疾类别无效" in problems["household.members[0].disability.kind"]


def test_required_fields_and_future_birth() -> None:
    problems = _problems({"month": "2024-08", "household": {"id": "h", "members": [
        {"id": "p1", "birth_date": "2024-09-01"}, {"id": "p2"}]}})
    assert problems["household.monetary_assets_yuan"] == "缺少必填字段"
    assert problems["household.private_cars"] == "缺少必填字段"
    assert problems["household.members[0].birth_date"] == "出生日期晚于评估月份的最后一日"
    assert problems["household.members[1].birth_date"] == "缺少必填字段"


def test_not_a_dict_and_empty_members() -> None:
    assert _problems([]) == {"": "输入应为对象"}
    problems = _problems({"month": "2024-08", "household": {"id": "h", "monetary_assets_yuan": 0,
                                                            "private_cars": 0, "homes": 0, "members": []}})
    assert problems == {"household.members": "家庭成员应为非空列表"}


def test_numbers_and_strings_are_both_accepted_for_money() -> None:
    out = evaluate_household({"month": "2024-08", "household": {
        "id": "h", "monetary_assets_yuan": 100.5, "private_cars": 0, "homes": 1,
        "members": [{"id": "p", "birth_date": "1980-01-01", "monthly_income_yuan": 800, "able_to_work": True}]}})
    assert next(r for r in out["results"] if r["program"] == "dibao")["amount_yuan"] == "795.00"


def test_batch_rejects_bad_columns() -> None:
    households = HouseholdTable(np.array([0]), np.array([0]), np.array([1]), np.array([0]))
    with pytest.raises(InputError) as caught:
        PersonTable(
            household_index=np.array([0]), birth_date=np.array(["1980-01-01"], dtype="datetime64[D]"),
            hukou_shanghai=[True], monthly_income_fen=[-1], employed=[False], disability_grade=[5],
            disability_kind=[9], able_to_work=[False], has_able_supporter=[False], orphan=[False],
            unsupported_child=[False], in_institution=[False], unemployment_insurance=[False], youfu=[False],
        )
    fields = {p["field"] for p in caught.value.problems}
    assert {"persons.monthly_income_fen", "persons.disability_grade", "persons.disability_kind"} <= fields
    persons = PersonTable(
        household_index=np.array([3]), birth_date=np.array([0]), hukou_shanghai=[True],
        monthly_income_fen=[0], employed=[False], disability_grade=[0], disability_kind=[0],
        able_to_work=[False], has_able_supporter=[False], orphan=[False], unsupported_child=[False],
        in_institution=[False], unemployment_insurance=[False], youfu=[False],
    )
    with pytest.raises(InputError):
        evaluate_batch("2024-08", households, persons, cpi=None)
    with pytest.raises(InputError):
        evaluate_batch("2024/08", households, persons, cpi=None)


def _member_problems(member: dict) -> dict[str, str]:
    return _problems({"month": "2024-08", "household": {
        "id": "h", "monetary_assets_yuan": 0, "private_cars": 0, "homes": 1,
        "members": [{"id": "p1", "birth_date": "1980-01-01", **member}]}})


def test_new_member_fields_are_checked() -> None:
    # in_school and unemployment_subsidy are booleans, nothing else
    problems = _member_problems({"in_school": "yes", "unemployment_subsidy": 1})
    assert problems == {"household.members[0].in_school": "应为布尔值 true/false",
                        "household.members[0].unemployment_subsidy": "应为布尔值 true/false"}
    # the two income forms cannot be mixed
    problems = _member_problems({"monthly_income_yuan": "1000", "earned_income_yuan": "1000",
                                 "other_income_yuan": "0"})
    assert "不能同时填写月收入" in problems["household.members[0].monthly_income_yuan"]
    # the split needs both parts (a missing part is not zero)
    problems = _member_problems({"earned_income_yuan": "1000"})
    assert set(problems) == {"household.members[0].other_income_yuan"}
    assert "须同时填写" in problems["household.members[0].other_income_yuan"]
    # amounts are checked like every amount
    problems = _member_problems({"earned_income_yuan": "-1", "other_income_yuan": "abc"})
    assert set(problems) == {"household.members[0].earned_income_yuan", "household.members[0].other_income_yuan"}
    # a misspelt field is unknown, never ignored
    assert _member_problems({"inschool": True}) == {"household.members[0].inschool": "未知字段"}


def test_person_table_checks_earned_within_income() -> None:
    with pytest.raises(InputError) as caught:
        PersonTable(
            household_index=[0], birth_date=np.array(["1980-01-01"], dtype="datetime64[D]"),
            hukou_shanghai=[True], monthly_income_fen=[100], earned_income_fen=[200], employed=[True],
            disability_grade=[0], disability_kind=[0], able_to_work=[True], has_able_supporter=[False],
            orphan=[False], unsupported_child=[False], in_institution=[False], unemployment_insurance=[False],
            youfu=[False])
    assert [p["field"] for p in caught.value.problems] == ["persons.earned_income_fen"]


def test_care_assessment_is_checked() -> None:
    # a level outside 1-6 and a bad date are input errors, never a silent "not assessed"
    problems = _member_problems({"care_assessment": {"level": 7, "assessed_on": "2024-02-30"}})
    assert problems == {"household.members[0].care_assessment.level": "照护等级应为 1-6 的整数",
                        "household.members[0].care_assessment.assessed_on":
                            "评估日期无效，应为 YYYY-MM-DD 格式的真实日期"}
    assert set(_member_problems({"care_assessment": {"level": 0, "assessed_on": "2024-02-01"}})) == {
        "household.members[0].care_assessment.level"}
    assert set(_member_problems({"care_assessment": {"level": True, "assessed_on": "2024-02-01"}})) == {
        "household.members[0].care_assessment.level"}
    assert _member_problems({"care_assessment": {"level": 2, "assessed_on": "2024-02-01", "by": "x"}}) == {
        "household.members[0].care_assessment.by": "未知字段"}
    for fine in ({"level": 2, "assessed_on": "2024-02-01"}, None):
        payload = {"month": "2024-08", "household": {"id": "h", "monetary_assets_yuan": 0, "private_cars": 0,
                   "homes": 1, "members": [{"id": "p1", "birth_date": "1940-01-01", "care_assessment": fine}]}}
        assert parse_household(payload).persons.care_level.tolist() == [2 if fine else 0]


def test_person_table_checks_care_level() -> None:
    columns = dict(
        household_index=[0], birth_date=np.array(["1940-01-01"], dtype="datetime64[D]"),
        hukou_shanghai=[True], monthly_income_fen=[0], employed=[False],
        disability_grade=[0], disability_kind=[0], able_to_work=[False], has_able_supporter=[True],
        orphan=[False], unsupported_child=[False], in_institution=[False], unemployment_insurance=[False],
        youfu=[False])
    with pytest.raises(InputError) as caught:
        PersonTable(**columns, care_level=[7], care_assessed_on=np.array(["2024-01-01"], dtype="datetime64[D]"))
    assert [p["field"] for p in caught.value.problems] == ["persons.care_level"]
    with pytest.raises(InputError) as caught:
        PersonTable(**columns, care_level=[3])  # a level without its date
    assert [p["field"] for p in caught.value.problems] == ["persons.care_assessed_on"]
    assert PersonTable(**columns).care_level.tolist() == [0]
