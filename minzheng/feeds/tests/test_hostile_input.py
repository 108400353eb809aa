"""Hostile department files: a header-only file is an error (not "imported
0 rows"), and hostile amounts are rejected rows with their row number; a
file on the page is size-checked before it is read. Nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minzheng.core.file_import import ImportFileError
from minzheng.core.models import AuditEntry
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import FeedFile, FeedRecord, QuarantinedRow
from minzheng.feeds.tests.files import csv_file, xlsx_file

TODAY = dt.date(2024, 6, 30)


def _import(users, filename: str, content: bytes):
    return feed_file_import(actor=users["bureau"], source_code="hrss_wages", filename=filename, content=content,
                            today=TODAY)


@pytest.mark.parametrize("filename, content", [
    ("工资.csv", csv_file("hrss_wages", [])), ("工资.xlsx", xlsx_file("hrss_wages", [])),
    ("工资.csv", csv_file("hrss_wages", []) + b"\r\n\r\n"),
])
@pytest.mark.django_db
def test_a_department_file_with_only_the_header_is_an_error(users, filename, content):
    with pytest.raises(ImportFileError, match="文件只有表头，没有数据行"):
        _import(users, filename, content)
    assert not FeedFile.objects.exists() and not AuditEntry.objects.filter(action="feeds.import").exists()


@pytest.mark.django_db
def test_the_upload_page_says_so_too(users):
    client = Client()
    client.force_login(users["bureau"])
    response = client.post("/feeds/upload/", {"source": "hrss_wages",
                                              "file": SimpleUploadedFile("工资.csv", csv_file("hrss_wages", []))},
                           follow=True)
    from minzheng.jobs.services import jobs_run_queued

    jobs_run_queued()  # the import runs as a background job (ADR 0017); its page shows the error
    assert "文件只有表头，没有数据行" in client.get(response.redirect_chain[-1][0]).content.decode()
    assert not FeedFile.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1e30", "999999999999999999",
                                    "9" * 5000, "-5"])
@pytest.mark.django_db
def test_a_hostile_amount_is_a_rejected_row_with_its_number(users, resident, amount):
    _, id_number = resident
    rows = [{"id_number": id_number, "name": "王建华", "month": "2024-01", "employer": "上海松江制衣厂", "amount": "4200"},
            {"id_number": id_number, "name": "王建华", "month": "2024-02", "employer": "上海松江制衣厂", "amount": amount}]
    result = _import(users, "工资.csv", csv_file("hrss_wages", rows))
    assert (result.file.good_rows, result.file.bad_rows) == (1, 1)
    bad = QuarantinedRow.objects.get()
    assert bad.row_number == 3 and "金额" in bad.reason or "金额" in bad.column_label
    assert FeedRecord.objects.count() == 1


@pytest.mark.parametrize("start", [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1999, 12, 31)])
@pytest.mark.django_db
def test_a_no_record_reply_from_before_2000_is_refused(users, resident, start):
    from django.core.exceptions import ValidationError

    from minzheng.feeds.models import FeedReply
    from minzheng.feeds.services import feed_no_record_reply_record

    person, _ = resident
    with pytest.raises(ValidationError, match="回复期间起"):
        feed_no_record_reply_record(actor=users["bureau"], source="hrss_wages", person=person, period_start=start,
                                    period_end=dt.date(2024, 1, 31), reference="松人社函〔2024〕1号")
    assert not FeedReply.objects.exists()
