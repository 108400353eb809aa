"""The policy engine's inputs for a month as Parquet files, for running the
batch somewhere else (Apache Spark, ``spark_batch``; ADR 0018).

Layout of an export directory::

    households/street=<code>/part-<n>.parquet   HOUSEHOLD_SCHEMA
    persons/street=<code>/part-<n>.parquet      PERSON_SCHEMA
    inputs.json                                 month, CPI, grants, parameter hash, counts, layout

**Layout contract** (``inputs.json`` ``"layout": "household_files"``,
``LAYOUT_HOUSEHOLD_FILES``; written by ``parquet_export`` and
``bench/city_parquet.py``): the persons and households files pair up by
their path under ``persons/`` and ``households/`` (the same set of paths on
both sides); each pair holds whole households — every person's household is
in the pair's households file, and no household id is in two households
files; households are sorted by ``household_id`` and persons by
``household_id`` then ``person_id`` within each file. ``spark_batch`` then
evaluates each pair in one task with no shuffle (``household_files``); an
export without the key is read the general way (repartitioned by household).

The columns are exactly ``RegistryColumns``' (what ``inputs.policy_tables``
turns into the engine's ``HouseholdTable`` and ``PersonTable``), with the
person's household as ``household_id`` instead of a row index and the birth
date as a Parquet date. Households whose income or assets are unknown on the
1st are left out, as the local batch leaves them out (``month_evaluate``).

``parquet_export`` writes them from the registry; this module only knows
the layout and imports no Django model, so the Spark workers use it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import ValidationError

from minzheng.registry.columnar import NO_ASSESSMENT_DAY, RegistryColumns
from policy import OneOffGrant

INPUTS_META = "inputs.json"
FORMAT_VERSION = 1
LAYOUT_HOUSEHOLD_FILES = "household_files"  # ``inputs.json`` "layout": the contract in the module docstring
_EPOCH = np.datetime64("1970-01-01", "D")

HOUSEHOLD_SCHEMA = pa.schema([
    ("household_id", pa.int64()),
    ("household_street", pa.string()),
    ("household_committee", pa.string()),
    ("monetary_assets_fen", pa.int64()),
    ("private_cars", pa.int16()),
    ("homes", pa.int16()),
    ("medical_oop_12m_fen", pa.int64()),
])
PERSON_BOOLS = ("hukou_shanghai", "employed", "in_school", "able_to_work", "has_able_supporter", "orphan",
                "unsupported_child", "in_institution", "unemployment_insurance", "unemployment_subsidy", "youfu")
PERSON_SCHEMA = pa.schema([
    ("household_id", pa.int64()),
    ("person_id", pa.int64()),
    ("birth_date", pa.date32()),
    ("monthly_income_fen", pa.int64()),
    ("earned_income_fen", pa.int64()),
    ("disability_grade", pa.int8()),
    ("disability_kind", pa.int8()),
    ("care_level", pa.int8()),  # 0 = no assessment in force (ADR 0031)
    ("care_assessed_on", pa.date32()),  # null = none
    *((name, pa.bool_()) for name in PERSON_BOOLS),
])
# A person row joined with its household's columns: what one Spark partition holds.
JOINED_SCHEMA = pa.schema([*PERSON_SCHEMA, *(f for f in HOUSEHOLD_SCHEMA if f.name != "household_id")])


def household_table(cols: RegistryColumns) -> pa.Table:
    """The households of ``cols`` sorted by ``household_id`` (the layout contract)."""
    return _household_rows(cols).sort_by("household_id")


def _household_rows(cols: RegistryColumns) -> pa.Table:
    return pa.table({
        "household_id": cols.household_id.astype(np.int64),
        "household_street": pa.array(cols.household_street.astype(str), pa.string()),
        "household_committee": pa.array(cols.household_committee.astype(str), pa.string()),
        "monetary_assets_fen": cols.monetary_assets_fen.astype(np.int64),
        "private_cars": cols.private_cars.astype(np.int16),
        "homes": cols.homes.astype(np.int16),
        "medical_oop_12m_fen": cols.medical_oop_12m_fen.astype(np.int64),
    }, schema=HOUSEHOLD_SCHEMA)


def person_table(cols: RegistryColumns) -> pa.Table:
    """The persons of ``cols`` sorted by ``household_id`` then ``person_id`` (the layout contract)."""
    return _person_rows(cols).sort_by([("household_id", "ascending"), ("person_id", "ascending")])


def _person_rows(cols: RegistryColumns) -> pa.Table:
    none = cols.care_assessed_days == NO_ASSESSMENT_DAY
    return pa.table({
        "household_id": cols.household_id[cols.person_household_index].astype(np.int64),
        "person_id": cols.person_id.astype(np.int64),
        "birth_date": pa.array(cols.birth_days.astype(np.int32), pa.int32()).cast(pa.date32()),
        "monthly_income_fen": cols.monthly_income_fen.astype(np.int64),
        "earned_income_fen": cols.earned_income_fen.astype(np.int64),
        "disability_grade": cols.disability_grade.astype(np.int8),
        "disability_kind": cols.disability_kind.astype(np.int8),
        "care_level": cols.care_level.astype(np.int8),
        "care_assessed_on": pa.array(np.where(none, 0, cols.care_assessed_days).astype(np.int32), pa.int32(),
                                     mask=none).cast(pa.date32()),
        **{name: getattr(cols, name).astype(bool) for name in PERSON_BOOLS},
    }, schema=PERSON_SCHEMA)


def columns_from_joined(table: pa.Table | pa.RecordBatch) -> RegistryColumns:
    """``RegistryColumns`` from person rows joined with their household's
    columns (``JOINED_SCHEMA``), **sorted by household then person**: a
    household is the run of rows with one ``household_id``, so the rows must
    hold each household whole (``spark_batch`` guarantees it)."""
    def col(name: str) -> np.ndarray:
        return table.column(name).to_numpy(zero_copy_only=False)

    person_household = col("household_id")
    if len(person_household) > 1 and np.any(person_household[1:] < person_household[:-1]):
        raise ValueError("rows are not sorted by household")
    starts = np.flatnonzero(np.r_[True, person_household[1:] != person_household[:-1]]) \
        if len(person_household) else np.zeros(0, dtype=np.intp)
    index = np.cumsum(np.r_[False, person_household[1:] != person_household[:-1]]) \
        if len(person_household) else np.zeros(0, dtype=np.int64)
    birth_days = table.column("birth_date").cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    care_days = table.column("care_assessed_on").cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False)
    care_none = table.column("care_assessed_on").is_null().to_numpy(zero_copy_only=False)
    return RegistryColumns(
        household_id=person_household[starts].astype(np.int64),
        household_street=col("household_street")[starts].astype(object),
        household_committee=col("household_committee")[starts].astype(object),
        monetary_assets_fen=col("monetary_assets_fen")[starts].astype(np.int64),
        private_cars=col("private_cars")[starts].astype(np.int16),
        homes=col("homes")[starts].astype(np.int16),
        medical_oop_12m_fen=col("medical_oop_12m_fen")[starts].astype(np.int64),
        person_id=col("person_id").astype(np.int64),
        person_household_index=index.astype(np.int64),
        birth_days=birth_days,
        monthly_income_fen=col("monthly_income_fen").astype(np.int64),
        earned_income_fen=col("earned_income_fen").astype(np.int64),
        disability_grade=col("disability_grade").astype(np.int8),
        disability_kind=col("disability_kind").astype(np.int8),
        care_level=col("care_level").astype(np.int8),
        care_assessed_days=np.where(care_none, NO_ASSESSMENT_DAY, care_days.astype(np.int64)),
        **{name: col(name).astype(bool) for name in PERSON_BOOLS},
        facts_missing=np.zeros(len(starts), dtype=bool),
    )


def joined_table(households: pa.Table, persons: pa.Table) -> pa.Table:
    """Persons joined with their household's columns, sorted by household then person."""
    joined = persons.join(households, "household_id", join_type="inner")
    return joined.select(JOINED_SCHEMA.names).sort_by([("household_id", "ascending"), ("person_id", "ascending")])


