"""Households and their members: kinds, ages, sexes, hukou, deaths and moves.

A chunk of households is drawn at once with numpy. Each household has a
*kind* (elderly single, elderly couple, young single, couple, nuclear
family, three generations, one parent with a child); the kind fixes which
member slots exist (head, spouse, children, the head's parents) and the age
bands they are drawn from. Hukou is drawn per household (kind × street
factor); a few spouses in hukou households are migrants. The data are "as of"
:data:`AS_OF` so ages never depend on the day the command runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from minzheng.demo.identity import EPOCH

AS_OF = dt.date(2025, 8, 31)
AS_OF_DAY = (AS_OF - EPOCH).days
YEAR = 365.2425

RELATIONS = ("本人", "配偶", "子女", "父母")
HEAD, SPOUSE, CHILD, PARENT = range(4)

KINDS = ("elderly_single", "elderly_couple", "young_single", "couple", "nuclear", "three_generations", "parent_child")
ELDERLY_SINGLE, ELDERLY_COUPLE, YOUNG_SINGLE, COUPLE, NUCLEAR, THREE_GEN, PARENT_CHILD = range(7)
KIND_P = np.array([0.125, 0.15, 0.17, 0.11, 0.265, 0.125, 0.055])
KIND_P = KIND_P / KIND_P.sum()
# Probability that a household of each kind holds Shanghai hukou (before the street factor).
KIND_HUKOU = np.array([0.59, 0.57, 0.10, 0.20, 0.30, 0.42, 0.50])
MIGRANT_SPOUSE_IN_HUKOU_HOUSEHOLD = 0.10

# Age bands (lower, upper, probability) for the head of each kind.
_HEAD_BANDS = {
    ELDERLY_SINGLE: ((60, 65, .20), (65, 70, .22), (70, 75, .18), (75, 80, .14), (80, 85, .12),
                     (85, 90, .08), (90, 95, .04), (95, 100, .015), (100, 104, .005)),
    ELDERLY_COUPLE: ((60, 65, .27), (65, 70, .28), (70, 75, .20), (75, 80, .12), (80, 85, .08),
                     (85, 90, .04), (90, 96, .01)),
    YOUNG_SINGLE: ((18, 22, .06), (22, 30, .38), (30, 40, .32), (40, 50, .15), (50, 60, .09)),
    COUPLE: ((22, 30, .30), (30, 40, .30), (40, 50, .20), (50, 60, .20)),
    NUCLEAR: ((25, 35, .30), (35, 45, .40), (45, 58, .30)),
    THREE_GEN: ((28, 40, .50), (40, 55, .50)),
    PARENT_CHILD: ((28, 50, .50), (50, 70, .30), (70, 86, .20)),
}
# Yearly death rates by age band (for "a few deaths" in the last 12 months).
_DEATH_AGES = np.array([0, 60, 70, 80, 90])
_DEATH_RATES = np.array([0.0008, 0.008, 0.022, 0.065, 0.16])
MOVED_HOUSEHOLDS = 0.02  # households with a ResidenceChange in the last two years
SPLIT_OFF_YOUNG_SINGLES = 0.15  # young singles who left a parent household (ended membership)


@dataclass
class Chunk:
    """Arrays for one chunk; person arrays are ordered by household, head first."""

    # households
    kind: np.ndarray
    committee: np.ndarray  # index into the committee plan
    hh_hukou: np.ndarray
    formed_day: np.ndarray
    # persons
    hh: np.ndarray
    relation: np.ndarray
    age: np.ndarray  # years on AS_OF
    male: np.ndarray
    hukou: np.ndarray
    birth_day: np.ndarray  # days since identity.EPOCH
    alive: np.ndarray
    death_day: np.ndarray  # -1 when alive
    start_day: np.ndarray
    # history
    moves: dict[str, np.ndarray] = field(default_factory=dict)
    past_memberships: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def households(self) -> int:
        return len(self.kind)

    @property
    def persons(self) -> int:
        return len(self.hh)

    def alive_size(self) -> np.ndarray:
        return np.bincount(self.hh, weights=self.alive, minlength=self.households).astype(np.int64)


def _draw_bands(rng: np.random.Generator, bands: tuple, n: int) -> np.ndarray:
    lows = np.array([b[0] for b in bands], dtype=float)
    highs = np.array([b[1] for b in bands], dtype=float)
    p = np.array([b[2] for b in bands], dtype=float)
    pick = rng.choice(len(bands), size=n, p=p / p.sum())
    return lows[pick] + rng.random(n) * (highs[pick] - lows[pick])


def draw_household_shapes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Kind, head age and member-slot counts per household."""
    kind = rng.choice(len(KINDS), size=n, p=KIND_P)
    head_age = np.empty(n)
    for k, bands in _HEAD_BANDS.items():
        mask = kind == k
        head_age[mask] = _draw_bands(rng, bands, int(mask.sum()))
    spouse = np.isin(kind, (ELDERLY_COUPLE, COUPLE, NUCLEAR)) | ((kind == THREE_GEN) & (rng.random(n) < 0.9))
    children = np.zeros(n, dtype=np.int64)
    children[kind == NUCLEAR] = 1 + (rng.random(int((kind == NUCLEAR).sum())) < 0.38)
    children[kind == THREE_GEN] = 1 + (rng.random(int((kind == THREE_GEN).sum())) < 0.35)
    children[kind == PARENT_CHILD] = 1
    parents = np.zeros(n, dtype=np.int64)
    parents[kind == THREE_GEN] = 1 + (rng.random(int((kind == THREE_GEN).sum())) < 0.55)
    size = 1 + spouse + children + parents
    return {"kind": kind, "head_age": head_age, "spouse": spouse, "children": children, "parents": parents, "size": size}


