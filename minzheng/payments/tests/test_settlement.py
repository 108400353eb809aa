"""重新测算差额处理 (``payments.settlement``): months already paid in an
approved batch, compared with the month's current run after a policy
revision — 补差 lines into the draft batch, 追缴 charges, 需复核 for
households still enrolled but no longer eligible; a plan writes nothing;
applying twice changes nothing the second time; street staff see their
street only; the page and the command."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.eligibility import services as eligibility
from minzheng.payments.batches import batch_run
from minzheng.payments.models import PaymentLine, Receivable, ReceivableEntry
from minzheng.payments.recovery import balance, recovery_scan
from minzheng.payments.returns import return_file_for, returns_import
from minzheng.payments.settlement import (
    CHARGE,
    NO_DRAFT,
    NOTE_NOT_ELIGIBLE,
    NOTE_PENDING,
    NOTHING,
    REVIEW,
    TOPUP,
    settlement_apply,
    settlement_plan,
)
from policy import load_parameters
from policy.engine.parameters import DEFAULT_DIRECTORY


@pytest.fixture
def revised(tmp_path: Path):
    """The parameter files with a revised dibao standard (values made up for
    the test): 1700 from 2025-08-01 (up 50), 1500 from 2025-09-01 (down 150),
    350 from 2025-10-01 (below 贫困甲's income of 400: no longer eligible)."""
    directory = tmp_path / "parameters"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / "dibao" / "standard.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for day, value in ((dt.date(2025, 8, 1), 1700), (dt.date(2025, 9, 1), 1500), (dt.date(2025, 10, 1), 350)):
        data["values"][day] = {"value": value, "sureness": "assumption", "verified": False, "source": "测试用"}
    data["verified"] = False
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_parameters(directory)


def _store(parameters, *months: str) -> None:
    """Store the month's run under ``parameters`` (what ``policy recompute --confirm`` does)."""
    for month in months:
        eligibility.decision_run_month(actor="test", month=month,
                                       evaluation=eligibility.month_evaluate(month, parameters=parameters))


def _table_counts() -> dict[str, int]:
    models = [*apps.get_app_config("payments").get_models(), AuditEntry]
    return {m._meta.label: m.objects.count() for m in models}


def _row(plan, person, month):
    [row] = [r for r in plan.rows if r.person_id == person.pk and r.month == month]
    return row


@pytest.mark.django_db
def test_a_higher_standard_is_topped_up_in_the_draft_batch_once(staff, town, paid_month, revised):
    august = paid_month("dibao", "2025-08")  # paid at 1650: 贫困甲 1250, 独居丙 1550
    _store(revised, "2025-08")  # the revision: 1700 from August
    bureau = staff["bureau"]

    plan = settlement_plan(bureau, program="dibao", first="2025-08", last="2025-08")
    poor, lone = _row(plan, town.poor, "2025-08"), _row(plan, town.lone, "2025-08")
    assert (poor.paid_fen, poor.entitled_fen, poor.difference_fen, poor.action) == (125000, 130000, 5000, TOPUP)
    assert (lone.paid_fen, lone.entitled_fen, lone.difference_fen, lone.action) == (155000, 160000, 5000, TOPUP)
    assert poor.name == "贫困甲（户）" and "*" in poor.id_number_masked and poor.street_name == "岳阳街道"
    # no draft batch yet: the plan says so and confirming is refused, nothing written
    assert plan.draft is None and plan.notes == [NO_DRAFT] and not plan.actionable and poor.note == NO_DRAFT
    before = _table_counts()
    with pytest.raises(ValidationError, match=NO_DRAFT):
        settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-08")
    assert _table_counts() == before

    september = batch_run(actor=bureau, program="dibao", month="2025-09").batch  # the draft
    plan = settlement_plan(bureau, program="dibao", first="2025-08", last="2025-08")
    assert plan.actionable and plan.draft == september and plan.topup_fen == 10000
    total_before = september.control_total_fen
    result = settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-08",
                              expected_digest=plan.digest)
    assert (result.topups, result.topup_fen, result.charges) == (2, 10000, 0)
    september.refresh_from_db()
    adjustments = list(september.lines.filter(kind="adjustment").order_by("beneficiary"))
    assert {(a.benefit_month, a.amount_fen, a.corrects.batch_id) for a in adjustments} == {("2025-08", 5000, august.pk)}
    assert {a.corrects.beneficiary for a in adjustments} == {f"h{town.h_poor.pk}", f"h{town.h_lone.pk}"}
    assert adjustments[0].note == "重新测算后补差（2025年8月）"
    assert september.control_total_fen == total_before + 10000 and bureau.username in september.preparers
    [entry] = AuditEntry.objects.filter(action="payments.settlement.apply")
    assert entry.actor == "bureau" and entry.object_id == september.number
    assert (entry.changes["topups"], entry.changes["topup_fen"], entry.changes["charges"]) == (2, 10000, 0)

    # idempotent: the top-ups are on their way; nothing new, nothing written
    again = settlement_plan(bureau, program="dibao", first="2025-08", last="2025-08")
    assert again.rows == [] and again.unchanged == 2
    before = _table_counts()
    result = settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-08")
    assert (result.topups, result.charges) == (0, 0) and _table_counts() == before
    # a stale confirmation (the plan shown before applying) is refused
    with pytest.raises(StateConflict, match="已变化"):
        settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-08",
                         expected_digest=plan.digest)


