"""The chunked draw: households → members → conditions → economy, no database.

Each chunk has its own generator seeded with ``(seed, chunk number)``, so a
chunk's content depends only on the seed, its number and the persons still to
place — never on timing or on the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from minzheng.demo.committees import STREETS, CommitteePlan, committee_plan
from minzheng.demo.conditions import Conditions, draw_conditions
from minzheng.demo.economy import Economy, draw_economy
from minzheng.demo.population import (
    Chunk,
    build_chunk,
    draw_household_shapes,
    trim_to_persons,
)

DEFAULT_CHUNK_HOUSEHOLDS = 20_000


@dataclass
class Tree:
    """The committee plan as arrays for drawing."""

    plans: list[CommitteePlan]
    probability: np.ndarray  # of a household living in each committee
    hukou_factor: np.ndarray
    village: np.ndarray

    @classmethod
    def build(cls) -> Tree:
        plans = committee_plan()
        streets = {s.code: s for s in STREETS}
        street_total = {code: sum(p.weight for p in plans if p.street_code == code) for code in streets}
        population = sum(s.population_k for s in STREETS)
        probability = np.array(
            [streets[p.street_code].population_k / population * p.weight / street_total[p.street_code] for p in plans]
        )
        return cls(
            plans=plans,
            probability=probability / probability.sum(),
            hukou_factor=np.array([streets[p.street_code].hukou_factor for p in plans]),
            village=np.array([p.village for p in plans]),
        )


@dataclass
class DrawnChunk:
    number: int
    chunk: Chunk
    conditions: Conditions
    economy: Economy


def draw_chunks(
    persons: int, seed: int, tree: Tree, *, chunk_households: int = DEFAULT_CHUNK_HOUSEHOLDS
) -> Iterator[DrawnChunk]:
    """Yield chunks until exactly ``persons`` people have been drawn."""
    remaining = persons
    number = 0
    while remaining > 0:
        rng = np.random.default_rng([seed, number])
        shapes = draw_household_shapes(rng, chunk_households)
        if int(shapes["size"].sum()) >= remaining:
            shapes = trim_to_persons(shapes, remaining)
        chunk = build_chunk(rng, shapes, tree.probability, tree.hukou_factor)
        conditions = draw_conditions(rng, chunk)
        economy = draw_economy(rng, chunk, conditions, tree.village[chunk.committee])
        remaining -= chunk.persons
        yield DrawnChunk(number, chunk, conditions, economy)
        number += 1
