"""Disability certificates and child-protection flags.

Prevalence is by age band and hukou (certificates are issued where the hukou
is, so migrants hold far fewer here). Grades and kinds follow a plausible
national profile; intellectual disability is more common among children.
The child rates are set so that, scaled to 1.9 million residents, the
counts land on the seed's 2023 children-in-difficulty figures (see
docs/calibration.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minzheng.demo.population import AS_OF_DAY, YEAR, Chunk

KINDS = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
INTELLECTUAL, MENTAL = KINDS.index("智力"), KINDS.index("精神")
_KIND_P_ADULT = np.array([0.15, 0.13, 0.02, 0.44, 0.10, 0.13, 0.03])
_KIND_P_CHILD = np.array([0.08, 0.14, 0.08, 0.22, 0.36, 0.04, 0.08])
GRADE_P = np.array([0.12, 0.22, 0.28, 0.38])

# Certificate prevalence among hukou people by age band; migrants × MIGRANT_FACTOR.
PREVALENCE_AGES = np.array([0, 16, 60, 80])
PREVALENCE = np.array([0.0056, 0.022, 0.045, 0.09])
MIGRANT_FACTOR = 0.25

# Children in difficulty (seed 2023: 7 scattered orphans, 95 lacking guardianship,
# per 1.9 million residents); rates are per Shanghai-hukou child under 18.
ORPHAN_RATE = 0.000032
UNSUPPORTED_CHILD_RATE = 0.00064


@dataclass
class Conditions:
    cert_person: np.ndarray  # chunk person index
    cert_grade: np.ndarray
    cert_kind: np.ndarray  # index into KINDS
    cert_from_day: np.ndarray
    severe: np.ndarray  # per person: grade 1-2, or grade 3 intellectual/mental
    orphan: np.ndarray
    unsupported_child: np.ndarray


def draw_conditions(rng: np.random.Generator, chunk: Chunk) -> Conditions:
    n = chunk.persons
    rate = PREVALENCE[np.searchsorted(PREVALENCE_AGES, chunk.age, side="right") - 1]
    rate = np.where(chunk.hukou, rate, rate * MIGRANT_FACTOR)
    holder = np.flatnonzero(rng.random(n) < rate)
    child = chunk.age[holder] < 18
    kind = np.where(
        child,
        rng.choice(len(KINDS), size=len(holder), p=_KIND_P_CHILD),
        rng.choice(len(KINDS), size=len(holder), p=_KIND_P_ADULT),
    )
    grade = 1 + rng.choice(4, size=len(holder), p=GRADE_P)
    from_day = np.maximum(chunk.birth_day[holder] + 30, AS_OF_DAY - (rng.random(len(holder)) * 8 * YEAR).astype(np.int64))
    severe = np.zeros(n, dtype=bool)
    severe[holder] = (grade <= 2) | ((grade == 3) & np.isin(kind, (INTELLECTUAL, MENTAL)))

    hukou_child = chunk.hukou & (chunk.age < 18)
    draw = rng.random(n)
    orphan = hukou_child & (draw < ORPHAN_RATE)
    unsupported = hukou_child & ~orphan & (draw < ORPHAN_RATE + UNSUPPORTED_CHILD_RATE)
    return Conditions(holder, grade, kind, from_day, severe, orphan, unsupported)
