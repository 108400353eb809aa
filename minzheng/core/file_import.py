"""What every file import shares: the error for a file that cannot be read
as a whole, and one problem found in one row. Used by the registry import,
department feeds and (through them) everything that reads staff's files."""

from __future__ import annotations

from dataclasses import dataclass


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, missing headers)."""


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str

    def as_text(self) -> str:
        return f"第{self.row}行【{self.column}】{self.message}"


def table_rows(filename: str, data: bytes) -> list[list[object]]:
    """The rows of an uploaded .xlsx (first sheet, formulas refused) or .csv
    (UTF-8 or GB18030) file; :class:`ImportFileError` for any other file."""
    import csv
    import io

    from minzheng.core.spreadsheets import xlsx_values
    from minzheng.core.text_encoding import decode_chinese_text

    name = filename.lower()
    if name.endswith(".xlsx"):
        return list(xlsx_values(io.BytesIO(data)))
    if name.endswith(".csv"):
        text = decode_chinese_text(data)
        if text is None:
            raise ImportFileError("无法读取该 CSV 文件，请使用 UTF-8 或 GB18030 编码")
        return [list(row) for row in csv.reader(io.StringIO(text))]
    raise ImportFileError("请上传 .xlsx 或 .csv 文件")
