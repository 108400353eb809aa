"""The tamper-evident audit trail (docs/adr/0013-audit-anchoring.md).

Every service call that writes appends one :class:`AuditEntry` inside its own
transaction. Entries form a hash chain: each stores the hash of its
predecessor, and its own hash covers that and all its fields. The hash is an
HMAC-SHA256 under ``MINZHENG_AUDIT_KEY``, a key that is not in the database:
someone who can write to the database cannot recompute a valid chain.

A chain alone cannot show that its *tail* was cut off, or that everything
after some point was rebuilt. So after every commit that appended entries,
the head (last id and its hash) is anchored as a signed line in an
append-only store outside the database (``audit_checkpoints``).
``audit_verify`` recomputes the chain and then checks every checkpoint
against it: truncation, forged appends and re-chaining are all reported.

Values written into ``changes`` must already be masked (see
``personal_data.mask_id_number``); the audit trail never holds a full ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
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
    return hmac.new(settings.MINZHENG_AUDIT_KEY.encode(), _canonical(entry), hashlib.sha256).hexdigest()


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
        _anchor_after_commit()
    return entry


def _anchor() -> None:
    from minzheng.core.audit_checkpoints import checkpoint_write

    checkpoint_write()


def _anchor_after_commit() -> None:
    """Write one checkpoint when the outermost transaction commits (once per
    transaction, however many entries it appended); nothing if it rolls back
    (Django drops the callbacks of a rolled-back transaction or savepoint)."""
    if any(item[1] is _anchor for item in connection.run_on_commit):
        return
    transaction.on_commit(_anchor)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _when(iso: str) -> str:
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(iso)
    if moment is None:
        return iso
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"


def audit_verify(*, batch_size: int = 5000, checkpoints_path: Any = None) -> ChainReport:
    """Walk the whole chain in id order and stop at the first broken link;
    then hold the chain against every checkpoint written outside the database.

    Reported: an entry changed (its HMAC no longer matches), an entry missing,
    a forged entry (no valid HMAC without the key), the tail cut off (a
    checkpoint names an entry the chain no longer has), the chain rebuilt
    from some entry on (a checkpoint's head differs from the entry now
    there), a forged or altered checkpoint line, and entries with no
    checkpoint at all (nothing vouches for the tail)."""
    from minzheng.core.audit_checkpoints import checkpoints_read

    anchors, bad_lines = checkpoints_read(checkpoints_path)
    if bad_lines:
        return ChainReport(0, 0, bad_lines[0], len(anchors))
    heads: dict[int, list[Any]] = {}
    for anchor in anchors:
        heads.setdefault(anchor.last_id, []).append(anchor)
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
                return ChainReport(checked, entry.id, f"第 {previous_id + 1} 条记录缺失（序号不连续）", len(anchors))
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "前序哈希不匹配（记录被删除或改动）", len(anchors))
            if not hmac.compare_digest(compute_hash(entry), entry.entry_hash):
                return ChainReport(checked, entry.id, "记录内容与校验码不符（记录被篡改或伪造）", len(anchors))
            for anchor in heads.get(entry.id, ()):
                if anchor.head != entry.entry_hash:
                    return ChainReport(
                        checked, entry.id,
                        f"与 {_when(anchor.at)} 的检查点不符：第 {entry.id} 条及其后的记录被改写并重新链接",
                        len(anchors),
                    )
            expected_prev = entry.entry_hash
            previous_id = entry.id
            checked += 1
        last_id = batch[-1].id
    if anchors:
        furthest = max(anchors, key=lambda a: a.last_id)
        if furthest.last_id > previous_id:
            return ChainReport(
                checked, previous_id + 1,
                f"末尾记录被删除：{_when(furthest.at)} 的检查点记录到第 {furthest.last_id} 条，现在只有 {previous_id} 条",
                len(anchors),
            )
    elif checked:
        return ChainReport(checked, checked, "没有检查点：无法证明末尾记录未被删除（检查点文件丢失或未配置）", 0)
    return ChainReport(checked, None, "审计链完整", len(anchors))
