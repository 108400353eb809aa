"""Reading the call centre's and the sensors' feed files (CSV or JSONL; ADR 0033).

A file is CSV (UTF-8, header row; Chinese or English column names) or JSON
Lines (one object per line, ``.jsonl``). Each row is checked on its own: a bad
row is quarantined with its row number and reason (``Problem``), the others
go on. Times are ``YYYY-MM-DD HH:MM[:SS]`` local (Asia/Shanghai) or ISO 8601
with an offset.

Call feed columns: 时间 (time), 终端编号 (device), 类型 (kind: 紧急求助 / 医疗 /
咨询 / 聊天), 派单对象 (responder: 家属 / 居委 / 120, optional), 派单时间
(dispatched_at), 到达时间 (arrived_at), 处置完成时间 (resolved_at).
Sensor feed columns: 设备编号 (device), 时间 (time), 用水量 (litres: water
meters, litres since the previous reading), 报警 (alarm: 是/否, 1/0, true/false).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from minzheng.core.file_import import ImportFileError, Problem
from minzheng.elder_alerts.models import CallKind, Responder

ALIASES = {
    "时间": "time", "呼叫时间": "time", "终端编号": "device", "设备编号": "device", "类型": "kind", "呼叫类型": "kind",
    "派单对象": "responder", "派单时间": "dispatched_at", "到达时间": "arrived_at", "处置完成时间": "resolved_at",
    "用水量": "litres", "用水量（升）": "litres", "报警": "alarm", "备注": "note",
}
LABELS = {"time": "时间", "device": "设备编号", "kind": "类型", "responder": "派单对象", "dispatched_at": "派单时间",
          "arrived_at": "到达时间", "resolved_at": "处置完成时间", "litres": "用水量", "alarm": "报警", "note": "备注"}
KINDS = {**{label: code for code, label in CallKind.choices}, **{code: code for code in CallKind.values}}
RESPONDERS = {**{label: code for code, label in Responder.choices}, **{code: code for code in Responder.values}}
TRUE, FALSE = {"是", "1", "true", "yes", "报警", "y"}, {"否", "0", "false", "no", "", "n"}
MAX_ROWS = 2_000_000


class RowError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]


def rows_of(data: bytes, filename: str) -> Iterator[Row]:
    """The file's rows as dicts with English keys; ``number`` as a person counts
    (CSV: the header is row 1; JSONL: line number)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("文件不是 UTF-8 编码的文本") from None
    if filename.lower().endswith((".jsonl", ".json", ".ndjson")):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                yield Row(number, {"_error": "不是有效的 JSON"})
                continue
            if not isinstance(obj, dict):
                yield Row(number, {"_error": "每行应为一个 JSON 对象"})
                continue
            yield Row(number, {ALIASES.get(k, k): v for k, v in obj.items()})
        return
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ImportFileError("文件为空或缺少表头")
    keys = [ALIASES.get(h.strip(), h.strip()) for h in header]
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        yield Row(number, {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(keys)})


def parse_time(value: Any, column: str, *, required: bool = True) -> dt.datetime | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise RowError(LABELS[column], "不能为空")
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RowError(LABELS[column], f"时间格式不正确（{text[:30]}），应为 YYYY-MM-DD HH:MM") from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def call_values(values: dict[str, Any]) -> dict[str, Any]:
    """One call row checked: device number, times, kind, responder."""
    device = str(values.get("device") or "").strip()
    if not device:
        raise RowError("终端编号", "不能为空")
    kind = KINDS.get(str(values.get("kind") or "").strip())
    if kind is None:
        raise RowError("类型", "应为 紧急求助、医疗、咨询 或 聊天")
    responder_text = str(values.get("responder") or "").strip()
    responder = RESPONDERS.get(responder_text, None) if responder_text else ""
    if responder is None:
        raise RowError("派单对象", "应为 家属、居委 或 120")
    called_at = parse_time(values.get("time"), "time")
    out = {"device": device, "kind": kind, "responder": responder, "called_at": called_at,
           "dispatched_at": parse_time(values.get("dispatched_at"), "dispatched_at", required=False),
           "arrived_at": parse_time(values.get("arrived_at"), "arrived_at", required=False),
           "resolved_at": parse_time(values.get("resolved_at"), "resolved_at", required=False),
           "note": str(values.get("note") or "").strip()[:200]}
    for field in ("dispatched_at", "arrived_at", "resolved_at"):
        if out[field] is not None and out[field] < called_at:
            raise RowError(LABELS[field], "早于呼叫时间")
    return out


def sensor_values(values: dict[str, Any]) -> dict[str, Any]:
    """One sensor row checked: device number, time, litres (≥ 0) and alarm flag."""
    device = str(values.get("device") or "").strip()
    if not device:
        raise RowError("设备编号", "不能为空")
    at = parse_time(values.get("time"), "time")
    raw = values.get("litres")
    litres = None
    if raw not in (None, ""):
        try:
            litres = int(str(raw).strip())
        except ValueError:
            raise RowError("用水量", f"应为整数升数（{str(raw)[:20]}）") from None
        if litres < 0:
            raise RowError("用水量", "不能为负数")
    alarm_raw = values.get("alarm")
    alarm_text = str(alarm_raw).strip().lower() if alarm_raw is not None else ""
    if isinstance(alarm_raw, bool):
        alarm = alarm_raw
    elif alarm_text in TRUE:
        alarm = True
    elif alarm_text in FALSE:
        alarm = False
    else:
        raise RowError("报警", "应为 是 或 否")
    return {"device": device, "at": at, "litres": litres, "alarm": alarm}


def problem(row: Row, err: RowError) -> Problem:
    return Problem(row.number, err.column, str(err))
