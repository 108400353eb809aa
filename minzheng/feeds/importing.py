"""Import of one department file (docs/adr/0005-department-data.md).

1. The file's SHA-256 is computed first; a file already imported for the
   source changes nothing (``FeedImportResult.already_imported``).
2. Rows are read as a stream and validated in chunks (``validation``): good
   rows go to a temporary staging table through ``core.bulk_copy.copy_rows``
   (PostgreSQL ``COPY``), bad rows to ``QuarantinedRow`` with row, column and
   the Chinese reason. Nothing of a bad row is kept as a record.
3. One ``INSERT … SELECT … ON CONFLICT (source, key_hash) DO NOTHING`` moves
   the staged rows into ``FeedRecord``, linking each to the registry person
   with the same blind index (unmatched rows keep the index, person null), so
   a record already received in an overlapping file is not duplicated.
4. Events are derived from the new records (``events``); deaths update the
   registry through its own service.

All of it is one transaction with one audit entry for the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.bounds import HEADER_ONLY, day_check
from minzheng.core.bulk_copy import copy_columns, copy_rows
from minzheng.core.file_import import ImportFileError, Problem
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.core.personal_data import mask_id_number
from minzheng.feeds import events
from minzheng.feeds.catalogue import Source, source_get
from minzheng.feeds.models import FeedFile, FeedRecord, FeedReply, QuarantinedRow, ReplyKind
from minzheng.feeds.reading import file_sha256, open_rows
from minzheng.feeds.validation import (
    AccountNumber,
    CellError,
    mask_account,
    masked_filename,
    validator,
)
from minzheng.registry.models import Person

logger = logging.getLogger(__name__)
STAGING = "feeds_import_staging"
STAGED_COLUMNS = ("row_number", "person_index", "id_number_masked", "key_hash", "month", "event_date",
                  "amount_fen", "category", "data")
DEFAULT_CHUNK_ROWS = 50_000
PROBLEMS_KEPT_IN_RESULT = 200

# Cross-column rules per source: (field that must be ≥, field that must be ≤,
# the column blamed, the Chinese reason).
ORDER_RULES = {
    "hrss_employment": [("end_date", "start_date", "end_date", "终止日期不能早于就业登记日期")],
    "cremation": [("cremated_on", "death_date", "cremated_on", "火化日期不能早于死亡日期")],
    "medical_oop": [("total", "out_of_pocket", "out_of_pocket", "个人自负不能超过医疗总费用")],
}


@dataclass
class FeedImportResult:
    file: FeedFile
    already_imported: bool = False
    problems: list[Problem] = field(default_factory=list)  # the first few, for the command line


def _as_stream(content: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(content) if isinstance(content, bytes | bytearray) else content


@dataclass
class _Progress:
    total: int = 0
    good: int = 0
    bad: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)

    def saw(self, day: dt.date | None, *, month: bool) -> None:
        if day is None:
            return
        end = _month_end(day) if month else day
        self.first = day if self.first is None or day < self.first else self.first
        self.last = end if self.last is None or end > self.last else self.last


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class _RowChecker:
    """Validates one source's rows into staging columns or problems."""

    def __init__(self, source: Source, today: dt.date) -> None:
        self.source = source
        self.parsers = [(c, validator(c, today)) for c in source.columns]
        self.key_fields = source.natural_key
        self.order_rules = ORDER_RULES.get(source.code, [])
        self.headers = {c.field: c.header for c in source.columns}

    def check_chunk(self, chunk: list[tuple[int, dict[str, str]]]) -> tuple[list[list[object]], dict[int, list[tuple[str, str]]]]:
        """Validate a chunk, column by column.

        Per row: an empty required cell is "必填项为空", any other cell goes
        through its column's parser (``validation.validator``); a row with no
        cell error is then checked against ``ORDER_RULES``. A row with any
        problem is quarantined whole.

        A department file repeats values (one person's ID number in every
        month, a handful of months, a few hundred employers), so each column's
        distinct texts are parsed once and the rows look their result up; the
        staged columns are built the same way (``data`` as JSON fragments per
        distinct value, joined per row — the text ``json.dumps`` would give).
        Returns the staged columns (``STAGED_COLUMNS`` order, good rows only)
        and the problems of the bad rows by position in the chunk, in column
        order."""
        count = len(chunk)
        bad: dict[int, list[tuple[str, str]]] = {}
        parsed: dict[str, list[Any]] = {}
        good_of: dict[str, dict[str, Any]] = {}
        texts_of: dict[str, list[str]] = {}
        for column, parse in self.parsers:
            header = column.header
            texts = [row.get(header, "") for _, row in chunk]
            texts_of[column.field] = texts
            good: dict[str, Any] = {}
            reasons: dict[str, str] = {}
            distinct = set(texts)
            for text in distinct:
                if not text:
                    continue
                try:
                    good[text] = parse(text)
                except CellError as err:
                    reasons[text] = str(err)
            if reasons or (column.required and "" in distinct):
                for i, text in enumerate(texts):
                    if not text:
                        if column.required:
                            bad.setdefault(i, []).append((header, "必填项为空"))
                    elif text in reasons:
                        bad.setdefault(i, []).append((header, reasons[text]))
            parsed[column.field] = [good.get(t) for t in texts]
            good_of[column.field] = good
        cell_errors = set(bad)
        for greater, lesser, blamed, message in self.order_rules:
            highs, lows = parsed.get(greater), parsed.get(lesser)
            if highs is None or lows is None:
                continue
            for i, (high, low) in enumerate(zip(highs, lows, strict=True)):
                if high is not None and low is not None and high < low and i not in cell_errors:
                    bad.setdefault(i, []).append((self.headers[blamed], message))
        keep = [i for i in range(count) if i not in bad] if bad else range(count)
        return self._staged_columns(chunk, keep, parsed, texts_of, good_of), bad

    def _staged_columns(self, chunk: list[tuple[int, dict[str, str]]], keep: Any, parsed: dict[str, list[Any]],
                        texts_of: dict[str, list[str]], good_of: dict[str, dict[str, Any]]) -> list[list[object]]:
        """The staged columns of the rows at ``keep``; per-value work (key
        parts, JSON fragments, ISO dates) is done once per distinct text."""

        def by_text(field_name: str, convert: Any, empty: object) -> list[object]:
            table = {text: convert(value) for text, value in good_of[field_name].items()}
            texts = texts_of[field_name]
            return [table.get(texts[i], empty) for i in keep]

        source = self.source
        people = parsed["id_number"]
        index = [people[i][0] for i in keep]
        masked = [people[i][1] for i in keep]
        key_columns = [by_text(f, _key_part, "") if f in good_of else [""] * len(index)
                       for f in self.key_fields[1:]]
        prefix = source.code + "\x1f"
        sha = hashlib.sha256
        if key_columns:
            key_hash = [sha((prefix + "\x1f".join(parts)).encode()).hexdigest()[:32]
                        for parts in zip(index, *key_columns, strict=True)]
        else:
            key_hash = [sha((prefix + i).encode()).hexdigest()[:32] for i in index]
        fragments = [by_text(column.field, functools.partial(_json_fragment, column.field), "")
                     for column, _ in self.parsers if column.field != "id_number"]
        data = ["{" + ",".join(filter(None, parts)) + "}" for parts in zip(*fragments, strict=True)] if fragments \
            else ["{}"] * len(index)

        def iso(field_name: str) -> list[object]:
            if not field_name or field_name not in good_of:
                return [None] * len(index)
            return by_text(field_name, lambda value: value.isoformat() if value is not None else None, None)

        month, day = iso(source.month_field), iso(source.date_field)
        if source.amount_field and source.amount_field in parsed:
            amounts = parsed[source.amount_field]
            amount: list[object] = [amounts[i] for i in keep]
        else:
            amount = [None] * len(index)
        category_rule = source.category
        if category_rule.fixed:
            category = [category_rule.fixed] * len(index)
        else:
            table = dict(category_rule.values)
            coded = parsed.get(category_rule.field)
            category = ([table.get(coded[i], category_rule.default) for i in keep] if coded is not None
                        else [table.get("", category_rule.default)] * len(index))
        numbers = [chunk[i][0] for i in keep]
        return [numbers, index, masked, key_hash, month, day, amount, category, data]

