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
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.file_import import Problem
from minzheng.core.permissions import require
from minzheng.core.register_sheets import Column, columns_of, row_values, sheet_body
from minzheng.core.register_sheets import template_xlsx as sheet_template
from minzheng.social_orgs import services
from minzheng.social_orgs.models import OrgKind, OrgStatus, PartyStatus

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
SHEET_COLUMNS: tuple[Column, ...] = columns_of(
    COLUMNS, {"kind": OrgKind, "status": OrgStatus, "party": PartyStatus},
    max_fen=services.MAX_CAPITAL_FEN, max_label="10万亿元")


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)


def template_xlsx() -> bytes:
    """The import template: the headers, and a 填写说明 sheet with the allowed values."""
    return sheet_template("社会组织登记", SHEET_COLUMNS, (
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
    ))


def organizations_import(*, actor, filename: str, data: bytes, today: dt.date) -> ImportResult:
    """Check every row; register them all, or none with every problem listed."""
    require(actor, "social_orgs.manage", allow_job=True)
    headers, body = sheet_body(filename, data, SHEET_COLUMNS, REQUIRED, MAX_ROWS)
    result = ImportResult(rows=len(body))
    try:
        with transaction.atomic():
            for number, row in body:
                problem = _row(actor, number, headers, row, today)
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


def _row(actor, number: int, headers: list[str], row: list[Any], today: dt.date) -> Problem | None:
    values, problem = row_values(number, headers, row, SHEET_COLUMNS, REQUIRED)
    if problem is not None:
        return problem
    if values.get("status") is None:
        values.pop("status", None)
    try:
        with transaction.atomic():
            services.organization_register(actor=actor, today=today, reason="导入登记管理机关存量登记信息", **values)
    except ValidationError as err:
        return Problem(number, "整行", "；".join(err.messages))
    return None
