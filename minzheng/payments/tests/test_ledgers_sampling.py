"""Ledgers total their entries; yearly totals; the fund split; sampling
reproduces from its seed; outcomes and findings."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.payments.batches import batch_run
from minzheng.payments.fund_split import fund_split_record, split_for
from minzheng.payments.ledgers import amount_words, ledger, ledger_workbook, yearly_totals
from minzheng.payments.returns import return_file_for, returns_import
from minzheng.payments.sampling import draw_reproduce, sample_case_record, sample_draw
from minzheng.payments.tests.conftest import approve


@pytest.mark.django_db
def test_fund_split_is_configuration_with_an_unverified_default(staff, town):
    assert split_for("dibao", "2025-08").city_share_bp == 0 and not split_for("dibao", "2025-08").verified
    fund_split_record(actor=staff["bureau"], program="dibao", effective_month="2025-08", city_share_bp=3333,
                      basis="测试用比例")
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    for line in batch.lines.all():
        assert line.city_fen + line.district_fen == line.amount_fen
        assert line.city_fen == (line.amount_fen * 3333 * 2 + 10000) // 20000  # half up
    assert batch.control_city_fen + batch.control_district_fen == batch.control_total_fen


@pytest.mark.django_db
def test_ledger_totals_equal_the_sum_of_entries_on_screen_and_in_excel(staff, town, paid_month):
    fund_split_record(actor=staff["bureau"], program="elderly_allowance", effective_month="2025-01",
                      city_share_bp=5000, basis="测试")
    for program in ("dibao", "elderly_allowance"):
        for month in ("2025-08", "2025-09"):
            batch = paid_month(program, month)
            returns_import(actor=staff["bureau"], batch=batch, filename="r.csv",
                           content=return_file_for(batch, {1: "户名不符"} if program == "dibao" else {}))
    data = ledger(staff["bureau"], year="2025")
    assert {(r["street_id"], r["program"]) for r in data.rows} == {("310117001", "dibao"),
                                                                   ("310117102", "elderly_allowance")}
    for key in ("count", "amount_fen", "city_fen", "district_fen", "failed_fen"):
        assert data.totals[key] == sum(r[key] for r in data.rows)
    assert data.totals["city_fen"] + data.totals["district_fen"] == data.totals["amount_fen"]
    sheet = list(openpyxl.load_workbook(io.BytesIO(ledger_workbook(data, "台账"))).active.values)
    assert sheet[-1][0] == "合计" and round(sheet[-1][4] * 100) == sum(round(r[4] * 100) for r in sheet[2:-1])
    # street staff see their street only
    street = ledger(staff["street"], year="2025")
    assert {r["street_id"] for r in street.rows} == {"310117001"}
    # yearly totals exclude the bank's failures
    yearly = yearly_totals(staff["bureau"], "2025")
    assert yearly["amount_fen"] == data.totals["amount_fen"] - data.totals["failed_fen"]
    assert yearly["headline"].startswith("共发放") and "生活补助金" in yearly["headline"]
    assert amount_words(18_300_000_000) == "1.83亿元" and amount_words(302_500_000) == "302.50万元"


@pytest.mark.django_db
def test_sample_draw_is_reproducible_from_its_seed(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    paid_month("elderly_allowance", "2025-08")
    first = sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=1, seed=20240101)
    second = sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=1, seed=20240101)
    assert first.seed == 20240101 and set(first.population) == {"310117001", "310117102"}
    assert first.population["310117001"]["size"] == 2
    picks = sorted(first.cases.values_list("street_id", "beneficiary"))
    assert picks == sorted(second.cases.values_list("street_id", "beneficiary")) and len(picks) == 2
    assert draw_reproduce(first)["identical"]
    fresh = sample_draw(actor=staff["bureau"], purpose="special_check", month="2025-08", per_street=5)
    assert fresh.seed > 0 and fresh.cases.count() == 3  # all when fewer than N
    # outcomes and findings
    case = first.cases.get(street_id="310117001")
    sample_case_record(actor=staff["street"], case=case, outcome="finding", finding="家中有未申报收入",
                       checked_on=None)
    case.refresh_from_db()
    assert case.outcome == "finding"
    # September's batch does not change August's population: the draw still reproduces
    approve(staff, batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch)
    assert draw_reproduce(first)["identical"]
