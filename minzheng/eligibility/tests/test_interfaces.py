"""CLI, API and pages of the policy engine: good input, bad input, scope."""

import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client

from minzheng.eligibility import services
from minzheng.eligibility.models import CpiMonth, GrantDefinition
from minzheng.jobs.services import jobs_run_queued
from minzheng.registry import services as registry

GOOD = {
    "month": "2024-08",
    "cpi": {"all_yoy_pct": 1.2, "food_yoy_pct": 2.0},
    "household": {
        "id": "h1", "monetary_assets_yuan": "20000", "private_cars": 0, "homes": 1,
        "medical_out_of_pocket_12m_yuan": "0",
        "members": [{"id": "p1", "birth_date": "1950-03-02", "hukou_shanghai": True, "monthly_income_yuan": "800",
                     "employed": False, "disability": {"grade": 2, "kind": "肢体"}, "able_to_work": False,
                     "has_able_supporter": True}],
    },
}
BAD = {
    "month": "2024-13",
    "household": {"id": "h1", "monetary_assets_yuan": "-5", "private_cars": 0, "homes": 1, "colour": "red",
                  "members": [{"id": "p1", "birth_date": "1950-02-30", "disability": {"grade": 2, "kind": "心理"}}]},
}


def _token(client, username="bureau"):
    return client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                       content_type="application/json").json()["token"]


@pytest.mark.django_db
def test_api_evaluate_good_and_trace(client, users):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client)}"}
    response = client.post("/api/v1/policy/evaluate", GOOD, content_type="application/json", **auth)
    assert response.status_code == 200
    body = response.json()
    dibao = next(r for r in body["results"] if r["program"] == "dibao")
    assert dibao["person"] is None and dibao["eligible"] and dibao["amount_yuan"] == "795.00"
    elderly = next(r for r in body["results"] if r["program"] == "elderly_allowance")
    assert elderly["person"] == "p1" and elderly["amount_yuan"] == "150.00"
    assert "trace" not in dibao
    assert "trace_nodes" not in body
    traced = client.post("/api/v1/policy/evaluate", {**GOOD, "trace": True}, content_type="application/json", **auth)
    traced_body = traced.json()
    root = next(r for r in traced_body["results"] if r["program"] == "dibao")["trace"]
    # the result names its root node; the nodes are shared in one table, inputs by id
    nodes = traced_body["trace_nodes"]
    assert root == "dibao" and nodes[root]["value"] is True
    assert all(child in nodes for node in nodes.values() for child in node.get("inputs", []))
    assert nodes["dibao.income_below_standard"]["parameters"][0]["name"] == "dibao.standard"


@pytest.mark.django_db
def test_api_evaluate_bad_input_lists_every_problem(client, users):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client)}"}
    response = client.post("/api/v1/policy/evaluate", BAD, content_type="application/json", **auth)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert len(fields) >= 4
    assert any("month" in f for f in fields)
    assert any("colour" in f for f in fields)
    assert any("monetary_assets_yuan" in f for f in fields)
    assert any("birth_date" in f for f in fields)
    assert any("kind" in f for f in fields)


@pytest.mark.django_db
def test_api_evaluate_uses_stored_cpi_when_none_given(client, users):
    # the 2024-08 subsidy is triggered by 2024-07's CPI (REFERENCE §9); nothing is recorded for 2024-08
    services.cpi_record(actor=users["bureau"], month="2024-07", all_yoy_pct="4.0", food_yoy_pct="0")
    payload = {k: v for k, v in GOOD.items() if k != "cpi"}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client)}"}
    body = client.post("/api/v1/policy/evaluate", payload, content_type="application/json", **auth).json()
    price = next(r for r in body["results"] if r["program"] == "price_subsidy")
    assert price["eligible"] and price["amount_yuan"] != "0.00"
    body = client.post("/api/v1/policy/evaluate", {**payload, "month": "2024-09"}, content_type="application/json", **auth).json()
    price = next(r for r in body["results"] if r["program"] == "price_subsidy")
    assert [r["code"] for r in price["reasons"]] == ["PARAMETER_MISSING"]


@pytest.mark.django_db
def test_cli_evaluate_good_file_and_trace(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("policy_evaluate", str(path), "--trace", stdout=out)
    body = json.loads(out.getvalue())
    assert body["month"] == "2024-08" and body["results"][0]["trace"] in body["trace_nodes"]


def test_cli_evaluate_bad_input_exits_2(tmp_path):
    # a real process, so the exit code is the one a shell sees; bad input
    # is refused before any database look-up, so an empty database will do
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "minzheng.cli", "policy", "evaluate", "-"], input=json.dumps(BAD),
        capture_output=True, text=True, env=env,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    problems = json.loads(result.stderr)["problems"]
    assert len(problems) >= 4
    result = subprocess.run(
        [sys.executable, "-m", "minzheng.cli", "policy", "evaluate", "-"], input="{not json",
        capture_output=True, text=True, env=env,
        timeout=120,
    )
    assert result.returncode == 2 and "不是有效的 JSON" in result.stderr


