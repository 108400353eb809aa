"""The payments pages on the design system (ADR 0012): a batch is started by
choosing a program from its Chinese label (typing a label or a code is
impossible); lists filter and export (xlsx, Chinese headers, audited); the
batch page offers each signed-in user only the maker-checker step they may
take now, and destructive steps ask first; households appear as chips."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued
from minzheng.payments.batches import batch_review, batch_run
from minzheng.payments.models import PaymentBatch
from minzheng.payments.sampling import sample_draw


def _page(user, url: str) -> str:
    response = logged_in(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_batch_is_started_from_a_program_select_not_a_typed_code(staff, town):
    page = _page(staff["bureau"], "/payments/")
    form = page[page.index('id="run-form"'):page.index("</form>", page.index('id="run-form"'))]
    assert '<select name="program"' in form and '<option value="dibao">最低生活保障</option>' in form
    assert 'type="month"' in form and "list=" not in form  # no free text with a datalist
    client = logged_in(staff["bureau"])
    # a label typed in place of the option value is refused with a plain message, nothing is created
    response = client.post("/payments/", {"program": "最低生活保障", "month": "2025-08"}, follow=True)
    assert "请从列表中选择救助项目" in response.content.decode() and not PaymentBatch.objects.exists()
    # the chosen option starts the batch: a background job whose result links to it (ADR 0017)
    response = client.post("/payments/", {"program": "dibao", "month": "2025-08"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs_run_queued()
    batch = PaymentBatch.objects.get()
    job.refresh_from_db()
    assert job.result_url == f"/payments/batches/{batch.pk}/"


@pytest.mark.django_db
def test_batch_list_filters_and_exports_with_chinese_labels_audited(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    batch_run(actor=staff["bureau"], program="dibao", month="2025-09")
    page = _page(staff["bureau"], "/payments/?status=draft")
    assert "2025-09" in page and "2025-08" not in page
    assert "草稿" in page and ">draft<" not in page
    response = logged_in(staff["bureau"]).get("/payments/?_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("批次号", "类型", "救助项目", "发放月份", "状态")
    assert {r[2] for r in rows[1:]} == {"最低生活保障"} and {r[4] for r in rows[1:]} == {"已导出", "草稿"}
    assert AuditEntry.objects.filter(action="core.list.export", object_id="发放批次").exists()


@pytest.mark.django_db
def test_street_staff_see_no_district_totals_in_the_batch_list(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    page = _page(staff["street"], "/payments/")
    assert "全区笔数" not in page and "本辖区笔数" in page


def _buttons(page: str) -> set[str]:
    block = page[page.find('id="batch-actions"'):] if 'id="batch-actions"' in page else ""
    block = block[:block.find('class="card-title">导出')] if "card-title\">导出" in block else block
    block = block[:block.find('id="reconciliation"')]
    return set(re.findall(r"<button[^>]*>([^<]+)</button>", block))


@pytest.mark.django_db
def test_each_user_is_offered_only_the_step_they_may_take_now(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    url = f"/payments/batches/{batch.pk}/"
    assert _buttons(_page(staff["bureau"], url)) == {"作废草稿"}  # the preparer may not review
    checker_page = _page(staff["checker"], url)
    assert _buttons(checker_page) == {"复核通过", "作废草稿"}
    assert re.search(r'class="btn btn-outline-danger" data-confirm="草稿批次 [^"]+将被删除[^"]*">作废草稿', checker_page)
    batch_review(actor=staff["checker"], batch=batch)
    assert _buttons(_page(staff["bureau"], url)) == set()
    assert "制单人、复核人以外" in _page(staff["bureau"], url)
    assert _buttons(_page(staff["checker"], url)) == {"退回"}
    approver_page = _page(staff["approver"], url)
    assert _buttons(approver_page) == {"审批通过", "退回"}
    assert re.search(r'class="btn btn-outline-danger" data-confirm="批次 [^"]+将退回为草稿[^"]*">退回', approver_page)
    # street staff see the batch but no actions
    assert _buttons(_page(staff["street"], url)) == set()


@pytest.mark.django_db
def test_batch_can_be_prepared_reviewed_and_approved_end_to_end_through_the_pages(staff, town):
    logged_in(staff["bureau"]).post("/payments/", {"program": "dibao", "month": "2025-08"})
    jobs_run_queued()  # the batch is prepared by a background job run as the bureau clerk (ADR 0017)
    batch = PaymentBatch.objects.get()
    logged_in(staff["checker"]).post(f"/payments/batches/{batch.pk}/act/review/", {"note": ""})
    logged_in(staff["approver"]).post(f"/payments/batches/{batch.pk}/act/approve/", {"note": ""})
    batch.refresh_from_db()
    assert batch.status == "approved"
    assert (batch.prepared_by, batch.reviewed_by, batch.approved_by) == ("bureau", "checker", "approver")
    page = _page(staff["approver"], f"/payments/batches/{batch.pk}/")
    steps = page[page.index('id="steps"'):page.index("</ul>", page.index('id="steps"'))]
    assert steps.count("已完成") == 3 and "导出代发文件" in steps
    assert "bureau" not in steps and "checker" not in steps  # staff by name and post, never the account


@pytest.mark.django_db
def test_ledger_is_a_list_with_an_audited_workbook_export(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    page = _page(staff["bureau"], "/payments/ledger/?year=2025")
    assert "最低生活保障" in page and 'id="ledger-totals"' in page
    response = logged_in(staff["bureau"]).get("/payments/ledger/?year=2025&_export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:3] == ("发放月份", "街镇", "救助项目") and rows[-1][0] == "合计"
    assert AuditEntry.objects.filter(action="core.list.export", object_id="资金台账").exists()


@pytest.mark.django_db
def test_sample_cases_show_the_household_by_its_head_not_a_code(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    draw = sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=5, seed=7)
    page = _page(staff["bureau"], f"/payments/samples/{draw.pk}/")
    assert "贫困甲家" in page
    assert not re.search(r">\s*h\d+\s*<", page) and not re.search(r"家庭 \d+", page)


@pytest.mark.django_db
def test_pages_name_no_household_by_number(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    for url in ("/payments/", f"/payments/batches/{batch.pk}/", "/payments/ledger/", "/payments/corrections/",
                "/payments/recovery/", "/payments/samples/", f"/payments/accounts/{town.poor.pk}/"):
        assert not re.search(r"家庭 \d+", _page(staff["bureau"], url)), url
