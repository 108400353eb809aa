"""The random draw (双随机) of a plan: pure, reproducible by hand (ADR 0030).

1. The snapshot: the plan's scope and counts, the institutions of the scope
   (operating 养老院, sorted by id), the active inspector pool (sorted by id)
   and the exclusions (回避, sorted ``[inspector id, institution id]`` pairs).
2. Canonical serialisation: ``json.dumps(snapshot, ensure_ascii=False,
   sort_keys=True, separators=(",", ":"))`` encoded as UTF-8; its sha256 is
   the snapshot hash.
3. The draw: ``rng = random.Random(seed)`` (Python's Mersenne Twister, integer
   seed); ``chosen = rng.sample(institution_ids, n)`` over the sorted ids (the
   drawing order is kept); then for each chosen institution in that order,
   the candidates are the sorted inspector ids minus those excluded for it,
   and ``rng.sample(candidates, k)`` draws its inspectors (then sorted). An
   excluded inspector is thus re-drawn deterministically: it is never a
   candidate. Fewer candidates than ``k`` (or fewer institutions than ``n``):
   the draw is refused with a Chinese reason.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from django.core.exceptions import ValidationError


def canonical(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_draw(snapshot: dict[str, Any], seed: int) -> dict[str, Any]:
    """The draw over ``snapshot`` with ``seed`` (see the module's steps)."""
    institutions = sorted(snapshot["institutions"], key=lambda i: i["id"])
    inspectors = sorted(snapshot["inspectors"], key=lambda i: i["id"])
    excluded = {(a, b) for a, b in snapshot["exclusions"]}
    n, k = snapshot["institutions_to_draw"], snapshot["inspectors_per_institution"]
    if len(institutions) < n:
        raise ValidationError(f"抽查范围内只有{len(institutions)}家在运营的养老院，不足计划抽取的{n}家")
    names = {i["id"]: i["name"] for i in institutions}
    inspector_names = {i["id"]: i["name"] for i in inspectors}
    rng = random.Random(seed)
    chosen = rng.sample([i["id"] for i in institutions], n)
    assignments = []
    for facility_id in chosen:
        candidates = [i["id"] for i in inspectors if (i["id"], facility_id) not in excluded]
        if len(candidates) < k:
            raise ValidationError(f"{names[facility_id]}可抽取的检查人员只有{len(candidates)}名（已排除回避人员），"
                                  f"不足每家{k}名，无法抽取；请先充实检查人员名录库")
        drawn = sorted(rng.sample(candidates, k))
        assignments.append({"institution": facility_id, "institution_name": names[facility_id],
                            "inspectors": drawn, "inspector_names": [inspector_names[i] for i in drawn]})
    return {"plan": snapshot["plan"], "seed": seed, "snapshot_sha256": snapshot_hash(canonical(snapshot)),
            "assignments": assignments}


def draw_json(result: dict[str, Any]) -> str:
    """How the command prints a draw: sorted keys, Chinese as is."""
    return json.dumps(result, ensure_ascii=False, sort_keys=True, indent=2)
