"""The whole monthly cycle from the command line, maker-checker included."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.payments.models import BatchStatus, PaymentBatch


def _cmd(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_cli_runs_a_month_from_decision_to_reconciled(staff, town, tmp_path):
    # given the month's batch prepared by the bureau clerk
    _cmd("payments_run", "--program", "dibao", "--month", "2025-08", "--as", "bureau")
    number = PaymentBatch.objects.get(program="dibao", month="2025-08").number
    # then the preparer cannot check it, and the checker cannot also approve it
    with pytest.raises(CommandError, match="制单人"):
        _cmd("payments_batch", "review", "--number", number, "--as", "bureau")
    _cmd("payments_batch", "review", "--number", number, "--as", "checker")
    with pytest.raises(CommandError, match="复核人不能再审批"):
        _cmd("payments_batch", "approve", "--number", number, "--as", "checker")
    _cmd("payments_batch", "approve", "--number", number, "--as", "approver")
    bank = tmp_path / "bank.csv"
    text = _cmd("payments_batch", "export", "--number", number, "--as", "bureau", "--out", str(bank))
    assert "2 笔" in text and bank.read_bytes().startswith("\ufeff序号,姓名,证件号码".encode())
    returns = tmp_path / "returns.csv"
    _cmd("payments_batch", "simulate-returns", "--number", number, "--out", str(returns), "--fail", "1")
    assert "成功 1 笔，失败 1 笔" in _cmd("payments_batch", "returns", str(returns), "--number", number, "--as", "bureau")
    shown = _cmd("payments_batch", "reconcile", "--number", number, "--as", "bureau")
    assert "已对账" in shown and "已平衡" in shown
    assert PaymentBatch.objects.get(number=number).status == BatchStatus.RECONCILED


@pytest.mark.django_db
def test_cli_requires_a_named_actor_and_an_existing_batch(staff, town):
    with pytest.raises(CommandError, match="不存在"):
        _cmd("payments_batch", "show", "--number", "NOPE")
    _cmd("payments_run", "--program", "dibao", "--month", "2025-08", "--as", "bureau")
    number = PaymentBatch.objects.get(program="dibao", month="2025-08").number
    with pytest.raises(CommandError, match="--as"):
        _cmd("payments_batch", "review", "--number", number)