def trim_to_persons(shapes: dict[str, np.ndarray], persons: int) -> dict[str, np.ndarray]:
    """Keep whole households up to ``persons``; shrink the last one to fit exactly."""
    total = np.cumsum(shapes["size"])
    keep = int(np.searchsorted(total, persons, side="left")) + 1
    shapes = {k: v[:keep].copy() for k, v in shapes.items()}
    excess = int(total[keep - 1]) - persons if keep <= len(total) else 0
    while excess > 0:  # drop slots from the last household: parents, children, then spouse
        for slot in ("parents", "children"):
            take = min(excess, int(shapes[slot][-1]))
            shapes[slot][-1] -= take
            excess -= take
        if excess > 0 and shapes["spouse"][-1]:
            shapes["spouse"][-1] = False
            excess -= 1
    shapes["size"] = 1 + shapes["spouse"] + shapes["children"] + shapes["parents"]
    return shapes


def build_chunk(
    rng: np.random.Generator, shapes: dict[str, np.ndarray], committee_p: np.ndarray,
    committee_hukou_factor: np.ndarray,
) -> Chunk:
    """Members, hukou, births, deaths and moves for the given household shapes."""
    kind, head_age = shapes["kind"], shapes["head_age"]
    n_hh = len(kind)
    committee = rng.choice(len(committee_p), size=n_hh, p=committee_p)
    hh_hukou = rng.random(n_hh) < np.clip(KIND_HUKOU[kind] * committee_hukou_factor[committee], 0, 0.95)

    # Head sex: couples mostly a male head; elderly singles mostly widows.
    male_head_p = np.select(
        [kind == ELDERLY_SINGLE, kind == YOUNG_SINGLE, kind == PARENT_CHILD], [0.35, 0.58, 0.45], 0.8
    )
    head_male = rng.random(n_hh) < male_head_p

    parts = []  # (household, relation, age, male)
    idx = np.arange(n_hh)
    parts.append((idx, np.full(n_hh, HEAD), head_age, head_male))
    sp = idx[shapes["spouse"]]
    spouse_age = np.clip(head_age[sp] + rng.normal(-1.5, 3.0, len(sp)), 18, 104)
    parts.append((sp, np.full(len(sp), SPOUSE), spouse_age, ~head_male[sp]))
    first = idx[shapes["children"] >= 1]
    room = np.clip(head_age[first] - 22, 0.5, 30)
    first_age = rng.random(len(first)) * room
    parts.append((first, np.full(len(first), CHILD), first_age, rng.random(len(first)) < 0.515))
    second_mask = shapes["children"][first] >= 2
    second = first[second_mask]
    second_age = first_age[second_mask] - rng.uniform(1, 8, len(second))
    second_age = np.where(second_age < 0, rng.random(len(second)), second_age)
    parts.append((second, np.full(len(second), CHILD), second_age, rng.random(len(second)) < 0.515))
    for nth in (1, 2):
        who = idx[shapes["parents"] >= nth]
        age = np.clip(head_age[who] + rng.uniform(24, 34, len(who)), 50, 103)
        if nth == 1:  # a lone parent is mostly a mother; of a pair, the first is the mother
            male = (rng.random(len(who)) < 0.35) & (shapes["parents"][who] == 1)
        else:
            male = np.ones(len(who), dtype=bool)
        parts.append((who, np.full(len(who), PARENT), age, male))

    hh = np.concatenate([p[0] for p in parts])
    order = np.argsort(hh, kind="stable")
    hh = hh[order]
    relation = np.concatenate([p[1] for p in parts])[order]
    age = np.concatenate([p[2] for p in parts])[order]
    male = np.concatenate([p[3] for p in parts])[order]
    n = len(hh)

    hukou = hh_hukou[hh].copy()
    migrant_spouse = (relation == SPOUSE) & hukou & (rng.random(n) < MIGRANT_SPOUSE_IN_HUKOU_HOUSEHOLD)
    hukou[migrant_spouse] = False

    birth_day = (AS_OF_DAY - np.floor(age * YEAR)).astype(np.int64)
    age = (AS_OF_DAY - birth_day) / YEAR

    rate = _DEATH_RATES[np.searchsorted(_DEATH_AGES, age, side="right") - 1]
    alive = rng.random(n) >= rate
    death_day = np.where(alive, -1, AS_OF_DAY - rng.integers(0, 365, n))
    death_day = np.where(~alive & (death_day <= birth_day), birth_day + 1, death_day)

    formed_day = AS_OF_DAY - (rng.uniform(0.3, 25, n_hh) * YEAR).astype(np.int64)
    start_day = np.maximum(birth_day, formed_day[hh])

    chunk = Chunk(
        kind=kind, committee=committee, hh_hukou=hh_hukou, formed_day=formed_day,
        hh=hh, relation=relation, age=age, male=male, hukou=hukou, birth_day=birth_day,
        alive=alive, death_day=death_day, start_day=start_day,
    )
    _draw_moves(rng, chunk, committee_p)
    return chunk


