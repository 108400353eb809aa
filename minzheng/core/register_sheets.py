"""Reading a register that staff keep in a spreadsheet: the care facilities'
(ADR 0028) and the social organizations' (ADR 0039), and any later one.

A register sheet has Chinese headers (:class:`Column`), one row per record.
This module holds what such imports share — the template, the header checks,
the conversion of each cell by its kind, the row's required columns — so each
app only says *which* columns it has and *what* it does with a good row
(quarantine the bad rows, or all or nothing: that stays the app's choice).

Cell kinds: ``text``; ``choice`` (a TextChoices written as its Chinese label);
``committee`` (a 12-digit 居村委 division code); ``date`` (YYYY-MM-DD or an
Excel date); ``int`` (a whole number ≥ 0); ``decimal``; ``yuan`` (an amount in
yuan with at most two decimals, returned in fen, never negative); ``bool``
(是 / 否). An empty cell is ``None`` (``False`` for ``bool``): missing is never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import TextChoices

from minzheng.core.file_import import ImportFileError, Problem, table_rows
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.spreadsheets import template_xlsx_bytes

YES = ("是", "1", "TRUE", "True", "true")
NO = ("否", "0", "FALSE", "False", "false")


class CellError(ValueError):
    """One cell cannot be read; the message is for the clerk (Chinese)."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    choices: type[TextChoices] | None = None  # for kind "choice"
    max_fen: int | None = None  # for kind "yuan": the largest amount, in fen
    max_label: str = ""  # … and how a clerk reads it, e.g. "10万亿元"


def columns_of(spec: Iterable[tuple[str, str, str]], choices: dict[str, type[TextChoices]] | None = None,
               max_fen: int | None = None, max_label: str = "") -> tuple[Column, ...]:
    """Columns from (header, field, kind) rows; a kind named in ``choices`` is
    a ``choice`` column of that TextChoices."""
    choices = choices or {}
    return tuple(
        Column(header, field, "choice", choices[kind]) if kind in choices
        else Column(header, field, kind, max_fen=max_fen, max_label=max_label) if kind == "yuan"
        else Column(header, field, kind)
        for header, field, kind in spec)


def template_xlsx(title: str, columns: Iterable[Column], notes: Iterable[list[str]]) -> bytes:
    """An import template: the headers on the first sheet, and a 填写说明 sheet."""
    return template_xlsx_bytes(title, [[c.header for c in columns]], notes)


def sheet_body(filename: str, data: bytes, columns: Iterable[Column], required: Iterable[str],
               max_rows: int) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The headers and the non-empty rows (with their spreadsheet row numbers)
    of a register file; :class:`ImportFileError` when the file as a whole is
    wrong (unreadable, no headers, a missing or unknown column, no rows, too many)."""
    rows = table_rows(filename, data)
    if not rows or not any(str(v or "").strip() for v in rows[0]):
        raise ImportFileError("文件是空的，请使用导入模板")
    headers = [str(v or "").strip() for v in rows[0]]
    missing = [h for h in required if h not in headers]
    if missing:
        raise ImportFileError("缺少列：" + "、".join(missing) + "（请使用导入模板）")
    known = {c.header for c in columns}
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise ImportFileError("无法识别的列：" + "、".join(unknown) + "（请使用导入模板）")
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(str(v or "").strip() for v in r)]
    if not body:
        raise ImportFileError("文件中没有数据行")
    if len(body) > max_rows:
        raise ImportFileError(f"一次最多导入{max_rows}行（本文件{len(body)}行），请分批导入")
    return headers, body


def row_values(number: int, headers: list[str], row: list[Any], columns: Iterable[Column],
               required: Iterable[str]) -> tuple[dict[str, Any], Problem | None]:
    """The row's values by field, or the first problem (row number, column, reason)."""
    by_header = {c.header: c for c in columns}
    values: dict[str, Any] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = by_header[header]
        try:
            values[column.field] = cell(column, row[index] if index < len(row) else None)
        except CellError as err:
            return values, Problem(number, header, str(err))
    for header in required:
        if values.get(by_header[header].field) in (None, ""):
            return values, Problem(number, header, "必填")
    return values, None


def cell(column: Column, value: Any) -> Any:
    """One cell's value by the column's kind (:class:`CellError` if unreadable)."""
    text = "" if value is None else str(value).strip()
    kind = column.kind
    if kind == "text":
        return text
    if not text:
        return False if kind == "bool" else None
    if kind == "choice":
        assert column.choices is not None
        by_label = {label: code for code, label in column.choices.choices}
        if text not in by_label:
            raise CellError(f"{column.header}应为：" + "、".join(column.choices.labels))
        return by_label[text]
    if kind == "committee":
        committee = Division.objects.filter(code=text, level=DivisionLevel.COMMITTEE).first()
        if committee is None:
            raise CellError(f"没有区划代码为{text}的居村委")
        return committee
    if kind == "date":
        return _date(value, text)
    if kind == "int":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError("应为整数") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise CellError("应为整数")
        if number < 0:
            raise CellError("应为非负整数")
        return int(number)
    if kind == "decimal":
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError("应为数字") from None
        if not amount.is_finite():
            raise CellError("应为数字")
        return amount
    if kind == "yuan":
        return _fen(text, column)
    if kind == "bool":
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError("应填“是”或“否”")
    raise AssertionError(kind)


def _date(value: Any, text: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise CellError("日期格式应为YYYY-MM-DD") from None


def _fen(text: str, column: Column) -> int:
    from policy.money import parse_yuan

    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CellError("应为金额（元）") from None
    if not amount.is_finite():
        raise CellError("应为金额（元）")
    if amount < 0 or (column.max_fen is not None and amount * 100 > column.max_fen):
        limit = column.max_label or (f"{column.max_fen / 100:.2f}元" if column.max_fen is not None else "")
        raise CellError(f"应为0至{limit}之间的金额" if limit else "应为不小于0的金额")
    try:
        return parse_yuan(str(amount))
    except ValueError:
        raise CellError("金额最多两位小数") from None
