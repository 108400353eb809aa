"""Columnar reads of the registry for whole-district work (policy batch,
monitoring). Rows come straight from SQL cursors in large chunks into numpy
arrays — never row by row through the ORM.

A household's members for month M are its memberships on the 1st of M
(joined on or before, not yet left). A person who dies during M therefore
still counts for M; benefits stop from the month after death.

Economic facts are the dated facts **in force on the 1st of M** — for each
person the income fact, for each household the asset fact, with the latest
``valid_from`` on or before that day (ties: the later recorded), so a change
dated the 2nd counts from the next month (docs/adr/0011-economic-facts.md).
A person's income is earned + pension + other (``monthly_income_fen``); its
earned part (``earned_income_fen``) is kept apart because the dibao and
low-income tests disregard part of an employed member's earned income
(REFERENCE §1 "Earned-income disregard"). A household's monetary
assets include securities. A household with a member (or itself) without a
fact in force is marked ``facts_missing``: nothing is assumed for it.
The disability certificate used is the most severe one valid on the 1st of M.
The care-needs assessment (照护等级, for the elderly-care subsidy) is the one
in force on the 1st of M: the latest ``assessed_on`` on or before that day
(ties: the later recorded; no validity period, REFERENCE §10, ADR 0031).

It imports no Django model at module level, so ``RegistryColumns`` can be
used where Django is not set up (the Spark batch's workers, ADR 0018).

This module is the registry's documented read port for whole-district work;
monitoring and eligibility read registry facts through it, not through SQL
of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction

from minzheng.core.copy_out import copy_out_arrays
from policy import DISABILITY_KINDS, ParameterMissing, earned_income_disregard_fen
from policy.lines import counted_incomes_fen, needs_disregard

FETCH_ROWS = 200_000
NO_ASSESSMENT_DAY = np.iinfo(np.int64).min  # ``care_assessed_days`` of a person without an assessment


HOUSEHOLD_COLUMNS = ("household_id", "household_street", "household_committee", "monetary_assets_fen",
                     "private_cars", "homes", "medical_oop_12m_fen", "facts_missing")


def income_in_force_sql(person_id: str, day: str) -> str:
    """SQL for a person's monthly income for the means tests (earned +
    pension + other, in fen) from the income fact in force on ``day`` —
    NULL when nothing is known. ``person_id`` and ``day`` are SQL
    expressions. The same definition as ``registry_columns``."""
    return (f"(SELECT f.earned_fen + f.pension_fen + f.other_fen FROM registry_personincomefact f "
            f"WHERE f.person_id = {person_id} AND f.valid_from <= {day} ORDER BY f.valid_from DESC, f.id DESC LIMIT 1)")


def members_on_sql(membership: str = "m", person: str = "p") -> str:
    """The memberships counted for a month: joined on or before its 1st (one
    ``%s`` date parameter, given twice), not yet left, person not merged away."""
    return (f"{membership}.start_date <= %s AND ({membership}.end_date IS NULL OR {membership}.end_date > %s)"
            f" AND {person}.merged_into_id IS NULL")


@dataclass
class RegistryColumns:
    """Registry facts for a month as arrays; persons sorted by household."""

    household_id: np.ndarray  # int64, sorted
    household_street: np.ndarray  # object (division code)
    household_committee: np.ndarray  # object
    monetary_assets_fen: np.ndarray
    private_cars: np.ndarray
    homes: np.ndarray
    medical_oop_12m_fen: np.ndarray
    person_id: np.ndarray
    person_household_index: np.ndarray
    birth_days: np.ndarray  # int days since 1970-01-01
    hukou_shanghai: np.ndarray
    monthly_income_fen: np.ndarray  # whole income: earned + pension + other
    earned_income_fen: np.ndarray  # its earned part (wages, business): the fact's earned_fen
    employed: np.ndarray
    in_school: np.ndarray  # employment 在校学生: full-time student (classified support, REFERENCE §1)
    able_to_work: np.ndarray
    has_able_supporter: np.ndarray
    orphan: np.ndarray
    unsupported_child: np.ndarray
    in_institution: np.ndarray
    unemployment_insurance: np.ndarray
    unemployment_subsidy: np.ndarray  # 领取失业补助金 (REFERENCE §9)
    youfu: np.ndarray
    disability_grade: np.ndarray  # int8, 0 = none
    disability_kind: np.ndarray  # int8, codes as policy.engine.tables.DISABILITY_KINDS
    care_level: np.ndarray  # int8, 0 = no assessment in force, else 照护等级 1-6
    care_assessed_days: np.ndarray  # int64 days since 1970-01-01 of that assessment (NO_ASSESSMENT_DAY: none)
    facts_missing: np.ndarray  # bool per household: a member's income or the assets unknown on the day

    @property
    def households(self) -> int:
        return len(self.household_id)

    @property
    def persons(self) -> int:
        return len(self.person_id)

    def household_income_fen(self) -> np.ndarray:
        """Each household's monthly income (sum of its members' income), int64 fen."""
        return _exact_household_sum(self.person_household_index, self.monthly_income_fen, self.households)

    def household_counted_income_fen(self, month: str | dt.date) -> tuple[np.ndarray, np.ndarray]:
        """Each household's counted monthly income for the dibao line, int64
        fen, and whether it is unknown (REFERENCE §1 "Earned-income
        disregard", 就业人员收入豁免): an employed member's earned income less
        ``policy.earned_income_disregard_fen`` (never below zero), pensions and
        other income in full — ``policy.lines.counted_incomes_fen``, the
        engine's own arithmetic. Before the disregard has a value (before
        2023-07) a household with an employed member who has earned income
        is unknown (the engine's PARAMETER_MISSING), never counted in full."""
        needs = needs_disregard(self.earned_income_fen, self.employed)
        try:
            disregard = earned_income_disregard_fen(month)
        except ParameterMissing:
            unknown = np.bincount(self.person_household_index, weights=needs, minlength=self.households) > 0
            return self.household_income_fen(), unknown
        counted = counted_incomes_fen(self.monthly_income_fen, self.earned_income_fen, self.employed, disregard)
        return (_exact_household_sum(self.person_household_index, counted, self.households),
                np.zeros(self.households, dtype=bool))

    def household_members(self) -> np.ndarray:
        return np.bincount(self.person_household_index, minlength=self.households).astype(np.int64)

    def keep_households(self, keep: np.ndarray) -> RegistryColumns:
        """The columns of the households where ``keep`` is true (persons follow)."""
        person_keep = keep[self.person_household_index]
        new_index = np.cumsum(keep) - 1
        values = {}
        for name, value in vars(self).items():
            if name == "person_household_index":
                values[name] = new_index[value[person_keep]]
            elif name in HOUSEHOLD_COLUMNS:
                values[name] = value[keep]
            else:
                values[name] = value[person_keep]
        return RegistryColumns(**values)


def _exact_household_sum(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sums per household (``np.add.at`` keeps int64, no float rounding)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, index, values.astype(np.int64))
    return out


def _days_expr(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _fetch_columns(select: list[str], from_where: str, params: list) -> list[list]:
    """Run ``SELECT <select> FROM <from_where>`` and return one list per column.

    On PostgreSQL each column comes back as one ``array_agg`` array (one row,
    converted in C), which is several times faster than transposing millions
    of row tuples in Python; all aggregates read the same rows in the same
    order, so the columns stay aligned. SQLite fetches rows in chunks.
    """
    if connection.vendor == "postgresql":
        aliases = [f"c{i}" for i in range(len(select))]
        inner = ", ".join(f"{expr} AS {alias}" for expr, alias in zip(select, aliases, strict=True))
        outer = ", ".join(f"array_agg({alias})" for alias in aliases)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {outer} FROM (SELECT {inner} FROM {from_where}) t", params)
            row = cursor.fetchone()
        return [list(values or []) for values in row]
    columns: list[list] = [[] for _ in select]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(select)} FROM {from_where}", params)
        while True:
            rows = cursor.fetchmany(FETCH_ROWS)
            if not rows:
                break
            for target, values in zip(columns, zip(*rows, strict=True), strict=True):
                target.extend(values)
    return columns


def _fetch_int_columns(select: list[str], from_where: str, params: list) -> list[np.ndarray]:
    """Like ``_fetch_columns`` for integer (or boolean-as-integer) columns
    that are never NULL, as int64 arrays. On PostgreSQL one query whose rows
    the server packs into one binary value, straight into numpy
    (``core.copy_out``): no Python object per row or value."""
    if connection.vendor == "postgresql":
        casts = ", ".join(f"({expr})::int8" for expr in select)
        return copy_out_arrays(f"SELECT {casts} FROM {from_where}", params, ["int8"] * len(select))
    return [np.asarray(column, dtype=np.int64) for column in _fetch_columns(select, from_where, params)]


_PERSON_FLAGS = ("able_to_work", "has_able_supporter", "orphan", "unsupported_child", "in_institution",
                 "unemployment_insurance", "youfu", "unemployment_subsidy")
# p.employment as a small code: the engine's ``employed`` and ``in_school`` inputs
_EMPLOYED, _STUDENT = 1, 2


_STREET_HOUSEHOLDS = "SELECT id FROM registry_household WHERE street_id = %s"


def registry_columns(first_day: dt.date, household_ids: list[int] | None = None, *,
                     street: str | None = None) -> RegistryColumns:
    """Read every household's members on ``first_day`` (or only ``household_ids``,
    or only the households of ``street``, a division code — so a whole city is
    read one street at a time, ``eligibility.parquet_export``)."""
    # imported here: the module itself imports without Django set up (Spark workers)
    from minzheng.registry.models import Employment

    only = ""
    params: list = [first_day, first_day]
    if household_ids is not None:
        only = f" AND m.household_id IN ({','.join(['%s'] * len(household_ids))})" if household_ids else " AND 1=0"
        params += list(household_ids)
    if street is not None:
        only += f" AND m.household_id IN ({_STREET_HOUSEHOLDS})"
        params.append(street)
    flag_bits = " + ".join(f"(CASE WHEN p.{f} THEN {1 << i} ELSE 0 END)" for i, f in enumerate(_PERSON_FLAGS))
    person_columns = [_days_expr("p.birth_date"), "(CASE WHEN p.hukou_shanghai THEN 1 ELSE 0 END)",
                      f"(CASE p.employment WHEN '{Employment.EMPLOYED.value}' THEN {_EMPLOYED} "
                      f"WHEN '{Employment.STUDENT.value}' THEN {_STUDENT} ELSE 0 END)",
                      f"({flag_bits})"]
    hh_only = f" AND h.id IN ({','.join(['%s'] * len(household_ids))})" if household_ids else ""
    hh_params: list = list(household_ids or [])
    if street is not None:
        hh_only += " AND h.street_id = %s"
        hh_params.append(street)
    cert_only, cert_params = "", []
    if street is not None:
        cert_only = (" AND person_id IN (SELECT person_id FROM registry_householdmembership "
                     f"WHERE household_id IN ({_STREET_HOUSEHOLDS}))")
        cert_params = [street]

    def assessments() -> tuple[np.ndarray, list[np.ndarray]]:
        return _fetch_in_force("registry_careneedsassessment", "person_id", ["level", _days_expr("assessed_on")],
                               first_day, cert_only, cert_params, day="assessed_on")

    def certificates() -> list[list]:
        return _fetch_columns(
            ["person_id", "grade", "kind"],
            f"registry_disabilitycertificate WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)"
            f"{cert_only}", [first_day, first_day, *cert_params])

    if household_ids is None and street is None and connection.vendor == "postgresql" \
            and not connection.in_atomic_block:
        # the whole district: each table on its own connection at once, all in one snapshot
        read = _read_in_parallel({
            "members": lambda: _fetch_int_columns(
                ["m.household_id", "m.person_id"],
                "registry_householdmembership m WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)",
                [first_day, first_day]),
            "persons": lambda: _fetch_int_columns(
                ["p.id", *person_columns], "registry_person p WHERE p.merged_into_id IS NULL", []),
            "households": lambda: _fetch_household_divisions("", []),
            "income": lambda: _fetch_facts(first_day, None, parts=("income",))[0],
            "assets": lambda: _fetch_facts(first_day, None, parts=("assets",))[1],
            "certificates": certificates,
            "assessments": assessments,
        })
        person = _join_members(read["members"], read["persons"])
        facts = {"income": read["income"], "assets": read["assets"]}
        hh_ids, hh_street, hh_committee = read["households"]
        certs = read["certificates"]
        care = read["assessments"]
    else:
        facts = dict(zip(("income", "assets"), _fetch_facts(first_day, household_ids, street), strict=True))
        person = _fetch_int_columns(
            ["m.household_id", "p.id", *person_columns],
            "registry_householdmembership m JOIN registry_person p ON p.id = m.person_id "
            f"WHERE {members_on_sql('m', 'p')}{only}",
            params,
        )
        hh_ids, hh_street, hh_committee = _fetch_household_divisions(hh_only, hh_params)
        certs = certificates()
        care = assessments()
    person_household = np.asarray(person[0], dtype=np.int64)
    person_id = np.asarray(person[1], dtype=np.int64)
    order = np.lexsort((person_id, person_household))  # by household, then person
    person_household, person_id = person_household[order], person_id[order]
    household_id = np.unique(person_household)
    flags = np.asarray(person[5], dtype=np.int64)[order]
    employment = np.asarray(person[4], dtype=np.int64)[order]

    hh_order = np.argsort(hh_ids, kind="stable")
    hh_pos = hh_order[np.searchsorted(hh_ids[hh_order], household_id)] if len(hh_ids) else hh_order
    if not np.array_equal(hh_ids[hh_pos], household_id):  # defensive: every member's household exists
        raise RuntimeError("household snapshot mismatch")

    income_found, income = _align(facts["income"], person_id)
    assets_found, assets = _align(facts["assets"], household_id)
    person_household_index = np.searchsorted(household_id, person_household)
    facts_missing = ~assets_found
    facts_missing[person_household_index[~income_found]] = True

    grade = np.zeros(len(person_id), dtype=np.int8)
    kind = np.zeros(len(person_id), dtype=np.int8)
    if certs[0] and len(person_id):
        cert_person = np.asarray(certs[0], dtype=np.int64)
        cert_grade = np.asarray(certs[1], dtype=np.int8)
        cert_kind = np.asarray([DISABILITY_KINDS[k] for k in certs[2]], dtype=np.int8)
        # the most severe certificate (lowest grade) per person
        by_severity = np.lexsort((cert_grade, cert_person))
        cert_person, first = np.unique(cert_person[by_severity], return_index=True)
        cert_grade, cert_kind = cert_grade[by_severity][first], cert_kind[by_severity][first]
        person_order = np.argsort(person_id, kind="stable")
        sorted_ids = person_id[person_order]
        pos = np.minimum(np.searchsorted(sorted_ids, cert_person), len(sorted_ids) - 1)
        found = sorted_ids[pos] == cert_person
        targets = person_order[pos[found]]
        grade[targets] = cert_grade[found]
        kind[targets] = cert_kind[found]

    care_found, (care_level, care_days) = _align(care, person_id)

    return RegistryColumns(
        household_id=household_id,
        household_street=hh_street[hh_pos],
        household_committee=hh_committee[hh_pos],
        monetary_assets_fen=assets[0],
        private_cars=assets[1].astype(np.int16),
        homes=assets[2].astype(np.int16),
        medical_oop_12m_fen=assets[3],
        person_id=person_id,
        person_household_index=person_household_index,
        birth_days=np.asarray(person[2], dtype=np.int64)[order],
        hukou_shanghai=np.asarray(person[3], dtype=bool)[order],
        monthly_income_fen=income[0],
        earned_income_fen=income[1],
        employed=employment == _EMPLOYED,
        in_school=employment == _STUDENT,
        **{name: (flags >> i & 1).astype(bool) for i, name in enumerate(_PERSON_FLAGS)},
        disability_grade=grade,
        disability_kind=kind,
        care_level=np.where(care_found, care_level, 0).astype(np.int8),
        care_assessed_days=np.where(care_found, care_days, NO_ASSESSMENT_DAY).astype(np.int64),
        facts_missing=facts_missing,
    )


def _fetch_household_divisions(only: str, params: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The households' ids (int64) and their street and committee division
    codes (object arrays of ``str``), for ``registry_household h WHERE 1=1<only>``.

    On PostgreSQL the codes never cross the wire one per household: the
    division codes are read once (a few hundred), the households come as one
    binary ``COPY`` of (id, street number, committee number) — the numbers
    are positions in that code list, joined in SQL — and numpy maps them back
    to the very same ``str`` objects. A division missing from the list (one
    created between the two statements) is an error, never a wrong code.
    SQLite reads the strings with its cursor."""
    from minzheng.core.models import Division

    if connection.vendor != "postgresql":
        hh = _fetch_columns(["id", "street_id", "committee_id"], f"registry_household h WHERE 1=1{only}", params)
        return (np.asarray(hh[0], dtype=np.int64), np.asarray(hh[1], dtype=object),
                np.asarray(hh[2], dtype=object))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code FROM {Division._meta.db_table} ORDER BY code")
        codes = [row[0] for row in cursor.fetchall()]
    # positions start at 1; 0 (no match) is refused below
    numbered = "(SELECT code, n::int4 AS n FROM unnest(%s::text[]) WITH ORDINALITY AS d(code, n))"
    ids, street, committee = copy_out_arrays(
        f"SELECT h.id::int8, COALESCE(s.n, 0), COALESCE(c.n, 0) FROM registry_household h "
        f"LEFT JOIN {numbered} s ON s.code = h.street_id LEFT JOIN {numbered} c ON c.code = h.committee_id "
        f"WHERE 1=1{only}",
        [codes, codes, *params], ["int8", "int4", "int4"])
    if len(ids) and (min(int(street.min()), int(committee.min())) == 0):
        raise RuntimeError("a household's division is not in the division table read just before")
    names = np.asarray([None, *codes], dtype=object)
    return ids, names[street], names[committee]


def _fetch_in_force(table: str, owner: str, values: list[str], first_day: dt.date, only: str,
                    only_params: list, day: str = "valid_from") -> tuple[np.ndarray, list[np.ndarray]]:
    """The owners and ``values`` of the facts in force on ``first_day``: for
    each owner the fact with the latest ``valid_from`` on or before that day
    (ties: the later recorded).

    PostgreSQL picks the fact with ``DISTINCT ON`` over a backward scan of
    the (owner, valid_from, id) index (no sort); SQLite reads the candidate
    rows in that order and numpy keeps the last per owner.
    """
    where = f"{table} WHERE {day} <= %s{only}"
    params = [first_day, *only_params]
    if connection.vendor == "postgresql":
        inner = ", ".join([f"({owner})::int8", *(f"({v})::int8" for v in values)])
        # all three keys descending: a backward scan of the (owner, valid_from, id) index, no sort;
        # packed binary values straight into numpy (``core.copy_out``)
        columns = copy_out_arrays(f"SELECT DISTINCT ON ({owner}) {inner} FROM {where} "
                                  f"ORDER BY {owner} DESC, {day} DESC, id DESC", params,
                                  ["int8"] * (len(values) + 1))
        return columns[0], columns[1:]
    columns = _fetch_columns([owner, *values], f"{where} ORDER BY {owner}, {day}, id", params)
    all_owners = np.asarray(columns[0], dtype=np.int64)
    last = np.flatnonzero(np.r_[all_owners[1:] != all_owners[:-1], True]) if len(all_owners) else all_owners
    return all_owners[last], [np.asarray(c, dtype=np.int64)[last] for c in columns[1:]]


def _align(fetched: tuple[np.ndarray, list[np.ndarray]], targets: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """For each id in ``targets``, whether a fact was fetched and its values
    (0 where none — read ``found`` before using them)."""
    owners, picked = fetched
    found = np.zeros(len(targets), dtype=bool)
    out = [np.zeros(len(targets), dtype=np.int64) for _ in picked]
    if len(owners) and len(targets):
        target_order = np.argsort(targets, kind="stable")
        sorted_targets = targets[target_order]
        pos = np.minimum(np.searchsorted(sorted_targets, owners), len(sorted_targets) - 1)
        hit = sorted_targets[pos] == owners
        rows = target_order[pos[hit]]
        found[rows] = True
        for column, values in zip(out, picked, strict=True):
            column[rows] = values[hit]
    return found, out


def _fetch_facts(first_day: dt.date, household_ids: list[int] | None,
                 street: str | None = None, parts: tuple[str, ...] = ("income", "assets")) -> tuple:
    """The income facts and the asset facts in force on ``first_day`` (of
    ``household_ids``' or ``street``'s households when given; extra facts are
    harmless, ``_align`` keeps those of the persons and households read);
    a part not in ``parts`` is None."""
    marks = ",".join(["%s"] * len(household_ids or []))
    if street is not None:
        marks, scope = _STREET_HOUSEHOLDS, [street]
    else:
        scope = list(household_ids or [])
    fact_only = f" AND household_id IN ({marks})" if household_ids or street is not None else ""
    income_only = (f" AND person_id IN (SELECT person_id FROM registry_householdmembership WHERE household_id IN "
                   f"({marks}))") if household_ids or street is not None else ""
    income = _fetch_in_force("registry_personincomefact", "person_id", ["earned_fen + pension_fen + other_fen", "earned_fen"],
                             first_day, income_only, scope) if "income" in parts else None
    assets = _fetch_in_force("registry_householdassetfact", "household_id",
                             ["monetary_assets_fen + securities_fen", "private_cars", "homes", "medical_oop_12m_fen"],
                             first_day, fact_only, scope) if "assets" in parts else None
    return income, assets


def _join_members(members: list[np.ndarray], persons: list[np.ndarray]) -> list[np.ndarray]:
    """The members on the day (household id, person id) joined with the
    persons not merged away (id, then the person columns): the rows the
    joined query of the sequential path returns, in numpy."""
    person_id = persons[0]
    by_id = np.argsort(person_id, kind="stable")
    sorted_ids = person_id[by_id]
    pos = np.minimum(np.searchsorted(sorted_ids, members[1]), max(len(sorted_ids) - 1, 0))
    found = sorted_ids[pos] == members[1] if len(sorted_ids) else np.zeros(len(members[1]), dtype=bool)
    rows = by_id[pos[found]]
    return [members[0][found], members[1][found], *(column[rows] for column in persons[1:])]


def _read_in_parallel(reads: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each read at once on a connection of its own, all in one
    snapshot: this connection opens a REPEATABLE READ transaction and
    exports its snapshot (``pg_export_snapshot``), each worker imports it
    (``SET TRANSACTION SNAPSHOT``) before its query, so together they see
    the registry exactly as one transaction would — a write committed
    meanwhile is in none of them. The workers' connections are closed at
    the end."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        with ThreadPoolExecutor(max_workers=len(reads)) as pool:
            pending = {name: pool.submit(_read_on_snapshot, snapshot, read) for name, read in reads.items()}
            return {name: future.result() for name, future in pending.items()}


def _read_on_snapshot(snapshot: str, read: Callable[[], Any]) -> Any:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            return read()
    finally:
        connection.close()