class LayoutError(ValueError):
    """Input files that do not keep the layout contract they claim (never evaluated: an error)."""


def joined_file_pair(households: pa.Table, persons: pa.Table, where: str = "") -> pa.Table:
    """Persons joined with their household's columns for one pair of files
    under the layout contract, checked without sorting: both sides sorted by
    household (persons also by person), every person's household present.
    Households with no person are left out (as the general path's inner join
    leaves them). Raises ``LayoutError`` when the files break the contract."""
    household = households.column("household_id").to_numpy()
    person_household = persons.column("household_id").to_numpy()
    person = persons.column("person_id").to_numpy()
    if len(household) > 1 and not (household[1:] > household[:-1]).all():
        raise LayoutError(f"households not sorted by household or a household repeated ({where})")
    if len(person_household) > 1:
        step = np.diff(person_household)
        if (step < 0).any() or ((step == 0) & (np.diff(person) <= 0)).any():
            raise LayoutError(f"persons not sorted by household then person ({where})")
    index = np.searchsorted(household, person_household)
    found = index < len(household)
    found[found] = household[index[found]] == person_household[found]
    if not found.all():
        raise LayoutError(f"household {int(person_household[~found][0])} of a person is not in the same pair "
                          f"of files ({where})")
    extra = households.select([f.name for f in HOUSEHOLD_SCHEMA if f.name != "household_id"]).take(index)
    return pa.table({**{name: persons.column(name) for name in PERSON_SCHEMA.names},
                     **{name: extra.column(name) for name in extra.column_names}}, schema=JOINED_SCHEMA)


