"""Parameters: the encoded values, provenance, hashes, missing dates, file validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policy import evaluate_household, load_parameters
from policy.engine.parameters import BandTable, parse_parameter_file
from policy.errors import ParameterFileError

PARAMS = load_parameters()


def test_dibao_standard_timeline_matches_reference() -> None:
    timeline = [(e.effective.isoformat(), str(e.value), e.sureness) for e in PARAMS.timeline("dibao.standard")]
    assert timeline == [
        ("2019-04-01", "1160", "official"), ("2020-04-01", "1240", "secondary"),
        ("2021-07-01", "1330", "official"), ("2022-07-01", "1420", "secondary"),
        ("2023-07-01", "1510", "secondary"), ("2024-07-01", "1595", "official"),
        ("2025-07-01", "1650", "official"), ("2026-07-01", "1690", "secondary"),
    ]


def test_extreme_poverty_standard_is_the_dated_table_of_reference_4() -> None:
    timeline = [(e.effective.isoformat(), str(e.value), e.sureness)
                for e in PARAMS.timeline("extreme_poverty.standard")]
    assert timeline == [
        ("2019-04-01", "1510", "assumption"), ("2020-04-01", "1615", "assumption"),
        ("2021-07-01", "1730", "assumption"), ("2022-07-01", "1850", "assumption"),
        ("2023-07-01", "1970", "secondary"), ("2024-07-01", "2075", "secondary"),
        ("2025-07-01", "2145", "assumption"), ("2026-07-01", "2200", "assumption"),
    ]


def test_earned_income_disregard_starts_2023_07_and_is_missing_before() -> None:
    assert PARAMS.get("dibao.earned_income_disregard", "2023-06") is None
    value = PARAMS.get("dibao.earned_income_disregard", "2023-07")
    assert value is not None and value.value == Decimal("870") and value.sureness == "secondary"
    assert not value.verified
    assert PARAMS.get("price_subsidy.base_unemployment_subsidy", "2022-10") is None


def test_get_returns_value_with_provenance_and_none_when_missing() -> None:
    value = PARAMS.get("dibao.standard", "2021-07")
    assert value is not None and value.value == Decimal("1330") and value.verified
    assert value.effective == date(2021, 7, 1) and value.until == date(2022, 7, 1)
    assert PARAMS.get("dibao.standard", date(2019, 3, 31)) is None
    assert PARAMS.get("expense_poverty.reference_disposable_income", "2026-01-01") is None
    assert PARAMS.get("disability_care_subsidy.grade_1_rate", "2025-06") is None


def test_age_bands_are_a_lookup_table() -> None:
    table = PARAMS.get("elderly_allowance.age_bands", "2024-08")
    assert table is not None and isinstance(table.value, BandTable)
    import numpy as np

    rows = table.value.lookup(np.array([64, 65, 69, 70, 99, 100, 120]))
    assert rows.tolist() == [-1, 0, 0, 1, 3, 4, 4]


def test_verified_only_when_official() -> None:
    for parameter in PARAMS:
        for entry in parameter.entries:
            if entry.value is not None:
                assert entry.verified is (entry.sureness == "official"), parameter.name
        assert parameter.description and parameter.reference and parameter.unit


def test_hashes() -> None:
    assert len(PARAMS.hash) == 64
    assert PARAMS.hash_for("2025-01") == PARAMS.hash_for("2025-06")  # nothing changed between
    assert PARAMS.hash_for("2024-06") != PARAMS.hash_for("2024-07")  # dibao standard changed
    out = evaluate_household({"month": "2024-08", "household": {
        "id": "h", "monetary_assets_yuan": 0, "private_cars": 0, "homes": 1,
        "members": [{"id": "p", "birth_date": "1980-01-01"}]}})
    assert out["parameter_set"] == PARAMS.hash_for("2024-08")


def test_bad_parameter_files_fail_loudly(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "description: x\nunit: yuan\nreference: r\nverified: true\n"
        "values:\n  2020-01-01: {value: 1, sureness: secondary, verified: true, source: s}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError):
        parse_parameter_file("g.bad", path)


def test_custom_parameter_directory_changes_results(tmp_path: Path) -> None:
    # given a copy of the parameters without the 2024-07 dibao value
    import shutil

    directory = tmp_path / "parameters"
    shutil.copytree(Path(PARAMS.directory or ""), directory)
    standard = directory / "dibao" / "standard.yaml"
    text = standard.read_text(encoding="utf-8")
    standard.write_text("\n".join(line for line in text.splitlines() if "2024-07-01" not in line) + "\n",
                        encoding="utf-8")
    custom = load_parameters(directory)
    # then 2024-08 falls back to the 2023-07 value and the hash differs
    assert custom.get("dibao.standard", "2024-08").value == Decimal("1510")  # type: ignore[union-attr]
    assert custom.hash_for("2024-08") != PARAMS.hash_for("2024-08")


def test_a_run_s_parameters_rebuilt_from_their_stored_json_give_the_same_hash_and_result() -> None:
    import json

    from policy import parameters_from_in_force

    for month in ("2019-04", "2023-06", "2024-08", "2026-07"):
        # stored as JSON (key order lost, as in PostgreSQL jsonb)
        stored = json.loads(json.dumps(PARAMS.in_force_json(month), sort_keys=True))
        rebuilt = parameters_from_in_force(month, stored)
        assert rebuilt.hash_for(month) == PARAMS.hash_for(month)
    payload = {"month": "2024-08", "household": {
        "id": "h", "monetary_assets_yuan": 0, "private_cars": 0, "homes": 1,
        "members": [{"id": "p", "birth_date": "1950-01-01", "monthly_income_yuan": "800"}]}}
    rebuilt = parameters_from_in_force("2024-08", json.loads(json.dumps(PARAMS.in_force_json("2024-08"))))
    assert evaluate_household(payload, parameters=rebuilt) == evaluate_household(payload)
