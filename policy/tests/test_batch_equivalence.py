"""Property: evaluating households one at a time equals evaluating them together."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import OneOffGrant, evaluate_batch, evaluate_household
from policy.engine.household_input import parse_household
from policy.engine.tables import DISABILITY_KINDS, concat_tables

MONTHS = ["2019-03", "2021-07", "2021-08", "2022-10", "2024-08", "2025-07", "2026-01"]
GRANT = OneOffGrant("fixture", "测试补助", "2024-08", 10_000, ("dibao", "extreme_poverty", "youfu"))

money = st.one_of(st.just("0"), st.integers(0, 600_000).map(lambda fen: f"{fen // 100}.{fen % 100:02d}"))
disability = st.one_of(
    st.none(),
    st.fixed_dictionaries({"grade": st.integers(1, 4), "kind": st.sampled_from(sorted(DISABILITY_KINDS))}),
)
care_assessment = st.one_of(  # 照护等级 1-6 with a date around the months evaluated
    st.none(),
    st.fixed_dictionaries({"level": st.integers(1, 6),
                           "assessed_on": st.dates(min_value=__import__("datetime").date(2019, 1, 1),
                                                   max_value=__import__("datetime").date(2026, 2, 1)).map(str)}),
)
income = st.one_of(  # the two income forms of the member input
    st.fixed_dictionaries({"monthly_income_yuan": st.one_of(st.just("0"), money)}),
    st.fixed_dictionaries({"earned_income_yuan": money, "other_income_yuan": money}),
)
member_fields = st.fixed_dictionaries(
    {
        "birth_date": st.dates(min_value=__import__("datetime").date(1915, 1, 1),
                               max_value=__import__("datetime").date(2019, 3, 1)).map(str),
        "hukou_shanghai": st.booleans(),
        "employed": st.booleans(),
        "in_school": st.booleans(),
        "unemployment_subsidy": st.booleans(),
        "disability": disability,
        "care_assessment": care_assessment,
        "able_to_work": st.booleans(),
        "has_able_supporter": st.booleans(),
        "orphan": st.booleans(),
        "unsupported_child": st.booleans(),
        "in_institution": st.booleans(),
        "unemployment_insurance": st.booleans(),
        "youfu": st.booleans(),
    }
)
member = st.tuples(member_fields, income).map(lambda parts: {**parts[0], **parts[1]})
household = st.fixed_dictionaries(
    {
        "monetary_assets_yuan": st.integers(0, 12_000_000).map(lambda fen: f"{fen // 100}.{fen % 100:02d}"),
        "private_cars": st.integers(0, 1),
        "homes": st.integers(0, 2),
        "medical_out_of_pocket_12m_yuan": money,
        "members": st.lists(member, min_size=1, max_size=5),
    }
)
cpi = st.one_of(
    st.none(),
    st.fixed_dictionaries({"all_yoy_pct": st.sampled_from([1.0, 2.9, 3.0, 3.5, 4.2]),
                           "food_yoy_pct": st.sampled_from([0.5, 5.9, 6.0, 7.3])}),
)


def _payload(month: str, index: int, data: dict[str, Any], cpi_value: Any) -> dict[str, Any]:
    members = [{"id": f"h{index}p{j}", **m} for j, m in enumerate(data["members"])]
    payload: dict[str, Any] = {"month": month, "household": {**data, "id": f"h{index}", "members": members}}
    if cpi_value is not None:
        payload["cpi"] = cpi_value
    return payload


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(month=st.sampled_from(MONTHS), households=st.lists(household, min_size=1, max_size=8), cpi_value=cpi)
def test_one_at_a_time_equals_together(month: str, households: list[dict[str, Any]], cpi_value: Any) -> None:
    # given random households for one month
    payloads = [_payload(month, i, h, cpi_value) for i, h in enumerate(households)]
    # when evaluated one by one through the single-household API
    singles = [evaluate_household(p, grants=(GRANT,)) for p in payloads]
    # and all together as one batch
    parsed = [parse_household(p) for p in payloads]
    tables = concat_tables([(p.households, p.persons) for p in parsed])
    batch = evaluate_batch(month, *tables, cpi=cpi_value, grants=(GRANT,))
    # then every row agrees
    person_offset = 0
    for h, (single, p) in enumerate(zip(singles, parsed, strict=True)):
        for result in single["results"]:
            columns = batch.programs[result["program"]]
            row = h if columns.level == "household" else person_offset + p.person_ids.index(result["person"])
            assert bool(columns.eligible[row]) is result["eligible"]
            assert int(columns.amount_fen[row]) == round(float(result["amount_yuan"]) * 100)
            assert columns.codes(int(columns.reasons[row])) == [r["code"] for r in result["reasons"]]
            assert batch.parameter_set == single["parameter_set"]
        person_offset += len(p.person_ids)


def test_unsorted_person_rows_give_the_same_result() -> None:
    # given two households whose person rows are interleaved
    payloads = [
        _payload("2024-08", 0, {"monetary_assets_yuan": "0", "private_cars": 0, "homes": 1, "members": [
            {"birth_date": "1950-01-01", "monthly_income_yuan": "300"},
            {"birth_date": "2015-01-01", "has_able_supporter": True}]}, None),
        _payload("2024-08", 1, {"monetary_assets_yuan": "0", "private_cars": 0, "homes": 1, "members": [
            {"birth_date": "1980-01-01", "monthly_income_yuan": "900", "able_to_work": True},
            {"birth_date": "1985-01-01", "hukou_shanghai": False, "able_to_work": True}]}, None),
    ]
    parsed = [parse_household(p) for p in payloads]
    households, persons = concat_tables([(p.households, p.persons) for p in parsed])
    sorted_batch = evaluate_batch("2024-08", households, persons, cpi=None)
    order = [0, 2, 1, 3]
    import dataclasses

    shuffled = dataclasses.replace(
        persons, **{f.name: getattr(persons, f.name)[order] for f in dataclasses.fields(persons) if f.init}
    )
    # when evaluated with unsorted rows
    shuffled_batch = evaluate_batch("2024-08", households, shuffled, cpi=None)
    # then household results agree and person results follow the permutation
    for program_id, columns in sorted_batch.programs.items():
        other = shuffled_batch.programs[program_id]
        if columns.level == "household":
            assert (columns.amount_fen == other.amount_fen).all()
            assert (columns.reasons == other.reasons).all()
        else:
            assert (columns.amount_fen[order] == other.amount_fen).all()
            assert (columns.reasons[order] == other.reasons).all()
