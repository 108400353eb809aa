"""Import of the facility register from Excel (.xlsx) or CSV (ADR 0028).

The template's columns are Chinese headers (:data:`COLUMNS`); kinds and
statuses are written as their Chinese labels; the committee by its 12-digit
division code. Bad rows are **quarantined** (core/file_import.py): every good
row is registered through :func:`~.services.facility_create` (the same checks,
scope and audit as the form), every bad row is reported with its spreadsheet
row number, column and reason, and nothing of it is written. A file that
cannot be read as a whole (wrong type, missing headers, a formula cell, too
many rows) is refused with nothing written.

The register is small (a district has hundreds of facilities, not hundreds of
thousands), so the import runs in the request; :data:`MAX_ROWS` bounds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from minzheng.care_facilities import services
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStatus
from minzheng.core.audit import audit_record
from minzheng.core.file_import import ImportFileError, Problem
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import require
from minzheng.core.spreadsheets import sheet_append, xlsx_values

MAX_ROWS = 5000

# header → (field, kind); kind: text | kind | status | committee | date | int | decimal | bool
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("名称", "name", "text"), ("类型", "kind", "kind"), ("居村委代码", "committee", "committee"),
    ("地址", "address", "text"), ("经度", "longitude", "decimal"), ("纬度", "latitude", "decimal"),
    ("运营单位", "operator_name", "text"), ("运营单位统一社会信用代码", "operator_uscc", "text"),
    ("状态", "status", "status"), ("列入计划日期", "planned_on", "date"), ("开工日期", "building_since", "date"),
    ("运营日期", "operating_since", "date"), ("停业日期", "closed_on", "date"), ("床位数", "beds", "int"),
    ("认知障碍照护床位数", "dementia_beds", "int"), ("认知障碍照护床位投用日期", "dementia_beds_since", "date"),
    ("面积（平方米）", "area_m2", "decimal"), ("开放时间", "opening_hours", "text"),
    ("智慧养老院", "smart", "bool"), ("建成智慧养老院日期", "smart_since", "date"),
    ("养老院+互联网医院", "internet_hospital", "bool"), ("接入互联网医院日期", "internet_hospital_since", "date"),
    ("备注", "note", "text"),
)
REQUIRED = ("名称", "类型", "居村委代码", "状态")
KIND_BY_LABEL = {label: value for value, label in FacilityKind.choices}
STATUS_BY_LABEL = {label: value for value, label in FacilityStatus.choices}


class CellError(ValueError):
    pass


@dataclass
class ImportResult:
    created: list[Facility] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def template_xlsx() -> bytes:
    """The import template: the headers, and a 说明 sheet listing the allowed values."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "养老服务设施"
    sheet_append(sheet, [h for h, _, _ in COLUMNS])
    notes = book.create_sheet("填写说明")
    for line in (
        ["必填列", "、".join(REQUIRED)],
        ["类型", "、".join(FacilityKind.labels)],
        ["状态", "、".join(FacilityStatus.labels) + "（状态对应的日期必填：规划—列入计划日期，在建—开工日期，运营—运营日期，停业—停业日期）"],
        ["居村委代码", "12位区划代码，须在您的辖区内"],
        ["日期", "YYYY-MM-DD，不能晚于今天"],
        ["是/否列", "填“是”或留空"],
        ["统一社会信用代码", "18位，系统校验校验位"],
    ):
        sheet_append(notes, line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(name: str, data: bytes) -> list[list[Any]]:
    if name.lower().endswith(".xlsx"):
        return list(xlsx_values(io.BytesIO(data)))
    if name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as err:
                raise ImportFileError("无法读取该 CSV 文件，请使用 UTF-8 或 GB18030 编码") from err
        return list(csv.reader(io.StringIO(text)))
    raise ImportFileError("请上传 .xlsx 或 .csv 文件")


def _cell(kind: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if kind == "text":
        return text
    if not text:
        return False if kind == "bool" else None
    if kind == "kind":
        if text not in KIND_BY_LABEL:
            raise CellError("类型应为：" + "、".join(FacilityKind.labels))
        return KIND_BY_LABEL[text]
    if kind == "status":
        if text not in STATUS_BY_LABEL:
            raise CellError("状态应为规划、在建、运营或停业")
        return STATUS_BY_LABEL[text]
    if kind == "committee":
        committee = Division.objects.filter(code=text, level=DivisionLevel.COMMITTEE).first()
        if committee is None:
            raise CellError(f"没有区划代码为{text}的居村委")
        return committee
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise CellError("日期格式应为YYYY-MM-DD") from None
    if kind == "int":
        try:
            number = int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise CellError("应为整数") from None
        if number < 0 or Decimal(text) != number:
            raise CellError("应为非负整数")
        return number
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError("应为数字") from None
        if not number.is_finite():
            raise CellError("应为数字")
        return number
    if kind == "bool":
        if text in ("是", "1", "TRUE", "True", "true"):
            return True
        if text in ("否", "0", "FALSE", "False", "false"):
            return False
        raise CellError("应填“是”或“否”")
    raise AssertionError(kind)


def facilities_import(*, actor, filename: str, data: bytes, today: dt.date) -> ImportResult:
    """Read the file and register every good row; quarantine the bad ones."""
    require(actor, "care_facilities.manage", allow_job=True)
    rows = _rows(filename, data)
    if not rows or not any(str(v or "").strip() for v in rows[0]):
        raise ImportFileError("文件是空的，请使用导入模板")
    headers = [str(v or "").strip() for v in rows[0]]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ImportFileError("缺少列：" + "、".join(missing) + "（请使用导入模板）")
    unknown = [h for h in headers if h and h not in {c[0] for c in COLUMNS}]
    if unknown:
        raise ImportFileError("无法识别的列：" + "、".join(unknown) + "（请使用导入模板）")
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(str(v or "").strip() for v in r)]
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入{MAX_ROWS}行（本文件{len(body)}行），请分批导入")
    spec = {h: (f, k) for h, f, k in COLUMNS}
    result = ImportResult(rows=len(body))
    with transaction.atomic():
        for number, row in body:
            values: dict[str, Any] = {}
            problem = None
            for index, header in enumerate(headers):
                if not header:
                    continue
                fname, kind = spec[header]
                try:
                    values[fname] = _cell(kind, row[index] if index < len(row) else None)
                except CellError as err:
                    problem = Problem(number, header, str(err))
                    break
            if problem is None:
                for header in REQUIRED:
                    if values.get(spec[header][0]) in (None, ""):
                        problem = Problem(number, header, "必填")
                        break
            if problem is None:
                try:
                    result.created.append(services.facility_create(actor=actor, today=today, **values))
                except ValidationError as err:
                    problem = Problem(number, "整行", "；".join(err.messages))
                except Http404:
                    problem = Problem(number, "居村委代码", "该居村委不在您的辖区内")
            if problem is not None:
                result.problems.append(problem)
        audit_record(actor=actor, action="care_facility.import", object_type="ImportRun", object_id=filename[:100],
                     changes={"file": filename[:100], "rows": result.rows, "good": len(result.created),
                              "bad": len(result.problems)})
    return result
