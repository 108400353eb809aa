"""Streaming readers for department files: CSV, XLSX, JSON and JSON Lines.

The registry importer (``minzheng.registry.importing.read_rows``) reads a
whole file into memory, which suits a committee's spreadsheet. Department
files run to millions of rows, so these readers yield one row at a time and
the importer works in chunks (memory stays bounded whatever the file size).
Every cell comes out as stripped text, as in the registry importer; row
numbers count the header as row 1 (JSON: the first object is row 2 too, so
staff read one numbering everywhere).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from minzheng.core.file_import import ImportFileError
from minzheng.core.spreadsheets import xlsx_values

FORMATS = (".csv", ".xlsx", ".json", ".jsonl")
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class Rows:
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


def file_sha256(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of the whole stream; rewinds it afterwards."""
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    while block := stream.read(1 << 20):
        digest.update(block)
        size += len(block)
    stream.seek(0)
    return digest.hexdigest(), size


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _encoding(stream: IO[bytes]) -> str:
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the boundary is not an error
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError as err:
        raise ImportFileError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码") from err


def _dict_rows(header: list[str], raw: Iterator[list[object]], first_row: int = 2) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    for number, values in enumerate(raw, start=first_row):
        texts = [v.strip() if type(v) is str else cell_text(v) for v in values]  # CSV cells are text already
        if not any(texts):
            continue
        if len(texts) < width:
            texts += [""] * (width - len(texts))
        yield number, dict(zip(header, texts, strict=False))


def read_csv(stream: IO[bytes]) -> Rows:
    text = io.TextIOWrapper(stream, encoding=_encoding(stream), newline="")
    reader = csv.reader(text)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("文件为空") from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise ImportFileError(f"无法读取 CSV 文件：{err}") from err
    return Rows(header, _dict_rows(header, reader))


def read_xlsx(stream: IO[bytes]) -> Rows:
    values = xlsx_values(stream)
    try:
        header = [cell_text(h) for h in next(values)]
    except StopIteration:
        raise ImportFileError("文件为空") from None
    return Rows(header, _dict_rows(header, (list(r) for r in values)))


def _object_rows(objects: Iterator[object], header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, obj in enumerate(objects, start=2):
        if not isinstance(obj, dict):
            raise ImportFileError(f"第{number}行（第{number - 1}个对象）不是 JSON 对象")
        row = {h: cell_text(obj.get(h)) for h in header}
        if any(row.values()):
            yield number, row


def read_json(stream: IO[bytes], headers: list[str]) -> Rows:
    """A JSON array of objects keyed by the Chinese headers, or ``{"records": [...]}``."""
    try:
        data = json.load(io.TextIOWrapper(stream, encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFileError(f"JSON 格式错误：{err}") from err
    if isinstance(data, dict):
        data = data.get("records")
    if not isinstance(data, list):
        raise ImportFileError("JSON 文件应为对象数组，或包含 records 数组的对象")
    seen = {key for obj in data[:100] if isinstance(obj, dict) for key in obj}
    return Rows([h for h in headers if h in seen], _object_rows(iter(data), headers))


def read_jsonl(stream: IO[bytes], headers: list[str]) -> Rows:
    """One JSON object per line (streamed)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")

    def objects() -> Iterator[object]:
        for number, line in enumerate(text, start=2):
            if not line.strip():
                yield {}
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                raise ImportFileError(f"第{number}行不是有效的 JSON：{err}") from err

    return Rows(list(headers), _object_rows(objects(), headers))


def open_rows(filename: str, stream: IO[bytes], headers: list[str]) -> Rows:
    """Rows of ``stream`` by the file's suffix (.csv, .xlsx, .json, .jsonl)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return read_csv(stream)
    if suffix == ".xlsx":
        return read_xlsx(stream)
    if suffix == ".json":
        return read_json(stream, headers)
    if suffix == ".jsonl":
        return read_jsonl(stream, headers)
    raise ImportFileError(f"只支持 {'、'.join(FORMATS)} 文件")
