"""Hostile numbers and months on the policy pages and services: a clear
Chinese refusal (a form error or a 4xx), never a 500, and nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from minzheng.core.bounds import latest_month
from minzheng.core.models import AuditEntry
from minzheng.eligibility import services
from minzheng.eligibility.models import CpiMonth, DecisionRun, GrantDefinition

HOSTILE_NUMBERS = ["NaN", "sNaN", "Infinity", "-Infinity", "1e30", "999999999999999999", "-5e999", "0x10"]
FUTURE = (dt.date.today().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")  # next month


def _bureau(users) -> Client:
    client = Client()
    client.force_login(users["bureau"])
    return client


# The calculator asks for income in the split form (劳动收入 / 其他收入, REFERENCE §1 rules revision 2026-11-30).
CALCULATOR = {
    "month": "2024-08", "monetary_assets_yuan": "20000", "private_cars": "0", "homes": "1",
    "medical_out_of_pocket_12m_yuan": "0",
    "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "12",
    "m-0-id": "甲", "m-0-birth_date": "1950-03-02", "m-0-hukou_shanghai": "on", "m-0-earned_income_yuan": "0", "m-0-other_income_yuan": "800",
    "m-0-able_to_work": "on", "m-0-has_able_supporter": "on",
}


@pytest.mark.parametrize("value", HOSTILE_NUMBERS + ["-5", "10000"])
@pytest.mark.parametrize("field", ["monetary_assets_yuan", "private_cars", "homes", "medical_out_of_pocket_12m_yuan",
                                   "cpi_all", "cpi_food", "m-0-earned_income_yuan",
                                   "m-0-other_income_yuan"])
@pytest.mark.django_db
def test_calculator_refuses_hostile_numbers_on_the_form(users, field, value):
    data = {**CALCULATOR, field: value}
    if field.startswith("cpi_"):
        data.update({"cpi_all": "1", "cpi_food": "1", field: value})
    response = _bureau(users).post("/policy/calculator/", data)
    assert response.status_code == 200
    page = response.content.decode()
    if value in ("-5", "10000") and field in ("cpi_all", "cpi_food", "homes", "private_cars", "monetary_assets_yuan",
                                              "medical_out_of_pocket_12m_yuan", "m-0-earned_income_yuan",
                                              "m-0-other_income_yuan"):
        return  # an ordinary value (or a negative one the form refuses): the page answers either way
    assert "测算结果" not in page
    assert "invalid-feedback" in page or "alert-danger" in page or "errorlist" in page


@pytest.mark.parametrize("field", ["all_yoy_pct", "food_yoy_pct"])
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.django_db
def test_cpi_service_refuses_non_finite_and_huge_rises(users, field, value):
    kwargs = {"all_yoy_pct": "1", "food_yoy_pct": "1", field: value}
    with pytest.raises(ValidationError) as err:
        services.cpi_record(actor=users["bureau"], month="2025-01", **kwargs)
    assert "CPI同比涨幅" in str(err.value) or "食品价格同比涨幅" in str(err.value)
    assert not CpiMonth.objects.exists() and not AuditEntry.objects.filter(action="cpi.record").exists()


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.django_db
def test_cpi_csv_with_a_hostile_number_is_a_rejected_row(users, value):
    """sNaN used to reach a comparison and raise InvalidOperation (a 500)."""
    content = f"月份,CPI同比涨幅（%）,食品价格同比涨幅（%）,来源\n2025-01,0.5,1.2,统计局\n2025-02,{value},1,统计局\n"
    response = _bureau(users).post("/policy/cpi/", {"file": io.BytesIO(content.encode())}, follow=True)
    assert response.status_code == 200
    assert "第3行" in response.content.decode() and "CPI同比涨幅" in response.content.decode()
    assert not CpiMonth.objects.exists()


@pytest.mark.parametrize("month", [FUTURE, "9999-12", latest_month(months_ahead=3), "1900-01", "1999-12"])
@pytest.mark.django_db
def test_cpi_of_a_future_or_ancient_month_is_refused(users, month):
    response = _bureau(users).post("/policy/cpi/", {"month": month, "all_yoy_pct": "1", "food_yoy_pct": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "CPI月份" in page and ("过晚" in page or "过早" in page)
    assert not CpiMonth.objects.exists()


@pytest.mark.parametrize("content", ["月份,CPI同比涨幅（%）,食品价格同比涨幅（%）,来源\n",
                                     "\ufeff月份,CPI同比涨幅（%）,食品价格同比涨幅（%）\r\n\r\n"])
@pytest.mark.django_db
def test_cpi_csv_with_only_the_header_is_an_error(users, content):
    response = _bureau(users).post("/policy/cpi/", {"file": io.BytesIO(content.encode())}, follow=True)
    assert "文件只有表头，没有数据行" in response.content.decode()
    assert "已导入 0" not in response.content.decode()


@pytest.mark.django_db
def test_cpi_source_longer_than_its_column_is_refused_by_the_service(users):
    with pytest.raises(ValidationError, match="过长"):
        services.cpi_record(actor=users["bureau"], month="2025-01", all_yoy_pct="1", food_yoy_pct="1",
                            source="统" * 5000)
    assert not CpiMonth.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "1e30", "999999999999999999", "-1", "0"])
@pytest.mark.django_db
def test_grant_amount_that_is_not_a_finite_amount_is_a_form_error(users, amount):
    response = _bureau(users).post("/policy/grants/", {"label": "春节帮困", "month": "2026-01", "amount_yuan": amount,
                                                       "target_groups": ["dibao"]})
    assert response.status_code == 200
    assert not GrantDefinition.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "1900-01", "0001-01", "2100-01"])
@pytest.mark.django_db
def test_grant_month_far_away_is_refused(users, month):
    response = _bureau(users).post("/policy/grants/", {"label": "春节帮困", "month": month, "amount_yuan": "100",
                                                       "target_groups": ["dibao"]})
    assert response.status_code == 200
    assert "发放月份" in response.content.decode() and not GrantDefinition.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "1900-01", "1999-12", latest_month(months_ahead=2)])
@pytest.mark.django_db
def test_batch_run_for_a_month_out_of_bounds_is_refused(users, month):
    response = _bureau(users).post("/policy/runs/batch/", {"month": month}, follow=True)
    assert response.status_code == 200
    assert "测算月份" in response.content.decode()
    assert not DecisionRun.objects.exists()
    with pytest.raises(ValidationError, match="测算月份"):
        services.decision_run_month(actor=users["bureau"], month=month)


@pytest.mark.parametrize("month", ["9999-12", "1900-01", "x" * 500])
@pytest.mark.django_db
def test_runs_and_decisions_pages_with_a_hostile_month_do_not_fail(users, month):
    client = _bureau(users)
    assert client.get("/policy/runs/", {"month": month}).status_code < 500
    assert client.get("/policy/households/1/decisions/", {"month": month}).status_code in (200, 404)
