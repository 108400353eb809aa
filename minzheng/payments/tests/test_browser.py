"""Browser test: one dibao batch from review to reconciliation through the
UI, with Debian's Chromium (/usr/bin/chromium) driven by playwright (never
``playwright install``). The preparer (bureau) is offered neither review nor
approval and is refused both when posting anyway; the checker reviews (and
is offered no approval), the approver approves (after the confirm dialog)
and exports the bank file, the bank's return (one failed line) is uploaded
and the batch is reconciled; the failed line is on the correction list."""

from __future__ import annotations

import os

import pytest

from minzheng.core.models import User
from minzheng.core.tests.web import browser_login, click_and_confirm
from minzheng.jobs.services import jobs_run_queued
from minzheng.payments.batches import batch_run
from minzheng.payments.models import BankFile, BatchStatus, FileKind, PaymentBatch, PaymentLine
from minzheng.payments.returns import return_file_for


def _messages(page) -> str:
    return " ".join(page.locator(".toast").all_inner_texts())


def _click(page, selector: str) -> str:
    """Click a form button (accepting its confirm question, if any); the messages shown on the page it leads to."""
    with page.expect_navigation():
        click_and_confirm(page, selector)
    page.wait_for_load_state()
    return _messages(page)


def _post_anyway(page, url: str) -> str:
    """POST an action the page does not offer (a stale page, a crafted request); the answer's text."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form={"csrfmiddlewaretoken": token, "note": ""}).text()


def _status(page) -> str:
    return page.inner_text("#batch-status")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_batch_review_approve_export_return_and_reconcile(live_server, staff, town, browser_page, tmp_path):  # noqa: F811
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given the August dibao batch prepared by the bureau (the maker)
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    assert batch.control_count == 2
    failing = PaymentLine.objects.get(batch=batch, seq=1)
    paid = PaymentLine.objects.get(batch=batch, seq=2)
    page, base = browser_page, live_server.url
    batch_url = f"{base}/payments/batches/{batch.pk}/"
    review = "#batch-actions button:has-text('复核通过')"
    approve = "#batch-actions button:has-text('审批通过')"

    User.objects.filter(username="checker").update(full_name="周丽萍", post="副科长")
    User.objects.filter(username="approver").update(full_name="吴国强", post="副局长")
    act = f"{batch_url}act"

    # the preparer is not offered review, and is refused when posting it anyway
    browser_login(page, base, "bureau")
    page.goto(batch_url)
    assert page.locator(review).count() == 0
    assert "制单人以外" in page.inner_text("#waiting")
    assert "制单人不能复核自己制作的批次" in _post_anyway(page, f"{act}/review/")
    page.goto(batch_url)
    assert _status(page) == "草稿"

    # when the checker reviews it in the UI
    browser_login(page, base, "checker")
    page.goto(batch_url)
    assert "已复核" in _click(page, review)
    assert _status(page) == "已复核"
    # the checker is offered no approval, and is refused when posting it anyway
    assert page.locator(approve).count() == 0
    assert "复核人不能再审批同一批次" in _post_anyway(page, f"{act}/approve/")

    # the preparer is refused approval too
    browser_login(page, base, "bureau")
    page.goto(batch_url)
    assert page.locator(approve).count() == 0
    assert "制单人不能审批自己制作的批次" in _post_anyway(page, f"{act}/approve/")
    page.goto(batch_url)
    assert _status(page) == "已复核"
    assert page.locator("#export-form").count() == 0

    # and the approver approves it
    browser_login(page, base, "approver")
    page.goto(batch_url)
    assert "已审批" in _click(page, approve)
    assert _status(page) == "已审批"
    assert page.locator(approve).count() == 0

    # and exports the bank file with the export button (a POST): a background job (ADR 0017)
    # whose page shows the result with the download once the worker has run it
    assert "正在后台导出银行代发文件" in _click(page, "#export-form button:has-text('导出银行代发文件')")
    assert jobs_run_queued() == 1
    page.wait_for_selector("#job-result-link:not(.d-none)")  # the page's polling shows the result
    assert "已导出" in page.inner_text("#job-summary") and page.inner_text("#job-result-link") == "下载银行代发文件（CSV）"
    page.goto(batch_url)
    assert _status(page) == "已导出"
    assert BankFile.objects.filter(batch=batch, kind=FileKind.BANK_CSV).count() == 1
    assert "银行代发文件" in page.inner_text("#files")

    # and uploads the bank's return: line 1 failed (account closed), line 2 paid
    return_file = tmp_path / "回盘.csv"
    return_file.write_bytes(return_file_for(batch, {1: "账户已销户"}))
    page.set_input_files("input[name=file]", str(return_file))
    assert "回盘已导入" in _click(page, "button:has-text('导入回盘')")
    reconciliation = page.inner_text("#reconciliation")
    assert "平衡" in reconciliation and "不平衡" not in reconciliation
    lines = page.inner_text("#lines")
    assert "失败 账户已销户" in lines

    # and reconciles it
    assert "已对账" in _click(page, "#batch-actions button:has-text('确认对账')")

    # then the page shows the reconciled batch: one paid, one failed awaiting re-issue
    assert _status(page) == "已对账"
    assert page.locator("#batch-actions button").count() == 0
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.RECONCILED
    rows = {row.split("\t")[0]: row.split("\t")[1:] for row in page.inner_text("#reconciliation tbody").splitlines()}
    assert rows["审批发放"][0] == "2" and rows["银行成功"][0] == "1" and rows["失败待重发"][0] == "1"
    assert rows["尚未回盘"][0] == "0"
    events = page.inner_text("#events")
    assert "吴国强（副局长）：已导出 → 已对账" in events and "周丽萍（副科长）：草稿 → 已复核" in events
    assert "approver" not in events and "exported" not in events

    # and the failed line is on the correction list, the paid one is not
    page.goto(f"{base}/payments/corrections/")
    corrections = page.inner_text("#corrections")
    assert batch.number in corrections and failing.payee_name in corrections and "账户已销户" in corrections
    assert paid.payee_name not in corrections
