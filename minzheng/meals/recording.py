"""Recording meals: every row checked, bad rows quarantined, the subsidy
decided per row (ADR 0032). Shared by the daily file import and the counter.

Per row, in order:

1. the row is read: a valid ID number (``registry.id_numbers``, stdnum
   ``cn.ric``), a name, a date (YYYY-MM-DD, not after today), a meal time and
   a meal kind from the template's words; the person is in the registry and
   the name matches — otherwise the row is quarantined with its number and
   reason (the first failing check, in this order);
2. the row's identity (canteen, elder, day, meal time) already recorded (this
   file or an earlier one) → counted as repeated, nothing written;
3. the subsidy (``rules.decide_many``): no subsidy after death or for a
   non-eligible person (recorded with the reason); otherwise the tier and the
   rate in force that day, unless the elder already had a subsidised meal
   that day (any canteen; the first such row of the file in file order):
   then the meal is recorded unsubsidised (当日已享受一次助餐补贴), never
   rejected.

Rows are processed in chunks (``CHUNK``), column-wise: each check runs once
per *distinct* text of its column (a month's file repeats the same few ID
numbers, dates and words thousands of times), the rows take the results
through numpy index arrays, and the rules run on whole arrays (``rules``).
The records are written with ``core.bulk_copy`` (COPY on PostgreSQL, rows on
SQLite): memory stays bounded by the chunk for a file of any length. The
caller holds the transaction and the lock (``services``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from minzheng.care_facilities.models import Facility
from minzheng.core.bulk_copy import copy_columns
from minzheng.core.personal_data import blind_index_many
from minzheng.meals.daily_files import HEADERS, Chunk, chunks_of
from minzheng.meals.models import MealImport, MealKind, MealRecord, MealSlot, QuarantinedRow
from minzheng.meals.rules import REASON_REPEAT, FactColumns, RateTable, decide_many
from minzheng.registry.models import Person
from minzheng.registry.services import InvalidIdNumber, parse_id_number

CHUNK = 50_000
SLOTS = {label: code for code, label in MealSlot.choices}
KINDS = {label: code for code, label in MealKind.choices}
SLOT_CODES = np.array(list(SLOTS.values()), dtype=object)
KIND_CODES = np.array(list(KINDS.values()), dtype=object)
RECORD_COLUMNS = ("canteen_id", "street_id", "person_id", "day", "slot", "kind", "subsidised", "tier",
                  "subsidy_fen", "rate_id", "reason", "meal_import_id")
ID, NAME, DAY, SLOT, KIND = HEADERS

REASON_NAME_EMPTY = "【姓名】不能为空"
REASON_DAY_FORMAT = "用餐日期格式应为 YYYY-MM-DD"
REASON_DAY_FUTURE = "用餐日期晚于今天"
REASON_SLOT = "【餐次】应为：早餐、午餐或晚餐"
REASON_KIND = "【用餐方式】应为：堂食或送餐"
REASON_UNKNOWN = "【身份证号】人口库中没有该身份证号，请核对或先登记人员"
REASON_NAME = "【姓名】与人口库中该身份证号的姓名不一致"

# keys of a (person, day) and of a meal's identity (person, day, slot) as one int64:
# the day's ordinal is below 2**20 until the year 2870, a person's id below 2**41
_DAY_BITS = 20


@dataclass
class Counts:
    total: int = 0
    recorded: int = 0
    repeated: int = 0
    quarantined: int = 0
    subsidised: int = 0
    subsidy_fen: int = 0


def _factorise(values: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct values (in order of first appearance) and each row's index into them."""
    distinct = list(dict.fromkeys(values))
    index = {v: i for i, v in enumerate(distinct)}
    return distinct, np.array(list(map(index.__getitem__, values)), dtype=np.int64)


def _mask_id(text: str) -> str:
    """Never keep a full ID number in a quarantine row."""
    return text[:6] + "*" * (len(text) - 10) + text[-4:] if len(text) > 10 else text


@functools.lru_cache(maxsize=100_000)
def _id_check(text: str, today: dt.date) -> tuple[str, str]:
    """``(number, "")`` or ``("", reason)``: the check of an ID number's text,
    kept across imports (the same elders' numbers come back in every daily
    file; the result depends only on the text and the day)."""
    try:
        return parse_id_number(text, today=today).number, ""
    except InvalidIdNumber as err:
        return "", f"【身份证号】{err}"