def _json_fragment(field_name: str, value: Any) -> str:
    """``"field":value`` as ``json.dumps`` writes it in a record's ``data``
    (an account as its last 4 and blind index, never the whole number;
    nothing for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, AccountNumber):
        return f"{_json(field_name)}:{_json(value.last4)},{_json(field_name + '_index')}:{_json(value.index)}"
    return f"{_json(field_name)}:{_json(value.isoformat() if isinstance(value, dt.date) else value)}"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _key_part(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, AccountNumber):
        return value.index
    return str(value)


def _masked_raw(source: Source, row: dict[str, str]) -> dict[str, str]:
    id_header = source.column("id_number").header
    raw = {h: row.get(h, "") for h in source.headers}
    raw[id_header] = mask_id_number(raw[id_header]) if raw[id_header] else ""
    for column in source.columns:
        if column.type == "account" and raw[column.header]:
            raw[column.header] = mask_account(raw[column.header])
    return raw


def _create_staging() -> None:
    data_type = "jsonb" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Keep the staging table in memory; only takes effect before the
            # session's first temporary table, else silently ignored.
            cursor.execute("SET LOCAL temp_buffers = '512MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (row_number integer, person_index varchar(40), "
            "id_number_masked varchar(18), key_hash varchar(32), month date, event_date date, amount_fen bigint, "
            f"category varchar(32), data {data_type})"
        )


def _drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")


def _move_staged(file: FeedFile) -> tuple[int, int]:
    """Staged rows → records, linked to persons, skipping known natural keys;
    returns (records written, of which without a person).

    The rows go in natural-key order (``key_hash`` in byte order, which is
    the unique index's order: the keys are hex digits), so the conflict check
    and the index insert walk the natural-key index from left to right
    instead of landing on a random page for every row; of two rows of the
    file with the same key the first (lowest row number) is kept. On
    PostgreSQL the counts come from the same statement (``RETURNING`` into a
    count), not from reading the new records back."""
    record = FeedRecord._meta.db_table
    person = Person._meta.db_table
    postgres = connection.vendor == "postgresql"
    byte_order = ' COLLATE "C"' if postgres else ""
    insert = (
        f"INSERT INTO {record} (source, file_id, row_number, person_id, person_index, id_number_masked, key_hash, "
        "month, event_date, amount_fen, category, data) "
        f"SELECT %s, %s, s.row_number, COALESCE(p.merged_into_id, p.id), s.person_index, s.id_number_masked, "
        "s.key_hash, s.month, s.event_date, s.amount_fen, s.category, s.data "
        f"FROM {STAGING} s LEFT JOIN {person} p ON p.id_number_index = s.person_index "
        f"WHERE true ORDER BY s.key_hash{byte_order}, s.row_number "
        "ON CONFLICT (source, key_hash) DO NOTHING"
    )
    with connection.cursor() as cursor:
        if not postgres:
            cursor.execute(insert, [file.source, file.pk])
            written = cursor.rowcount
            return written, FeedRecord.objects.filter(file=file, person__isnull=True).count()
        cursor.execute("SET LOCAL work_mem = '256MB'")  # sort and hash join in memory
        cursor.execute(f"WITH written AS ({insert} RETURNING person_id) "
                       "SELECT count(*), count(*) FILTER (WHERE person_id IS NULL) FROM written",
                       [file.source, file.pk])
        written, unmatched = cursor.fetchone()
        return int(written), int(unmatched)


def _chunks(rows: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def feed_file_import(
    *,
    actor: User,
    source_code: str,
    filename: str,
    content: bytes | IO[bytes],
    received_at: dt.datetime | None = None,
    today: dt.date | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    complete_extract: bool = False,
    extract_period: tuple[dt.date, dt.date] | None = None,
    progress: Callable[[str, int | None, int | None], None] | None = None,
) -> FeedImportResult:
    """Validate and store one department file; see the module docstring.

    ``complete_extract``: the department sent every record of the district
    for the file's period, so a person without a record in it has **replied
    "no record"** for that period (a ``FeedReply``); without it, only the
    persons and months present in the file count as replied.
    ``extract_period`` states the period a complete extract covers (default:
    the period of its records); it needs ``complete_extract``.
    ``progress(stage, done, total)`` hears the stages (校验并暂存 with the rows
    read so far, 写入记录, 生成事件); the job ``feeds_import`` shows them (ADR 0017).

    Raises ``ImportFileError`` (Chinese) when the file as a whole cannot be
    read or lacks required columns; nothing is stored then.
    """
    require(actor, "feeds.import")  # department files arrive at district level
    report = progress or (lambda stage, done, total: None)
    if extract_period is not None:
        if not complete_extract:
            raise ValidationError("只有全量数据才能声明数据期间")
        day_check(extract_period[0], "数据期间起", latest=None)
        if extract_period[1] < extract_period[0]:
            raise ValidationError("数据期间止不能早于数据期间起")
        if extract_period[1] > (today or timezone.localdate()):
            raise ValidationError("数据期间不能晚于今天")
    try:
        source = source_get(source_code)
    except KeyError as err:
        raise ValidationError(str(err.args[0])) from err
    stream = _as_stream(content)
    sha, size = file_sha256(stream)
    existing = FeedFile.objects.filter(source=source.code, file_sha256=sha).first()
    if existing is not None:
        return FeedImportResult(file=existing, already_imported=True)
    rows = open_rows(filename, stream, source.headers)
    missing = [c.header for c in source.columns if c.required and c.header not in rows.header]
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}（请使用“{source.name}”的模板）")
    started = time.perf_counter()
    today = today or timezone.localdate()
    checker = _RowChecker(source, today)
    tally = _Progress()
    with transaction.atomic():
        feed_file = FeedFile.objects.create(
            source=source.code, filename=filename[:255], file_sha256=sha, size_bytes=size,
            received_at=received_at or timezone.now(), imported_by=actor.username,
        )
        _create_staging()
        timings = {"validate": 0.0, "stage": 0.0}
        try:
            for chunk in _chunks(rows.rows, chunk_rows):
                mark = time.perf_counter()
                staged, quarantined = _check_chunk(checker, source, chunk, feed_file, tally)
                timings["validate"] += time.perf_counter() - mark
                mark = time.perf_counter()
                copy_columns(STAGING, STAGED_COLUMNS, staged)
                copy_rows(QuarantinedRow._meta.db_table,
                          ("file_id", "row_number", "column_label", "reason", "raw"), quarantined)
                timings["stage"] += time.perf_counter() - mark
                report("校验并暂存", tally.total, None)
            report("写入记录", None, None)
            mark = time.perf_counter()
            new_records, unmatched = _move_staged(feed_file)
            timings["insert"] = time.perf_counter() - mark
        finally:
            _drop_staging()
        if tally.total == 0 and not complete_extract:  # rolls the file record back: nothing is stored
            raise ImportFileError(HEADER_ONLY)  # (a complete extract without rows says "no record for anyone")
        report("生成事件", None, None)
        mark = time.perf_counter()
        derived = events.derive_events(actor=actor, source=source, feed_file=feed_file)
        timings["events"] = time.perf_counter() - mark
        logger.info("feeds import %s (file %s): %s", masked_filename(feed_file.filename), feed_file.pk,
                    ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items()))
        _finish(feed_file, tally, new_records, unmatched, derived, time.perf_counter() - started)
        if complete_extract and extract_period is not None:
            feed_file.period_start, feed_file.period_end = extract_period
        if complete_extract and feed_file.period_start is not None:
            feed_file.complete_extract = True
            feed_file.save(update_fields=["complete_extract", "period_start", "period_end"])
            FeedReply.objects.create(source=source.code, kind=ReplyKind.COMPLETE_EXTRACT, file=feed_file,
                                     period_start=feed_file.period_start, period_end=feed_file.period_end,
                                     recorded_by=actor.username)
        audit_record(
            actor=actor, action="feeds.import", object_type="FeedFile", object_id=feed_file.pk, scope_code="",
            changes={
                "source": source.code, "file": masked_filename(feed_file.filename), "sha256": sha, "rows": tally.total,
                "good": tally.good, "new_records": new_records, "bad": tally.bad, "unmatched": unmatched,
                "events": derived.events_created, "deaths": derived.deaths_recorded,
                "complete_extract": feed_file.complete_extract,
            },
        )
    return FeedImportResult(file=feed_file, problems=tally.problems)


def _check_chunk(
    checker: _RowChecker, source: Source, chunk: list[tuple[int, dict[str, str]]], feed_file: FeedFile,
    progress: _Progress,
) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    """Staged columns of the good rows and quarantine rows of the bad ones
    (one per problem, with the row number, the column and the Chinese reason)."""
    staged, bad = checker.check_chunk(chunk)
    progress.total += len(chunk)
    progress.good += len(staged[0])
    progress.bad += len(bad)
    for months, as_month in ((staged[4], True), (staged[5], False)):
        if not as_month and source.month_field:
            continue
        seen = {m for m in months if m}
        if seen:
            progress.saw(dt.date.fromisoformat(min(seen)), month=as_month)
            progress.saw(dt.date.fromisoformat(max(seen)), month=as_month)
    quarantined: list[tuple[object, ...]] = []
    for position in sorted(bad):
        number, row = chunk[position]
        raw = json.dumps(_masked_raw(source, row), ensure_ascii=False)
        for column, reason in bad[position]:
            quarantined.append((feed_file.pk, number, column, reason[:255], raw))
            if len(progress.problems) < PROBLEMS_KEPT_IN_RESULT:
                progress.problems.append(Problem(number, column, reason))
    return staged, quarantined


def _finish(feed_file: FeedFile, progress: _Progress, new_records: int, unmatched: int,
            derived: events.DerivedEvents, seconds: float) -> None:
    feed_file.total_rows = progress.total
    feed_file.good_rows = progress.good
    feed_file.bad_rows = progress.bad
    feed_file.new_records = new_records
    feed_file.duplicate_rows = progress.good - new_records
    feed_file.unmatched_records = unmatched
    feed_file.period_start, feed_file.period_end = progress.first, progress.last
    feed_file.events_created = derived.events_created
    feed_file.deaths_recorded = derived.deaths_recorded
    feed_file.seconds = round(seconds, 3)
    feed_file.save()
