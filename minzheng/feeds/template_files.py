"""Downloadable import templates, one per source: Chinese headers, one example
row, and a notes sheet generated from the source's YAML (so the template and
the validation can never disagree)."""

from __future__ import annotations

import json

from minzheng.core.spreadsheets import (
    template_csv_bytes,
    template_xlsx_bytes,
)
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
    return template_xlsx_bytes(source.name, [source.headers, example_row(source)], [
        ["数据来源", source.name], ["报送部门", source.department],
        ["记录含义", f"{source.meaning_label}：{source.description}"],
        ["唯一键", "、".join(source.column(f).header for f in source.natural_key)], [],
        ["列名", "必填", "说明"],
        *([column.header, "是" if column.required else "否", column.describe()] for column in source.columns)])


def template_csv(source: Source) -> bytes:
    """UTF-8 with BOM so Excel opens the Chinese headers correctly."""
    return template_csv_bytes([source.headers, example_row(source)])


def template_json(source: Source) -> bytes:
    return json.dumps([dict(zip(source.headers, example_row(source), strict=True))], ensure_ascii=False,
                      indent=2).encode("utf-8")
