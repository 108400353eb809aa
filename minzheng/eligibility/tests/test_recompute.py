"""Re-computation after a parameter change (``eligibility.recompute`` and
``policy_recompute``): who gains, loses or changes amount; nothing written
without --confirm; --confirm stores audited runs."""

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.core.models import AuditEntry
from minzheng.eligibility import services
from minzheng.eligibility.models import DecisionRun, RunStatus
from minzheng.eligibility.recompute import (
    BACKPAY,
    GAIN,
    LOSS,
    NO_STORED_RUN,
    RECOVER,
    UNKNOWN,
    recompute_months,
)
from minzheng.eligibility.selectors import current_run, run_decisions
from minzheng.registry import services as registry
from policy import load_parameters
from policy.engine.parameters import DEFAULT_DIRECTORY

SINCE = dt.date(2020, 1, 1)
STREET = "310117001"  # 岳阳街道


@pytest.fixture
def changed_parameters(tmp_path: Path):
    """The parameter files with the dibao standard changed: 1700 instead of
    1650 from 2025-07-01, and 1500 from 2025-09-01 (values made up for the test)."""
    directory = tmp_path / "parameters"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / "dibao" / "standard.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for day, value in ((dt.date(2025, 7, 1), 1700), (dt.date(2025, 9, 1), 1500)):
        data["values"][day] = {"value": value, "sureness": "assumption", "verified": False, "source": "测试用"}
    data["verified"] = False
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_parameters(directory)


@pytest.fixture
def registry_of_four(users, make_person):
    """Single adults with pensions (not earned income) around the dibao line, and one 71-year-old."""
    bureau = users["bureau"]
    made = {}
    for key, name, pension in (("poor", "贫困甲", 40000), ("edge", "边缘乙", 160000), ("gain", "边缘丙", 166000)):
        person = make_person(name, dt.date(1975, 3, 1), pension_fen=pension)
        made[key] = registry.household_create(actor=bureau, head=person, address=f"谷阳路{len(made) + 1}号",
                                              monetary_assets_fen=500000, start_date=SINCE)
        made[key + "_person"] = person
    old = make_person("老人丁", dt.date(1954, 8, 31), committee="310117102201", pension_fen=450000)
    made["old"] = registry.household_create(actor=bureau, head=old, address="张泾村1组", start_date=SINCE)
    return made


def _table_counts() -> dict[str, int]:
    models = [*apps.get_app_config("eligibility").get_models(), *apps.get_app_config("payments").get_models(),
              AuditEntry]
    return {m._meta.label: m.objects.count() for m in models}


def _dibao(comparison, household):
    return [c for c in comparison.changes if c.program == "dibao" and c.household_id == household.pk]


@pytest.mark.django_db
def test_recompute_lists_gains_losses_and_changes_and_writes_nothing(users, registry_of_four, changed_parameters):
    h = registry_of_four
    for month in ("2025-08", "2025-09"):
        services.decision_run_month(actor="test", month=month)  # stored with the parameters in force (1650)
    before = _table_counts()

    result = recompute_months(actor="cli", first="2025-08", last="2025-10", parameters=changed_parameters)

    assert _table_counts() == before  # not a row in any eligibility or payments table, no audit entry
    august, september, october = result.months
    # 2025-08 under 1700: the 1660 pension now qualifies (gain of 40); the poor household gets 50 more
    [gain] = _dibao(august, h["gain"])
    assert (gain.kind, gain.old_eligible, gain.new_eligible, gain.new_amount_fen, gain.action) == (
        GAIN, False, True, 4000, BACKPAY)
    [more] = _dibao(august, h["poor"])
    assert (more.old_amount_fen, more.new_amount_fen, more.difference_fen, more.action) == (125000, 130000, 5000, BACKPAY)
    assert _dibao(august, h["edge"])[0].difference_fen == 5000
    counts = august.counts[("dibao", STREET)]
    assert (counts.gains, counts.losses, counts.changes, counts.difference_fen) == (1, 0, 2, 14000)
    # 2025-09 under 1500: the 1600 pension no longer qualifies; the poor household gets 150 less
    [loss] = _dibao(september, h["edge"])
    assert (loss.kind, loss.old_amount_fen, loss.new_eligible, loss.new_amount_fen, loss.action) == (
        LOSS, 5000, False, 0, RECOVER)
    assert _dibao(september, h["poor"])[0].difference_fen == -15000
    assert _dibao(september, h["gain"]) == []  # not eligible before or now
    counts = september.counts[("dibao", STREET)]
    assert (counts.gains, counts.losses, counts.changes, counts.difference_fen) == (0, 1, 1, -20000)
    # the elderly allowance does not depend on the changed parameter
    assert not [c for c in august.changes if c.program == "elderly_allowance"]
    assert august.counts[("elderly_allowance", "310117102")].unchanged == 1
    assert august.stored_parameter_set != august.new_parameter_set
    # a month without a stored run is said so and skipped, never compared with zero
    assert not october.compared and october.note == NO_STORED_RUN and october.changes == []


