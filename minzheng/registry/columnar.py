"""Columnar reads of the registry for whole-district work (policy batch,
monitoring). Rows come straight from SQL cursors in large chunks into numpy
arrays — never row by row through the ORM.

A household's members for month M are its memberships on the 1st of M
(joined on or before, not yet left). A person who dies during M therefore
still counts for M; benefits stop from the month after death. Income is the
person's monthly income plus pension. The disability certificate used is the
most severe one valid on the 1st of M.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection

from policy import DISABILITY_KINDS

FETCH_ROWS = 200_000


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
    monthly_income_fen: np.ndarray
    employed: np.ndarray
    able_to_work: np.ndarray
    has_able_supporter: np.ndarray
    orphan: np.ndarray
    unsupported_child: np.ndarray
    in_institution: np.ndarray
    unemployment_insurance: np.ndarray
    youfu: np.ndarray
    disability_grade: np.ndarray  # int8, 0 = none
    disability_kind: np.ndarray  # int8, codes as policy.engine.tables.DISABILITY_KINDS

    @property
    def households(self) -> int:
        return len(self.household_id)

    @property
    def persons(self) -> int:
        return len(self.person_id)


def _days_expr(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _fetch_columns(sql: str, params: list, ncols: int) -> list[list]:
    columns: list[list] = [[] for _ in range(ncols)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(FETCH_ROWS)
            if not rows:
                break
            for target, values in zip(columns, zip(*rows, strict=True), strict=True):
                target.extend(values)
    return columns


_PERSON_FLAGS = ("able_to_work", "has_able_supporter", "orphan", "unsupported_child", "in_institution",
                 "unemployment_insurance", "youfu")


def registry_columns(first_day: dt.date, household_ids: list[int] | None = None) -> RegistryColumns:
    """Read every household's members on ``first_day`` (or only ``household_ids``)."""
    only = ""
    params: list = [first_day, first_day]
    if household_ids is not None:
        only = f" AND m.household_id IN ({','.join(['%s'] * len(household_ids))})" if household_ids else " AND 1=0"
        params += list(household_ids)
    flags = ", ".join(f"p.{f}" for f in _PERSON_FLAGS)
    person_sql = (
        f"SELECT m.household_id, p.id, {_days_expr('p.birth_date')}, p.hukou_shanghai, "
        f"p.monthly_income_fen + p.pension_fen, p.employment, {flags} "
        "FROM registry_householdmembership m JOIN registry_person p ON p.id = m.person_id "
        "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s) AND p.merged_into_id IS NULL"
        f"{only} ORDER BY m.household_id, p.id"
    )
    cols = _fetch_columns(person_sql, params, 6 + len(_PERSON_FLAGS))
    person_household = np.asarray(cols[0], dtype=np.int64)
    person_id = np.asarray(cols[1], dtype=np.int64)
    household_id = np.unique(person_household)

    hh_sql = (
        "SELECT id, street_id, committee_id, monetary_assets_fen, private_cars, homes, medical_oop_12m_fen "
        "FROM registry_household WHERE id IN (SELECT DISTINCT m.household_id FROM registry_householdmembership m "
        "WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)"
        f"{only}) ORDER BY id"
    )
    hh = _fetch_columns(hh_sql, params, 7)
    hh_ids = np.asarray(hh[0], dtype=np.int64)
    if not np.array_equal(hh_ids, household_id):  # defensive: both come from the same snapshot
        raise RuntimeError("household snapshot mismatch")

    grade = np.zeros(len(person_id), dtype=np.int8)
    kind = np.zeros(len(person_id), dtype=np.int8)
    cert_sql = (
        "SELECT person_id, grade, kind FROM registry_disabilitycertificate "
        "WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s) ORDER BY person_id, grade, id"
    )
    certs = _fetch_columns(cert_sql, [first_day, first_day], 3)
    if certs[0] and len(person_id):
        order = np.argsort(person_id, kind="stable")
        sorted_ids = person_id[order]
        # rows are ordered by grade within a person: the first is the most severe
        cert_person, first = np.unique(np.asarray(certs[0], dtype=np.int64), return_index=True)
        cert_grade = np.asarray(certs[1], dtype=np.int8)[first]
        cert_kind = np.asarray([DISABILITY_KINDS[certs[2][i]] for i in first], dtype=np.int8)
        pos = np.minimum(np.searchsorted(sorted_ids, cert_person), len(sorted_ids) - 1)
        found = sorted_ids[pos] == cert_person
        targets = order[pos[found]]
        grade[targets] = cert_grade[found]
        kind[targets] = cert_kind[found]

    return RegistryColumns(
        household_id=household_id,
        household_street=np.asarray(hh[1], dtype=object),
        household_committee=np.asarray(hh[2], dtype=object),
        monetary_assets_fen=np.asarray(hh[3], dtype=np.int64),
        private_cars=np.asarray(hh[4], dtype=np.int16),
        homes=np.asarray(hh[5], dtype=np.int16),
        medical_oop_12m_fen=np.asarray(hh[6], dtype=np.int64),
        person_id=person_id,
        person_household_index=np.searchsorted(household_id, person_household),
        birth_days=np.asarray(cols[2], dtype=np.int64),
        hukou_shanghai=np.asarray(cols[3], dtype=bool),
        monthly_income_fen=np.asarray(cols[4], dtype=np.int64),
        employed=np.asarray(cols[5], dtype=object) == "employed",
        **{name: np.asarray(cols[6 + i], dtype=bool) for i, name in enumerate(_PERSON_FLAGS)},
        disability_grade=grade,
        disability_kind=kind,
    )
