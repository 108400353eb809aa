"""Turn a drawn chunk into table rows: names, ID numbers, encryption, addresses.

Every ID number is encrypted (``encrypt_many``), blind-indexed (``blind_index_many``)
and masked; phones are encrypted. Nothing plain leaves this module except the
masked forms. Column tuples below are the order columns are written in; rows
are built a column at a time (lists, not per-row tuples) for ``copy_columns``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from minzheng.core.personal_data import blind_index_many, encrypt_many
from minzheng.demo import identity
from minzheng.demo.conditions import KINDS as DISABILITY_KINDS
from minzheng.demo.economy import EMPLOYMENT
from minzheng.demo.names import draw_given_names, draw_surnames
from minzheng.demo.population import RELATIONS
from minzheng.demo.simulation import DrawnChunk, Tree
from minzheng.registry.services import name_keys

PERSON_COLUMNS = (
    "id", "name", "name_pinyin", "name_initials", "id_number_enc", "id_number_index", "id_number_masked",
    "birth_date", "sex", "phone_enc", "hukou_shanghai", "hukou_street_id", "street_id", "committee_id",
    "alive", "death_date", "employment", "able_to_work",
    "unemployment_insurance", "unemployment_subsidy", "youfu", "orphan", "unsupported_child", "in_institution",
    "has_able_supporter", "merged_into_id", "created_at", "updated_at",
)
HOUSEHOLD_COLUMNS = ("id", "street_id", "committee_id", "address", "archived", "created_at", "updated_at")
FACT_COMMON = ("origin", "evidence_kind", "evidence_id", "evidence_label", "recorded_by", "recorded_at")
INCOME_FACT_COLUMNS = ("id", "person_id", "valid_from", "earned_fen", "pension_fen", "other_fen", *FACT_COMMON)
ASSET_FACT_COLUMNS = ("id", "household_id", "valid_from", "monetary_assets_fen", "securities_fen", "private_cars",
                      "homes", "medical_oop_12m_fen", *FACT_COMMON)
DECLARED = ("declared", "", "", "演示数据：登记时申报", "demo_data")
MEMBERSHIP_COLUMNS = ("id", "household_id", "person_id", "relation", "start_date", "end_date", "end_reason")
DISABILITY_COLUMNS = ("id", "person_id", "number", "grade", "kind", "valid_from", "valid_to")
MOVE_COLUMNS = (
    "id", "household_id", "moved_on", "from_committee_id", "to_committee_id", "from_address", "to_address",
    "reason", "recorded_at",
)
_EPOCH64 = np.datetime64(identity.EPOCH, "D")


@functools.lru_cache(maxsize=200_000)
def _keys(name: str) -> tuple[str, str]:
    return name_keys(name)


@dataclass
class IdBase:
    """First id of each table for this chunk."""

    person: int
    household: int
    membership: int
    disability: int
    move: int
    income_fact: int
    asset_fact: int


def _addresses(rng: np.random.Generator, tree: Tree, committee: np.ndarray) -> list[str]:
    lane = rng.integers(1, 1200, len(committee))
    building = rng.integers(1, 40, len(committee))
    room = rng.integers(1, 19, len(committee)) * 100 + rng.integers(1, 5, len(committee))
    group = rng.integers(1, 16, len(committee))
    house = rng.integers(1, 300, len(committee))
    out = []
    for c, a, b, r, g, h in zip(committee.tolist(), lane.tolist(), building.tolist(), room.tolist(),
                                group.tolist(), house.tolist(), strict=True):
        plan = tree.plans[c]
        base = plan.name[:-3]
        if plan.village:
            out.append(f"松江区{base}村{g}组{h}号")
        elif base.endswith("路"):
            out.append(f"松江区{base}{a}弄{b}号{r}室")
        else:
            out.append(f"松江区{base}{b}号{r}室")
    return out


def _iso(days: np.ndarray) -> list[str]:
    """Days since ``identity.EPOCH`` as ``YYYY-MM-DD`` text (what COPY and SQLite store)."""
    return np.datetime_as_string(_EPOCH64 + np.asarray(days).astype("timedelta64[D]"), unit="D").tolist()


def _bools(values: np.ndarray) -> list[bool]:
    return np.asarray(values, dtype=bool).tolist()


def _ids(first: int, count: int) -> list[int]:
    return list(range(first, first + count))


def build_rows(drawn: DrawnChunk, tree: Tree, seq: identity.SequenceAllocator, base: IdBase,
               seed: int, now_value: str) -> dict[str, list[list]]:
    """Columns for every table (``data[j][i]`` is row *i* of column *j*, in
    the ``*_COLUMNS`` order), built a column at a time from the drawn arrays;
    ``now_value`` is the timestamp as the writer takes it. Dates are ISO text."""
    c, cond, econ = drawn.chunk, drawn.conditions, drawn.economy
    rng = np.random.default_rng([seed, drawn.number, 1])
    n, n_hh = c.persons, c.households
    committee_codes = [p.code for p in tree.plans]
    street_codes = [p.street_code for p in tree.plans]
    hh_committee = c.committee.tolist()

    birth_year = (_EPOCH64 + c.birth_day.astype("timedelta64[D]")).astype("datetime64[Y]").astype(np.int64) + 1970
    sex = np.where(c.male, "M", "F")
    surname = draw_surnames(rng, c.hukou)
    heads = np.flatnonzero(c.relation == 0)
    head_of = np.empty(n_hh, dtype=np.int64)
    head_of[c.hh[heads]] = heads
    child = c.relation == 2
    surname[child] = surname[head_of[c.hh[child]]]
    given = draw_given_names(rng, sex, birth_year)
    names = [str(f) + str(g) for f, g in zip(surname, given, strict=True)]
    area = identity.draw_area_codes(rng, hukou=c.hukou, birth_year=birth_year)
    numbers, masked = identity.id_numbers(area, c.birth_day, seq.allocate(area, c.birth_day, c.male))
    phones = identity.phones(rng, (c.age >= 14) & (rng.random(n) < 0.95))

    person_committee = [committee_codes[k] for k in c.committee[c.hh].tolist()]
    person_street = [street_codes[k] for k in c.committee[c.hh].tolist()]
    alive = _bools(c.alive)
    death = _iso(np.maximum(c.death_day, 0))
    death_or_none = [None if a else d for a, d in zip(alive, death, strict=True)]
    birth_iso = _iso(c.birth_day)
    hukou = _bools(c.hukou)
    keys = [_keys(name) for name in names]
    now = [now_value] * n
    person = [
        _ids(base.person, n), names, [k[0] for k in keys], [k[1] for k in keys], encrypt_many(numbers),
        blind_index_many(numbers), masked, birth_iso, sex.tolist(),
        encrypt_many(phones), hukou, [s if h else None for s, h in zip(person_street, hukou, strict=True)],
        person_street, person_committee, alive, death_or_none,
        [EMPLOYMENT[e] for e in econ.employment.tolist()], _bools(econ.able_to_work),
        _bools(econ.unemployment_insurance), _bools(econ.unemployment_subsidy), _bools(econ.youfu),
        _bools(cond.orphan), _bools(cond.unsupported_child), _bools(econ.in_institution),
        _bools(econ.has_able_supporter), [None] * n, now, now,
    ]

    addresses = _addresses(rng, tree, c.committee)
    size = c.alive_size()
    hh_now = [now_value] * n_hh
    household = [
        _ids(base.household, n_hh), [street_codes[k] for k in hh_committee], [committee_codes[k] for k in hh_committee],
        addresses, (size == 0).tolist(), hh_now, hh_now,
    ]
    # Declared economic facts (docs/adr/0011): a person's income holds from birth, a household's
    # assets from its first membership.
    employed = econ.employment == EMPLOYMENT.index("employed")
    earned = np.where(employed, econ.income_fen, 0)
    income_fact = [
        _ids(base.income_fact, n), _ids(base.person, n), birth_iso, earned.astype(np.int64).tolist(),
        np.asarray(econ.pension_fen, dtype=np.int64).tolist(),
        (np.asarray(econ.income_fen, dtype=np.int64) - earned).tolist(),
        *([value] * n for value in DECLARED), now,
    ]
    first_start = np.full(n_hh, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_start, c.hh, c.start_day)
    if len(c.past_memberships.get("hh", ())):
        np.minimum.at(first_start, c.past_memberships["hh"], c.past_memberships["start"])
    asset_fact = [
        _ids(base.asset_fact, n_hh), _ids(base.household, n_hh), _iso(first_start),
        np.asarray(econ.assets_fen, dtype=np.int64).tolist(), [0] * n_hh, np.asarray(econ.cars, dtype=np.int64).tolist(),
        np.asarray(econ.homes, dtype=np.int64).tolist(), np.asarray(econ.medical_fen, dtype=np.int64).tolist(),
        *([value] * n_hh for value in DECLARED), hh_now,
    ]

    past = c.past_memberships
    n_past = len(past["person"])
    membership = [
        _ids(base.membership, n + n_past),
        (base.household + np.concatenate([c.hh, past["hh"]]).astype(np.int64)).tolist(),
        (base.person + np.concatenate([np.arange(n), past["person"]]).astype(np.int64)).tolist(),
        [RELATIONS[r] for r in c.relation.tolist()] + ["子女"] * n_past,
        _iso(c.start_day) + _iso(past["start"]),
        death_or_none + _iso(past["end"]),
        ["" if a else "死亡" for a in alive] + ["分户迁出"] * n_past,
    ]

    n_cert = len(cond.cert_person)
    cert_ids = _ids(base.disability, n_cert)
    disability = [
        cert_ids, (base.person + np.asarray(cond.cert_person, dtype=np.int64)).tolist(),
        [f"SJ{i:010d}" for i in cert_ids], np.asarray(cond.cert_grade, dtype=np.int64).tolist(),
        [DISABILITY_KINDS[k] for k in cond.cert_kind.tolist()], _iso(cond.cert_from_day),
        _iso(cond.cert_from_day + 3652),  # ten years
    ]

    moves = c.moves
    move_hh = moves["hh"].tolist()
    n_moves = len(move_hh)
    from_addresses = _addresses(rng, tree, moves["from_committee"])
    move = [
        _ids(base.move, n_moves), [base.household + int(h) for h in move_hh], _iso(moves["day"]),
        [committee_codes[int(k)] for k in moves["from_committee"].tolist()],
        [committee_codes[hh_committee[h]] for h in move_hh], from_addresses, [addresses[h] for h in move_hh],
        [str(r) for r in moves["reason"].tolist()], [now_value] * n_moves,
    ]
    return {
        "household": household, "person": person, "membership": membership, "disability": disability,
        "move": move, "income_fact": income_fact, "asset_fact": asset_fact,
    }
