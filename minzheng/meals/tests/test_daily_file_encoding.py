"""A canteen's CSV is read as UTF-8 even when the first 4,096 bytes (the part
looked at to tell UTF-8 from GB18030) end inside a Chinese character; a GB18030
file is still read as GB18030."""

from __future__ import annotations

import io

from minzheng.meals.daily_files import HEADERS, read_rows


def _csv(rows: int, pad: int = 0) -> str:
    lines = [",".join(HEADERS), f"310117195001010011,张{'a' * pad},2026-11-02,午餐,堂食"]
    lines += [f"310117195001010011,张三丰{i},2026-11-02,午餐,堂食" for i in range(rows)]
    return "\n".join(lines) + "\n"


def _head_cut_inside_a_character(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_utf8_head_cut_inside_a_character_is_still_utf8():
    data = next(d for pad in range(0, 8) if _head_cut_inside_a_character(d := _csv(200, pad).encode("utf-8")))
    rows = list(read_rows(io.BytesIO(data), "day.csv"))
    assert len(rows) == 201 and rows[-1][1]["姓名"] == "张三丰199"


def test_gb18030_file_is_read_as_gb18030():
    rows = list(read_rows(io.BytesIO(_csv(3).encode("gb18030")), "day.csv"))
    assert [r[1]["姓名"] for r in rows] == ["张", "张三丰0", "张三丰1", "张三丰2"]
