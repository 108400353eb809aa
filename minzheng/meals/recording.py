"""Recording meals: every row checked, bad rows quarantined, the subsidy
decided per row (ADR 0032). Shared by the daily file import and the counter.

Per row, in order:

1. the row is read: a valid ID number (``registry.id_numbers``, stdnum
   ``cn.ric``), a name, a date (YYYY-MM-DD, not after today), a meal time and
   a meal kind from the template's words; the person is in the registry and
   the name matches — otherwise the row is quarantined with its number and
   reason;
2. the row's identity (canteen, elder, day, meal time) already recorded (this
   file or an earlier one) → counted as repeated, nothing written;
3. the subsidy (``rules.decide``): no subsidy after death or for a
   non-eligible person (recorded with the reason); otherwise the tier and the
   rate in force that day, unless the elder already had a subsidised meal
   that day (any canteen): then the meal is recorded unsubsidised
   (当日已享受一次助餐补贴), never rejected.

Rows are processed in chunks (``CHUNK``) and written with ``core.bulk_copy``
(COPY on PostgreSQL): memory stays bounded for a year's file. The caller
holds the transaction and the lock (``services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from minzheng.care_facilities.models import Facility
from minzheng.core.bulk_copy import copy_rows
from minzheng.core.personal_data import blind_index_many
from minzheng.meals.models import MealImport, MealKind, MealRecord, MealSlot, QuarantinedRow
from minzheng.meals.rules import REASON_REPEAT, RateTable, decide, person_facts
from minzheng.registry.models import Person
from minzheng.registry.services import InvalidIdNumber, parse_id_number

CHUNK = 50_000
SLOTS = {label: code for code, label in MealSlot.choices}
KINDS = {label: code for code, label in MealKind.choices}
RECORD_COLUMNS = ("canteen_id", "street_id", "person_id", "day", "slot", "kind", "subsidised", "tier",
                  "subsidy_fen", "rate_id", "reason", "meal_import_id")


@dataclass
class Counts:
    total: int = 0
    recorded: int = 0
    repeated: int = 0
    quarantined: int = 0
    subsidised: int = 0
    subsidy_fen: int = 0


@dataclass(frozen=True)
class Row:
    number: int
    id_number: str
    name: str
    day: dt.date
    slot: str
    kind: str


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class _Reader:
    """Turns raw rows into :class:`Row` or a reason; caches per distinct text."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._ids: dict[str, str | InvalidIdNumber] = {}
        self._days: dict[str, dt.date | str] = {}

    def id_number(self, text: str) -> str:
        known = self._ids.get(text)
        if known is None:
            try:
                known = parse_id_number(text, today=self.today).number
            except InvalidIdNumber as err:
                known = err
            self._ids[text] = known
        if isinstance(known, InvalidIdNumber):
            raise known
        return known

    def day(self, text: str) -> dt.date:
        known = self._days.get(text)
        if known is None:
            try:
                known = dt.date.fromisoformat(text[:10]) if len(text) >= 8 else "用餐日期格式应为 YYYY-MM-DD"
            except ValueError:
                known = "用餐日期格式应为 YYYY-MM-DD"
            if isinstance(known, dt.date) and known > self.today:
                known = "用餐日期晚于今天"
            self._days[text] = known
        if isinstance(known, str):
            raise ValueError(known)
        return known

    def read(self, number: int, values: dict[str, str]) -> Row | str:
        try:
            id_number = self.id_number(values.get("身份证号", ""))
        except InvalidIdNumber as err:
            return f"【身份证号】{err}"
        name = values.get("姓名", "").strip()
        if not name:
            return "【姓名】不能为空"
        try:
            day = self.day(values.get("用餐日期", "").strip())
        except ValueError as err:
            return f"【用餐日期】{err}"
        slot = SLOTS.get(values.get("餐次", "").strip())
        if slot is None:
            return "【餐次】应为：早餐、午餐或晚餐"
        kind = KINDS.get(values.get("用餐方式", "").strip())
        if kind is None:
            return "【用餐方式】应为：堂食或送餐"
        return Row(number, id_number, name, day, slot, kind)


