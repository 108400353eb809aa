"""The rules revision 2026-11-30 inputs end to end (REFERENCE §1, §9): the
earned/other income split, students (在校学生) and the unemployment subsidy,
through the API, the calculator, the registry payload and old snapshots."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from django.test import Client

from minzheng.eligibility.inputs import (
    household_payload,
    policy_tables,
    snapshot_bytes,
    snapshot_load,
)
from minzheng.registry import services as registry
from minzheng.registry.columnar import registry_columns

pytestmark = pytest.mark.django_db

WORKER = {"id": "w", "birth_date": "1984-03-02", "hukou_shanghai": True, "employed": True, "able_to_work": True,
          "has_able_supporter": True}
BODY = {
    "month": "2024-08",
    "cpi": {"all_yoy_pct": 1.0, "food_yoy_pct": 1.0},
    "household": {"id": "h", "monetary_assets_yuan": "0", "private_cars": 0, "homes": 1,
                  "members": [{**WORKER, "earned_income_yuan": "2000", "other_income_yuan": "0"}]},
}


def _post(client, users, body):
    token = client.post("/api/v1/auth/token", {"username": "bureau", "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    return client.post("/api/v1/policy/evaluate", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def _member(body, **fields):
    changed = copy.deepcopy(body)
    member = {k: v for k, v in changed["household"]["members"][0].items()
              if k not in ("earned_income_yuan", "other_income_yuan", "monthly_income_yuan")}
    changed["household"]["members"][0] = {**member, **fields}
    return changed


def _dibao(response) -> dict:
    assert response.status_code == 200, response.content
    return next(r for r in response.json()["results"] if r["program"] == "dibao")


def test_api_counts_an_employed_members_wages_less_the_disregard(client, users):
    # 2024-08: standard 1595; 2000 of wages less 870 → 1130 counted → 465 a month
    dibao = _dibao(_post(client, users, BODY))
    assert dibao["eligible"] and dibao["amount_yuan"] == "465.00"
    # the whole-income form: an employed member's income counts as earned, the same result
    assert _dibao(_post(client, users, _member(BODY, monthly_income_yuan="2000")))["amount_yuan"] == "465.00"
    # pensions and other income are never disregarded
    other = _dibao(_post(client, users, _member(BODY, earned_income_yuan="0", other_income_yuan="2000")))
    assert not other["eligible"]
    # before 2023-07 the disregard is unknown: PARAMETER_MISSING, not the whole income
    # (1000 of wages: below the 2022 standard 1420 whatever the disregard; only the amount is unknown)
    early = _dibao(_post(client, users, {**_member(BODY, earned_income_yuan="1000", other_income_yuan="0"),
                                         "month": "2023-05"}))
    assert [r["code"] for r in early["reasons"]] == ["PARAMETER_MISSING"]


def test_api_students_get_the_classified_standard_and_subsidy_is_an_input(client, users):
    student = {"id": "s", "birth_date": "2007-01-15", "hukou_shanghai": True, "able_to_work": True,
               "has_able_supporter": True}
    body = _member(BODY)
    body["household"]["members"] = [{**student, "monthly_income_yuan": "0"}]
    # a 17-year-old who is not at school gets the plain standard; in school: 1595 × 1.3 rounded up to 5
    assert _dibao(_post(client, users, body))["amount_yuan"] == "1595.00"
    body["household"]["members"][0]["in_school"] = True
    assert _dibao(_post(client, users, body))["amount_yuan"] == "2075.00"
    body["household"]["members"][0]["unemployment_subsidy"] = True
    assert _post(client, users, body).status_code == 200


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"in_school": "yes", "monthly_income_yuan": "0"}, "in_school", "布尔值"),
    ({"unemployment_subsidy": 1, "monthly_income_yuan": "0"}, "unemployment_subsidy", "布尔值"),
    ({"monthly_income_yuan": "2000", "earned_income_yuan": "2000", "other_income_yuan": "0"}, "monthly_income_yuan",
     "不能同时填写"),
    ({"earned_income_yuan": "2000"}, "other_income_yuan", "须同时填写"),
    ({"other_income_yuan": "100"}, "earned_income_yuan", "须同时填写"),
    ({"earned_income_yuan": "两千", "other_income_yuan": "0"}, "earned_income_yuan", ""),
])
def test_api_refuses_mistyped_new_fields_in_chinese(client, users, fields, field, words):
    response = _post(client, users, _member(BODY, **fields))
    assert response.status_code == 422
    problems = response.json()["problems"]
    mine = [p for p in problems if p["field"].endswith(field)]
    assert mine, problems
    assert words in mine[0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in mine[0]["message"])  # a Chinese message


def test_api_schema_documents_the_new_member_fields_in_chinese(users):
    client = Client()
    client.force_login(users["bureau"])
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema)
    for words in ("月劳动收入（元）", "月其他收入（元）", "全日制在校学生", "领取失业补助金"):
        assert words in text


def test_calculator_asks_for_the_split_and_explains_the_rules(users):
    client = Client()
    client.force_login(users["committee"])
    page = client.get("/policy/calculator/?month=2024-08").content.decode()
    for label in ("劳动收入（元/月）", "其他收入（含养老金，元/月）", "全日制在校学生", "领取失业保险金", "领取失业补助金",
                  "就业人员收入豁免", "2023年7月起 870元", "分类施保", "16周岁以下", "在校学生"):
        assert label in page, label
    form = {
        "month": "2024-08", "monetary_assets_yuan": "0", "private_cars": "0", "homes": "1",
        "medical_out_of_pocket_12m_yuan": "0",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "12",
        "m-0-id": "甲", "m-0-birth_date": "1984-03-02", "m-0-hukou_shanghai": "on", "m-0-employed": "on",
        "m-0-earned_income_yuan": "2000", "m-0-other_income_yuan": "0", "m-0-able_to_work": "on",
        "m-0-has_able_supporter": "on",
    }
    result = client.post("/policy/calculator/", form).content.decode()
    assert "测算结果" in result and "465.00" in result


def _registry_household(users, make_person):
    worker = make_person("分项甲", dt.date(1980, 1, 1), employment="employed", monthly_income_fen=200_000)
    student = make_person("分项乙", dt.date(2006, 5, 1), employment="student", unemployment_subsidy=False)
    retired = make_person("分项丙", dt.date(1955, 5, 1), employment="retired", pension_fen=150_000,
                          unemployment_subsidy=True)
    household = registry.household_create(actor=users["bureau"], head=worker, address="谷阳路7号",
                                          start_date=dt.date(2020, 1, 1))
    for person in (student, retired):
        registry.household_add_member(actor=users["bureau"], household=household, person=person, relation="其他",
                                      start_date=dt.date(2020, 1, 1))
    return household, worker, student, retired


def test_registry_payload_and_tables_carry_the_split_and_flags(users, make_person):
    household, worker, student, retired = _registry_household(users, make_person)
    cols = registry_columns(dt.date(2024, 8, 1))
    members = {m["id"]: m for m in household_payload(cols, 0, month="2024-08")["household"]["members"]}
    assert "monthly_income_yuan" not in members[str(worker.pk)]
    assert (members[str(worker.pk)]["earned_income_yuan"], members[str(worker.pk)]["other_income_yuan"]) == (
        "2000.00", "0.00")
    assert (members[str(retired.pk)]["earned_income_yuan"], members[str(retired.pk)]["other_income_yuan"]) == (
        "0.00", "1500.00")  # a pension is other income
    assert members[str(student.pk)]["in_school"] and not members[str(worker.pk)]["in_school"]
    assert members[str(retired.pk)]["unemployment_subsidy"] and not members[str(student.pk)]["unemployment_subsidy"]
    _, persons = policy_tables(cols)
    assert persons.earned_income_fen.tolist() == cols.earned_income_fen.tolist()
    assert persons.in_school.tolist() == cols.in_school.tolist()
    assert persons.unemployment_subsidy.tolist() == cols.unemployment_subsidy.tolist()


def test_old_snapshots_get_the_engines_default_split(users, make_person):
    _registry_household(users, make_person)
    cols = registry_columns(dt.date(2024, 8, 1))
    cols.earned_income_fen[:] = 0  # would survive a round trip; the old file below has no such array
    data = snapshot_bytes(cols)
    import io
    import zipfile
    old = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(old, "w") as dst:
        for name in src.namelist():
            if name not in ("earned_income_fen.npy", "in_school.npy", "unemployment_subsidy.npy"):
                dst.writestr(name, src.read(name))
    loaded = snapshot_load(old.getvalue())
    # employed → whole income is earned; anyone else → none; the flags false
    assert loaded.earned_income_fen.tolist() == np.where(cols.employed, cols.monthly_income_fen, 0).tolist()
    assert not loaded.in_school.any() and not loaded.unemployment_subsidy.any()
    # a new snapshot keeps its own arrays
    assert snapshot_load(data).earned_income_fen.tolist() == [0] * cols.persons
