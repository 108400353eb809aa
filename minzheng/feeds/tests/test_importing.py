import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from minzheng.core.file_import import ImportFileError
from minzheng.core.models import AuditEntry
from minzheng.feeds import template_files
from minzheng.feeds.catalogue import sources
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import FeedFile, FeedRecord, QuarantinedRow
from minzheng.feeds.tests.files import csv_file, json_file, jsonl_file, xlsx_file

TODAY = dt.date(2024, 6, 30)


def _wages(id_number: str, months: list[str], amount: str = "4200.00", employer: str = "上海松江制衣厂") -> list[dict]:
    return [{"id_number": id_number, "name": "王建华", "month": m, "employer": employer, "amount": amount}
            for m in months]


def _import(users, code: str, filename: str, content: bytes, **kw):
    return feed_file_import(actor=users["bureau"], source_code=code, filename=filename, content=content,
                            today=TODAY, **kw)


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(sources()))
def test_every_source_imports_its_own_template_example(users, code):
    # given the downloadable template of the source (one example row)
    source = sources()[code]
    # when the CSV and the XLSX templates are imported
    csv_result = _import(users, code, "template.csv", template_files.template_csv(source))
    xlsx_result = _import(users, code, "template.xlsx", template_files.template_xlsx(source))
    # then the example row is valid, stored once, and the XLSX adds nothing new
    assert (csv_result.file.good_rows, csv_result.file.bad_rows, csv_result.file.new_records) == (1, 0, 1)
    assert (xlsx_result.file.good_rows, xlsx_result.file.new_records, xlsx_result.file.duplicate_rows) == (1, 0, 1)
    assert FeedRecord.objects.filter(source=code).count() == 1