@pytest.mark.django_db
def test_a_lower_standard_opens_a_charge_once_and_respects_an_existing_charge(staff, town, paid_month, revised):
    for month in ("2025-08", "2025-09"):
        paid_month("dibao", month)
    _store(revised, "2025-09")  # 1500 from September: 150 less each
    bureau = staff["bureau"]
    # 独居丙 already has a charge for September (e.g. recorded by hand earlier)
    receivable = Receivable.objects.create(person=town.lone, street_id="310117001", committee_id="310117001002")
    ReceivableEntry.objects.create(receivable=receivable, kind="charge", amount_fen=2000, program="dibao",
                                   benefit_month="2025-09", reason="手工登记", recorded_by="bureau")

    before = _table_counts()
    plan = settlement_plan(bureau, program="dibao", first="2025-08", last="2025-09")
    assert _table_counts() == before  # the plan writes nothing
    poor, lone = _row(plan, town.poor, "2025-09"), _row(plan, town.lone, "2025-09")
    assert (poor.paid_fen, poor.entitled_fen, poor.difference_fen, poor.action) == (125000, 110000, -15000, CHARGE)
    assert (lone.charged_fen, lone.difference_fen, lone.action) == (2000, -13000, REVIEW)
    assert "已有应追缴记录" in lone.note
    assert not [r for r in plan.rows if r.month == "2025-08"]  # August unchanged
    assert plan.draft is None and plan.actionable  # a charge needs no batch

    result = settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-09")
    assert (result.charges, result.charge_fen, result.topups) == (1, 15000, 0)
    [charge] = ReceivableEntry.objects.filter(receivable__person=town.poor, kind="charge")
    assert (charge.program, charge.benefit_month, charge.amount_fen) == ("dibao", "2025-09", 15000)
    assert charge.reason == "重新测算后多发（2025年9月）" and charge.line.benefit_month == "2025-09"
    assert balance(charge.receivable) == 15000
    assert AuditEntry.objects.get(action="payments.settlement.apply").changes["charge_fen"] == 15000
    # idempotent, and the recovery check does not charge it a second time
    again = settlement_plan(bureau, program="dibao", first="2025-08", last="2025-09")
    assert [(r.person_id, r.action) for r in again.rows] == [(town.lone.pk, REVIEW)]
    assert settlement_apply(actor=bureau, program="dibao", first="2025-08", last="2025-09").charges == 0
    assert recovery_scan(actor=bureau)["charges"] == 0
    assert ReceivableEntry.objects.filter(kind="charge").count() == 2


