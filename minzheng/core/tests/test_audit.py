import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.core.audit import GENESIS_HASH, audit_record, audit_verify
from minzheng.core.models import AuditEntry


@pytest.mark.django_db
def test_chain_links_each_entry_to_its_predecessor():
    first = audit_record(actor="a", action="x.one", changes={"k": 1})
    second = audit_record(actor="a", action="x.two", changes={"k": 2})
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert audit_verify().ok


@pytest.mark.django_db
def test_tampered_row_is_reported_at_its_id():
    # given a chain of five entries
    for i in range(5):
        audit_record(actor="clerk", action="person.update", object_id=i, changes={"name": ["甲", "乙"]})
    # when someone edits the third entry directly in the database
    AuditEntry.objects.filter(id=3).update(changes={"name": ["甲", "丙"]})
    # then verification stops at that entry
    report = audit_verify()
    assert not report.ok
    assert report.broken_at == 3
    assert report.checked == 2
    with pytest.raises(CommandError, match="第 3 条"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_deleted_row_breaks_the_chain():
    for i in range(4):
        audit_record(actor="clerk", action="x", object_id=i)
    AuditEntry.objects.filter(id=2).delete()
    report = audit_verify()
    assert report.broken_at == 3
    assert "缺失" in report.reason


@pytest.mark.django_db
def test_rehashed_forgery_is_still_caught_by_the_next_link():
    from minzheng.core.audit import compute_hash

    for i in range(3):
        audit_record(actor="clerk", action="x", object_id=i)
    forged = AuditEntry.objects.get(id=2)
    forged.actor = "someone-else"
    forged.entry_hash = compute_hash(forged)
    forged.save()
    assert audit_verify().broken_at == 3
