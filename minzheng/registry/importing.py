"""Registry import from CSV or XLSX (the template has Chinese headers).

Two passes: every row is validated first; then either nothing is written
(strict mode, any bad row) or the good rows are written in one transaction
(``skip_bad``), the rejected ones reported with row number, column and reason.
Rows sharing a 户编号 form one co-resident household; a household with any bad
row is rejected whole, so no family is ever half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import HEADER_ONLY
from minzheng.core.file_import import ImportFileError, Problem
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
from minzheng.core.scope import Scope
from minzheng.core.spreadsheets import (
    SafeCsvWriter,
    template_csv_bytes,
    template_xlsx_bytes,
    xlsx_values,
)
from minzheng.core.text_encoding import decode_chinese_text
from minzheng.registry.models import (
    DisabilityCertificate,
    FactOrigin,
    Household,
    HouseholdAssetFact,
    HouseholdMembership,
    ImportRun,
    Person,
    PersonIncomeFact,
    Relation,
    declared_income,
)
from minzheng.registry.person_validation import (
    REQUIRED_EMPTY,
    amount_fen,
    disability_validate,
    person_validate,
)
from minzheng.registry.pinyin import name_keys

# (header, required, description) — the template's columns, in order.
COLUMNS: list[tuple[str, bool, str]] = [
    ("户编号", True, "同一共同生活家庭的成员填写相同的编号（文件内有效，如 H001）"),
    ("与户主关系", True, "本人、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、儿媳女婿、其他；每户有且只有一个“本人”"),
    ("姓名", True, "中文姓名"),
    ("身份证号码", True, "18位居民身份证号码"),
    ("联系电话", False, "手机或固定电话"),
    ("本市户籍", True, "是 / 否"),
    ("户籍街镇代码", False, "9位街镇代码，本市户籍时填写"),
    ("居住居村委代码", True, "12位居村委代码，同户成员须相同"),
    ("居住地址", True, "同户成员须相同"),
    ("就业状况", False, "在职、失业、退休、在校学生、学龄前儿童、无业；默认无业"),
    ("月均收入（元）", False, "非负数，最多两位小数"),
    ("月养老金（元）", False, "非负数，最多两位小数"),
    ("残疾等级", False, "1-4，无残疾留空"),
    ("残疾类别", False, "视力、听力、言语、肢体、智力、精神、多重"),
    ("残疾证有效期起", False, "YYYY-MM-DD"),
    ("残疾证有效期止", False, "YYYY-MM-DD，长期有效留空"),
    ("家庭货币财产（元）", False, "填在户主行：存款、有价证券等合计"),
    ("家庭机动车辆", False, "填在户主行：整数"),
    ("家庭住房套数", False, "填在户主行：整数"),
]
HEADERS = [c[0] for c in COLUMNS]
REQUIRED = {c[0] for c in COLUMNS if c[1]}
# Checked by ``person_validate``, with the services.
PERSON_COLUMNS = {"姓名", "身份证号码", "本市户籍", "居住居村委代码"}
TEMPLATE_EXAMPLE = [
    ["H001", "本人", "张建国", "310117195503120011", "13800000000", "是", "310117001", "310117001001", "岳阳街道示例路1号101室", "退休", "0", "4200", "", "", "", "", "50000", "0", "1"],
]


@dataclass
class ImportReport:
    total_rows: int = 0
    imported_persons: int = 0
    imported_households: int = 0
    rejected_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    run_id: int | None = None  # the ImportRun recording it (its page lists the problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def template_csv() -> bytes:
    """The downloadable CSV template (UTF-8 with BOM so Excel opens it in Chinese)."""
    return template_csv_bytes([HEADERS, *TEMPLATE_EXAMPLE])


def template_xlsx() -> bytes:
    """The downloadable XLSX template with a column-notes sheet."""
    return template_xlsx_bytes("人员导入", [HEADERS, *TEMPLATE_EXAMPLE], [
        ["列名", "必填", "说明"],
        *([header, "是" if required else "否", description] for header, required, description in COLUMNS)])


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """Read a CSV or XLSX file into header → text dicts (all cells as text)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        text = decode_chinese_text(content)
        if text is None:
            raise ImportFileError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV")
        raw = list(csv.reader(io.StringIO(text)))
    elif suffix == ".xlsx":
        raw = [["" if v is None else _cell_text(v) for v in r] for r in xlsx_values(io.BytesIO(content))]
    else:
        raise ImportFileError("只支持 .csv 或 .xlsx 文件")
    if not raw:
        raise ImportFileError("文件为空")
    header = [h.strip() for h in raw[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}（请使用下载的模板）")
    rows = []
    for values in raw[1:]:
        if not any(str(v).strip() for v in values):
            rows.append(None)
            continue
        rows.append({h: (str(values[i]).strip() if i < len(values) else "") for i, h in enumerate(header)})
    if not any(rows):
        raise ImportFileError(HEADER_ONLY)
    return rows  # type: ignore[return-value]


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _count(text: str) -> int:
    if text == "":
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValueError("应为非负整数")
    return int(text)


@dataclass
class _Row:
    number: int
    household_key: str
    relation: str
    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    phone: str
    hukou: bool
    hukou_street: str | None
    committee: Division
    address: str
    employment: str
    income_fen: int
    pension_fen: int
    disability: tuple[int, str, dt.date, dt.date | None] | None
    assets: tuple[int, int, int]


def _validate_row(
    number: int, row: dict[str, str], committees: dict[str, Division], streets: set[str], scope: Scope, problems: list[Problem]
) -> _Row | None:
    start = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    for column in REQUIRED - PERSON_COLUMNS:
        if not row.get(column, ""):
            bad(column, REQUIRED_EMPTY)
    relation = row.get("与户主关系", "")
    if relation and relation not in Relation.values:
        bad("与户主关系", f"“{relation}”不是有效的关系")
    person, person_problems = person_validate(
        name=row.get("姓名", ""), id_number=row.get("身份证号码", ""), committee_code=row.get("居住居村委代码", ""),
        phone=row.get("联系电话", ""), hukou_shanghai=row.get("本市户籍", ""),
        hukou_street_code=row.get("户籍街镇代码", ""), employment=row.get("就业状况", ""),
        monthly_income=row.get("月均收入（元）", ""), pension=row.get("月养老金（元）", ""),
        committees=committees, streets=streets)
    for column, message in person_problems:
        bad(column, message)
    if person is not None and not scope.covers(street_code=person.committee.street_code,
                                                committee_code=person.committee.code):
        bad("居住居村委代码", "该居村委不在您的辖区内")
    assets = 0
    try:
        assets = amount_fen(row.get("家庭货币财产（元）", ""))
    except ValueError as err:
        bad("家庭货币财产（元）", str(err))
    counts = {}
    for column in ("家庭机动车辆", "家庭住房套数"):
        try:
            counts[column] = _count(row.get(column, ""))
        except ValueError as err:
            bad(column, str(err))
    disability = None
    if row.get("残疾等级", "") or row.get("残疾类别", ""):
        certificate, certificate_problems = disability_validate(
            grade=row.get("残疾等级", ""), kind=row.get("残疾类别", ""),
            valid_from=row.get("残疾证有效期起", ""), valid_to=row.get("残疾证有效期止", ""))
        for column, message in certificate_problems:
            bad(column, message)
        if certificate is not None:
            disability = (certificate.grade, certificate.kind, certificate.valid_from, certificate.valid_to)
    if len(problems) > start or person is None:
        return None
    return _Row(
        number=number, household_key=row["户编号"], relation=relation, name=person.name, id_number=person.id_number,
        birth_date=person.birth_date, sex=person.sex, phone=person.phone, hukou=person.hukou_shanghai,
        hukou_street=person.hukou_street_code, committee=person.committee, address=row["居住地址"],
        employment=person.employment, income_fen=person.monthly_income_fen, pension_fen=person.pension_fen,
        disability=disability, assets=(assets, counts["家庭机动车辆"], counts.get("家庭住房套数", 0)),
    )


def _validate_households(rows: list[_Row], problems: list[Problem]) -> None:
    """Cross-row rules: one head per household, same committee and address,
    unique ID numbers within the file and against the registry."""
    by_household: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        by_household[r.household_key].append(r)
    for key, members in by_household.items():
        heads = [m for m in members if m.relation == Relation.HEAD]
        if len(heads) != 1:
            for m in members:
                problems.append(Problem(m.number, "与户主关系", f"户编号 {key} 应有且只有一个“本人”，实际 {len(heads)} 个"))
        if len({(m.committee.code, m.address) for m in members}) > 1:
            for m in members:
                problems.append(Problem(m.number, "居住地址", f"户编号 {key} 的成员居村委或地址不一致"))
    seen: dict[str, int] = {}
    for r in rows:
        if r.id_number in seen:
            problems.append(Problem(r.number, "身份证号码", f"与第{seen[r.id_number]}行的身份证号码重复"))
        else:
            seen[r.id_number] = r.number
    indexes = {blind_index(r.id_number): r for r in rows}
    index_list = list(indexes)
    for start in range(0, len(index_list), 500):
        for existing in Person.objects.filter(id_number_index__in=index_list[start : start + 500]).only(
            "id", "name", "id_number_masked", "id_number_index"
        ):
            r = indexes[existing.id_number_index]
            problems.append(
                Problem(r.number, "身份证号码",
                        f"已登记为“{existing.name}”（人员编号 {existing.pk}），同一身份证号码不能重复登记")
            )


Progress = Callable[[str, int | None, int | None], None]
STAGE_READ, STAGE_CHECK, STAGE_CROSS, STAGE_WRITE = "读取文件", "逐行校验", "核对同户和重复登记", "写入人口库"


def _silent(stage: str, done: int | None = None, total: int | None = None) -> None:
    return None


def registry_import(
    *, actor: User, filename: str, content: bytes, skip_bad: bool = False, today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then import all (strict) or the good households
    (``skip_bad``) in one transaction, with one audit entry for the run.

    ``progress(stage, done, total)`` hears the stages (读取文件, 逐行校验 rows
    validated, 核对同户和重复登记, 写入人口库 households written); the job
    ``registry_import`` shows them (ADR 0017)."""
    require(actor, "registry.import")
    report_progress = progress or _silent
    today = today or dt.date.today()
    report_progress(STAGE_READ, None, None)
    rows_in = read_rows(filename, content)
    scope = Scope.of(actor)
    committees = {d.code: d for d in Division.objects.filter(level=DivisionLevel.COMMITTEE)}
    streets = set(Division.objects.filter(level=DivisionLevel.STREET).values_list("code", flat=True))
    report = ImportReport(total_rows=sum(1 for r in rows_in if r is not None))
    problems: list[Problem] = []
    valid: list[_Row] = []
    report_progress(STAGE_CHECK, 0, report.total_rows)
    checked = 0
    for offset, row in enumerate(rows_in):
        if row is None:
            continue
        parsed = _validate_row(offset + 2, row, committees, streets, scope, problems)
        if parsed is not None:
            valid.append(parsed)
        checked += 1
        if checked % 500 == 0:
            report_progress(STAGE_CHECK, checked, report.total_rows)
    report_progress(STAGE_CHECK, report.total_rows, report.total_rows)
    report_progress(STAGE_CROSS, None, None)
    _validate_households(valid, problems)
    bad_rows = {p.row for p in problems}
    # A household with any bad row is rejected whole.
    bad_households = {r.household_key for r in valid if r.number in bad_rows}
    row_household = {offset + 2: (row or {}).get("户编号", "") for offset, row in enumerate(rows_in) if row}
    bad_households |= {row_household[n] for n in bad_rows if row_household.get(n)}
    good = [r for r in valid if r.household_key not in bad_households]
    for r in valid:
        if r.household_key in bad_households and r.number not in bad_rows:
            problems.append(Problem(r.number, "户编号", f"同户（{r.household_key}）其他行有错误，本行一并未导入"))
    report.problems = sorted(problems, key=lambda p: (p.row, p.column))
    report.rejected_rows = sorted({p.row for p in report.problems})
    if report.problems and not skip_bad:
        _record_run(actor, filename, content, "strict", report)
        return report
    with transaction.atomic():
        persons, households = _write(good, today, actor.username, report_progress)
        report.imported_persons, report.imported_households = persons, households
        report.committed = True
        _record_run(actor, filename, content, "skip_bad" if skip_bad else "strict", report)
    return report


def _record_run(actor: User, filename: str, content: bytes, mode: str, report: ImportReport) -> None:
    with transaction.atomic():
        run = ImportRun.objects.create(
            actor=actor.username, filename=filename[:255], file_sha256=hashlib.sha256(content).hexdigest(), mode=mode,
            total_rows=report.total_rows, imported_rows=report.imported_persons, rejected_rows=len(report.rejected_rows),
            problems=[p.__dict__ for p in report.problems[:2000]],
        )
        report.run_id = run.pk
        audit_record(
            actor=actor, action="registry.import", object_type="ImportRun", object_id=run.pk,
            scope_code=actor.scope_id or "",
            changes={"file": filename, "mode": mode, "rows": report.total_rows, "persons": report.imported_persons,
                     "households": report.imported_households, "rejected_rows": len(report.rejected_rows),
                     "committed": report.committed},
        )


def _write(rows: list[_Row], today: dt.date, actor_name: str, progress: Progress = _silent) -> tuple[int, int]:
    by_household: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        by_household[r.household_key].append(r)
    persons = 0
    progress(STAGE_WRITE, 0, len(by_household))
    for written, members in enumerate(by_household.values()):
        if written and written % 200 == 0:
            progress(STAGE_WRITE, written, len(by_household))
        head = next(m for m in members if m.relation == Relation.HEAD)
        assets = head.assets
        household = Household.objects.create(
            street_id=head.committee.street_code, committee=head.committee, address=head.address,
        )
        HouseholdAssetFact.objects.create(
            household=household, valid_from=today, monetary_assets_fen=assets[0], securities_fen=0,
            private_cars=assets[1], homes=assets[2], medical_oop_12m_fen=0, origin=FactOrigin.DECLARED,
            evidence_label="人员批量导入时申报", recorded_by=actor_name)
        created = []
        for m in members:
            pinyin_full, initials = name_keys(m.name)
            created.append(Person(
                name=m.name, name_pinyin=pinyin_full, name_initials=initials, id_number_enc=encrypt(m.id_number),
                id_number_index=blind_index(m.id_number), id_number_masked=mask_id_number(m.id_number),
                birth_date=m.birth_date, sex=m.sex, phone_enc=encrypt(m.phone), hukou_shanghai=m.hukou,
                hukou_street_id=m.hukou_street, street_id=m.committee.street_code, committee=m.committee,
                employment=m.employment,
            ))
        for person in created:
            person.save()
        PersonIncomeFact.objects.bulk_create(
            PersonIncomeFact(person=p, valid_from=p.birth_date, **declared_income(m.employment, m.income_fen),
                             pension_fen=m.pension_fen, origin=FactOrigin.DECLARED,
                             evidence_label="人员批量导入时申报", recorded_by=actor_name)
            for p, m in zip(created, members, strict=True)
        )
        HouseholdMembership.objects.bulk_create(
            HouseholdMembership(household=household, person=p, relation=m.relation, start_date=today)
            for p, m in zip(created, members, strict=True)
        )
        DisabilityCertificate.objects.bulk_create(
            DisabilityCertificate(person=p, grade=m.disability[0], kind=m.disability[1],
                                  valid_from=m.disability[2], valid_to=m.disability[3])
            for p, m in zip(created, members, strict=True) if m.disability
        )
        persons += len(created)
    progress(STAGE_WRITE, len(by_household), len(by_household))
    return persons, len(by_household)


def write_rejects(path: Path, report: ImportReport, rows_source: list[dict[str, str] | None]) -> None:
    """Write the rejected rows with their reasons (CSV, UTF-8 with BOM)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for p in report.problems:
        reasons[p.row].append(f"【{p.column}】{p.message}")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = SafeCsvWriter(out)
        writer.writerow(["行号", *HEADERS, "错误原因"])
        for number in report.rejected_rows:
            source = rows_source[number - 2] or {}
            writer.writerow([number, *[source.get(h, "") for h in HEADERS], "；".join(reasons[number])])


def validation_error_text(err: ValidationError) -> str:
    return "；".join(err.messages)
