"""Re-seal the audit chain with the keyed hash (HMAC-SHA256 under
MINZHENG_AUDIT_KEY) instead of plain SHA-256 (docs/adr/0013-audit-anchoring.md).

The unkeyed chain is verified first: a chain that is already broken is not
re-sealed (that would launder the tampering); the migration stops and says so.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, transaction

GENESIS = "0" * 64


def _canonical(e) -> bytes:
    payload = {"id": e.id, "created_at": e.created_at.isoformat(), "actor": e.actor, "action": e.action,
               "object_type": e.object_type, "object_id": e.object_id, "scope_code": e.scope_code,
               "changes": e.changes, "prev_hash": e.prev_hash}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def reseal(apps, schema_editor):
    Entry = apps.get_model("core", "AuditEntry")
    key = settings.MINZHENG_AUDIT_KEY.encode()
    old_prev, new_prev, last_id, batch_size = GENESIS, GENESIS, 0, 5000
    while True:
        batch = list(Entry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            if last_id:
                # Anchor the re-sealed head once the migration commits (ADR 0013).
                from minzheng.core.audit_checkpoints import checkpoint_write

                transaction.on_commit(checkpoint_write)
            return
        for e in batch:
            if e.prev_hash != old_prev or hashlib.sha256(_canonical(e)).hexdigest() != e.entry_hash:
                raise RuntimeError(f"审计链在第 {e.id} 条记录处已断开，不能重新加密封存；请先调查")
            old_prev = e.entry_hash
            e.prev_hash = new_prev
            e.entry_hash = hmac.new(key, _canonical(e), hashlib.sha256).hexdigest()
            new_prev = e.entry_hash
        Entry.objects.bulk_update(batch, ["prev_hash", "entry_hash"])
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [("core", "0004_staff_post_for_signatures")]
    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
