"""BatchResult row tuples for bulk writing, and the CPI look-up hook."""

from __future__ import annotations

from policy import PROGRAMS, evaluate_batch, evaluate_household
from policy.engine.household_input import parse_household

PAYLOAD = {"month": "2024-08", "household": {
    "id": "h", "monetary_assets_yuan": 0, "private_cars": 0, "homes": 1,
    "members": [{"id": "p1", "birth_date": "1980-01-01", "monthly_income_yuan": "800", "able_to_work": True},
                {"id": "p2", "birth_date": "1950-01-01", "has_able_supporter": True}]}}


def test_rows_cover_every_program_and_entity() -> None:
    parsed = parse_household(PAYLOAD)
    batch = evaluate_batch("2024-08", parsed.households, parsed.persons, cpi=None)
    rows = list(batch.rows())
    per_program = {pid: [r for r in rows if r[1] == pid] for pid in PROGRAMS}
    assert len(per_program["dibao"]) == 1 and len(per_program["elderly_allowance"]) == 2
    # per-capita 400; two beneficiaries: 2 x (1595 - 400) = 2390 yuan
    assert per_program["dibao"][0] == (0, "dibao", True, 239000, ["INCOME_AND_ASSETS_WITHIN_LIMITS"])
    index, program, eligible, amount, codes = per_program["elderly_allowance"][1]
    assert (index, program, eligible, amount, codes) == (1, "elderly_allowance", True, 15000, ["AGE_BAND_MATCHED"])


def test_cpi_lookup_is_used_when_payload_has_no_cpi() -> None:
    asked = []

    def lookup(month: str) -> dict[str, float]:
        asked.append(month)
        return {"all_yoy_pct": 3.5, "food_yoy_pct": 0.0}

    output = evaluate_household(PAYLOAD, cpi_lookup=lookup)
    assert asked == ["2024-08"]
    price = next(r for r in output["results"] if r["program"] == "price_subsidy" and r["person"] == "p1")
    # per-capita 400: dibao beneficiary p1, base 1595 x 3.5% = 55.825 -> 55.8
    assert price["amount_yuan"] == "55.80"