def _draw_moves(rng: np.random.Generator, chunk: Chunk, committee_p: np.ndarray) -> None:
    """ResidenceChange rows for a few households; ended memberships for split-offs."""
    n_hh = chunk.households
    moved = np.flatnonzero(rng.random(n_hh) < MOVED_HOUSEHOLDS)
    from_committee = rng.choice(len(committee_p), size=len(moved), p=committee_p)
    same = from_committee == chunk.committee[moved]
    from_committee[same] = (from_committee[same] + 1) % len(committee_p)
    moved_day = AS_OF_DAY - rng.integers(30, 730, len(moved))
    chunk.moves = {
        "hh": moved, "from_committee": from_committee, "day": moved_day,
        "reason": rng.choice(np.array(["购房迁入", "租房迁入", "拆迁安置", "投靠亲属"]), size=len(moved)),
    }
    # Young singles who left their parents' household: an ended membership there.
    heads = np.flatnonzero(chunk.relation == HEAD)
    young = heads[(chunk.kind[chunk.hh[heads]] == YOUNG_SINGLE) & (chunk.age[heads] < 40) & chunk.alive[heads]]
    split = young[rng.random(len(young)) < SPLIT_OFF_YOUNG_SINGLES]
    left_day = np.maximum(chunk.birth_day[split] + int(18 * YEAR), AS_OF_DAY - rng.integers(60, 1500, len(split)))
    left_day = np.minimum(left_day, AS_OF_DAY - 30)
    origin = rng.integers(0, n_hh, len(split))
    origin = np.where(origin == chunk.hh[split], (origin + 1) % n_hh, origin)
    chunk.past_memberships = {
        "person": split, "hh": origin, "start": chunk.birth_day[split], "end": left_day,
    }
    chunk.start_day[split] = np.maximum(chunk.start_day[split], left_day)
