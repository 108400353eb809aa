"""Turn a drawn chunk into table rows: names, ID numbers, encryption, addresses.

Every ID number is encrypted (``encrypt``), blind-indexed (``blind_index``)
and masked; phones are encrypted. Nothing plain leaves this module except the
masked forms. Column tuples below are the order rows are written in.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from minzheng.core.personal_data import blind_index, encrypt, mask_id_number
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


def to_dates(days: np.ndarray) -> list[dt.date]:
    return (_EPOCH64 + days.astype("timedelta64[D]")).tolist()


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


def build_rows(drawn: DrawnChunk, tree: Tree, seq: identity.SequenceAllocator, base: IdBase,
               seed: int, now_value, date) -> dict[str, list[tuple]]:
    """Rows for every table; ``date`` adapts a date for the writer, ``now_value`` is the timestamp."""
    c, cond, econ = drawn.chunk, drawn.conditions, drawn.economy
    rng = np.random.default_rng([seed, drawn.number, 1])
    n, n_hh = c.persons, c.households
    committee_codes = [p.code for p in tree.plans]
    street_codes = [p.street_code for p in tree.plans]
    hh_committee = c.committee.tolist()

    birth = to_dates(c.birth_day)
    birth_year = np.array([b.year for b in birth])
    sex = np.where(c.male, "M", "F")
    sex_list = sex.tolist()
    surname = draw_surnames(rng, c.hukou)
    heads = np.flatnonzero(c.relation == 0)
    head_of = np.empty(n_hh, dtype=np.int64)
    head_of[c.hh[heads]] = heads
    child = c.relation == 2
    surname[child] = surname[head_of[c.hh[child]]]
    given = draw_given_names(rng, sex, birth_year)
    names = [str(f) + str(g) for f, g in zip(surname, given, strict=True)]
    area = identity.draw_area_codes(rng, hukou=c.hukou, birth_year=birth_year)
    numbers = identity.id_numbers(area, birth, seq.allocate(area, c.birth_day, c.male))
    phones = identity.phones(rng, (c.age >= 14) & (rng.random(n) < 0.95))

    person_committee = [committee_codes[k] for k in c.committee[c.hh].tolist()]
    person_street = [street_codes[k] for k in c.committee[c.hh].tolist()]
    death = [date(d) if d is not None else None for d in to_dates(np.maximum(c.death_day, 0))]
    person_rows = []
    for i in range(n):
        number = numbers[i]
        pinyin, initials = _keys(names[i])
        hukou = bool(c.hukou[i])
        person_rows.append((
            base.person + i, names[i], pinyin, initials, encrypt(number), blind_index(number),
            mask_id_number(number), date(birth[i]), sex_list[i], encrypt(phones[i]), hukou,
            person_street[i] if hukou else None, person_street[i], person_committee[i],
            bool(c.alive[i]), None if c.alive[i] else death[i], EMPLOYMENT[econ.employment[i]],
            bool(econ.able_to_work[i]),
            bool(econ.unemployment_insurance[i]), bool(econ.unemployment_subsidy[i]), bool(econ.youfu[i]), bool(cond.orphan[i]),
            bool(cond.unsupported_child[i]), bool(econ.in_institution[i]), bool(econ.has_able_supporter[i]),
            None, now_value, now_value,
        ))

    addresses = _addresses(rng, tree, c.committee)
    size = c.alive_size()
    household_rows = [
        (base.household + h, street_codes[hh_committee[h]], committee_codes[hh_committee[h]], addresses[h],
         bool(size[h] == 0), now_value, now_value)
        for h in range(n_hh)
    ]
    # Declared economic facts (docs/adr/0011): a person's income holds from birth, a household's
    # assets from its first membership.
    employed = econ.employment == EMPLOYMENT.index("employed")
    earned = np.where(employed, econ.income_fen, 0)
    income_fact_rows = [
        (base.income_fact + i, base.person + i, date(birth[i]), int(earned[i]), int(econ.pension_fen[i]),
         int(econ.income_fen[i] - earned[i]), *DECLARED, now_value)
        for i in range(n)
    ]
    first_start = np.full(n_hh, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_start, c.hh, c.start_day)
    if len(c.past_memberships.get("hh", ())):
        np.minimum.at(first_start, c.past_memberships["hh"], c.past_memberships["start"])
    hh_from = to_dates(first_start)
    asset_fact_rows = [
        (base.asset_fact + h, base.household + h, date(hh_from[h]), int(econ.assets_fen[h]), 0, int(econ.cars[h]),
         int(econ.homes[h]), int(econ.medical_fen[h]), *DECLARED, now_value)
        for h in range(n_hh)
    ]

    start = to_dates(c.start_day)
    membership_rows = [
        (base.membership + i, base.household + int(c.hh[i]), base.person + i, RELATIONS[c.relation[i]],
         date(start[i]), None if c.alive[i] else death[i], "" if c.alive[i] else "死亡")
        for i in range(n)
    ]
    past = c.past_memberships
    past_start, past_end = to_dates(past["start"]), to_dates(past["end"])
    for j, person in enumerate(past["person"].tolist()):
        membership_rows.append((
            base.membership + n + j, base.household + int(past["hh"][j]), base.person + person, "子女",
            date(past_start[j]), date(past_end[j]), "分户迁出",
        ))

    valid_from = to_dates(cond.cert_from_day)
    valid_to = to_dates(cond.cert_from_day + 3652)  # ten years
    disability_rows = [
        (base.disability + j, base.person + int(p), f"SJ{base.disability + j:010d}", int(cond.cert_grade[j]),
         DISABILITY_KINDS[cond.cert_kind[j]], date(valid_from[j]), date(valid_to[j]))
        for j, p in enumerate(cond.cert_person.tolist())
    ]

    moves = c.moves
    moved_on = to_dates(moves["day"])
    from_addresses = _addresses(rng, tree, moves["from_committee"])
    move_rows = [
        (base.move + j, base.household + int(h), date(moved_on[j]), committee_codes[int(moves["from_committee"][j])],
         committee_codes[hh_committee[h]], from_addresses[j], addresses[h], str(moves["reason"][j]), now_value)
        for j, h in enumerate(moves["hh"].tolist())
    ]
    return {
        "household": household_rows, "person": person_rows, "membership": membership_rows,
        "disability": disability_rows, "move": move_rows, "income_fact": income_fact_rows,
        "asset_fact": asset_fact_rows,
    }