@pytest.mark.django_db
def test_enrolled_but_no_longer_eligible_is_review_and_nothing_is_charged(staff, town, paid_month, revised):
    paid_month("dibao", "2025-10")
    _store(revised, "2025-10")  # 350: 贫困甲 (income 400) no longer eligible, 独居丙 gets 250
    bureau = staff["bureau"]
    plan = settlement_plan(bureau, program="dibao", first="2025-10", last="2025-10")
    poor, lone = _row(plan, town.poor, "2025-10"), _row(plan, town.lone, "2025-10")
    # still enrolled: entitled to the enrolment amount until casework ends the enrolment
    assert (poor.entitled_fen, poor.basis, poor.difference_fen, poor.action) == (125000, "enrolment", 0, REVIEW)
    assert poor.note == NOTE_NOT_ELIGIBLE
    assert (lone.entitled_fen, lone.action, lone.difference_fen) == (25000, CHARGE, -130000)
    settlement_apply(actor=bureau, program="dibao", first="2025-10", last="2025-10")
    assert not ReceivableEntry.objects.filter(receivable__person=town.poor).exists()
    assert ReceivableEntry.objects.get(receivable__person=town.lone).amount_fen == 130000


@pytest.mark.django_db
def test_a_failed_payment_awaiting_reissue_is_not_settled_yet(staff, town, paid_month, revised):
    august = paid_month("dibao", "2025-08")
    content = return_file_for(august, {1: "账户已销户"})
    returns_import(actor=staff["bureau"], batch=august, filename="r.csv", content=content)
    _store(revised, "2025-08")
    batch_run(actor=staff["bureau"], program="dibao", month="2025-09")
    plan = settlement_plan(staff["bureau"], program="dibao", first="2025-08", last="2025-08")
    failed = PaymentLine.objects.get(batch=august, seq=1)
    [row] = [r for r in plan.rows if r.corrects_id == failed.pk]
    assert (row.paid_fen, row.pending_fen, row.action, row.note) == (0, failed.amount_fen, REVIEW, NOTE_PENDING)
    assert [r.action for r in plan.rows if r.corrects_id != failed.pk] == [TOPUP]


@pytest.mark.django_db
def test_scope_and_roles(staff, town, paid_month, revised):
    paid_month("dibao", "2025-08")
    _store(revised, "2025-08")
    batch_run(actor=staff["bureau"], program="dibao", month="2025-09")
    assert len(settlement_plan(staff["street"], program="dibao", first="2025-08", last="2025-08").rows) == 2
    assert settlement_plan(staff["other_street"], program="dibao", first="2025-08", last="2025-08").rows == []
    before = _table_counts()
    for who in ("street", "auditor"):
        with pytest.raises(PermissionDenied):
            settlement_apply(actor=staff[who], program="dibao", first="2025-08", last="2025-08")
    with pytest.raises(PermissionDenied):
        settlement_apply(actor="cli", program="dibao", first="2025-08", last="2025-08")
    assert _table_counts() == before
    with pytest.raises(ValidationError, match="截止月份不能早于起始月份"):
        settlement_plan(staff["bureau"], program="dibao", first="2025-09", last="2025-08")
    with pytest.raises(ValidationError, match="不是按月发放现金"):
        settlement_plan(staff["bureau"], program="low_income", first="2025-08", last="2025-08")
    # a month whose batch is not approved is not compared, and says why
    plan = settlement_plan(staff["bureau"], program="dibao", first="2025-08", last="2025-10")
    assert plan.months == ["2025-08"] and [m for m, _ in plan.month_notes] == ["2025-09", "2025-10"]
    assert "尚未审批" in plan.month_notes[0][1] and "尚未生成" in plan.month_notes[1][1]


