"""One-off payments (一次性补贴) requested by domain apps and paid through
the payments app's batches (ADR 0008, "2026-12-01 — deaths and one-off
payments").

* A domain app registers its one-off programs in ``AppConfig.ready``
  (``one_off_program_register("funeral_basic", "基本殡葬服务补贴")``); a
  request for an unregistered program is refused.
* ``one_off_request`` queues a payment (``OneOffPayment``, 待发放) to a
  payee; ``one_off_request_organisation`` to an organisation
  (``PayeeOrganisation``, registered with ``payee_organisation_register``:
  e.g. a canteen paid its monthly meal-subsidy settlement, ADR 0032). An
  organisation's line carries no person and no person account; its bank
  account is the organisation's, and a line the bank returns is not
  re-issued automatically (register the corrected account and request again). Idempotent per (program, reference): the same reference returns the
  existing request; a different amount for it is refused.
* ``one_off_batch_create`` takes the queued requests of a program into a new
  batch of kind 一次性补贴 (lines of kind 一次性发放), which then goes
  through the same review → approve → export → returns → reconcile as every
  batch (``batches``, ``bank_files``, ``returns``, ``reconciliation``). A
  payee without an active account stays queued, listed in the batch's
  ``skipped`` and on the request with the reason.
* Fund split: the policy notes give no city/district shares for these
  subsidies. The batch uses ``fund_split.split_for`` (a ``FundSplit`` row
  configured for the program is honoured); without one the batch records the
  split as unknown (参数缺失, unverified) — the lines must add up, so the
  district column carries the amount *as booked*, not as a finding.

Statuses: 待发放 → 已纳入批次 → 已发放 (bank paid) / 退回 (bank returned; a
re-issue line that is paid moves it to 已发放); 待发放 → 已撤销. A line
removed from a draft batch, or a discarded draft, puts its request back to
待发放 (``release_lines``); so does a line still on hold when the bank file is
made (its payee died: ``requeue_held``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.payments.fund_split import Split, split_for
from minzheng.payments.models import (
    AccountStatus,
    BatchKind,
    LineKind,
    OneOffPayment,
    OneOffStatus,
    PayeeAccount,
    PayeeOrganisation,
    PaymentBatch,
    PaymentLine,
    ReturnOutcome,
)
from minzheng.registry.models import Person

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,40}")
UNKNOWN_SPLIT_BASIS = "参数缺失：该一次性补贴的市、区资金承担比例未知，明细暂记区级列支，待财政部门核实"
NO_ACCOUNT = "收款人没有有效的代发账户"
ORGANISATION_CLOSED = "收款单位账户已停用"
PAYEE_DEAD = "收款人已死亡"


@dataclass(frozen=True)
class OneOffProgram:
    code: str
    label: str


_PROGRAMS: dict[str, OneOffProgram] = {}


def one_off_program_register(code: str, label: str) -> None:
    """Register a one-off program (called by a domain app in ``AppConfig.ready``).

    ``code`` is lower-case letters, digits and ``_`` (the API's program
    code pattern); it must not be a monthly program of ``policy.PROGRAMS`` nor an
    eligibility grant (``one_off:…``); registering the same code twice with
    the same label is harmless, with another label an error."""
    from policy import PROGRAMS

    code, label = code.strip(), label.strip()
    if not CODE_PATTERN.fullmatch(code) or not label:
        raise ValueError("one-off program needs a code like 'funeral_basic' ([a-z][a-z0-9_]{0,40}, the API's "
                         "program pattern) and a Chinese label")
    if code in PROGRAMS or code.startswith("one_off:"):
        raise ValueError(f"one-off program code {code!r} clashes with a monthly program or a grant")
    known = _PROGRAMS.get(code)
    if known is not None and known.label != label:
        raise ValueError(f"one-off program {code!r} already registered as {known.label!r}")
    _PROGRAMS[code] = OneOffProgram(code, label)
    from minzheng.core.audit_labels import add_value_labels

    add_value_labels("program", [(code, label)])  # the audit trail names it like a monthly program


def one_off_programs() -> list[OneOffProgram]:
    """Registered one-off programs, by code."""
    return [_PROGRAMS[code] for code in sorted(_PROGRAMS)]


def is_one_off_program(code: str) -> bool:
    return code in _PROGRAMS


def one_off_program_label(code: str) -> str | None:
    program = _PROGRAMS.get(code)
    return program.label if program else None


def require_one_off_program(code: str) -> str:
    if code not in _PROGRAMS:
        raise ValidationError(f"“{code[:64]}”不是已登记的一次性补贴项目")
    return code


def _actor_name(actor: User | str) -> str:
    return getattr(actor, "username", str(actor))


@transaction.atomic
def one_off_request(*, actor: User | str, program: str, payee: Person, amount_fen: int, reference: str,
                    reason: str, beneficiary: Person | None = None) -> OneOffPayment:
    """Queue a one-off payment of ``amount_fen`` to ``payee`` (待发放).

    Idempotent per (program, reference): a second call returns the existing
    request; the same reference with another amount, payee or beneficiary is
    refused. The actor is the requesting app's staff member, or the name of a
    job (``allow_job``: the domain service that calls has checked its own
    permission). The payee's account is checked when a batch is built."""
    require(actor, "payments.one_off_request", allow_job=True)
    require_one_off_program(program)
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise ValidationError("请填写业务编号（不超过100个字符）")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError("一次性补贴金额必须是大于0的整数（分）")
    if not reason.strip():
        raise ValidationError("请填写发放事由")
    existing = OneOffPayment.objects.select_for_update().filter(program=program, reference=reference).first()
    if existing is not None:
        return _same_request(existing, payee=payee, amount_fen=amount_fen, beneficiary=beneficiary)
    if not payee.alive:
        raise ValidationError(f"收款人{payee.name}已登记死亡，不能作为一次性补贴的收款人")
    try:
        with transaction.atomic():
            payment = OneOffPayment.objects.create(
                program=program, payee=payee, beneficiary=beneficiary, street_id=payee.street_id,
                committee_id=payee.committee_id, amount_fen=amount_fen, reference=reference,
                reason=reason.strip()[:200], requested_by=_actor_name(actor))
    except IntegrityError:  # a concurrent request with the same reference won
        existing = OneOffPayment.objects.get(program=program, reference=reference)
        return _same_request(existing, payee=payee, amount_fen=amount_fen, beneficiary=beneficiary)
    audit_record(actor=actor, action="payments.one_off.request", object_type="OneOffPayment", object_id=payment.pk,
                 scope_code=payment.committee_id,
                 changes={"program": program, "reference": reference, "payee": payee.pk,
                          "beneficiary": beneficiary.pk if beneficiary else None, "amount_fen": amount_fen,
                          "reason": payment.reason})
    return payment


