"""A canteen's daily file (助餐点每日用餐记录): CSV, XLSX or JSON with Chinese
headers, read as a stream of ``(row number, values)`` (the header is row 1;
for JSON, the first object is row 2 so numbers match the template), and the
downloadable template (ADR 0032).

Columns: 身份证号, 姓名, 用餐日期 (YYYY-MM-DD), 餐次 (早餐/午餐/晚餐), 用餐方式
(堂食/送餐). A formula cell stops an XLSX file (``core.spreadsheets``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from minzheng.core.file_import import ImportFileError
from minzheng.core.spreadsheets import SafeCsvWriter, sheet_append, xlsx_values

HEADERS = ("身份证号", "姓名", "用餐日期", "餐次", "用餐方式")
EXAMPLE = ("310117195001010011", "张三", "2026-11-02", "午餐", "堂食")


def _check_headers(found: list[str]) -> list[str]:
    names = [str(h or "").strip().lstrip("\ufeff") for h in found]
    missing = [h for h in HEADERS if h not in names]
    if missing:
        raise ImportFileError(f"文件缺少表头：{'、'.join(missing)}（请使用下载的模板）")
    return names


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return str(value).strip()


def read_rows(stream: IO[bytes], file_name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows as dicts of the five columns' text (blank rows skipped)."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows = xlsx_values(stream)
        header = _check_headers(list(next(rows, []) or []))
        for number, row in enumerate(rows, start=2):
            values = {h: _text(row[i]) if i < len(row) else "" for i, h in enumerate(header) if h in HEADERS}
            if any(values.values()):
                yield number, values
    elif name.endswith(".json"):
        try:
            data = json.load(io.TextIOWrapper(stream, encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as err:
            raise ImportFileError("无法读取该 JSON 文件：应为对象数组，键为模板表头") from err
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ImportFileError("JSON 文件应为对象数组，每个对象的键为模板表头")
        if data:
            _check_headers(list(data[0]))
        for number, item in enumerate(data, start=2):
            yield number, {h: _text(item.get(h)) for h in HEADERS}
    elif name.endswith(".csv"):
        head = stream.read(4096)
        stream.seek(0)
        encoding = "utf-8-sig"
        try:  # the head may end inside a character: an incremental decoder leaves it pending
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            encoding = "gb18030"
        reader = csv.reader(codecs.getreader(encoding)(stream))
        try:
            header = _check_headers(next(reader, []))
        except UnicodeDecodeError as err:
            raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV") from err
        try:
            for number, row in enumerate(reader, start=2):
                values = {h: row[i].strip() if i < len(row) else "" for i, h in enumerate(header) if h in HEADERS}
                if any(values.values()):
                    yield number, values
        except UnicodeDecodeError as err:
            raise ImportFileError("文件中有无法识别的字符，请另存为 UTF-8 编码的 CSV") from err
    else:
        raise ImportFileError("请上传 .csv、.xlsx 或 .json 文件")


def template_csv() -> bytes:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(HEADERS)
    writer.writerow(EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "用餐记录"
    sheet_append(sheet, HEADERS)
    sheet_append(sheet, EXAMPLE)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
