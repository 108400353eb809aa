"""Load the YAML cases in policy/tests/cases/ and compare them with evaluate_household.

Case format (one YAML list per program file)::

    - name: what the case shows
      household: {members: [...], ...}   # id/assets/cars/homes default to h1/0/0/1
      cpi: {all_yoy_pct: 3.5, food_yoy_pct: 2.0}          # optional
      grants: [{name, label, month, amount_yuan, target_groups}]   # optional
      runs:                                  # or a single month + expect
        - month: "2024-08"
          expect:
            - {program: dibao, eligible: true, amount_yuan: "795.00", reasons: [...]}
            - {program: "one_off:x", absent: true}

``person`` in an expectation defaults to null for household programs and to
the first member for person-level ones.  Only the listed keys are compared;
``reasons`` compares the list of codes exactly (order as the program lists them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from policy.grants import OneOffGrant
from policy.money import parse_yuan
from policy.programs import PROGRAMS

CASES_DIR = Path(__file__).parent / "cases"
HOUSEHOLD_DEFAULTS = {"id": "h1", "monetary_assets_yuan": "0", "private_cars": 0, "homes": 1}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """(test id, run) pairs; each run has payload, grants and expectations."""
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case = _plain(case)
            runs = case.get("runs") or [{"month": case["month"], "expect": case["expect"]}]
            for run in runs:
                household = {**HOUSEHOLD_DEFAULTS, **case["household"]}
                payload: dict[str, Any] = {"month": str(run["month"]), "household": household}
                cpi = run.get("cpi", case.get("cpi"))
                if cpi is not None:
                    payload["cpi"] = cpi
                grants = [
                    OneOffGrant(g["name"], g["label"], str(g["month"]), parse_yuan(g["amount_yuan"]),
                                tuple(g["target_groups"]))
                    for g in case.get("grants", [])
                ]
                test_id = f"{path.stem}: {case['name']} [{run['month']}]"
                out.append((test_id, {"payload": payload, "grants": grants, "expect": run["expect"]}))
    return out


def check(output: dict[str, Any], payload: dict[str, Any], expectations: list[dict[str, Any]]) -> None:
    """Assert every expectation against the output of evaluate_household."""
    first_member = payload["household"]["members"][0]["id"]
    for expected in expectations:
        program = expected["program"]
        known = PROGRAMS.get(program)
        default_person = None if known is not None and known.level == "household" else first_member
        person = expected.get("person", default_person)
        matches = [r for r in output["results"] if r["program"] == program and r["person"] == person]
        if expected.get("absent"):
            assert not matches, f"{program} should be absent"
            continue
        assert len(matches) == 1, f"no single result for {program}/{person}"
        result = matches[0]
        summary = f"{program}/{person}: got {result['eligible']} {result['amount_yuan']} " + str(
            [r["code"] for r in result["reasons"]]
        )
        if "eligible" in expected:
            assert result["eligible"] is expected["eligible"], summary
        if "amount_yuan" in expected:
            assert result["amount_yuan"] == str(expected["amount_yuan"]), summary
        if "reasons" in expected:
            assert [r["code"] for r in result["reasons"]] == expected["reasons"], summary
