"""From registry columns to the policy engine's inputs, and back to the
single-household JSON the calculator and ``policy explain`` use.

Income goes over split (REFERENCE §1 "Earned-income disregard"): the engine's
``earned_income_fen`` is the income fact's earned part, and the household
JSON gives ``earned_income_yuan`` and ``other_income_yuan`` (pension + other
income), never the whole ``monthly_income_yuan`` — the disregard touches only
an employed member's earned income. ``in_school`` is the registry's
employment 在校学生 (classified support, §1); ``unemployment_subsidy`` is the
person's 领取失业补助金 (§9). ``care_level`` / ``care_assessment`` is the
care-needs assessment in force on the 1st (照护等级, §10, ADR 0031)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import numpy as np

from minzheng.registry.columnar import NO_ASSESSMENT_DAY, RegistryColumns
from policy import DISABILITY_KINDS, HouseholdTable, InputError, PersonTable
from policy.money import format_fen

KIND_NAMES = {code: name for name, code in DISABILITY_KINDS.items()}
_EPOCH = np.datetime64("1970-01-01", "D")

_PERSON_BOOLS = ("hukou_shanghai", "employed", "able_to_work", "has_able_supporter", "orphan", "unsupported_child",
                 "in_institution", "unemployment_insurance", "youfu", "in_school", "unemployment_subsidy")


def policy_tables(cols: RegistryColumns) -> tuple[HouseholdTable, PersonTable]:
    households = HouseholdTable(
        monetary_assets_fen=cols.monetary_assets_fen, private_cars=cols.private_cars, homes=cols.homes,
        medical_oop_12m_fen=cols.medical_oop_12m_fen,
    )
    persons = PersonTable(
        household_index=cols.person_household_index,
        birth_date=_EPOCH + cols.birth_days.astype("timedelta64[D]"),
        monthly_income_fen=cols.monthly_income_fen,
        earned_income_fen=cols.earned_income_fen,
        disability_grade=cols.disability_grade,
        disability_kind=cols.disability_kind,
        care_level=cols.care_level,
        care_assessed_on=care_dates(cols.care_assessed_days),
        **{name: getattr(cols, name) for name in _PERSON_BOOLS},
    )
    return households, persons


def care_dates(days: np.ndarray) -> np.ndarray:
    """Assessment days (int days since 1970-01-01, ``NO_ASSESSMENT_DAY`` for
    none) as the engine's ``datetime64[D]`` column (NaT for none)."""
    none = days == NO_ASSESSMENT_DAY
    dates = _EPOCH + np.where(none, 0, days).astype("timedelta64[D]")
    dates[none] = np.datetime64("NaT")
    return dates


def household_payload(cols: RegistryColumns, row: int, *, month: str) -> dict:
    """The engine's single-household JSON for household row ``row``.

    Raises ``policy.InputError`` when the household's income or assets are
    unknown on the day the columns were read: nothing is filled in as zero."""
    if cols.facts_missing[row]:
        raise InputError([{"field": "household", "message": (
            "该家庭当月1日的收入或财产在人口库中没有记录，不能测算；请先登记家庭申报或完成经济状况核对")}])
    members = np.flatnonzero(cols.person_household_index == row)
    payload_members = []
    for i in members:
        member: dict = {
            "id": str(int(cols.person_id[i])),
            "birth_date": str(_EPOCH + np.timedelta64(int(cols.birth_days[i]), "D")),
            "earned_income_yuan": format_fen(int(cols.earned_income_fen[i])),
            "other_income_yuan": format_fen(int(cols.monthly_income_fen[i] - cols.earned_income_fen[i])),
        }
        for name in _PERSON_BOOLS:
            member[name] = bool(getattr(cols, name)[i])
        if cols.disability_grade[i]:
            member["disability"] = {"grade": int(cols.disability_grade[i]),
                                    "kind": KIND_NAMES[int(cols.disability_kind[i])]}
        if cols.care_level[i]:
            member["care_assessment"] = {
                "level": int(cols.care_level[i]),
                "assessed_on": str(_EPOCH + np.timedelta64(int(cols.care_assessed_days[i]), "D"))}
        payload_members.append(member)
    return {
        "month": month,
        "household": {
            "id": str(int(cols.household_id[row])),
            "monetary_assets_yuan": format_fen(int(cols.monetary_assets_fen[row])),
            "private_cars": int(cols.private_cars[row]),
            "homes": int(cols.homes[row]),
            "medical_out_of_pocket_12m_yuan": format_fen(int(cols.medical_oop_12m_fen[row])),
            "members": payload_members,
        },
    }


def snapshot_bytes(cols: RegistryColumns) -> bytes:
    """The run's inputs as an ``.npz`` archive (fast deflate, level 1), so a
    stored decision can be explained later; ``np.load`` reads it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, value in vars(cols).items():
            array = value.astype("U12") if value.dtype == object else value
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
    return out.getvalue()


def snapshot_digest(cols: RegistryColumns) -> str:
    """A SHA-256 of every input column (names, dtypes, values): two runs with
    the same digest evaluated the same inputs, so they can share one snapshot."""
    digest = hashlib.sha256()
    for name, value in vars(cols).items():
        digest.update(f"{name}:{value.dtype}:{len(value)}\0".encode())
        if value.dtype == object:
            digest.update("\0".join(map(str, value.tolist())).encode())
        else:
            digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()


def snapshot_load(data: bytes) -> RegistryColumns:
    """The columns of a stored run's snapshot.

    Snapshots taken before the earned-income split and the new flags (rules
    revision 2026-11-30) lack ``earned_income_fen``, ``in_school`` and
    ``unemployment_subsidy``; they are filled by the engine's own default
    rule for inputs without them (``policy.engine.tables``): an employed
    person's whole income is earned income, anyone else's is not, and both
    flags are false — what those runs assumed."""
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        values = {name: archive[name] for name in archive.files}
    if "earned_income_fen" not in values:
        values["earned_income_fen"] = np.where(values["employed"], values["monthly_income_fen"], 0).astype(np.int64)
    for name in ("in_school", "unemployment_subsidy"):
        if name not in values:
            values[name] = np.zeros(len(values["person_id"]), dtype=bool)
    if "care_level" not in values:  # snapshots taken before care-needs assessments (ADR 0031): none known
        values["care_level"] = np.zeros(len(values["person_id"]), dtype=np.int8)
        values["care_assessed_days"] = np.full(len(values["person_id"]), NO_ASSESSMENT_DAY, dtype=np.int64)
    for name in ("household_street", "household_committee"):
        values[name] = values[name].astype(object)
    if "facts_missing" not in values:  # snapshots taken before dated facts: every household was evaluated
        values["facts_missing"] = np.zeros(len(values["household_id"]), dtype=bool)
    return RegistryColumns(**values)