@pytest.mark.django_db
def test_recompute_narrows_to_a_program_and_a_street(users, registry_of_four, changed_parameters):
    services.decision_run_month(actor="test", month="2025-08")
    [august] = recompute_months(actor="cli", first="2025-08", last="2025-08", program="dibao", street="310117102",
                                parameters=changed_parameters).months
    assert august.changes == []  # the dibao changes are all in 岳阳街道
    [august] = recompute_months(actor="cli", first="2025-08", last="2025-08", program="dibao", street=STREET,
                                parameters=changed_parameters).months
    assert {c.program for c in august.changes} == {"dibao"} and len(august.changes) == 3
    with pytest.raises(ValidationError, match="救助项目"):
        recompute_months(actor="cli", first="2025-08", last="2025-08", program="nonsense")
    with pytest.raises(ValidationError, match="截止月份不能早于起始月份"):
        recompute_months(actor="cli", first="2025-09", last="2025-08")
    with pytest.raises(ValidationError, match="具名工作人员"):
        recompute_months(actor="cli", first="2025-08", last="2025-08", store=True)


def _store_with(parameters, month: str) -> DecisionRun:
    return services.decision_run_month(actor="test", month=month,
                                       evaluation=services.month_evaluate(month, parameters=parameters))


@pytest.mark.django_db
def test_command_lists_writes_xlsx_and_writes_nothing_without_confirm(users, registry_of_four, changed_parameters,
                                                                      tmp_path):
    from openpyxl import load_workbook

    # the stored runs were made under the changed values; the files now in force say 1650
    for month in ("2025-08", "2025-09"):
        _store_with(changed_parameters, month)
    before = _table_counts()
    out, path = io.StringIO(), tmp_path / "差异.xlsx"
    call_command("policy_recompute", "--from", "2025-08", "--to", "2025-10", "--xlsx", str(path), stdout=out)
    text = out.getvalue()
    assert _table_counts() == before
    assert "未写入数据库" in text and "最低生活保障" in text and "岳阳街道" in text
    assert "新增享受" in text and "不再享受" in text and "金额变化" in text
    assert f"2025年10月 ==\n  {NO_STORED_RUN}" in text
    assert "追缴核查" in text and "重新测算差额处理" in text  # what payments does next, stated
    assert "minzheng payments settle --program 项目 --from 起始月份 --to 截止月份" in text
    assert "下一步（已审批发放的月份）" in text
    rows = list(load_workbook(path).worksheets[0].values)
    assert rows[0][:7] == ("月份", "救助项目", "街镇", "居村委", "姓名", "身份证号（脱敏）", "变化")
    edge = registry_of_four["edge_person"]
    [row] = [r for r in rows if r[4] == "边缘乙（户）" and r[0] == "2025-09" and r[1] == "最低生活保障"]
    assert row[5] == edge.id_number_masked and "*" in row[5]
    assert (row[6], row[7], row[9], row[11], row[12]) == ("新增享受", "不享受", "享受", 50, "补发")


@pytest.mark.django_db
def test_confirm_stores_audited_runs_for_the_compared_months(users, registry_of_four, changed_parameters):
    old_runs = {m: _store_with(changed_parameters, m) for m in ("2025-08", "2025-09")}
    with pytest.raises(CommandError, match="--as"):
        call_command("policy_recompute", "--from", "2025-08", "--to", "2025-09", "--confirm", stdout=io.StringIO())
    with pytest.raises(CommandError, match="权限|不能|执行全区批量测算"):
        call_command("policy_recompute", "--from", "2025-08", "--to", "2025-09", "--confirm", "--as", "street",
                     stdout=io.StringIO())
    assert DecisionRun.objects.filter(status=RunStatus.CURRENT).count() == 2
    audits = AuditEntry.objects.filter(action="policy.batch").count()
    out = io.StringIO()
    call_command("policy_recompute", "--from", "2025-08", "--to", "2025-10", "--confirm", "--as", "bureau", stdout=out)
    assert "已存储为新的测算结果" in out.getvalue()
    for month, old in old_runs.items():
        current = DecisionRun.objects.get(month=month, status=RunStatus.CURRENT)
        assert current.pk != old.pk and current.actor == "bureau"
        assert current.parameter_set != old.parameter_set
    assert not DecisionRun.objects.filter(month="2025-10").exists()  # no stored run: skipped, not created
    assert AuditEntry.objects.filter(action="policy.batch").count() == audits + 2
    assert set(AuditEntry.objects.filter(action="policy.batch").order_by("-id")[:2]
               .values_list("actor", flat=True)) == {"bureau"}
    poor = registry_of_four["poor"]
    assert run_decisions(current_run("2025-09")).get(program="dibao", household_id=poor.pk).amount_fen == 125000
    # nothing left to change
    out = io.StringIO()
    call_command("policy_recompute", "--from", "2025-08", "--to", "2025-09", stdout=out)
    assert out.getvalue().count("本月无差异") == 2


@pytest.mark.django_db
def test_a_parameter_missing_now_is_unknown_not_a_loss(users, registry_of_four, tmp_path):
    directory = tmp_path / "parameters"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / "dibao" / "standard.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["values"] = {day: v for day, v in data["values"].items() if day < dt.date(2025, 9, 1)}
    data["values"][dt.date(2025, 9, 1)] = None  # the standard ends: nothing in force for 2025-09
    data["verified"] = all(v["verified"] for v in data["values"].values() if v)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    services.decision_run_month(actor="test", month="2025-09")
    [september] = recompute_months(actor="cli", first="2025-09", last="2025-09",
                                   parameters=load_parameters(directory)).months
    [poor] = _dibao(september, registry_of_four["poor"])
    assert (poor.kind, poor.action, poor.difference_fen) == (UNKNOWN, "复核", None)
    counts = september.counts[("dibao", STREET)]
    assert (counts.losses, counts.review, counts.difference_fen) == (0, 2, 0)
