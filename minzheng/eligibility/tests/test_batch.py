"""The monthly whole-district batch: stored decisions, atomic replacement,
scoping, and reproduction of a stored decision from the run's snapshot."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from minzheng.eligibility import selectors, services
from minzheng.eligibility.cpi_months import cpi_payment_month, cpi_source_month, cpi_used_text
from minzheng.eligibility.explain import explain_stored_household
from minzheng.eligibility.models import Decision, DecisionRun, RunStatus
from minzheng.registry import services as registry

SINCE = dt.date(2020, 1, 1)


@pytest.fixture
def small_district(users, make_person):
    bureau = users["bureau"]
    # a poor single adult in 谷阳 (dibao: 1650 − 400 = 1250 in 2025-08)
    poor = make_person("贫困甲", dt.date(1975, 3, 1), monthly_income_fen=40000)
    h_poor = registry.household_create(actor=bureau, head=poor, address="谷阳路1号", monetary_assets_fen=500000,
                                      start_date=SINCE)
    # an elderly couple in 张泾村 with pensions, one aged 71 in 2025-08
    old = make_person("老人乙", dt.date(1954, 8, 31), committee="310117102201", pension_fen=450000)
    wife = make_person("老人丙", dt.date(1961, 2, 1), committee="310117102201", male=False, pension_fen=300000)
    h_old = registry.household_create(actor=bureau, head=old, address="张泾村1组", start_date=SINCE)
    registry.household_add_member(actor=bureau, household=h_old, person=wife, relation="配偶", start_date=SINCE)
    # a well-off family of three in 乐都
    rich = make_person("富裕丁", dt.date(1985, 1, 1), committee="310117001002", monthly_income_fen=2000000,
                       employment="employed")
    h_rich = registry.household_create(actor=bureau, head=rich, address="乐都路9号", monetary_assets_fen=90000000,
                                      start_date=SINCE)
    for name, birth in (("富裕戊", dt.date(1986, 1, 1)), ("富裕己", dt.date(2015, 1, 1))):
        registry.household_add_member(actor=bureau, household=h_rich, person=make_person(name, birth, committee="310117001002"),
                                      relation="子女" if birth.year > 2000 else "配偶", start_date=SINCE)
    return {"poor": poor, "h_poor": h_poor, "old": old, "wife": wife, "h_old": h_old, "h_rich": h_rich}


def _decision(run, program, **filters):
    return Decision.objects.get(run=run, program=program, **filters)


@pytest.mark.django_db
def test_batch_stores_household_and_person_decisions(small_district):
    # when the bureau runs the month
    run = services.decision_run_month(actor="test", month="2025-08")
    # then every household has a row per household-level program
    assert run.household_count == 3 and run.person_count == 6
    assert run.status == RunStatus.CURRENT and len(run.parameter_set) == 64
    dibao = _decision(run, "dibao", household_id=small_district["h_poor"].pk)
    assert dibao.eligible and dibao.amount_fen == 125000
    assert dibao.street_id == "310117001" and dibao.committee_id == "310117001001"
    assert not _decision(run, "dibao", household_id=small_district["h_rich"].pk).eligible
    # the elderly allowance row exists for the 71-year-old (150/month), not for the 64-year-old
    old = _decision(run, "elderly_allowance", person_id=small_district["old"].pk)
    assert old.eligible and old.amount_fen == 15000
    assert not Decision.objects.filter(run=run, program="elderly_allowance",
                                       person_id=small_district["wife"].pk).exists()
    assert run.program_counts["dibao"]["eligible"] == 1
    assert run.program_counts["elderly_allowance"]["amount_fen"] == 15000


@pytest.mark.django_db
def test_rerun_replaces_the_month_atomically(small_district):
    first = services.decision_run_month(actor="test", month="2025-08")
    rows_first = Decision.objects.filter(run=first).count()
    second = services.decision_run_month(actor="test", month="2025-08")
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    # nothing changed: the second run stores no row and reads the first's through the selector (ADR 0019)
    assert second.base_run == first and second.written_rows == 0 and second.stored_rows == rows_first
    assert selectors.run_decisions(second).count() == rows_first
    # the same inputs: one snapshot file, and the stored decisions are still explained exactly
    assert second.snapshot == first.snapshot and second.snapshot_digest == first.snapshot_digest
    assert explain_stored_household(month="2025-08", household_id=small_district["h_old"].pk).mismatches == []
    assert DecisionRun.objects.filter(month="2025-08", status=RunStatus.CURRENT).get() == second
    # a run stored in full replaces both: their rows go
    third = services.decision_run_month(actor="test", month="2025-08")
    assert third.base_run == first
    second.refresh_from_db()
    assert not second.rows_present
    services.DIFFERENCES_MAX_SHARE, saved = -1.0, services.DIFFERENCES_MAX_SHARE
    try:
        fourth = services.decision_run_month(actor="test", month="2025-08")
    finally:
        services.DIFFERENCES_MAX_SHARE = saved
    first.refresh_from_db()
    assert fourth.base_run is None and fourth.written_rows == rows_first
    assert not first.rows_present and not Decision.objects.filter(run=first).exists()
    assert not Decision.objects.exclude(run=fourth).exists()


@pytest.mark.django_db
def test_a_crashed_run_is_never_visible_and_is_discarded(small_district, monkeypatch):
    good = services.decision_run_month(actor="test", month="2025-08")

    real_copy = services.copy_arrays

    def explode(table, columns, arrays, nulls, **options):
        half = len(arrays[0]) // 2  # half the rows, then die
        real_copy(table, columns, [a[:half] for a in arrays], {j: m[:half] for j, m in nulls.items()}, **options)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "copy_arrays", explode)
    with pytest.raises(RuntimeError):
        services.decision_run_month(actor="test", month="2025-08")
    assert selectors.current_run("2025-08") == good
    assert DecisionRun.objects.filter(status=RunStatus.FAILED).count() == 1


@pytest.mark.django_db
def test_summary_and_household_decisions_are_scoped(users, small_district):
    services.decision_run_month(actor="test", month="2025-08")
    street = selectors.run_summary(users["street"], "2025-08")
    programs = {p["program"]: p for p in street["programs"]}
    assert programs["dibao"]["eligible"] == 1
    assert "elderly_allowance" not in programs  # the old couple lives in another street
    bureau = {p["program"]: p for p in selectors.run_summary(users["bureau"], "2025-08")["programs"]}
    assert bureau["elderly_allowance"]["eligible"] == 1
    assert selectors.household_decisions(users["street"], small_district["h_old"].pk, "2025-08") is None
    found = selectors.household_decisions(users["street"], small_district["h_poor"].pk, "2025-08")
    dibao = next(d for d in found["decisions"] if d["program"] == "dibao")
    assert dibao["eligible"] and dibao["reasons"][0]["text"]


@pytest.mark.django_db
def test_stored_decision_is_reproduced_with_trace(small_district):
    run = services.decision_run_month(actor="test", month="2025-08")
    for household in ("h_poor", "h_old", "h_rich"):
        explanation = explain_stored_household(month="2025-08", household_id=small_district[household].pk)
        assert explanation.mismatches == []
        assert explanation.compared == Decision.objects.filter(run=run, household_id=small_district[household].pk).count()
        assert all(item["trace"] in explanation.result["trace_nodes"] for item in explanation.result["results"])
    out = io.StringIO()
    call_command("policy_explain", "--month", "2025-08", "--household", str(small_district["h_poor"].pk), stdout=out)
    assert "完全一致" in out.getvalue()


@pytest.mark.django_db
def test_explain_detects_a_tampered_stored_decision(small_district):
    run = services.decision_run_month(actor="test", month="2025-08")
    Decision.objects.filter(run=run, program="dibao", household_id=small_district["h_poor"].pk).update(amount_fen=1)
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert any("dibao" in m for m in explanation.mismatches)


@pytest.mark.django_db
def test_cpi_and_grants_flow_into_the_batch(users, small_district):
    # the 2025-08 subsidy is triggered by the CPI published for 2025-07 (REFERENCE §9)
    services.cpi_record(actor=users["bureau"], month="2025-07", all_yoy_pct="3.6", food_yoy_pct="1.0")
    services.grant_define(actor=users["bureau"], name="mid_autumn_2025", label="中秋帮困", month="2025-08",
                          amount_fen=50000, target_groups=["dibao", "elderly_allowance"])
    run = services.decision_run_month(actor="test", month="2025-08")
    price = _decision(run, "price_subsidy", person_id=small_district["poor"].pk)
    assert price.eligible and price.amount_fen > 0
    grant = Decision.objects.filter(run=run, program="one_off:mid_autumn_2025", eligible=True)
    assert sorted(grant.values_list("person_id", flat=True)) == sorted([small_district["poor"].pk, small_district["old"].pk])
    assert run.cpi == {"all_yoy_pct": "3.60", "food_yoy_pct": "1.00"} and run.cpi_month == "2025-07"


@pytest.mark.django_db
def test_price_subsidy_uses_the_cpi_of_the_previous_month(users, small_district):
    """REFERENCE §9: the 2022-09..2023-03 payments used the CPI of 2022-08..2023-02."""
    poor = small_district["poor"].pk
    # CPI recorded only for 2022-09: it triggers the 2022-10 subsidy, not 2022-09's
    services.cpi_record(actor=users["bureau"], month="2022-09", all_yoy_pct="3.2", food_yoy_pct="1.0")
    run = services.decision_run_month(actor="test", month="2022-09")
    price = _decision(run, "price_subsidy", person_id=poor)
    assert not price.eligible and run.cpi is None and run.cpi_month == "2022-08"
    assert "2022年8月的CPI数据未录入" in cpi_used_text(run.cpi_month, run.cpi)
    # CPI recorded for 2022-08 (3.2% ≥ the loosened 3.0% trigger) triggers the 2022-09 subsidy
    services.cpi_record(actor=users["bureau"], month="2022-08", all_yoy_pct="3.2", food_yoy_pct="1.0")
    run = services.decision_run_month(actor="test", month="2022-09")
    price = _decision(run, "price_subsidy", person_id=poor)
    assert price.eligible and price.amount_fen > 0
    assert run.cpi == {"all_yoy_pct": "3.20", "food_yoy_pct": "1.00"} and run.cpi_month == "2022-08"
    # the one rule, both ways
    assert cpi_source_month("2022-09") == "2022-08" and cpi_payment_month("2022-08") == "2022-09"
    assert cpi_source_month("2023-01") == "2022-12" and cpi_payment_month("2022-12") == "2023-01"


@pytest.mark.django_db
def test_explain_of_an_old_run_uses_the_cpi_stored_with_it(users, small_district):
    services.cpi_record(actor=users["bureau"], month="2025-07", all_yoy_pct="3.6", food_yoy_pct="1.0")
    run = services.decision_run_month(actor="test", month="2025-08")
    # the CPI table is corrected afterwards: the stored run still explains with what it used
    services.cpi_record(actor=users["bureau"], month="2025-07", all_yoy_pct="0.5", food_yoy_pct="0.5")
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert explanation.mismatches == [] and explanation.run_id == run.pk
    assert explanation.cpi_text.startswith("2025年7月的CPI数据（CPI同比 3.60%")
    # a run stored before the CPI month was recorded says so, never guesses
    DecisionRun.objects.filter(pk=run.pk).update(cpi_month="")
    assert explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk
                                    ).cpi_text.startswith("所用CPI月份未记录")


@pytest.mark.django_db
def test_batch_command_prints_counts_and_timings(small_district):
    out = io.StringIO()
    call_command("policy_batch", "--month", "2025-08", stdout=out)
    text = out.getvalue()
    assert "批量测算完成" in text and "dibao" in text and "用时" in text and "岳阳街道" in text


def _changed_parameters(month: str, run: DecisionRun):
    """The run's parameters with the dibao standard raised to 1700: "the files changed since the run"."""
    from policy import parameters_from_in_force

    content = {name: dict(value) if value else value for name, value in run.parameters_in_force.items()}
    content["dibao.standard"]["value"] = "1700"
    return parameters_from_in_force(month, content)