@pytest.mark.django_db
def test_wage_file_is_stored_with_provenance_and_linked_to_the_person(users, resident):
    # given a wage file with three months of one registered resident
    person, id_number = resident
    content = csv_file("hrss_wages", _wages(id_number, ["2024-01", "2024-02", "2024-03"]))
    # when it is imported
    result = _import(users, "hrss_wages", "人社工资202403.csv", content)
    # then three records, each linked through the blind index, with file provenance
    f = result.file
    assert (f.total_rows, f.good_rows, f.bad_rows, f.new_records, f.unmatched_records) == (3, 3, 0, 3, 0)
    assert (f.period_start, f.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert f.imported_by == "bureau" and len(f.file_sha256) == 64 and f.received_at is not None
    records = FeedRecord.objects.filter(file=f).order_by("month")
    assert [r.person_id for r in records] == [person.pk] * 3
    assert [r.amount_fen for r in records] == [420000] * 3
    assert records[0].month == dt.date(2024, 1, 1) and records[0].category == "wage"
    assert records[0].id_number_masked == person.id_number_masked
    # and no plain ID number is stored anywhere
    assert not FeedRecord.objects.filter(data__icontains=id_number).exists()
    assert id_number not in str(list(FeedRecord.objects.values_list("data", "key_hash", "person_index")))
    assert AuditEntry.objects.filter(action="feeds.import", object_id=str(f.pk)).count() == 1


@pytest.mark.django_db
def test_bad_rows_are_quarantined_with_row_column_and_reason(users, resident):
    # given a file with one good row and four bad ones
    _, id_number = resident
    rows = _wages(id_number, ["2024-01"])
    rows.append({**rows[0], "id_number": id_number[:-1] + ("1" if id_number[-1] != "1" else "2")})
    rows.append({**rows[0], "month": "2024-13"})
    rows.append({**rows[0], "month": "2024-02", "amount": "-5"})
    rows.append({**rows[0], "month": "2024-03", "amount": "12.345", "employer": ""})
    # when imported
    result = _import(users, "hrss_wages", "wages.csv", csv_file("hrss_wages", rows))
    # then the good row is kept and the bad ones are set aside with Chinese reasons
    assert (result.file.good_rows, result.file.bad_rows) == (1, 4)
    found = {(q.row_number, q.column): q.reason for q in QuarantinedRow.objects.filter(file=result.file)}
    assert "校验位错误" in found[(3, "身份证号码")]
    assert found[(4, "所属月份")] == "月份格式应为 YYYY-MM"
    assert found[(5, "应发工资（元）")] == "金额不能为负数"
    assert "两位小数" in found[(6, "应发工资（元）")]
    assert found[(6, "用人单位")] == "必填项为空"
    # and the quarantined copy of the row masks the ID number
    raw = QuarantinedRow.objects.filter(file=result.file, row_number=3).first().raw
    assert "*" in raw["身份证号码"] and id_number[6:14] not in raw["身份证号码"]
    assert FeedRecord.objects.count() == 1


@pytest.mark.django_db
def test_same_file_twice_changes_nothing(users, resident):
    # given a file already imported
    _, id_number = resident
    content = csv_file("hrss_wages", _wages(id_number, ["2024-01", "2024-02"]))
    first = _import(users, "hrss_wages", "wages.csv", content)
    audit_before = AuditEntry.objects.count()
    # when the same bytes arrive again (even under another name)
    second = _import(users, "hrss_wages", "wages-copy.csv", content)
    # then nothing changes
    assert second.already_imported and second.file.pk == first.file.pk
    assert FeedFile.objects.count() == 1 and FeedRecord.objects.count() == 2
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_overlapping_file_does_not_duplicate_records(users, resident):
    # given January-March imported
    _, id_number = resident
    _import(users, "hrss_wages", "q1.csv", csv_file("hrss_wages", _wages(id_number, ["2024-01", "2024-02", "2024-03"])))
    # when a file covering March-May arrives
    result = _import(users, "hrss_wages", "mar-may.csv",
                     csv_file("hrss_wages", _wages(id_number, ["2024-03", "2024-04", "2024-05"])))
    # then only April and May are new; March is counted as already known
    assert (result.file.good_rows, result.file.new_records, result.file.duplicate_rows) == (3, 2, 1)
    assert FeedRecord.objects.filter(source="hrss_wages").count() == 5


@pytest.mark.django_db
def test_duplicate_rows_inside_one_file_are_stored_once(users, resident):
    _, id_number = resident
    rows = _wages(id_number, ["2024-01", "2024-01"])
    result = _import(users, "hrss_wages", "dup.csv", csv_file("hrss_wages", rows))
    assert (result.file.good_rows, result.file.new_records, result.file.duplicate_rows) == (2, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("maker,filename", [(xlsx_file, "f.xlsx"), (json_file, "f.json"), (jsonl_file, "f.jsonl")])
def test_xlsx_json_and_json_lines_import_like_csv(users, resident, maker, filename):
    # given a tax file with one bad amount in the chosen format
    person, id_number = resident
    rows = [
        {"id_number": id_number, "name": "王建华", "month": "2024-02", "item": "劳务报酬所得", "payer": "某公司", "amount": "800"},
        {"id_number": id_number, "name": "王建华", "month": "2024-03", "item": "劳务报酬所得", "payer": "某公司", "amount": "八百"},
    ]
    # when imported
    result = _import(users, "tax_income", filename, maker("tax_income", rows))
    # then the good row is stored and the bad one quarantined at row 3
    assert (result.file.good_rows, result.file.bad_rows) == (1, 1)
    record = FeedRecord.objects.get()
    assert (record.person_id, record.amount_fen, record.category) == (person.pk, 80000, "other_income")
    assert QuarantinedRow.objects.get().row_number == 3


@pytest.mark.django_db
def test_unregistered_person_is_kept_unmatched_with_the_blind_index(users, stranger_id):
    result = _import(users, "bank_deposits", "bank.csv", csv_file("bank_deposits", [
        {"id_number": stranger_id, "name": "赵六", "bank": "中国银行", "account": "8888", "as_of": "2024-05-20",
         "balance": "15000.50"},
    ]))
    record = FeedRecord.objects.get()
    assert result.file.unmatched_records == 1 and record.person_id is None and not record.matched
    assert len(record.person_index) == 40 and record.amount_fen == 1500050


@pytest.mark.django_db
def test_missing_required_column_refuses_the_whole_file(users):
    content = "身份证号码,姓名\n310117198005170011,张三\n".encode()
    with pytest.raises(ImportFileError, match="缺少必填列"):
        _import(users, "hrss_wages", "wrong.csv", content)
    assert FeedFile.objects.count() == 0


@pytest.mark.django_db
def test_cross_column_rules(users, resident):
    _, id_number = resident
    result = _import(users, "medical_oop", "med.csv", csv_file("medical_oop", [
        {"id_number": id_number, "name": "王建华", "settlement_no": "JS1", "settled_on": "2024-05-01",
         "total": "100", "out_of_pocket": "120"},
    ]))
    assert QuarantinedRow.objects.get(file=result.file).reason == "个人自负不能超过医疗总费用"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["street", "auditor", "committee"])
def test_only_bureau_staff_import(users, role):
    with pytest.raises(PermissionDenied):
        feed_file_import(actor=users[role], source_code="hrss_wages", filename="x.csv", content=b"")


@pytest.mark.django_db
def test_gbk_csv_is_read(users, resident):
    _, id_number = resident
    text = "身份证号码,姓名,所属月份,用人单位,应发工资（元）\n" + f"{id_number},王建华,202401,松江制衣厂,\"3,500.00\"\n"
    result = _import(users, "hrss_wages", "gbk.csv", text.encode("gb18030"))
    assert result.file.good_rows == 1 and FeedRecord.objects.get().amount_fen == 350000


def _securities(id_number: str, account: str, as_of: str = "2024-06-01", value: str = "5000.00") -> dict:
    return {"id_number": id_number, "name": "王建华", "account": account, "as_of": as_of, "market_value": value}


@pytest.mark.django_db
def test_securities_keep_only_the_last_four_of_the_account_and_still_deduplicate(users, resident):
    # given a securities reply with two accounts ending in the same four digits, and a bad row
    person, id_number = resident
    rows = [_securities(id_number, "A123456789"), _securities(id_number, "B000006789"),
            _securities(id_number, "C555556789", as_of="not a date")]
    result = _import(users, "securities", "证券.csv", csv_file("securities", rows))
    # then two records, neither holding the whole account number
    records = list(FeedRecord.objects.filter(source="securities").order_by("pk"))
    assert [r.data["account"] for r in records] == ["6789", "6789"]
    assert records[0].data["account_index"] != records[1].data["account_index"]
    stored = str(list(FeedRecord.objects.values_list("data", "key_hash")))
    assert "A123456789" not in stored and "B000006789" not in stored
    raw = QuarantinedRow.objects.get(file=result.file).raw
    assert "C555556789" not in str(raw) and "6789" in str(raw)
    # and the same reply received again in another file adds nothing
    again = _import(users, "securities", "证券2.csv", csv_file("securities", rows[:2] + [_securities(id_number, "A123456789", value="5000.0")]))
    assert (again.file.good_rows, again.file.new_records, again.file.duplicate_rows) == (3, 0, 3)


@pytest.mark.django_db
def test_import_audit_and_log_mask_numbers_in_the_file_name(users, resident, caplog):
    import logging

    person, id_number = resident
    filename = f"工资_{id_number}_13812345678.csv"
    with caplog.at_level(logging.INFO, logger="minzheng.feeds.importing"):
        result = _import(users, "hrss_wages", filename, csv_file("hrss_wages", _wages(id_number, ["2024-01"])))
    assert result.file.filename == filename  # the original stays on the file for staff
    entry = AuditEntry.objects.get(action="feeds.import")
    assert id_number not in str(entry.changes) and "13812345678" not in str(entry.changes)
    assert entry.changes["file"] == f"工资_{id_number[:6]}***********{id_number[-1:]}_*******5678.csv"
    assert "feeds import" in caplog.text
    assert id_number not in caplog.text and "13812345678" not in caplog.text


@pytest.mark.django_db
def test_a_formula_cell_in_a_department_file_is_reported_and_nothing_is_stored(users, resident):
    from minzheng.core.file_import import ImportFileError

    _, id_number = resident
    rows = [{"id_number": id_number, "name": "王建华", "month": "2024-02", "item": "劳务报酬所得", "payer": "某公司",
             "amount": "=800*12"}]
    with pytest.raises(ImportFileError, match="第2行第.列：该单元格是公式"):
        _import(users, "tax_income", "f.xlsx", xlsx_file("tax_income", rows))
    assert FeedRecord.objects.count() == 0 and QuarantinedRow.objects.count() == 0