@pytest.mark.django_db
def test_page_shows_the_plan_exports_it_and_confirms(staff, town, paid_month, revised):
    paid_month("dibao", "2025-08")
    _store(revised, "2025-08")
    september = batch_run(actor=staff["bureau"], program="dibao", month="2025-09").batch
    url = "/payments/settlement/?program=dibao&first=2025-08&last=2025-08"
    client = logged_in(staff["bureau"])
    assert "重新测算差额处理" in client.get("/payments/").content.decode()  # reached from the payments nav
    before = _table_counts()
    page = client.get(url).content.decode()
    assert _table_counts() == before
    assert "贫困甲（户）" in page and "补差" in page and "50.00 元" in page and september.number in page
    assert re.search(r'data-confirm="最低生活保障 2025-08 至 2025-08：在批次 \S+ 中加补差明细 2 笔，共 100.00 元。'
                     r'确认处理？">确认处理</button>', page)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    # the street sees its rows but is not offered the confirmation
    street_page = logged_in(staff["street"]).get(url).content.decode()
    assert "贫困甲（户）" in street_page and "确认处理</button>" not in street_page
    # filtered by action; exported through the list export (audited)
    assert "贫困甲" not in client.get(url + "&action=追缴").content.decode()
    response = client.get(url + "&_export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:5] == ("所属月份", "街镇", "居村委", "姓名（收款人）", "身份证号")
    assert {r[10] for r in rows[1:]} == {"补差"} and len(rows) == 3
    assert AuditEntry.objects.filter(action="core.list.export", object_id="重新测算差额处理").exists()
    response = client.post("/payments/settlement/", {"program": "dibao", "first": "2025-08", "last": "2025-08",
                                                     "digest": digest})
    assert response.status_code == 302 and "program=dibao" in response["Location"]
    assert september.lines.filter(kind="adjustment").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "没有需要处理的差额" in page and "确认处理</button>" not in page
    # no program chosen: the form and a prompt, nothing computed
    assert "请选择救助项目和起止月份" in client.get("/payments/settlement/").content.decode()


@pytest.mark.django_db
def test_command_plans_without_writing_and_applies_with_confirm(staff, town, paid_month, revised):
    paid_month("dibao", "2025-08")
    _store(revised, "2025-08")
    batch_run(actor=staff["bureau"], program="dibao", month="2025-09")
    before = _table_counts()
    out = io.StringIO()
    call_command("payments_settle", "--program", "dibao", "--from", "2025-08", "--to", "2025-08", stdout=out)
    text = out.getvalue()
    assert _table_counts() == before
    assert "补差 2 笔" in text and "贫困甲（户）" in text and "未写入" in text
    with pytest.raises(CommandError, match="--as"):
        call_command("payments_settle", "--program", "dibao", "--from", "2025-08", "--to", "2025-08", "--confirm",
                     stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("payments_settle", "--program", "dibao", "--from", "2025-08", "--to", "2025-08", "--confirm",
                     "--as", "street", stdout=io.StringIO())
    out = io.StringIO()
    call_command("payments_settle", "--program", "dibao", "--from", "2025-08", "--to", "2025-08", "--confirm",
                 "--as", "bureau", stdout=out)
    assert "已加补差明细 2 笔" in out.getvalue()
    assert PaymentLine.objects.filter(kind="adjustment").count() == 2
    out = io.StringIO()
    call_command("payments_settle", "--program", "dibao", "--from", "2025-08", "--to", "2025-08", stdout=out)
    assert "没有需要处理的差额" in out.getvalue()
    assert NOTHING  # the label of rows left alone exists (used on the page's action filter)


@pytest.mark.django_db
def test_a_decision_paid_program_charges_a_month_no_longer_due(staff, town, paid_month, tmp_path):
    """Elderly allowance (paid from the month's decisions, no enrolment): a
    revision that puts the lowest band at 80 leaves 老人乙 (75) without it."""
    directory = tmp_path / "parameters"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / "elderly_allowance" / "age_bands.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["values"][dt.date(2025, 8, 1)] = {"value": [{"min_age": 80, "amount": 180}, {"min_age": 90, "amount": 350}],
                                           "sureness": "assumption", "verified": False, "source": "测试用"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    paid = paid_month("elderly_allowance", "2025-08").lines.get()
    _store(load_parameters(directory), "2025-08")
    plan = settlement_plan(staff["bureau"], program="elderly_allowance", first="2025-08", last="2025-08")
    [row] = plan.rows
    assert (row.beneficiary, row.paid_fen, row.entitled_fen, row.action) == (f"p{town.old.pk}", paid.amount_fen, 0,
                                                                              CHARGE)
    assert row.name == "老人乙" and row.street_name == "泗泾镇"
    # the street of 岳阳 sees nothing of 泗泾; the bureau charges it
    assert settlement_plan(staff["street"], program="elderly_allowance", first="2025-08", last="2025-08").rows == []
    settlement_apply(actor=staff["bureau"], program="elderly_allowance", first="2025-08", last="2025-08")
    entry = ReceivableEntry.objects.get(kind="charge")
    assert (entry.receivable.person_id, entry.amount_fen, entry.line_id) == (town.old.pk, paid.amount_fen, paid.pk)
