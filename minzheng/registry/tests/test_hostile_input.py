"""Hostile numbers, dates, lengths and files in the registry (declaration
page, person fields, import): a clear Chinese refusal or a rejected row
with its number, never a 500, and nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued
from minzheng.registry import importing
from minzheng.registry.models import Household, Person
from minzheng.registry.services import household_add_member, household_create, person_create

pytestmark = pytest.mark.django_db

HOSTILE_AMOUNTS = ["NaN", "sNaN", "Infinity", "-Infinity", "1e30", "999999999999999999", "9" * 5000]
HOSTILE_COUNTS = ["NaN", "1e30", "999999999999999999", "²", "-5", "10000", "9" * 5000]


@pytest.fixture
def household(users, make_person):
    head = make_person("孙立", dt.date(1975, 1, 1))
    son = make_person("孙小", dt.date(2005, 1, 1))
    h = household_create(actor=users["bureau"], head=head, address="谷阳北路5号", start_date=dt.date(2020, 1, 1))
    household_add_member(actor=users["bureau"], household=h, person=son, relation="子女", start_date=dt.date(2020, 1, 1))
    return h, head, son


def _form(head, son, **changes):
    data = {"valid_from": "2025-10-08", "evidence": "申请书", f"earned_{head.pk}": "3200", f"pension_{head.pk}": "0",
            f"other_{head.pk}": "0", f"earned_{son.pk}": "0", f"pension_{son.pk}": "0", f"other_{son.pk}": "150",
            "monetary_assets": "12000", "securities": "0", "private_cars": "0", "homes": "1", "medical_oop_12m": "0"}
    return data | changes


def _declare(client, users, household, **changes):
    h, head, son = household
    client.force_login(users["committee"])
    return client.post(f"/registry/households/{h.pk}/declare/", _form(head, son, **changes))


@pytest.mark.parametrize("value", HOSTILE_AMOUNTS)
@pytest.mark.parametrize("field", ["earned", "monetary_assets", "securities", "medical_oop_12m"])
def test_a_hostile_amount_in_a_declaration_is_an_inline_error(client, users, household, field, value):
    h, head, _ = household
    name = f"{field}_{head.pk}" if field == "earned" else field
    response = _declare(client, users, household, **{name: value})
    assert response.status_code == 200
    assert "金额" in response.content.decode()
    assert head.income_facts.count() == 1 and h.asset_facts.count() == 1
    assert not AuditEntry.objects.filter(action="person.income_record", object_id=str(head.pk)).exclude(
        changes__valid_from__isnull=True).filter(changes__earned_fen__gt=10**14).exists()


@pytest.mark.parametrize("value", HOSTILE_COUNTS)
@pytest.mark.parametrize("field", ["private_cars", "homes"])
def test_a_hostile_count_in_a_declaration_is_an_inline_error(client, users, household, field, value):
    h, _, _ = household
    response = _declare(client, users, household, **{field: value})
    assert response.status_code == 200 and "应为0至999的整数" in response.content.decode()
    assert h.asset_facts.count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "1999-12-31"])
def test_a_declaration_from_before_2000_is_an_inline_error(client, users, household, day):
    h, _, _ = household
    response = _declare(client, users, household, valid_from=day)
    assert response.status_code == 200 and "起始日期" in response.content.decode()
    assert h.asset_facts.count() == 1


@pytest.mark.parametrize("fen", [10**20, 2**63, 10**15])
def test_a_person_income_too_large_for_a_64_bit_column_is_refused(users, fen):
    with pytest.raises(ValidationError, match="金额过大"):
        person_create(actor=users["bureau"], name="大额", id_number=make_id_number(dt.date(1980, 1, 1)),
                      committee_code="310117001001", monthly_income_fen=fen)
    assert not Person.objects.filter(name="大额").exists()


def test_a_person_name_longer_than_its_column_is_refused(users):
    with pytest.raises(ValidationError) as err:
        person_create(actor=users["bureau"], name="长" * 300, id_number=make_id_number(dt.date(1980, 1, 1)),
                      committee_code="310117001001")
    assert "姓名" in str(err.value)
    assert not Person.objects.exists()


def test_a_household_address_longer_than_its_column_is_refused_naming_the_field(users, make_person):
    head = make_person("地址甲", dt.date(1970, 1, 1))
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="居住地址过长"):
        household_create(actor=users["bureau"], head=head, address="路" * 1000, start_date=dt.date(2020, 1, 1))
    assert not Household.objects.exists() and AuditEntry.objects.count() == audit_before


def _header_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(importing.HEADERS)
    return out.getvalue().encode("utf-8-sig")


def _header_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(importing.HEADERS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("filename, content", [("人口.csv", _header_csv()), ("人口.csv", _header_csv() + b"\r\n,,,\r\n"),
                                               ("人口.xlsx", _header_xlsx())])
def test_an_import_file_with_only_the_header_is_an_error(client, users, filename, content):
    with pytest.raises(importing.ImportFileError, match="文件只有表头，没有数据行"):
        importing.registry_import(actor=users["bureau"], filename=filename, content=content)
    client.force_login(users["bureau"])
    client.post("/registry/import/", {"file": SimpleUploadedFile(filename, content)})
    jobs_run_queued()  # the import runs as a background job (ADR 0017)
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == "failed" and "文件只有表头，没有数据行" in page and "已导入 0" not in page
    assert not Person.objects.exists() and not AuditEntry.objects.filter(action="registry.import").exists()


@pytest.mark.parametrize("value", HOSTILE_AMOUNTS[:-1])
def test_a_hostile_amount_in_an_import_is_a_rejected_row(users, value):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=importing.HEADERS)
    writer.writeheader()
    writer.writerow({h: "" for h in importing.HEADERS} | {
        "户编号": "H1", "与户主关系": "本人", "姓名": "陈国强", "身份证号码": make_id_number(dt.date(1960, 2, 3)),
        "本市户籍": "是", "居住居村委代码": "310117001001", "居住地址": "谷阳北路1号", "月均收入（元）": value})
    report = importing.registry_import(actor=users["bureau"], filename="x.csv", content=out.getvalue().encode("utf-8"))
    assert report.rejected_rows == [2]
    assert any(p.row == 2 and "金额" in p.message for p in report.problems)
    assert not Person.objects.exists() and not Household.objects.exists()