class _Checker:
    """The per-value checks, cached per distinct text for the whole import."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._ids: dict[str, tuple[str, str]] = {}  # text → (number, "") or ("", reason)
        self._days: dict[str, tuple[int, str]] = {}  # text → (ordinal, "") or (0, reason)
        self.people: dict[str, tuple[int, str] | None] = {}  # number → (person id, registry name)

    def id_number(self, text: str) -> tuple[str, str]:
        known = self._ids.get(text)
        if known is None:
            known = self._ids[text] = _id_check(text, self.today)
        return known

    def day(self, text: str) -> tuple[int, str]:
        known = self._days.get(text)
        if known is None:
            try:
                day = dt.date.fromisoformat(text[:10]) if len(text) >= 8 else None
            except ValueError:
                day = None
            if day is None:
                known = (0, f"【用餐日期】{REASON_DAY_FORMAT}")
            elif day > self.today:
                known = (0, f"【用餐日期】{REASON_DAY_FUTURE}")
            else:
                known = (day.toordinal(), "")
            self._days[text] = known
        return known

    def look_up(self, numbers: Iterable[str]) -> None:
        """The registry's person and name of each number not yet looked up (one query)."""
        unknown = sorted(set(numbers) - set(self.people))
        if not unknown:
            return
        indexes = blind_index_many(unknown)
        found = {ix: (pk, name) for ix, pk, name in Person.objects.filter(id_number_index__in=indexes)
                 .values_list("id_number_index", "pk", "name")}
        self.people.update({number: found.get(ix) for number, ix in zip(unknown, indexes, strict=True)})


@dataclass
class _Checked:
    """A chunk's rows after the checks: ``reason`` per row ("" when good) and,
    for the good rows, the person, the day's ordinal and the meal's codes."""

    reason: np.ndarray  # object
    person: np.ndarray  # int64, 0 when bad
    day: np.ndarray  # int64 ordinal
    slot: np.ndarray  # index into SLOT_CODES
    kind: np.ndarray  # index into KIND_CODES
    registry_problem: np.ndarray  # bool: read well, but not matching the registry


def _check(chunk: Chunk, checker: _Checker) -> _Checked:
    """Every check of step 1 on a whole chunk; the first failing one is the reason."""
    n = len(chunk)
    reason = np.full(n, "", dtype=object)
    ids, id_codes = _factorise(chunk.columns[ID])
    id_facts = [checker.id_number(text) for text in ids]
    numbers = np.array([number for number, _ in id_facts], dtype=object)
    checker.look_up(number for number, _ in id_facts if number)
    found = [checker.people.get(number) if number else None for number, _ in id_facts]
    person_of_id = np.array([f[0] if f else 0 for f in found], dtype=np.int64)
    name_of_id = np.array([f[1] if f else "" for f in found], dtype=object)
    days, day_codes = _factorise(chunk.columns[DAY])
    day_facts = [checker.day(text) for text in days]
    slots, slot_codes = _factorise(chunk.columns[SLOT])
    slot_of = np.array([list(SLOTS).index(s) if s in SLOTS else -1 for s in slots], dtype=np.int64)[slot_codes]
    kinds, kind_codes = _factorise(chunk.columns[KIND])
    kind_of = np.array([list(KINDS).index(k) if k in KINDS else -1 for k in kinds], dtype=np.int64)[kind_codes]
    names = np.array(chunk.columns[NAME], dtype=object)
    person = person_of_id[id_codes]
    # lowest priority first: a later assignment (an earlier check) overwrites
    reason[(person != 0) & (names != name_of_id[id_codes])] = REASON_NAME
    reason[(numbers[id_codes] != "") & (person == 0)] = REASON_UNKNOWN
    reason[kind_of < 0] = REASON_KIND
    reason[slot_of < 0] = REASON_SLOT
    day_reason = np.array([r for _, r in day_facts], dtype=object)[day_codes]
    reason[day_reason != ""] = day_reason[day_reason != ""]
    reason[names == ""] = REASON_NAME_EMPTY
    id_reason = np.array([r for _, r in id_facts], dtype=object)[id_codes]
    reason[id_reason != ""] = id_reason[id_reason != ""]
    registry_problem = (reason == REASON_NAME) | (reason == REASON_UNKNOWN)
    day = np.array([o for o, _ in day_facts], dtype=np.int64)[day_codes]
    return _Checked(reason, np.where(reason == "", person, 0), day, slot_of, kind_of, registry_problem)


