"""The registry's care-needs assessments reach the engine's elderly-care
subsidy (REFERENCE §10, ADR 0031): the columns read the assessment in force on
the 1st of the month (one dated the 2nd counts from the next month), the
batch and the single-household JSON pay the rate of the level and status, and
snapshots keep the columns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from minzheng.eligibility.inputs import (
    household_payload,
    policy_tables,
    snapshot_bytes,
    snapshot_load,
)
from minzheng.registry import services
from minzheng.registry.columnar import NO_ASSESSMENT_DAY, registry_columns
from policy import evaluate_batch, evaluate_household

pytestmark = pytest.mark.django_db

ORG = "松江区老年照护统一需求评估中心（演示）"


def _record(users, person, level, on):
    return services.care_assessment_record(actor=users["committee"], person=person, level=level, assessed_on=on,
                                           assessor_org=ORG)


def _dibao_elder(users, make_person):
    elder = make_person("孙奶奶", dt.date(1936, 4, 1), male=False, monthly_income_fen=10_000)
    household = services.household_create(actor=users["bureau"], head=elder, address="谷阳路8号",
                                          start_date=dt.date(2020, 1, 1))
    services.household_assets_record(actor=users["bureau"], household=household, valid_from=dt.date(2020, 1, 1),
                                     monetary_assets_fen=0, private_cars=0, homes=1, medical_oop_12m_fen=0)
    services.person_income_record(actor=users["bureau"], person=elder, valid_from=dt.date(2020, 1, 1),
                                  earned_fen=0, pension_fen=10_000, other_fen=0)
    return elder, household


def test_columns_read_the_assessment_in_force_on_the_first(users, make_person):
    elder, household = _dibao_elder(users, make_person)
    _record(users, elder, level=1, on=dt.date(2024, 3, 15))
    _record(users, elder, level=5, on=dt.date(2024, 8, 2))  # counts from September
    august = registry_columns(dt.date(2024, 8, 1))
    september = registry_columns(dt.date(2024, 9, 1))
    assert august.care_level.tolist() == [1]
    assert september.care_level.tolist() == [5]
    assert (np.datetime64("1970-01-01") + int(august.care_assessed_days[0])) == np.datetime64("2024-03-15")
    march = registry_columns(dt.date(2024, 3, 1))
    assert march.care_level.tolist() == [0] and march.care_assessed_days.tolist() == [NO_ASSESSMENT_DAY]
    # through the engine: the dibao rate for level 1 in August, levels 5-6 in September, nothing in March
    for cols, month, amount in ((august, "2024-08", 111_000), (september, "2024-09", 74_000),
                                (march, "2024-03", 0)):
        batch = evaluate_batch(month, *policy_tables(cols), cpi=None)
        rows = [r for r in batch.rows() if r[1] == "elderly_care_subsidy"]
        assert [r[3] for r in rows] == [amount]
    # the single-household JSON says the same (calculator, policy explain)
    payload = household_payload(august, 0, month="2024-08")
    assert payload["household"]["members"][0]["care_assessment"] == {"level": 1, "assessed_on": "2024-03-15"}
    result = next(r for r in evaluate_household(payload)["results"] if r["program"] == "elderly_care_subsidy")
    assert (result["eligible"], result["amount_yuan"]) == (True, "1110.00")
    # snapshots keep the columns; older snapshots without them read as "no assessment"
    again = snapshot_load(snapshot_bytes(august))
    assert again.care_level.tolist() == [1] and again.care_assessed_days.tolist() == august.care_assessed_days.tolist()


def test_calculator_prefills_the_assessment_and_computes_the_subsidy(users, make_person):
    from django.test import Client

    elder, household = _dibao_elder(users, make_person)
    _record(users, elder, level=3, on=dt.date(2024, 3, 15))
    client = Client()
    client.force_login(users["committee"])
    page = client.get(f"/policy/calculator/?household={household.pk}&month=2024-08").content.decode()
    assert "照护等级" in page and "2024-03-15" in page
    form = {
        "month": "2024-08", "monetary_assets_yuan": "0", "private_cars": "0", "homes": "1",
        "medical_out_of_pocket_12m_yuan": "0",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "12",
        "m-0-id": "孙奶奶", "m-0-birth_date": "1936-04-01", "m-0-hukou_shanghai": "on", "m-0-earned_income_yuan": "0",
        "m-0-other_income_yuan": "100", "m-0-has_able_supporter": "on",
        "m-0-care_level": "3", "m-0-care_assessed_on": "2024-03-15",
    }
    result = client.post("/policy/calculator/", form).content.decode()
    assert "养老服务补贴" in result and "1036.00" in result and "elderly_care_subsidy" not in result
    half = client.post("/policy/calculator/", {**form, "m-0-care_assessed_on": ""}).content.decode()
    assert "照护等级和评估日期需同时填写" in half