def _same_request(existing: OneOffPayment, *, payee: Person | None, amount_fen: int,
                  beneficiary: Person | None) -> OneOffPayment:
    if existing.amount_fen != amount_fen:
        raise ValidationError(f"业务编号“{existing.reference}”已申请发放 {existing.amount_fen / 100:.2f} 元，"
                              "金额不同的重复申请不予受理；如需更改，请先撤销原申请")
    if existing.payee_id != (payee.pk if payee else None) or existing.beneficiary_id != (
            beneficiary.pk if beneficiary else None):
        raise ValidationError(f"业务编号“{existing.reference}”已登记给其他收款人或补贴对象，不予重复受理")
    return existing


@transaction.atomic
def payee_organisation_register(*, actor: User | str, name: str, bank_name: str, number: str, uscc: str = "",
                                reason: str = "", synthetic: bool = False) -> PayeeOrganisation:
    """Register an organisation payee and its bank account (``payments.accounts``;
    a plain-name actor is a job or the demo). The same organisation (USCC, or
    name without one) with the same account returns the active row; another
    account closes it and the new row ``replaces`` it."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import uscc as uscc_check

    from minzheng.core.personal_data import blind_index, encrypt
    from minzheng.payments.accounts import _clean_number, mask_account

    require(actor, "payments.accounts", allow_job=True)
    name, bank_name, uscc = name.strip(), bank_name.strip(), uscc.strip().upper()
    if not name or not bank_name:
        raise ValidationError("请填写收款单位名称和开户银行")
    if uscc:
        try:
            uscc = uscc_check.validate(uscc)
        except stdnum_errors.ValidationError as err:
            raise ValidationError("统一社会信用代码无效，请核对") from err
    cleaned = _clean_number(number)
    same = Q(uscc=uscc) if uscc else Q(uscc="", name=name)
    previous = PayeeOrganisation.objects.select_for_update().filter(same, status=AccountStatus.ACTIVE).first()
    if previous is not None:
        if previous.number_index == blind_index(cleaned) and previous.name == name:
            return previous
        previous.status = AccountStatus.CLOSED
        previous.save(update_fields=["status"])
    organisation = PayeeOrganisation.objects.create(
        name=name[:100], uscc=uscc, uscc_masked=f"{uscc[:6]}{'*' * 8}{uscc[-4:]}" if uscc else "",
        bank_name=bank_name[:64], number_enc=encrypt(cleaned), number_index=blind_index(cleaned),
        number_masked=mask_account(cleaned), synthetic=synthetic, replaces=previous, reason=reason.strip()[:200],
        recorded_by=_actor_name(actor))
    audit_record(actor=actor, action="payments.organisation_register", object_type="PayeeOrganisation",
                 object_id=organisation.pk,
                 changes={"name": organisation.name, "uscc": organisation.uscc_masked, "bank_name": bank_name,
                          "replaces": previous.pk if previous else None})
    return organisation


@transaction.atomic
def one_off_request_organisation(*, actor: User | str, program: str, organisation: PayeeOrganisation,
                                 street_id: str, committee_id: str, amount_fen: int, reference: str,
                                 reason: str) -> OneOffPayment:
    """Queue a one-off payment of ``amount_fen`` to ``organisation`` (待发放),
    booked to ``street_id`` / ``committee_id`` (where the paid service is, for
    scoped lists). Idempotent per (program, reference) like ``one_off_request``."""
    require(actor, "payments.one_off_request", allow_job=True)
    require_one_off_program(program)
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise ValidationError("请填写业务编号（不超过100个字符）")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError("一次性补贴金额必须是大于0的整数（分）")
    if not reason.strip():
        raise ValidationError("请填写发放事由")
    existing = OneOffPayment.objects.select_for_update().filter(program=program, reference=reference).first()
    if existing is not None:
        if existing.amount_fen != amount_fen or existing.payee_organisation_id != organisation.pk:
            raise ValidationError(f"业务编号“{existing.reference}”已申请发放，金额或收款单位不同的重复申请不予受理；"
                                  "如需更改，请先撤销原申请")
        return existing
    payment = OneOffPayment.objects.create(
        program=program, payee_organisation=organisation, street_id=street_id, committee_id=committee_id,
        amount_fen=amount_fen, reference=reference, reason=reason.strip()[:200], requested_by=_actor_name(actor))
    audit_record(actor=actor, action="payments.one_off.request", object_type="OneOffPayment", object_id=payment.pk,
                 scope_code=committee_id,
                 changes={"program": program, "reference": reference, "organisation": organisation.pk,
                          "amount_fen": amount_fen, "reason": payment.reason})
    return payment


@transaction.atomic
def one_off_cancel(*, actor: User | str, program: str, reference: str, reason: str) -> OneOffPayment:
    """Cancel a queued request (已撤销). Once in a batch it can no longer be
    cancelled here: remove its line from the draft batch first (the request
    returns to 待发放); after approval it is paid or returned by the bank."""
    require(actor, "payments.one_off_request", allow_job=True)
    payment = OneOffPayment.objects.select_for_update().filter(program=program, reference=reference.strip()).first()
    if payment is None:
        raise ValidationError("未找到该一次性补贴申请")
    if payment.status == OneOffStatus.CANCELLED:
        return payment
    if payment.status != OneOffStatus.QUEUED:
        raise StateConflict(f"该笔一次性补贴{payment.get_status_display()}，不能撤销"
                            + ("；请先从草稿批次中删除该笔明细" if payment.status == OneOffStatus.BATCHED else ""))
    if not reason.strip():
        raise ValidationError("请填写撤销原因")
    payment.status, payment.cancelled_by, payment.cancelled_at = (OneOffStatus.CANCELLED, _actor_name(actor),
                                                                  timezone.now())
    payment.cancel_reason = reason.strip()[:200]
    payment.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    audit_record(actor=actor, action="payments.one_off.cancel", object_type="OneOffPayment", object_id=payment.pk,
                 scope_code=payment.committee_id,
                 changes={"program": program, "reference": payment.reference, "reason": payment.cancel_reason})
    return payment


def one_off_status(program: str, reference: str) -> OneOffPayment | None:
    """The request of ``program`` with ``reference`` (its ``status`` and
    ``get_status_display()``), or ``None``. Unscoped: for the requesting app,
    which scopes its own records."""
    return (OneOffPayment.objects.select_related("line__batch", "payee")
            .filter(program=program, reference=reference.strip()).first())


def one_off_split(program: str, month: str) -> Split:
    """The configured split, or the split recorded as unknown (see module doc)."""
    split = split_for(program, month)
    if split.effective_month:
        return split
    return Split(program, 0, "", UNKNOWN_SPLIT_BASIS, False)


def one_off_batch_create(*, actor: User, program: str, month: str) -> PaymentBatch | None:
    """A new one-off batch (一次性补贴) of ``program`` for ``month`` with every
    queued request whose payee is alive and has an active account; ``None``
    when no request can be taken. Requests left out keep 待发放 with the reason
    (also counted in the batch's ``skipped``). Prepared by a staff member in
    person (the preparer may neither review nor approve it)."""
    from minzheng.payments.batches import (
        LINE_COLUMNS,
        batch_month,
        new_batch,
        require_person,
        write_lines,
    )

    actor = require_person(actor, "生成一次性补贴批次", "payments.prepare")
    require_one_off_program(program)
    month = batch_month(program, month)
    with transaction.atomic():
        queued = list(OneOffPayment.objects.select_for_update(of=("self",))
                      .filter(program=program, status=OneOffStatus.QUEUED)
                      .select_related("payee", "payee_organisation").order_by("street_id", "committee_id", "id"))
        accounts = {a.person_id: a for a in PayeeAccount.objects.filter(
            person_id__in={q.payee_id for q in queued if q.payee_id}, status=AccountStatus.ACTIVE)}
        skipped: Counter = Counter()
        ready: list[OneOffPayment] = []
        for q in queued:
            if q.payee_organisation_id:
                reason = ORGANISATION_CLOSED if q.payee_organisation.status != AccountStatus.ACTIVE else ""
            else:
                reason = PAYEE_DEAD if not q.payee.alive else (NO_ACCOUNT if q.payee_id not in accounts else "")
            if reason:
                skipped[reason] += 1
                if q.skipped_reason != reason:
                    q.skipped_reason = reason
                    q.save(update_fields=["skipped_reason"])
            else:
                ready.append(q)
        if not ready:
            audit_record(actor=actor, action="payments.one_off.batch", object_type="OneOffPayment",
                         changes={"program": program, "month": month, "lines": 0, "skipped": dict(skipped)})
            return None
        split = one_off_split(program, month)
        batch = new_batch(program=program, month=month, kind=BatchKind.ONE_OFF, actor=actor, split=split)
        rows, organisation_rows = [], []
        for q in ready:
            city = split.city_fen(q.amount_fen)
            note = f"{q.reason}（{q.reference}）"[:200]
            if q.payee_organisation_id:  # an organisation: its own account, no person (ADR 0032)
                o = q.payee_organisation
                organisation_rows.append((LineKind.ONE_OFF, program, month, f"o{o.pk}", None, None, q.street_id,
                                          q.committee_id, None, o.name[:64], o.bank_name, o.number_masked,
                                          q.amount_fen, city, q.amount_fen - city, "one_off", None, None, note, o.pk))
                continue
            a = accounts[q.payee_id]
            beneficiary = f"p{q.beneficiary_id or q.payee_id}"
            rows.append((LineKind.ONE_OFF, program, month, beneficiary, None, q.payee_id, q.street_id,
                         q.committee_id, a.pk, a.holder_name, a.bank_name, a.number_masked, q.amount_fen, city,
                         q.amount_fen - city, "one_off", None, None, note))
        write_lines(batch, rows, actor=actor)
        write_lines(batch, organisation_rows, actor=actor, columns=(*LINE_COLUMNS, "organisation_id"))
        ready = ([q for q in ready if not q.payee_organisation_id]
                 + [q for q in ready if q.payee_organisation_id])  # the order the lines were written in
        lines = dict(batch.lines.order_by("seq").values_list("seq", "pk"))
        for i, q in enumerate(ready, start=1):
            q.line_id, q.status, q.skipped_reason = lines[i], OneOffStatus.BATCHED, ""
        OneOffPayment.objects.bulk_update(ready, ["line", "status", "skipped_reason"])
        batch.skipped = dict(skipped)
        batch.save(update_fields=["skipped"])
        audit_record(actor=actor, action="payments.one_off.batch", object_type="PaymentBatch", object_id=batch.number,
                     changes={"program": program, "month": month, "lines": len(rows),
                              "total_fen": batch.control_total_fen, "skipped": dict(skipped),
                              "fund_split_verified": split.verified})
    return batch


def release_lines(line_ids: Iterable[int]) -> int:
    """Put the requests paid by ``line_ids`` (removed from a draft batch or
    discarded with it) back to 待发放. Caller holds the transaction."""
    return (OneOffPayment.objects.filter(line_id__in=list(line_ids))
            .update(status=OneOffStatus.QUEUED, line=None))


HELD_AT_EXPORT = "收款人已死亡，原发放明细已暂停、未列入代发文件"


def requeue_held(batch: PaymentBatch) -> int:
    """At the bank file: requests whose line stayed on hold (the payee died)
    were not paid — back to 待发放 with the reason, so the requesting app can
    cancel and request again for another payee. Caller holds the transaction."""
    return (OneOffPayment.objects.filter(line__batch=batch, line__hold__isnull=False,
                                         line__hold__released_at__isnull=True)
            .update(status=OneOffStatus.QUEUED, line=None, skipped_reason=HELD_AT_EXPORT))


def returns_recorded(outcomes: dict[int, str]) -> None:
    """The bank answered lines (line id → outcome): their requests become
    已发放 or 退回; a paid re-issue line settles the request of the line it
    re-issues. Caller holds the transaction (``returns.returns_import``)."""
    if not outcomes:
        return
    corrected = dict(PaymentLine.objects.filter(pk__in=list(outcomes), kind=LineKind.REISSUE)
                     .values_list("pk", "corrects_id"))
    by_line: dict[int, str] = {}
    for line_id, outcome in outcomes.items():
        by_line[corrected.get(line_id, line_id)] = outcome
    paid = [pk for pk, o in by_line.items() if o == ReturnOutcome.PAID]
    failed = [pk for pk, o in by_line.items() if o == ReturnOutcome.FAILED]
    OneOffPayment.objects.filter(line_id__in=paid).update(status=OneOffStatus.PAID)
    OneOffPayment.objects.filter(line_id__in=failed).update(status=OneOffStatus.RETURNED)