@pytest.mark.django_db
def test_parameter_page_marks_unverified_values(users):
    client = Client()
    client.force_login(users["committee"])
    page = client.get("/policy/parameters/").content.decode()
    assert "dibao.standard" in page and "1595" in page and "此参数尚未核实" in page and "已核实" in page


@pytest.mark.django_db
def test_calculator_prefills_from_registry_and_computes(users, make_person):
    head = make_person("计算甲", dt.date(1950, 3, 2), monthly_income_fen=80000)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳路5号",
                                          monetary_assets_fen=2000000, start_date=dt.date(2020, 1, 1))
    client = Client()
    client.force_login(users["committee"])
    page = client.get(f"/policy/calculator/?household={household.pk}&month=2024-08").content.decode()
    assert "已从人口库带入" in page and "1950-03-02" in page and "800.00" in page
    form = {
        "month": "2024-08", "monetary_assets_yuan": "20000", "private_cars": "0", "homes": "1",
        "medical_out_of_pocket_12m_yuan": "0",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "12",
        "m-0-id": "计算甲", "m-0-birth_date": "1950-03-02", "m-0-hukou_shanghai": "on", "m-0-earned_income_yuan": "0", "m-0-other_income_yuan": "800",
        "m-0-able_to_work": "on", "m-0-has_able_supporter": "on",
    }
    result = client.post("/policy/calculator/", form).content.decode()
    assert "测算结果" in result and "795.00" in result and "150.00" in result
    other = Client()
    other.force_login(users["other_street"])
    assert other.get(f"/policy/calculator/?household={household.pk}").status_code == 404


@pytest.mark.django_db
def test_cpi_and_grant_pages_bureau_only(users):
    client = Client()
    client.force_login(users["street"])
    assert client.post("/policy/cpi/", {"month": "2025-01", "all_yoy_pct": "1", "food_yoy_pct": "1"}).status_code == 403
    client.force_login(users["bureau"])
    client.post("/policy/cpi/", {"month": "2025-01", "all_yoy_pct": "3.5", "food_yoy_pct": "6.1", "source": "统计局"})
    assert str(CpiMonth.objects.get(month="2025-01").food_yoy_pct) == "6.10"
    response = client.post("/policy/grants/", {"name": "spring_2026", "label": "2026年春节帮困送温暖", "month": "2026-01",
                                               "amount_yuan": "800", "target_groups": ["dibao", "extreme_poverty"]})
    assert response.status_code == 302
    assert GrantDefinition.objects.get().amount_fen == 80000
    page = client.post("/policy/grants/", {"name": "Bad Name", "label": "x", "month": "2026-01", "amount_yuan": "1",
                                           "target_groups": ["dibao"]}).content.decode()
    assert "代号只能用小写字母" in page


@pytest.mark.django_db
def test_grant_and_cpi_validation(users):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="发放对象无效"):
        services.grant_define(actor=users["bureau"], name="x", label="x", month="2026-01", amount_fen=1,
                              target_groups=["nobody"])
    with pytest.raises(PermissionDenied, match="维护CPI数据"):  # a wrong role is 403, not a rule (ADR 0010)
        services.cpi_record(actor=users["street"], month="2026-01", all_yoy_pct="1", food_yoy_pct="1")
    with pytest.raises(ValidationError, match="月份"):
        services.cpi_record(actor=users["bureau"], month="2026-1", all_yoy_pct="1", food_yoy_pct="1")