def _quarantine(chunk: Chunk, checked: _Checked, checker: _Checker, meal_import: MealImport) -> int:
    bad = np.flatnonzero(checked.reason != "")
    rows = []
    for i in bad.tolist():
        values = chunk.row(i)
        if checked.registry_problem[i]:  # the number was valid: keep its area code only
            number, _ = checker.id_number(values[ID])
            values = {**values, ID: number[:6] + "****",
                      DAY: dt.date.fromordinal(int(checked.day[i])).isoformat()}
        rows.append(QuarantinedRow(meal_import=meal_import, row_number=chunk.numbers[i], reason=checked.reason[i],
                                   values={**values, ID: _mask_id(values[ID])}))
    QuarantinedRow.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _keys_in_db(canteen: Facility, person: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Identity keys of the canteen's meals already recorded, and (person, day)
    keys of the subsidised meals anywhere, for these persons and days (one query)."""
    people = np.unique(person).tolist()
    first, last = dt.date.fromordinal(int(day.min())), dt.date.fromordinal(int(day.max()))
    slot_index = {code: i for i, code in enumerate(SLOT_CODES)}
    seen, subsidised = [], []
    for pk, d, s, canteen_id, paid in (
            MealRecord.objects.filter(Q(canteen=canteen) | Q(subsidised=True), day__range=(first, last),
                                      person_id__in=people)
            .values_list("person_id", "day", "slot", "canteen_id", "subsidised").iterator(chunk_size=20000)):
        key = pk << _DAY_BITS | d.toordinal()
        if canteen_id == canteen.pk:
            seen.append(key << 2 | slot_index[s])
        if paid:
            subsidised.append(key)
    return np.array(seen, dtype=np.int64), np.array(subsidised, dtype=np.int64)


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """True at the first occurrence (in order) of each key."""
    first = np.zeros(len(keys), dtype=bool)
    first[np.unique(keys, return_index=True)[1]] = True
    return first


def record_rows(*, canteen: Facility, meal_import: MealImport, rows: Iterable[tuple[int, dict[str, str]]],
                today: dt.date, rates: RateTable | None = None, progress=None) -> Counts:
    """Record ``rows`` (``(row number, values)``) for ``canteen`` under ``meal_import``."""
    return record_chunks(canteen=canteen, meal_import=meal_import, chunks=chunks_of(rows, CHUNK), today=today,
                         rates=rates, progress=progress)


def record_chunks(*, canteen: Facility, meal_import: MealImport, chunks: Iterable[Chunk], today: dt.date,
                  rates: RateTable | None = None, progress=None) -> Counts:
    """Record the rows of ``chunks`` for ``canteen`` under ``meal_import``;
    returns the counts. Caller holds the transaction and the meals lock."""
    checker = _Checker(today)
    rates = rates or RateTable()
    facts = FactColumns()
    counts = Counts()
    for chunk in chunks:
        counts.total += len(chunk)
        checked = _check(chunk, checker)
        counts.quarantined += _quarantine(chunk, checked, checker, meal_import)
        good = np.flatnonzero(checked.reason == "")
        if len(good):
            counts_add(counts, _record(canteen, meal_import, checked, good, facts, rates))
        if progress:
            progress("登记用餐记录", counts.total, None)
    return counts


def counts_add(counts: Counts, more: Counts) -> None:
    for name in ("recorded", "repeated", "subsidised", "subsidy_fen"):
        setattr(counts, name, getattr(counts, name) + getattr(more, name))


def _record(canteen: Facility, meal_import: MealImport, checked: _Checked, good: np.ndarray, facts: FactColumns,
            rates: RateTable) -> Counts:
    """Steps 2 and 3 for the good rows of a chunk, and the COPY of the new records."""
    person, day, slot, kind = checked.person[good], checked.day[good], checked.slot[good], checked.kind[good]
    seen, subsidised_days = _keys_in_db(canteen, person, day)
    person_day = person << _DAY_BITS | day
    identity = person_day << 2 | slot
    new = _first_of_each(identity) & ~np.isin(identity, seen)
    counts = Counts(repeated=int((~new).sum()))
    person, day, slot, kind, person_day = person[new], day[new], slot[new], kind[new], person_day[new]
    if not len(person):
        return counts
    facts.load(np.unique(person).tolist())
    decision = decide_many(facts, person, day, rates)
    # one subsidised meal per elder and day: the first eligible row, unless one is recorded already
    eligible = decision.rate_id > 0
    candidates = np.flatnonzero(eligible & ~np.isin(person_day, subsidised_days))
    subsidised = np.zeros(len(person), dtype=bool)
    subsidised[candidates[_first_of_each(person_day[candidates])]] = True
    reason = decision.reason.copy()
    reason[eligible & ~subsidised] = REASON_REPEAT
    fen = np.where(subsidised, decision.amount_fen, 0)
    rate_id = [r if r > 0 else None for r in decision.rate_id.tolist()]
    iso = {o: dt.date.fromordinal(o).isoformat() for o in np.unique(day).tolist()}
    m = len(person)
    counts.recorded = copy_columns(MealRecord._meta.db_table, RECORD_COLUMNS, [
        [canteen.pk] * m, [canteen.street_id] * m, person.tolist(), [iso[o] for o in day.tolist()],
        SLOT_CODES[slot].tolist(), KIND_CODES[kind].tolist(), subsidised.tolist(), decision.tier.tolist(),
        fen.tolist(), rate_id, reason.tolist(), [meal_import.pk] * m])
    counts.subsidised = int(subsidised.sum())
    counts.subsidy_fen = int(fen.sum())
    return counts

