"""A canteen's daily file (助餐点每日用餐记录): CSV, XLSX or JSON with Chinese
headers, read as a stream of chunks of rows, column-wise (``read_chunks``;
``read_rows`` gives ``(row number, values)``; the header is row 1; for JSON,
the first object is row 2 so numbers match the template), and the
downloadable template (ADR 0032).

Columns: 身份证号, 姓名, 用餐日期 (YYYY-MM-DD), 餐次 (早餐/午餐/晚餐), 用餐方式
(堂食/送餐). A formula cell stops an XLSX file (``core.spreadsheets``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import IO, Any

from minzheng.core.file_import import ImportFileError
from minzheng.core.spreadsheets import (
    template_csv_bytes,
    template_xlsx_bytes,
    xlsx_values,
)

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


@dataclass
class Chunk:
    """Consecutive rows of a file, column-wise: ``numbers[i]`` is the file row
    of ``columns[h][i]`` for each of the five headers (text, stripped)."""

    numbers: list[int]
    columns: dict[str, list[str]]

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, i: int) -> dict[str, str]:
        return {h: self.columns[h][i] for h in HEADERS}


def chunks_of(rows: Iterable[tuple[int, dict[str, str]]], size: int) -> Iterator[Chunk]:
    """``(row number, values)`` pairs gathered into :class:`Chunk` s of ``size`` rows."""
    it = iter(rows)
    while part := list(islice(it, size)):
        yield Chunk([n for n, _ in part], {h: [v.get(h, "") for _, v in part] for h in HEADERS})


def _csv_chunks(stream: IO[bytes], size: int) -> Iterator[Chunk]:
    """A CSV file in chunks: rows as lists (the C reader), the five columns
    picked and stripped column-wise — no dict per row. Blank rows are skipped
    (their numbers kept for the rows after)."""
    head = stream.read(4096)
    stream.seek(0)
    encoding = "utf-8-sig"
    try:  # the head may end inside a character: an incremental decoder leaves it pending
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
    reader = csv.reader(io.TextIOWrapper(stream, encoding=encoding, newline=""))
    try:
        header = _check_headers(next(reader, []))
    except UnicodeDecodeError as err:
        raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV") from err
    where = {h: i for i, h in enumerate(header) if h in HEADERS}  # a repeated header: the last column counts
    width = max(where.values()) + 1
    pick = itemgetter(*(where[h] for h in HEADERS))
    number = 2
    while True:
        try:
            rows = list(islice(reader, size))
        except UnicodeDecodeError as err:
            raise ImportFileError("文件中有无法识别的字符，请另存为 UTF-8 编码的 CSV") from err
        if not rows:
            return
        numbers = list(range(number, number + len(rows)))
        number += len(rows)
        if min(map(len, rows)) < width:
            rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
        columns = [list(map(str.strip, column)) for column in zip(*map(pick, rows), strict=True)]
        blank = [i for i, v in enumerate(columns[0]) if not v and not any(c[i] for c in columns)]
        if blank:
            keep = sorted(set(range(len(numbers))) - set(blank))
            numbers = [numbers[i] for i in keep]
            columns = [[c[i] for i in keep] for c in columns]
        if numbers:
            yield Chunk(numbers, dict(zip(HEADERS, columns, strict=True)))


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    rows = xlsx_values(stream)
    header = _check_headers(list(next(rows, []) or []))
    for number, row in enumerate(rows, start=2):
        values = {h: _text(row[i]) if i < len(row) else "" for i, h in enumerate(header) if h in HEADERS}
        if any(values.values()):
            yield number, values


def _json_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
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


def read_chunks(stream: IO[bytes], file_name: str, size: int) -> Iterator[Chunk]:
    """The file's rows in :class:`Chunk` s of at most ``size`` rows (blank rows
    skipped): memory stays bounded by the chunk, whatever the file's length
    (a JSON file is one document and is read whole)."""
    name = file_name.lower()
    if name.endswith(".csv"):
        return _csv_chunks(stream, size)
    if name.endswith(".xlsx"):
        return chunks_of(_xlsx_rows(stream), size)
    if name.endswith(".json"):
        return chunks_of(_json_rows(stream), size)
    raise ImportFileError("请上传 .csv、.xlsx 或 .json 文件")


def read_rows(stream: IO[bytes], file_name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows as ``(row number, values)`` (blank rows skipped)."""
    for chunk in read_chunks(stream, file_name, 10_000):
        for i, number in enumerate(chunk.numbers):
            yield number, chunk.row(i)


def template_csv() -> bytes:
    return template_csv_bytes([HEADERS, EXAMPLE])


def template_xlsx() -> bytes:
    return template_xlsx_bytes("用餐记录", [HEADERS, EXAMPLE])