@pytest.mark.django_db
def test_a_run_is_explained_with_its_own_parameters_after_the_files_change(small_district, monkeypatch):
    import policy.engine.single

    run = services.decision_run_month(actor="test", month="2025-08")
    assert run.parameters_in_force["dibao.standard"]["value"] == "1650"
    monkeypatch.setattr(policy.engine.single, "load_parameters", lambda: _changed_parameters("2025-08", run))
    # stored in-force values: the same decisions, no mismatch
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert explanation.mismatches == []
    dibao = next(r for r in explanation.result["results"] if r["program"] == "dibao")
    assert dibao["amount_yuan"] == "1250.00"
    # a run made before they were stored: the current files, and the page says the parameter set differs
    DecisionRun.objects.filter(pk=run.pk).update(parameters_in_force=None)
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert any(m.startswith("参数集不同") and "按现行参数重算" in m for m in explanation.mismatches)
    assert any(m.startswith("dibao") for m in explanation.mismatches)  # 1700 − 400 ≠ the stored 1250


@pytest.mark.django_db
def test_explain_refuses_stored_parameters_that_do_not_match_the_runs_hash(small_district):
    run = services.decision_run_month(actor="test", month="2025-08")
    changed = dict(run.parameters_in_force)
    changed["dibao.standard"] = {**changed["dibao.standard"], "value": "1700"}
    DecisionRun.objects.filter(pk=run.pk).update(parameters_in_force=changed)
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert any("与其参数集哈希不符" in m for m in explanation.mismatches)


@pytest.mark.django_db
def test_explain_says_when_the_rules_version_differs(small_district):
    run = services.decision_run_month(actor="test", month="2025-08")
    DecisionRun.objects.filter(pk=run.pk).update(rules_version="2025-01-01")
    explanation = explain_stored_household(month="2025-08", household_id=small_district["h_poor"].pk)
    assert any(m.startswith("规则版本不同") and "2025-01-01" in m for m in explanation.mismatches)
