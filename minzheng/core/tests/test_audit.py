"""The audit trail notices every kind of tampering (docs/adr/0013-audit-anchoring.md):
a changed, missing or forged entry; the tail cut off (one entry, twenty,
everything after the middle, everything); a forged append; and the chain
rebuilt from the middle on — with or without the key — because the head is
anchored after each commit outside the database."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.core.audit import GENESIS_HASH, _canonical, audit_record, audit_verify, compute_hash
from minzheng.core.audit_checkpoints import checkpoint_write, checkpoints_read
from minzheng.core.models import AuditEntry


@pytest.fixture
def chain():
    """Entries written as if in committed transactions of ``per_commit`` entries,
    each anchored as its commit would anchor it."""

    def _write(n: int = 40, per_commit: int = 10) -> None:
        for start in range(0, n, per_commit):
            for i in range(start, start + per_commit):
                audit_record(actor="clerk", action="person.update", object_id=i, changes={"name": ["甲", str(i)]})
            checkpoint_write()

    return _write


def _reseal_from(first_id: int, *, keyed: bool) -> None:
    """What an attacker with database write access does: rewrite entries from
    ``first_id`` on and recompute every hash after it (with the key if stolen)."""
    prev = AuditEntry.objects.get(id=first_id - 1).entry_hash if first_id > 1 else GENESIS_HASH
    for entry in AuditEntry.objects.filter(id__gte=first_id).order_by("id"):
        if entry.id == first_id:
            entry.changes = {"name": ["甲", "改写"]}
        entry.prev_hash = prev
        entry.entry_hash = compute_hash(entry) if keyed else hashlib.sha256(_canonical(entry)).hexdigest()
        entry.save()
        prev = entry.entry_hash


@pytest.mark.django_db
def test_chain_links_each_entry_and_each_commit_is_anchored(chain, audit_checkpoints):
    chain(40)
    first, second = AuditEntry.objects.order_by("id")[:2]
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.entry_hash
    anchors, bad = checkpoints_read()
    assert [a.last_id for a in anchors] == [10, 20, 30, 40] and bad == []
    report = audit_verify()
    assert report.ok and report.checked == 40 and report.checkpoints == 4


@pytest.mark.django_db(transaction=True)
def test_each_commit_anchors_once_and_a_rollback_not_at_all():
    from django.db import transaction

    with transaction.atomic():
        for i in range(3):
            with transaction.atomic():  # services nest their own transactions
                audit_record(actor="a", action="x", object_id=i)
    assert [a.last_id for a in checkpoints_read()[0]] == [3]
    try:
        with transaction.atomic():
            audit_record(actor="a", action="x")
            raise RuntimeError
    except RuntimeError:
        pass
    audit_record(actor="a", action="y")  # its own transaction
    assert [a.last_id for a in checkpoints_read()[0]] == [3, 4]
    assert audit_verify().ok


@pytest.mark.django_db
def test_tampered_row_is_reported_at_its_id(chain):
    chain(5, per_commit=5)
    AuditEntry.objects.filter(id=3).update(changes={"name": ["甲", "丙"]})
    report = audit_verify()
    assert (report.ok, report.broken_at, report.checked) == (False, 3, 2)
    with pytest.raises(CommandError, match="第 3 条"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_deleted_row_in_the_middle_breaks_the_chain(chain):
    chain(4, per_commit=4)
    AuditEntry.objects.filter(id=2).delete()
    report = audit_verify()
    assert report.broken_at == 3 and "缺失" in report.reason


@pytest.mark.django_db
@pytest.mark.parametrize("keep", [39, 20, 19, 0], ids=["last entry", "last 20", "after the middle", "all"])
def test_a_cut_off_tail_is_noticed(chain, keep):
    chain(40)
    AuditEntry.objects.filter(id__gt=keep).delete()
    report = audit_verify()
    assert not report.ok and "末尾记录被删除" in report.reason and "第 40 条" in report.reason
    assert report.checked == keep
    with pytest.raises(CommandError, match="末尾记录被删除"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_forged_append_without_the_key_is_noticed(chain):
    chain(10, per_commit=10)
    last = AuditEntry.objects.get(id=10)
    forged = AuditEntry(id=11, created_at=last.created_at, actor="bureau", action="payments.batch.approve",
                        object_type="PaymentBatch", object_id="7", scope_code="", changes={}, prev_hash=last.entry_hash)
    forged.entry_hash = hashlib.sha256(_canonical(forged)).hexdigest()  # the old, unkeyed recipe
    forged.save(force_insert=True)
    report = audit_verify()
    assert report.broken_at == 11 and "篡改或伪造" in report.reason


@pytest.mark.django_db
def test_rechaining_from_the_middle_without_the_key_is_noticed(chain):
    chain(40)
    _reseal_from(20, keyed=False)
    assert audit_verify().broken_at == 20


@pytest.mark.django_db
def test_rechaining_with_a_stolen_key_is_noticed_by_the_checkpoints(chain):
    chain(40)
    _reseal_from(20, keyed=True)
    report = audit_verify()
    assert not report.ok and report.broken_at == 20 and "重新链接" in report.reason


@pytest.mark.django_db
def test_entries_without_any_checkpoint_are_not_vouched_for(audit_checkpoints):
    audit_record(actor="a", action="x")  # the test transaction never commits: no anchor
    report = audit_verify()
    assert not report.ok and "没有检查点" in report.reason


@pytest.mark.django_db
def test_a_forged_checkpoint_line_is_noticed(chain, audit_checkpoints):
    chain(10, per_commit=10)
    with audit_checkpoints.open("a") as handle:
        handle.write(json.dumps({"last_id": 5, "head": "0" * 64, "at": "2026-11-30T00:00:00+00:00", "sig": "f" * 64}) + "\n")
    report = audit_verify()
    assert not report.ok and "签名无效" in report.reason


@pytest.mark.django_db
def test_an_empty_trail_with_no_checkpoints_is_fine():
    report = audit_verify()
    assert report.ok and report.checked == 0
