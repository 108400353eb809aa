"""Import of the bureau's Excel register of social organizations (ADR 0039).

All or nothing: every row is checked with the same rules as the form
(:func:`~.services.organization_register`, inside one transaction); if any
row is bad, **nothing** is written and every bad row is listed with its
spreadsheet row number, column and reason (SPEC: "nothing half-imported,
nothing silently dropped"). A file that cannot be read as a whole (wrong
type, missing headers, a formula cell, too many rows) is refused the same way.
Kinds, statuses and party-building situations are written as their Chinese
labels; registered capital in yuan; the committee by its 12-digit code.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.file_import import ImportFileError, Problem, table_rows
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.permissions import require
from minzheng.core.spreadsheets import sheet_append
from minzheng.social_orgs import services
from minzheng.social_orgs.models import OrgKind, OrgStatus, PartyStatus
from policy.money import parse_yuan

MAX_ROWS = 5000

# header → (argument of organization_register, cell kind)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("名称", "name", "text"), ("类型", "kind", "kind"), ("统一社会信用代码", "uscc", "text"),
    ("法定代表人", "legal_rep_name", "text"), ("法定代表人身份证号", "legal_rep_id", "text"),
    ("业务主管单位", "supervisor", "text"), ("注册资金（元）", "registered_capital_fen", "yuan"),
    ("住所", "address", "text"), ("居村委代码", "committee", "committee"), ("业务范围", "business_scope", "text"),
    ("成立登记日期", "registered_on", "date"), ("登记状态", "status", "status"), ("状态变更日期", "status_on", "date"),
    ("状态变更原因", "status_reason", "text"), ("党组织建立情况", "party_status", "party"),
    ("社区社会组织", "community", "bool"),
)
REQUIRED = ("名称", "类型", "统一社会信用代码", "法定代表人", "业务主管单位", "住所", "业务范围", "成立登记日期")
KIND_BY_LABEL = {label: value for value, label in OrgKind.choices}
STATUS_BY_LABEL = {label: value for value, label in OrgStatus.choices}
PARTY_BY_LABEL = {label: value for value, label in PartyStatus.choices}


class CellError(ValueError):
    pass


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)


def template_xlsx() -> bytes:
    """The import template: the headers, and a 填写说明 sheet with the allowed values."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "社会组织登记"
    sheet_append(sheet, [h for h, _, _ in COLUMNS])
    notes = book.create_sheet("填写说明")
    for line in (
        ["必填列", "、".join(REQUIRED)],
        ["类型", "、".join(OrgKind.labels)],
        ["登记状态", "、".join(OrgStatus.labels) + "（留空为正常；非正常状态须填状态变更日期）"],
        ["党组织建立情况", "、".join(PartyStatus.labels) + "（可留空：未录入）"],
        ["统一社会信用代码", "18位，系统校验校验位"],
        ["法定代表人身份证号", "18位，可留空；系统加密保存，只显示脱敏号码"],
        ["注册资金（元）", "金额（元，最多两位小数），未知请留空（不是0）"],
        ["居村委代码", "住所所在居村委的12位区划代码，可留空"],
        ["日期", "YYYY-MM-DD，不能晚于今天"],
        ["社区社会组织", "填“是”或留空"],
        ["导入规则", "全部行无误才导入；有任何错误行，整份文件不导入，并列出每个错误行的行号和原因"],
    ):
        sheet_append(notes, line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(kind: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if kind == "text":
        return text
    if not text:
        return False if kind == "bool" else None
    if kind == "kind":
        if text not in KIND_BY_LABEL:
            raise CellError("类型应为：" + "、".join(OrgKind.labels))
        return KIND_BY_LABEL[text]
    if kind == "status":
        if text not in STATUS_BY_LABEL:
            raise CellError("登记状态应为：" + "、".join(OrgStatus.labels))
        return STATUS_BY_LABEL[text]
    if kind == "party":
        if text not in PARTY_BY_LABEL:
            raise CellError("党组织建立情况应为：" + "、".join(PartyStatus.labels))
        return PARTY_BY_LABEL[text]
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
    if kind == "yuan":
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise CellError("应为金额（元）") from None
        if not amount.is_finite() or amount < 0 or amount > services.MAX_CAPITAL_FEN // 100:
            raise CellError("应为0至10万亿元之间的金额")
        try:
            return parse_yuan(str(amount))
        except ValueError:
            raise CellError("金额最多两位小数") from None
    if kind == "bool":
        if text in ("是", "1", "TRUE", "True", "true"):
            return True
        if text in ("否", "0", "FALSE", "False", "false"):
            return False
        raise CellError("应填“是”或“否”")
    raise AssertionError(kind)


def organizations_import(*, actor, filename: str, data: bytes, today: dt.date) -> ImportResult:
    """Check every row; register them all, or none with every problem listed."""
    require(actor, "social_orgs.manage", allow_job=True)
    rows = table_rows(filename, data)
    if not rows or not any(str(v or "").strip() for v in rows[0]):
        raise ImportFileError("文件是空的，请使用导入模板")
    headers = [str(v or "").strip() for v in rows[0]]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ImportFileError("缺少列：" + "、".join(missing) + "（请使用导入模板）")
    known = {c[0] for c in COLUMNS}
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise ImportFileError("无法识别的列：" + "、".join(unknown) + "（请使用导入模板）")
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(str(v or "").strip() for v in r)]
    if not body:
        raise ImportFileError("文件中没有数据行")
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入{MAX_ROWS}行（本文件{len(body)}行），请分批导入")
    spec = {h: (f, k) for h, f, k in COLUMNS}
    result = ImportResult(rows=len(body))
    try:
        with transaction.atomic():
            for number, row in body:
                problem = _row(actor, number, headers, row, spec, today)
                if problem is not None:
                    result.problems.append(problem)
                else:
                    result.created += 1
            if result.problems:
                raise _RollBack()
            audit_record(actor=actor, action="social_orgs.import", object_type="ImportRun",
                         object_id=filename[:100], changes={"filename": filename[:100], "rows": result.rows})
    except _RollBack:
        result.created = 0
    return result


class _RollBack(Exception):
    """A bad row: undo every row of the file."""


def _row(actor, number: int, headers: list[str], row: list[Any], spec: dict[str, tuple[str, str]],
         today: dt.date) -> Problem | None:
    values: dict[str, Any] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        fname, kind = spec[header]
        try:
            values[fname] = _cell(kind, row[index] if index < len(row) else None)
        except CellError as err:
            return Problem(number, header, str(err))
    for header in REQUIRED:
        if values.get(spec[header][0]) in (None, ""):
            return Problem(number, header, "必填")
    if values.get("status") is None:
        values.pop("status", None)
    try:
        with transaction.atomic():
            services.organization_register(actor=actor, today=today, reason="导入登记管理机关存量登记信息", **values)
    except ValidationError as err:
        return Problem(number, "整行", "；".join(err.messages))
    return None
