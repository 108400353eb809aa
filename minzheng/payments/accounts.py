"""Payee bank accounts (代发账户): registration, correction, and the
deterministic synthetic accounts of the demo district.

The number is encrypted (``core.personal_data.encrypt``), indexed with the
keyed blind index (to match the bank's return file) and masked for screens.
A correction closes the old account and adds a new row that ``replaces`` it.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bulk_copy import copy_rows
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt
from minzheng.core.scope import require_scope_covers
from minzheng.payments.models import AccountStatus, PayeeAccount
from minzheng.registry.models import Person

# Banks of the synthetic accounts (demo only) and their card prefixes.
SYNTHETIC_BANKS = (("上海农商银行", "622478"), ("中国工商银行", "622202"), ("中国建设银行", "621700"),
                   ("中国农业银行", "622848"), ("交通银行", "622260"))


def mask_account(number: str) -> str:
    """``6222021234567890123`` → ``6222 **** **** 0123``."""
    return f"{number[:4]} **** **** {number[-4:]}" if len(number) > 8 else "*" * len(number)


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def _clean_number(number: str) -> str:
    cleaned = number.replace(" ", "").strip()
    if not cleaned.isdigit() or not 12 <= len(cleaned) <= 30:
        raise ValidationError("银行账号应为12至30位数字")
    return cleaned


@transaction.atomic
def account_register(*, actor: User, person: Person, bank_name: str, holder_name: str, number: str,
                     reason: str = "") -> PayeeAccount:
    """Register a person's payment account; an existing active account is
    closed and the new one ``replaces`` it (a correction after a failed
    payment is exactly this)."""
    require(actor, "payments.accounts")
    require_scope_covers(actor, street_code=person.street_id, committee_code=person.committee_id)
    cleaned = _clean_number(number)
    if not bank_name.strip() or not holder_name.strip():
        raise ValidationError("请填写开户银行和户名")
    previous = PayeeAccount.objects.select_for_update().filter(person=person, status=AccountStatus.ACTIVE).first()
    if previous is not None:
        if previous.number_index == blind_index(cleaned) and previous.holder_name == holder_name.strip():
            raise ValidationError("新账户与现有账户相同，无需更正")
        previous.status = AccountStatus.CLOSED
        previous.save(update_fields=["status"])
    account = PayeeAccount.objects.create(
        person=person, bank_name=bank_name.strip(), holder_name=holder_name.strip(), number_enc=encrypt(cleaned),
        number_index=blind_index(cleaned), number_masked=mask_account(cleaned), replaces=previous,
        reason=reason.strip() or ("账户更正" if previous else "登记"), recorded_by=actor.username)
    audit_record(actor=actor, action="payments.account.register", object_type="PayeeAccount", object_id=account.pk,
                 scope_code=person.committee_id,
                 changes={"person": person.pk, "bank": account.bank_name, "account": account.number_masked,
                          "replaces": previous.pk if previous else None, "reason": account.reason})
    return account


def synthetic_number(person_id: int, seed: str) -> tuple[str, str]:
    """Deterministic (bank name, 19-digit card number with Luhn digit) for a person."""
    digest = hashlib.sha256(f"{seed}:{person_id}".encode()).hexdigest()
    bank, prefix = SYNTHETIC_BANKS[int(digest[:4], 16) % len(SYNTHETIC_BANKS)]
    body = prefix + str(int(digest[4:24], 16))[-12:].rjust(12, "0")
    return bank, body + luhn_digit(body)


def accounts_synthesise(*, actor: User | str, seed: str = "minzheng-demo", person_ids: list[int] | None = None) -> int:
    """Give every living person without an active account (or those in
    ``person_ids``) a deterministic synthetic account (demo district only;
    ``synthetic=True``). Bulk write, one audit entry with the count."""
    require(actor, "payments.demo_accounts", allow_job=True)
    persons = Person.objects.filter(alive=True).exclude(
        pk__in=PayeeAccount.objects.filter(status=AccountStatus.ACTIVE).values("person_id"))
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    now = timezone.now()
    actor_name = getattr(actor, "username", str(actor))

    def rows():
        for pk, name in persons.values_list("pk", "name").iterator(chunk_size=20000):
            bank, number = synthetic_number(pk, seed)
            yield (pk, bank, name, encrypt(number), blind_index(number), mask_account(number),
                   AccountStatus.ACTIVE.value, True, "演示用合成账户", actor_name, now)

    with transaction.atomic():
        written = copy_rows(PayeeAccount._meta.db_table,
                            ("person_id", "bank_name", "holder_name", "number_enc", "number_index", "number_masked",
                             "status", "synthetic", "reason", "recorded_by", "recorded_at"), list(rows()))
        audit_record(actor=actor, action="payments.account.synthesise", object_type="PayeeAccount",
                     changes={"created": written, "seed": seed})
    return written
