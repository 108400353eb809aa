"""Migration 0003 rewrites department data's masked ID copies (records,
events, replies, quarantined rows) to the new rule (first 6 and last 1 kept,
ADR 0002), without decrypting anything, on both databases."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

BEFORE = [("feeds", "0002_department_replies_and_complete_extracts")]
AFTER = [("feeds", "0003_id_number_masked_first_six_last_one")]
OLD, NEW = "310117********1234", "310117***********4"


def test_department_copies_are_rewritten(migration_executor):
    executor = migration_executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    File = old.get_model("feeds", "FeedFile")
    feed_file = File.objects.create(source="bank_deposits", filename="存款.csv", file_sha256="0" * 64,
                                    received_at=timezone.now(), imported_by="测试")
    record = old.get_model("feeds", "FeedRecord").objects.create(
        source="bank_deposits", file=feed_file, row_number=2, person_index="p", id_number_masked=OLD, key_hash="k")
    old.get_model("feeds", "FeedEvent").objects.create(
        kind="death", dedupe_key="d", person_index="p", id_number_masked="310117*****7123", event_date=dt.date(2025, 1, 1),
        source="bank_deposits", record=record)
    Reply = old.get_model("feeds", "FeedReply")
    Reply.objects.create(source="bank_deposits", kind="no_record", person_index="p", id_number_masked=OLD,
                         period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31), recorded_by="测试")
    Reply.objects.create(source="bank_deposits", kind="complete_extract", period_start=dt.date(2025, 1, 1),
                         period_end=dt.date(2025, 1, 31), recorded_by="测试")  # no person: blank stays blank
    old.get_model("feeds", "QuarantinedRow").objects.create(
        file=feed_file, row_number=3, column="金额", reason="金额不是数字",
        raw={"身份证号码": OLD, "姓名": "张三", "金额": "12**345678"})

    executor = migration_executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    assert list(new.get_model("feeds", "FeedRecord").objects.values_list("id_number_masked", flat=True)) == [NEW]
    assert list(new.get_model("feeds", "FeedEvent").objects.values_list("id_number_masked", flat=True)) == [
        "310117********3"]
    assert sorted(new.get_model("feeds", "FeedReply").objects.values_list("id_number_masked", flat=True)) == ["", NEW]
    # only the source's ID column is an ID number; other cells stay as received
    assert new.get_model("feeds", "QuarantinedRow").objects.get().raw == {
        "身份证号码": NEW, "姓名": "张三", "金额": "12**345678"}
