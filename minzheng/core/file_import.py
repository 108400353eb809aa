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
