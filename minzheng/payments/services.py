"""Writes of the payments app, the interface other apps use (ADR 0009).

The writes live in modules named for what they do (``accounts.py``,
``batches.py``, ``bank_files.py``, ``returns.py``, ``reconciliation.py``,
``recovery.py``, ``sampling.py``, ``settlement.py``, ``death_holds.py``,
``one_off.py``); this module only names them.

For other apps (issue 14): ``one_off_program_register(code, label)`` in
``AppConfig.ready``; ``one_off_request(*, actor, program, payee, amount_fen,
reference, reason, beneficiary=None)``; for an organisation payee (ADR 0032)
``payee_organisation_register(*, actor, name, bank_name, number, uscc="")`` and
``one_off_request_organisation(*, actor, program, organisation, street_id,
committee_id, amount_fen, reference, reason)``; ``one_off_cancel(*, actor, program,
reference, reason)``; ``one_off_status(program, reference)`` (selector).
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
from minzheng.payments.death_holds import hold_release as hold_release
from minzheng.payments.death_holds import payments_on_death as payments_on_death
from minzheng.payments.one_off import one_off_batch_create as one_off_batch_create
from minzheng.payments.one_off import one_off_cancel as one_off_cancel
from minzheng.payments.one_off import one_off_program_register as one_off_program_register
from minzheng.payments.one_off import one_off_request as one_off_request
from minzheng.payments.one_off import one_off_request_organisation as one_off_request_organisation
from minzheng.payments.one_off import one_off_status as one_off_status
from minzheng.payments.one_off import payee_organisation_register as payee_organisation_register
from minzheng.payments.reconciliation import batch_reconcile as batch_reconcile
from minzheng.payments.recovery import receivable_repay as receivable_repay
from minzheng.payments.recovery import recovery_charge_person as recovery_charge_person
from minzheng.payments.recovery import recovery_scan as recovery_scan
from minzheng.payments.recovery import writeoff_decide as writeoff_decide
from minzheng.payments.recovery import writeoff_propose as writeoff_propose
from minzheng.payments.returns import (
    return_file_for as return_file_for,  # a bank's answer: tests, demo
)
from minzheng.payments.returns import returns_import as returns_import
from minzheng.payments.sampling import sample_case_record as sample_case_record
from minzheng.payments.sampling import sample_draw as sample_draw
from minzheng.payments.settlement import settlement_apply as settlement_apply
