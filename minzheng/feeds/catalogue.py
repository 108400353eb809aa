"""The catalogue of department data sources: one YAML file per source in
``minzheng/feeds/sources/`` (docs/adr/0005-department-data.md).

A source file names the department, its columns (Chinese header, field name,
type, required), what one record means (income per month, an asset, an
expense, an event or reference information), which fields carry the record's
month, date, amount and category, and the natural key that makes a record
unique. Adding a department is adding a file; the loader checks every file
at start-up so a typo fails loudly, not at import time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policy.money import parse_yuan

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
COLUMN_TYPES = ("id_number", "date", "month", "amount", "decimal", "int", "code", "credit_code", "account", "text")
MEANINGS = {
    "income": "收入（按月）",
    "asset": "财产",
    "expense": "支出",
    "event": "事件",
    "reference": "参考信息",
}
EVENT_RULES = ("death", "moved_out", "disability_certificate", "job_loss", "large_medical_bill")


class SourceConfigError(ValueError):
    """A source YAML file is malformed."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    type: str
    required: bool
    values: tuple[str, ...] = ()
    note: str = ""
    example: str = ""

    def describe(self) -> str:
        """Chinese description for the template's notes sheet."""
        texts = {
            "id_number": "18位居民身份证号码",
            "date": "日期，YYYY-MM-DD",
            "month": "月份，YYYY-MM",
            "amount": "金额（元），非负数，最多两位小数",
            "decimal": "非负数，最多两位小数",
            "int": "非负整数",
            "code": "可选值：" + "、".join(self.values),
            "credit_code": "18位统一社会信用代码",
            "account": "账户号码（只保存后四位）",
            "text": "文字",
        }
        return texts[self.type] + (f"；{self.note}" if self.note else "")


@dataclass(frozen=True)
class Category:
    """A record's category: fixed, or looked up from a code field."""

    fixed: str = ""
    field: str = ""
    values: tuple[tuple[str, str], ...] = ()
    default: str = ""

    def of(self, row: dict[str, Any]) -> str:
        if self.fixed:
            return self.fixed
        return dict(self.values).get(row.get(self.field, ""), self.default)


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    department: str
    family: str
    description: str
    meaning: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    month_field: str = ""
    date_field: str = ""
    amount_field: str = ""
    subject_field: str = ""
    category: Category = Category()
    events: tuple[str, ...] = ()
    large_medical_bill_fen: int = 0

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def meaning_label(self) -> str:
        return MEANINGS[self.meaning]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def _parse(path: Path) -> Source:
    def fail(message: str) -> SourceConfigError:
        return SourceConfigError(f"{path.name}: {message}")

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise fail("expected a mapping")
    for key in ("code", "name", "department", "family", "description", "meaning", "columns", "natural_key"):
        if not data.get(key):
            raise fail(f"'{key}' is required")
    if data["code"] != path.stem:
        raise fail("code must equal the file name")
    if data["meaning"] not in MEANINGS:
        raise fail(f"meaning must be one of {sorted(MEANINGS)}")
    columns = []
    for raw in data["columns"]:
        if raw.get("type") not in COLUMN_TYPES:
            raise fail(f"column {raw.get('header')}: type must be one of {COLUMN_TYPES}")
        if raw["type"] == "code" and not raw.get("values"):
            raise fail(f"column {raw['header']}: a code column needs values")
        columns.append(Column(
            header=str(raw["header"]), field=str(raw["field"]), type=raw["type"], required=bool(raw.get("required")),
            values=tuple(str(v) for v in raw.get("values", ())), note=str(raw.get("note", "")),
            example=str(raw.get("example", "")),
        ))
    fields = [c.field for c in columns]
    if len(set(fields)) != len(fields) or len({c.header for c in columns}) != len(columns):
        raise fail("column fields and headers must be unique")
    if "id_number" not in fields or next(c for c in columns if c.field == "id_number").type != "id_number":
        raise fail("every source needs an id_number column of type id_number")
    key = tuple(data["natural_key"])
    if key[0] != "id_number" or not set(key) <= set(fields):
        raise fail("natural_key must start with id_number and name existing fields")
    record = data.get("record") or {}
    for name in ("month", "date", "amount", "subject"):
        if record.get(name) and record[name] not in fields:
            raise fail(f"record.{name} names an unknown field {record[name]}")
    raw_category = record.get("category", "")
    if isinstance(raw_category, dict):
        category = Category(field=raw_category["field"], default=raw_category["default"],
                            values=tuple((str(k), str(v)) for k, v in raw_category["values"].items()))
    else:
        category = Category(fixed=str(raw_category))
    events = tuple(data.get("events", ()))
    if unknown := set(events) - set(EVENT_RULES):
        raise fail(f"unknown event rules {sorted(unknown)}")
    threshold = data.get("large_medical_bill_yuan")
    if "large_medical_bill" in events and threshold is None:
        raise fail("large_medical_bill needs large_medical_bill_yuan")
    return Source(
        code=data["code"], name=data["name"], department=data["department"], family=data["family"],
        description=data["description"].strip(), meaning=data["meaning"], columns=tuple(columns), natural_key=key,
        month_field=record.get("month", ""), date_field=record.get("date", ""),
        amount_field=record.get("amount", ""), subject_field=record.get("subject", ""), category=category,
        events=events, large_medical_bill_fen=parse_yuan(threshold or 0),
    )


@functools.cache
def sources(directory: Path = SOURCES_DIR) -> dict[str, Source]:
    """Every configured source by code (loaded once per process)."""
    found = {path.stem: _parse(path) for path in sorted(directory.glob("*.yaml"))}
    if not found:
        raise SourceConfigError(f"no source files under {directory}")
    return found


def source_get(code: str) -> Source:
    """The source called ``code``; ``KeyError`` carries a Chinese message."""
    try:
        return sources()[code]
    except KeyError:
        raise KeyError(f"未知的数据来源“{code}”，可用：{'、'.join(sources())}") from None
