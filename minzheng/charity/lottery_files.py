"""The lottery centre's monthly sales file (福利彩票月销售数据): CSV or XLSX
with Chinese headers, one row per outlet and month, and the downloadable
template (ADR 0040).

Columns: 网点编号, 月份 (YYYY-MM), 销售额（元）, and optionally 公益金（元） —
the public-welfare fund raised, when the centre's file gives it (an empty
cell: not given; the platform then uses a cited rate or shows 参数缺失,
never a guess). A formula cell stops an XLSX file (``core.spreadsheets``).
A bad row is reported with its row number (the header is row 1) and reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from minzheng.core.bounds import month_check
from minzheng.core.file_import import ImportFileError
from minzheng.core.spreadsheets import (
    template_csv_bytes,
    template_xlsx_bytes,
    xlsx_values,
)
from policy.money import parse_yuan

REQUIRED = ("网点编号", "月份", "销售额（元）")
OPTIONAL = ("公益金（元）",)
HEADERS = REQUIRED + OPTIONAL
EXAMPLE = ("31011701", "2024-01", "125000.00", "")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class SalesRow:
    number: int
    code: str
    month: str
    sales_fen: int
    fund_fen: int | None
    values: dict[str, str]


@dataclass
class Rows:
    good: list[SalesRow] = field(default_factory=list)
    problems: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)


def _header(found: list[Any]) -> list[str]:
    names = [str(h or "").strip().lstrip("\ufeff") for h in found]
    missing = [h for h in REQUIRED if h not in names]
    if missing:
        raise ImportFileError(f"文件缺少表头：{'、'.join(missing)}（请使用下载的模板）")
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m")
    return str(value).strip()


def _raw_rows(data: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    name = file_name.lower()
    out: list[tuple[int, dict[str, str]]] = []
    if name.endswith(".xlsx"):
        rows = xlsx_values(io.BytesIO(data))
        header = _header(list(next(rows, []) or []))
        for number, row in enumerate(rows, start=2):
            values = {h: _cell(row[i]) if i < len(row) else "" for i, h in enumerate(header) if h in HEADERS}
            if any(values.values()):
                out.append((number, values))
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = codecs.decode(data, "gb18030")
            except UnicodeDecodeError as err:
                raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV") from err
        reader = csv.reader(io.StringIO(text))
        header = _header(next(reader, []))
        for number, row in enumerate(reader, start=2):
            values = {h: row[i].strip() if i < len(row) else "" for i, h in enumerate(header) if h in HEADERS}
            if any(values.values()):
                out.append((number, values))
    else:
        raise ImportFileError("请上传 .csv 或 .xlsx 文件")
    if len(out) > MAX_ROWS:
        raise ImportFileError(f"文件超过{MAX_ROWS}行，请分批导入")
    return out


def _money(text: str, label: str) -> int:
    try:
        return parse_yuan(text, thousands=True)
    except ValueError as err:
        raise ValidationError(f"{label}“{text[:20]}”无效：{err}") from err


def read(data: bytes, file_name: str, *, today: dt.date) -> Rows:
    """Every row checked: good rows parsed, bad rows with their number and reason.
    A second row for the same outlet and month in one file is a problem."""
    rows = Rows()
    seen: dict[tuple[str, str], int] = {}
    for number, values in _raw_rows(data, file_name):
        try:
            code = values.get("网点编号", "")
            if not code:
                raise ValidationError("网点编号为空")
            if len(code) > 20 or not (code.isascii() and code.isalnum()):
                raise ValidationError(f"网点编号“{code[:20]}”无效")
            month = month_check(values.get("月份", ""), "月份", months_ahead=0, on=today)
            if month == f"{today:%Y-%m}":
                raise ValidationError(f"月份“{month}”尚未结束，不能导入本月销售数据")
            if not values.get("销售额（元）"):
                raise ValidationError("销售额为空")
            sales = _money(values["销售额（元）"], "销售额")
            fund_text = values.get("公益金（元）", "")
            fund = _money(fund_text, "公益金") if fund_text else None
            if fund is not None and fund > sales:
                raise ValidationError("公益金不能大于销售额")
            if (code, month) in seen:
                raise ValidationError(f"与第{seen[(code, month)]}行重复（同一网点同一月份）")
        except ValidationError as err:
            rows.problems.append((number, "；".join(err.messages), values))
            continue
        seen[(code, month)] = number
        rows.good.append(SalesRow(number, code, month, sales, fund, values))
    return rows


def template_csv() -> bytes:
    return template_csv_bytes([HEADERS, EXAMPLE])


def template_xlsx() -> bytes:
    return template_xlsx_bytes("福彩月销售", [HEADERS, EXAMPLE])
