"""The tamper-evident audit trail.

Every service call that writes appends one :class:`AuditEntry` inside its own
transaction. Entries form a hash chain: each stores the hash of its
predecessor, and its own hash covers that and all its fields. ``audit_verify``
recomputes the chain and reports the first broken link.

Values written into ``changes`` must already be masked (see
``personal_data.mask_id_number``); the audit trail never holds a full ID number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from minzheng.core.models import AuditEntry

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 7_117_001  # advisory lock id serialising chain appends on PostgreSQL


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "id": entry.id,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "scope_code": entry.scope_code,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", str(actor))


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    scope_code: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        last = AuditEntry.objects.order_by("-id").only("id", "entry_hash").first()
        entry = AuditEntry(
            id=(last.id + 1) if last else 1,
            created_at=timezone.now(),
            actor=_actor_name(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            scope_code=scope_code,
            changes=json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str)),
            prev_hash=last.entry_hash if last else GENESIS_HASH,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in id order; stop at the first broken link."""
    expected_prev = GENESIS_HASH
    checked = 0
    previous_id = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.id != previous_id + 1:
                return ChainReport(checked, entry.id, f"第 {previous_id + 1} 条记录缺失（序号不连续）")
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "前序哈希不匹配（记录被删除或改动）")
            if compute_hash(entry) != entry.entry_hash:
                return ChainReport(checked, entry.id, "记录内容与哈希不符（记录被篡改）")
            expected_prev = entry.entry_hash
            previous_id = entry.id
            checked += 1
        last_id = batch[-1].id
    return ChainReport(checked, None, "审计链完整")
