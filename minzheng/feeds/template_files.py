"""Downloadable import templates, one per source: Chinese headers, one example
row, and a notes sheet generated from the source's YAML (so the template and
the validation can never disagree)."""

from __future__ import annotations

import io
import json

from minzheng.core.spreadsheets import SafeCsvWriter, sheet_append
from minzheng.feeds.catalogue import Column, Source
from minzheng.registry.services import with_check_character

EXAMPLE_ID_NUMBER = with_check_character("31011719800517001")


def example_value(column: Column) -> str:
    if column.example:
        return column.example
    return {
        "id_number": EXAMPLE_ID_NUMBER,
        "date": "2024-03-15",
        "month": "2024-03",
        "amount": "3500.00",
        "decimal": "85.50",
        "int": "1",
        "code": column.values[0] if column.values else "",
        "credit_code": "91310117MA1J3BXP2N",
        "account": "A123456789",
        "text": "张建国" if column.field == "name" else "",
    }[column.type]


def example_row(source: Source) -> list[str]:
    return [example_value(c) for c in source.columns]


def template_xlsx(source: Source) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = source.name[:31]
    sheet_append(sheet, source.headers)
    sheet_append(sheet, example_row(source))
    notes = book.create_sheet("填写说明")
    sheet_append(notes, ["数据来源", source.name])
    sheet_append(notes, ["报送部门", source.department])
    sheet_append(notes, ["记录含义", f"{source.meaning_label}：{source.description}"])
    sheet_append(notes, ["唯一键", "、".join(source.column(f).header for f in source.natural_key)])
    sheet_append(notes, [])
    sheet_append(notes, ["列名", "必填", "说明"])
    for column in source.columns:
        sheet_append(notes, [column.header, "是" if column.required else "否", column.describe()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(source: Source) -> bytes:
    """UTF-8 with BOM so Excel opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(source.headers)
    writer.writerow(example_row(source))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_json(source: Source) -> bytes:
    return json.dumps([dict(zip(source.headers, example_row(source), strict=True))], ensure_ascii=False,
                      indent=2).encode("utf-8")