def record_rows(*, canteen: Facility, meal_import: MealImport, rows: Iterable[tuple[int, dict[str, str]]],
                today: dt.date, rates: RateTable | None = None, progress=None) -> Counts:
    """Record ``rows`` for ``canteen`` under ``meal_import``; returns the counts.
    Caller holds the transaction and the meals lock."""
    reader = _Reader(today)
    rates = rates or RateTable()
    counts = Counts()
    people: dict[str, tuple[int, str] | None] = {}  # id number → (person id, name)
    for chunk in _chunks(rows, CHUNK):
        counts.total += len(chunk)
        good: list[Row] = []
        bad: list[QuarantinedRow] = []
        for number, values in chunk:
            row = reader.read(number, values)
            if isinstance(row, str):
                bad.append(QuarantinedRow(meal_import=meal_import, row_number=number, reason=row, values=values))
            else:
                good.append(row)
        unknown = sorted({r.id_number for r in good} - set(people))
        if unknown:
            indexes = blind_index_many(unknown)
            found = {ix: (pk, name) for ix, pk, name in Person.objects.filter(id_number_index__in=indexes)
                     .values_list("id_number_index", "pk", "name")}
            people.update({number: found.get(ix) for number, ix in zip(unknown, indexes, strict=True)})
        resolved: list[tuple[Row, int]] = []
        for row in good:
            person = people.get(row.id_number)
            if person is None:
                reason = "【身份证号】人口库中没有该身份证号，请核对或先登记人员"
            elif person[1] != row.name:
                reason = "【姓名】与人口库中该身份证号的姓名不一致"
            else:
                resolved.append((row, person[0]))
                continue
            bad.append(QuarantinedRow(meal_import=meal_import, row_number=row.number, reason=reason,
                                      values={"身份证号": row.id_number[:6] + "****", "姓名": row.name,
                                              "用餐日期": row.day.isoformat(), "餐次": row.slot,
                                              "用餐方式": row.kind}))
        for q in bad:  # never keep a full ID number in a quarantine row
            text = q.values.get("身份证号", "")
            if len(text) > 10:
                q.values = {**q.values, "身份证号": text[:6] + "*" * (len(text) - 10) + text[-4:]}
        QuarantinedRow.objects.bulk_create(bad, batch_size=2000)
        counts.quarantined += len(bad)
        if not resolved:
            continue
        person_ids = {pk for _, pk in resolved}
        first = min(r.day for r, _ in resolved)
        last = max(r.day for r, _ in resolved)
        seen = set(MealRecord.objects.filter(canteen=canteen, day__range=(first, last), person_id__in=person_ids)
                   .values_list("person_id", "day", "slot").iterator(chunk_size=20000))
        subsidised_days = set(MealRecord.objects.filter(subsidised=True, day__range=(first, last),
                                                        person_id__in=person_ids)
                              .values_list("person_id", "day").iterator(chunk_size=20000))
        facts = person_facts(person_ids)
        out = []
        for row, pk in resolved:
            identity = (pk, row.day, row.slot)
            if identity in seen:
                counts.repeated += 1
                continue
            seen.add(identity)
            decision = decide(facts[pk], row.day, rates)
            subsidised, fen, reason = False, 0, decision.reason
            if decision.rate is not None:
                if (pk, row.day) in subsidised_days:
                    reason = REASON_REPEAT
                else:
                    subsidised, fen = True, decision.rate.amount_fen
                    subsidised_days.add((pk, row.day))
                    counts.subsidised += 1
                    counts.subsidy_fen += fen
            out.append((canteen.pk, canteen.street_id, pk, row.day, row.slot, row.kind, subsidised,
                        decision.tier, fen, decision.rate.pk if decision.rate else None, reason,
                        meal_import.pk))
        counts.recorded += copy_rows(MealRecord._meta.db_table, RECORD_COLUMNS, out)
        if progress:
            progress("登记用餐记录", counts.total, None)
    return counts
