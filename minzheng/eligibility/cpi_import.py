"""Import of monthly CPI figures from a CSV file (UTF-8 or GBK).

Columns: 月份 (YYYY-MM), CPI同比涨幅（%）, 食品价格同比涨幅（%）, 来源 (optional).
All rows are validated first; any bad row → nothing is written and every
problem is reported with its row number (header = row 1). A month already
entered is corrected (and audited) like a manual re-entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.bounds import HEADER_ONLY
from minzheng.core.models import User
from minzheng.core.text_encoding import decode_chinese_text
from minzheng.eligibility.services import cpi_record

HEADERS = ("月份", "CPI同比涨幅（%）", "食品价格同比涨幅（%）", "来源")
TEMPLATE = "\ufeff" + ",".join(HEADERS) + "\n2025-01,0.5,1.2,上海市统计局月度数据\n"


@dataclass(frozen=True)
class CpiProblem:
    row: int
    message: str


def _decode(content: bytes) -> str:
    text = decode_chinese_text(content)
    if text is None:
        raise ValidationError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV")
    return text


def cpi_import(*, actor: User | str, content: bytes) -> tuple[int, list[CpiProblem]]:
    """Validate every row, then record all months in one transaction.

    Returns (months recorded, problems); with problems nothing is recorded."""
    reader = csv.DictReader(io.StringIO(_decode(content)))
    missing = [h for h in HEADERS[:3] if h not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"缺少列：{'、'.join(missing)}")
    rows = [row for row in reader if any((value or "").strip() for value in row.values() if isinstance(value, str))]
    if not rows:
        raise ValidationError(HEADER_ONLY)
    problems: list[CpiProblem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        month = (row.get("月份") or "").strip()
        if month in seen:
            problems.append(CpiProblem(number, f"月份 {month} 与第{seen[month]}行重复"))
        seen[month] = number
    if problems:
        return 0, problems
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                try:
                    cpi_record(actor=actor, month=(row.get("月份") or "").strip(),
                               all_yoy_pct=(row.get("CPI同比涨幅（%）") or "").strip(),
                               food_yoy_pct=(row.get("食品价格同比涨幅（%）") or "").strip(),
                               source=(row.get("来源") or "").strip())
                except ValidationError as err:
                    problems.append(CpiProblem(number, "；".join(err.messages)))
            if problems:
                raise _RollBack
    except _RollBack:
        return 0, problems
    return len(rows), []


class _RollBack(Exception):
    """Undo the whole import when any row was bad."""
