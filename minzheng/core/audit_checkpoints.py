"""Anchors of the audit chain outside the database (docs/adr/0013-audit-anchoring.md).

After every commit that appended audit entries, one line is appended to
``MINZHENG_AUDIT_CHECKPOINTS`` (JSON lines, opened ``O_APPEND``; in production
a write-once directory or an object store with object lock). A line records
the chain's head — the last entry's id and hash — and when, signed with an
HMAC under ``MINZHENG_AUDIT_KEY``: a line cannot be forged without the key,
and a chain cut short or rebuilt no longer matches the lines written before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from minzheng.core.models import AuditEntry


@dataclass(frozen=True)
class Checkpoint:
    line: int
    last_id: int
    head: str
    at: str


def _signature(last_id: int, head: str, at: str) -> str:
    message = f"{last_id}|{head}|{at}".encode()
    return hmac.new(settings.MINZHENG_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def _path(path: Path | None) -> Path:
    return Path(path or settings.MINZHENG_AUDIT_CHECKPOINTS)


def checkpoint_write(path: Path | None = None) -> Checkpoint | None:
    """Anchor the current head of the chain. One ``write`` of one short line
    on a file opened for appending: concurrent writers never interleave."""
    last = AuditEntry.objects.order_by("-id").only("id", "entry_hash").first()
    if last is None:
        return None
    target = _path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    at = timezone.now().isoformat()
    record = {"last_id": last.id, "head": last.entry_hash, "at": at,
              "sig": _signature(last.id, last.entry_hash, at)}
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(record, separators=(",", ":")) + "\n").encode())
    finally:
        os.close(fd)
    return Checkpoint(0, last.id, last.entry_hash, at)


def checkpoints_read(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """All checkpoints, and a Chinese description of every line that is not a
    validly signed checkpoint (a forged or altered anchor)."""
    target = _path(path)
    if not target.exists():
        return [], []
    good: list[Checkpoint] = []
    bad: list[str] = []
    with target.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
                last_id, head, at, sig = int(item["last_id"]), str(item["head"]), str(item["at"]), str(item["sig"])
            except (ValueError, KeyError, TypeError):
                bad.append(f"检查点文件第 {number} 行无法读取")
                continue
            if not hmac.compare_digest(sig, _signature(last_id, head, at)):
                bad.append(f"检查点文件第 {number} 行签名无效（检查点被伪造或改动）")
                continue
            good.append(Checkpoint(number, last_id, head, at))
    return good, bad
