"""Building department files for tests: rows keyed by field name, written
with the source's Chinese headers as CSV, XLSX, JSON or JSON Lines."""

from __future__ import annotations

import csv
import io
import json

from minzheng.feeds.catalogue import source_get


def _header_rows(code: str, rows: list[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    source = source_get(code)
    return source.headers, [[str(row.get(c.field, "")) for c in source.columns] for row in rows]


def csv_file(code: str, rows: list[dict[str, str]]) -> bytes:
    headers, values = _header_rows(code, rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(values)
    return out.getvalue().encode("utf-8-sig")


def xlsx_file(code: str, rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    headers, values = _header_rows(code, rows)
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in values:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_file(code: str, rows: list[dict[str, str]]) -> bytes:
    headers, values = _header_rows(code, rows)
    return json.dumps([dict(zip(headers, v, strict=True)) for v in values], ensure_ascii=False).encode()


def jsonl_file(code: str, rows: list[dict[str, str]]) -> bytes:
    headers, values = _header_rows(code, rows)
    return "\n".join(json.dumps(dict(zip(headers, v, strict=True)), ensure_ascii=False) for v in values).encode()