@pytest.mark.django_db
def test_runs_page_and_household_decisions_fragment(users, make_person):
    head = make_person("测算乙", dt.date(1960, 1, 1))
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳路6号",
                                          start_date=dt.date(2020, 1, 1))
    client = Client()
    client.force_login(users["bureau"])
    response = client.post("/policy/runs/batch/", {"month": "2025-08"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert jobs_run_queued() == 1  # the worker's loop, in this process
    page = client.get("/policy/runs/?month=2025-08").content.decode()
    assert "最低生活保障" in page or "dibao" in page
    fragment = client.get(f"/policy/households/{household.pk}/decisions/?month=2025-08").content.decode()
    assert "全户" in fragment
    client.force_login(users["other_street"])
    assert client.get(f"/policy/households/{household.pk}/decisions/?month=2025-08").status_code == 404
    client.force_login(users["street"])
    assert client.post("/policy/runs/batch/", {"month": "2025-08"}).status_code == 403


@pytest.mark.django_db
def test_cpi_csv_import_all_or_nothing(users):
    client = Client()
    client.force_login(users["bureau"])
    bad = "月份,CPI同比涨幅（%）,食品价格同比涨幅（%）,来源\n2025-01,0.5,1.2,统计局\n2025-13,1,1,统计局\n".encode()
    response = client.post("/policy/cpi/", {"file": io.BytesIO(bad)}, follow=True)
    assert "第3行" in response.content.decode() and not CpiMonth.objects.exists()
    good = "月份,CPI同比涨幅（%）,食品价格同比涨幅（%）,来源\n2025-01,0.5,1.2,统计局\n2025-02,3.6,6.5,统计局\n".encode("gb18030")
    response = client.post("/policy/cpi/", {"file": io.BytesIO(good)}, follow=True)
    assert "已导入 2 个月" in response.content.decode()
    assert str(CpiMonth.objects.get(month="2025-02").food_yoy_pct) == "6.50"
    client.force_login(users["street"])
    assert client.post("/policy/cpi/", {"file": io.BytesIO(good)}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("username, sees_totals", [("bureau", True), ("auditor", True), ("street", False),
                                                   ("committee", False), ("advisor", False)])
def test_runs_page_shows_district_totals_only_to_district_users(users, make_person, username, sees_totals):
    head = make_person("测算丙", dt.date(1960, 1, 1))
    registry.household_create(actor=users["bureau"], head=head, address="谷阳路7号", start_date=dt.date(2020, 1, 1))
    far = make_person("测算丁", dt.date(1950, 1, 1), committee="310117102201")
    registry.household_create(actor=users["bureau"], head=far, address="张泾村8号", start_date=dt.date(2020, 1, 1))
    run = services.decision_run_month(actor=users["bureau"], month="2025-08")
    assert run.household_count == 2
    client = Client()
    client.force_login(users[username])
    page = client.get("/policy/runs/?month=2025-08").content.decode()
    totals = f"{run.household_count} 户，{run.person_count} 人"
    assert (totals in page) is sees_totals
    assert "?month=2025-08" in page  # the month is still listed


@pytest.mark.django_db
def test_parameter_page_shows_values_not_separators(client, users):
    # the page once looped over the characters of a value and showed "；；；"
    client.force_login(users["street"])
    page = client.get("/policy/parameters/").content.decode()
    assert "1650 元/月" in page  # the dibao standard from 2025-07-01
    assert "；；" not in page
    assert "及以上：" in page  # the elderly allowance's age bands as rows


@pytest.mark.django_db
def test_grant_page_names_target_groups_in_chinese(client, users):
    from minzheng.eligibility.services import grant_define

    grant_define(actor=users["bureau"], name="spring_2026", label="2026年春节一次性补助", month="2026-01",
                 amount_fen=50000, target_groups=["dibao", "youfu"])
    client.force_login(users["bureau"])
    page = client.get("/policy/grants/").content.decode()
    assert "低保对象" in page and "2026年春节一次性补助" in page
    assert ">dibao<" not in page and "one_off:" not in page


@pytest.mark.django_db
def test_cpi_page_says_which_payment_month_each_cpi_month_is_for(users):
    services.cpi_record(actor=users["bureau"], month="2024-08", all_yoy_pct="3.6", food_yoy_pct="1.0")
    services.cpi_record(actor=users["bureau"], month="2024-12", all_yoy_pct="0.2", food_yoy_pct="0.1")
    client = Client()
    client.force_login(users["bureau"])
    page = client.get("/policy/cpi/").content.decode()
    assert "用于2024年9月的价格临时补贴" in page and "用于2025年1月的价格临时补贴" in page
    assert "用于2024年8月的价格临时补贴" not in page
    assert "按上月公布的 CPI 数据计算" in page
    calculator = client.get("/policy/calculator/").content.decode()
    assert "上月CPI同比（%）" in calculator and "当月CPI" not in calculator


@pytest.mark.django_db
def test_runs_page_and_api_show_the_cpi_month_used(client, users, make_person):
    from minzheng.eligibility.models import DecisionRun

    poor = make_person("贫困甲", dt.date(1975, 3, 1), monthly_income_fen=40000)
    registry.household_create(actor=users["bureau"], head=poor, address="谷阳路1号", monetary_assets_fen=500000,
                              start_date=dt.date(2020, 1, 1))
    services.cpi_record(actor=users["bureau"], month="2025-07", all_yoy_pct="3.6", food_yoy_pct="1.0")
    services.decision_run_month(actor="test", month="2025-08")
    services.decision_run_month(actor="test", month="2025-09")  # 2025-08's CPI is not recorded
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client)}"}
    body = client.get("/api/v1/policy/runs/2025-08", **auth).json()
    assert body["cpi_month"] == "2025-07" and body["cpi"] == {"all_yoy_pct": "3.60", "food_yoy_pct": "1.00"}
    assert body["cpi_text"].startswith("2025年7月的CPI数据")
    body = client.get("/api/v1/policy/runs/2025-09", **auth).json()
    assert body["cpi_month"] == "2025-08" and body["cpi"] is None and "未录入" in body["cpi_text"]
    page = Client()
    page.force_login(users["bureau"])
    assert "价格临时补贴所用CPI：2025年7月的CPI数据" in page.get("/policy/runs/?month=2025-08").content.decode()
    # a run stored before the month was recorded: 未记录, not a guess
    DecisionRun.objects.filter(month="2025-08").update(cpi_month="")
    assert client.get("/api/v1/policy/runs/2025-08", **auth).json()["cpi_month"] is None
    assert "所用CPI月份未记录" in page.get("/policy/runs/?month=2025-08").content.decode()
