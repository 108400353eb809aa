"""The single-household trace: computed values, inputs, dated parameters, table look-ups."""

from __future__ import annotations

import json
from typing import Any

from policy import evaluate_household
from policy.engine.trace import nested

PAYLOAD = {
    "month": "2024-08",
    "cpi": {"all_yoy_pct": 3.5, "food_yoy_pct": 1.0},
    "household": {
        "id": "h1", "monetary_assets_yuan": "20000", "private_cars": 0, "homes": 1,
        "members": [
            {"id": "p1", "birth_date": "1944-08-31", "monthly_income_yuan": "800",
             "has_able_supporter": True},
            {"id": "p2", "birth_date": "2015-05-01", "has_able_supporter": True},
        ],
    },
}


def _find(tree: dict[str, Any], name: str) -> dict[str, Any] | None:
    if tree["name"] == name:
        return tree
    for child in tree.get("inputs", []):
        found = _find(child, name)
        if found is not None:
            return found
    return None


def _result(output: dict[str, Any], program: str, person: str | None) -> dict[str, Any]:
    return next(r for r in output["results"] if r["program"] == program and r["person"] == person)


def _tree(output: dict[str, Any], program: str, person: str | None) -> dict[str, Any]:
    return nested(output["trace_nodes"], _result(output, program, person)["trace"])


def test_trace_is_off_by_default() -> None:
    output = evaluate_household(PAYLOAD)
    assert all("trace" not in r for r in output["results"])
    assert "trace_nodes" not in output


def test_trace_nodes_are_shared_not_repeated() -> None:
    # when evaluated with trace
    output = evaluate_household(PAYLOAD, trace=True)
    nodes = output["trace_nodes"]
    # then each result names its root node, which is in the one table
    for result in output["results"]:
        assert result["trace"] == result["program"] and result["trace"] in nodes
    # and every input a node names is itself a node of the table (no nested copies)
    for node in nodes.values():
        assert all(child in nodes for child in node.get("inputs", []))
        assert all(isinstance(child, str) for child in node.get("inputs", []))
    # and the whole output stays small (the nested form repeated the tree per result: ~500 KB)
    assert len(json.dumps(output, ensure_ascii=False).encode()) < 60_000


def test_dibao_trace_shows_inputs_parameters_and_steps() -> None:
    # when evaluated with trace
    output = evaluate_household(PAYLOAD, trace=True)
    tree = _tree(output, "dibao", None)
    # then the root is the program, with its amount and each step
    assert tree["name"] == "dibao" and tree["value"] is True
    income_test = _find(tree, "dibao.income_below_standard")
    assert income_test is not None and income_test["value"] is True
    standard = income_test["parameters"][0]
    assert standard == {"name": "dibao.standard", "value": "1595", "effective": "2024-07-01",
                        "reference": standard["reference"], "verified": True}
    per_capita = _find(tree, "dibao.per_capita_income")
    assert per_capita is not None and per_capita["value"] == "400.00"
    counted = _find(tree, "household.counted_income")
    assert counted is not None and counted["value"] == "800.00"
    incomes = _find(tree, "input.monthly_income")
    assert incomes is not None and incomes["value"] == {"p1": "800.00", "p2": "0.00"}
    personal = _find(tree, "dibao.personal_standard")
    assert personal is not None and personal["value"] == {"p1": "1595.00", "p2": "2075.00"}
    assert _find(tree, "asset_test.assets_over_limit") is not None
    amount = _find(tree, "dibao.amount")
    assert amount is not None and amount["value"] == "2870.00"  # (1595-400)+(2075-400)


def test_table_lookup_row_is_traced() -> None:
    output = evaluate_household(PAYLOAD, trace=True)
    tree = _tree(output, "elderly_allowance", "p1")
    band = _find(tree, "elderly_allowance.band_amount")
    # person-level values are keyed by person id: the 80-year-old's row, none for the child
    assert band is not None and band["value"] == {"p1": "180.00", "p2": "0.00"}
    assert band["lookup"] == {
        "parameter": "elderly_allowance.age_bands",
        "effective": "2016-05-01",
        "matched": {"p1": {"row": 2, "min_age": 80, "amount": "180"}, "p2": None},
    }
    age = _find(tree, "age")
    assert age is not None and age["value"] == {"p1": 80, "p2": 9}
    assert _tree(output, "elderly_allowance", "p2") == tree  # one shared tree per program


def test_trace_crosses_programs_and_is_json() -> None:
    output = evaluate_household(PAYLOAD, trace=True)
    tree = _tree(output, "price_subsidy", "p1")
    base = _find(tree, "price_subsidy.base")
    assert base is not None and base["value"]["p1"] == "1595.00"
    assert _find(base, "dibao") is not None
    json.dumps(output, ensure_ascii=False)


def test_missing_parameter_is_visible_in_trace_and_parameters() -> None:
    payload = {**PAYLOAD, "month": "2025-06",
               "household": {**PAYLOAD["household"], "members": [
                   {"id": "p1", "birth_date": "1970-01-01", "disability": {"grade": 1, "kind": "肢体"},
                    "has_able_supporter": True}]}}
    output = evaluate_household(payload, trace=True)
    care = _result(output, "disability_care_subsidy", "p1")
    assert [r["code"] for r in care["reasons"]] == ["PARAMETER_MISSING"]
    assert {"name": "disability_care_subsidy.grade_1_rate", "value": None} .items() <= \
        next(p for p in care["parameters"] if p["name"] == "disability_care_subsidy.grade_1_rate").items()
    rate = _find(nested(output["trace_nodes"], care["trace"]), "disability_care_subsidy.rate")
    assert rate is not None and rate["parameters"][0]["missing"] is True