def file_pairs(directory: Path | str) -> list[tuple[str, str, str, int]]:
    """The (relative path, persons file, households file, persons) pairs of
    an export under the layout contract, largest first (so the biggest tasks
    start first). Raises ``ValidationError`` when the two sides' file sets differ."""
    root = Path(directory)
    persons = {p.relative_to(root / "persons").as_posix(): p for p in (root / "persons").rglob("*.parquet")}
    households = {p.relative_to(root / "households").as_posix(): p
                  for p in (root / "households").rglob("*.parquet")}
    if set(persons) != set(households):
        odd = sorted(set(persons) ^ set(households))
        raise ValidationError(f"测算输入文件不完整：人员文件与家庭文件不成对（如 {odd[0]}），请重新导出")
    pairs = [(name, str(persons[name]), str(households[name]), pq.ParquetFile(persons[name]).metadata.num_rows)
             for name in sorted(persons)]
    return sorted(pairs, key=lambda pair: -pair[3])


def read_meta(directory: Path | str) -> dict[str, Any]:
    path = Path(directory) / INPUTS_META
    if not path.is_file():
        raise ValidationError(f"目录 {directory} 中没有完整的测算输入（缺少说明文件），请先导出测算输入")
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return meta


def grants_from_meta(meta: dict[str, Any]) -> list[OneOffGrant]:
    return [OneOffGrant(name=g["name"], label=g["label"], month=g["month"], amount_fen=g["amount_fen"],
                        target_groups=tuple(g["target_groups"]), reference=g.get("reference", ""))
            for g in meta["grants"]]


def read_inputs(directory: Path | str) -> tuple[dict[str, Any], pa.Table, pa.Table]:
    """The export's metadata, households and persons as Arrow tables (small exports: tests, checks)."""
    meta = read_meta(directory)
    households = pq.read_table(Path(directory) / "households", schema=HOUSEHOLD_SCHEMA, partitioning=None)
    persons = pq.read_table(Path(directory) / "persons", schema=PERSON_SCHEMA, partitioning=None)
    return meta, households, persons


