"""Writes of the payments app, the interface other apps use (ADR 0009).

The writes live in modules named for what they do (``accounts.py``,
``batches.py``, ``bank_files.py``, ``returns.py``, ``reconciliation.py``,
``recovery.py``, ``sampling.py``, ``settlement.py``); this module only names them.
"""

from __future__ import annotations

from minzheng.payments.accounts import account_register as account_register
from minzheng.payments.accounts import accounts_synthesise as accounts_synthesise
from minzheng.payments.bank_files import batch_export as batch_export
from minzheng.payments.bank_files import file_download as file_download
from minzheng.payments.batches import adjustment_add as adjustment_add
from minzheng.payments.batches import batch_approve as batch_approve
from minzheng.payments.batches import batch_discard as batch_discard
from minzheng.payments.batches import batch_reject as batch_reject
from minzheng.payments.batches import batch_review as batch_review
from minzheng.payments.batches import batch_run as batch_run
from minzheng.payments.batches import line_remove as line_remove
from minzheng.payments.batches import reissue_batch_create as reissue_batch_create
from minzheng.payments.reconciliation import batch_reconcile as batch_reconcile
from minzheng.payments.recovery import receivable_repay as receivable_repay
from minzheng.payments.recovery import recovery_scan as recovery_scan
from minzheng.payments.recovery import writeoff_decide as writeoff_decide
from minzheng.payments.recovery import writeoff_propose as writeoff_propose
from minzheng.payments.returns import returns_import as returns_import
from minzheng.payments.sampling import sample_case_record as sample_case_record
from minzheng.payments.sampling import sample_draw as sample_draw
from minzheng.payments.settlement import settlement_apply as settlement_apply
