"""认定抽查: the district's in-person spot check of extreme-poverty files
before confirmation (《特困人员认定办法》第十六条: the district confirms within
15 working days, spot-checking at least 30% of the files; REFERENCE §15).

Unit of the draw: the district's review queue, on demand. When the approving
level (district bureau staff) draws, the population is every open
extreme-poverty file in its jurisdiction that has *arrived* for
confirmation — the notice has ended, or the street disagreed (no notice) —
and is not yet in a draw. ceil(30%) of them (so at least one) are drawn
with ``random.Random(seed)`` from the files sorted by id; the seed, the
population and its SHA-256 are recorded, so ``draw_reproduce`` repeats the
draw exactly. Every file of the population gets a ``SpotCheck`` row (drawn or
not), so a file is confirmed only after it went through a draw, and a drawn
file only after its in-person check (入户抽查) is recorded
(``spot_check_problem``, checked by ``transitions.require_conditions``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from minzheng.casework.models import (
    Application,
    ApprovalLevel,
    SpotCheck,
    SpotCheckDraw,
    Status,
)
from minzheng.casework.procedure_timings import (
    EXTREME_RULES,
    SPOT_CHECK_PERCENT,
    SPOT_CHECK_PROGRAMS,
)
from minzheng.casework.program_settings import program_setting
from minzheng.core.audit import audit_record
from minzheng.core.bounds import MAX_WHOLE, whole_number
from minzheng.core.models import Role, User
from minzheng.core.permissions import NotPermitted, require
from minzheng.core.scope import require_scope_covers, restrict

BASIS = f"{EXTREME_RULES}第十六条：抽查不少于{SPOT_CHECK_PERCENT}%"


def draw_size(population: int, percent: int = SPOT_CHECK_PERCENT) -> int:
    """ceil(percent × population): 10 files → 3, 11 → 4, 1 → 1, 0 → 0."""
    return math.ceil(population * percent / 100)


def draw_ids(ids: list[int], *, seed: int, percent: int = SPOT_CHECK_PERCENT) -> list[int]:
    """The draw itself: deterministic in (seed, sorted ids)."""
    population = sorted(ids)
    return sorted(random.Random(seed).sample(population, draw_size(len(population), percent)))


def _fingerprint(ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def _require_approver(actor: User, program: str) -> None:
    require(actor, "casework.approve")
    level = program_setting(program).approval_level
    if not actor.is_superuser and actor.role != (Role.BUREAU if level == ApprovalLevel.DISTRICT else Role.STREET):
        raise NotPermitted("casework.approve", "认定抽查应由负责确认的区民政局工作人员办理"
                           if level == ApprovalLevel.DISTRICT else "认定抽查应由街镇工作人员办理")


def review_queue(user: User, *, program: str = "extreme_poverty", on: dt.date) -> QuerySet[Application]:
    """Files of ``program`` that have arrived for confirmation on ``on`` and
    are not yet in a draw (the population of the next draw), in scope."""
    arrived = Q(status=Status.IN_NOTICE, notice__ends_on__lt=on) | Q(status=Status.STREET_REVIEWED,
                                                                     street_opinion=False)
    return (restrict(Application.objects.filter(program=program), user).filter(arrived)
            .exclude(spot_checks__isnull=False).order_by("id"))


@transaction.atomic
def spot_check_draw(*, actor: User, program: str = "extreme_poverty", on: dt.date | None = None,
                    seed: int | None = None) -> SpotCheckDraw:
    """Draw ceil(30%) of the review queue for an in-person check; recorded and audited."""
    if program not in SPOT_CHECK_PROGRAMS:
        raise ValidationError("只有特困人员认定需要抽查")
    _require_approver(actor, program)
    on = on or dt.date.today()
    seed = secrets.randbits(48) if seed is None else whole_number(seed, "随机种子", maximum=MAX_WHOLE)
    files = list(review_queue(actor, program=program, on=on).select_related(None))
    if not files:
        raise ValidationError("没有待确认且尚未抽查的案卷")
    ids = [a.pk for a in files]
    drawn = set(draw_ids(ids, seed=seed))
    draw = SpotCheckDraw.objects.create(program=program, seed=seed, share_percent=SPOT_CHECK_PERCENT,
                                        population=sorted(ids), population_sha256=_fingerprint(ids), drawn_on=on,
                                        created_by=actor.username)
    SpotCheck.objects.bulk_create([
        SpotCheck(draw=draw, application=a, street_id=a.street_id, committee_id=a.committee_id, drawn=a.pk in drawn)
        for a in files])
    audit_record(actor=actor, action="casework.spot_check.draw", object_type="SpotCheckDraw", object_id=draw.pk,
                 changes={"program": program, "seed": seed, "percent": SPOT_CHECK_PERCENT, "population": len(ids),
                          "drawn": sorted(drawn), "population_sha256": draw.population_sha256, "on": on})
    return draw


def draw_reproduce(draw: SpotCheckDraw) -> dict:
    """Re-draw from the recorded seed and population; compare with the stored result."""
    again = set(draw_ids(list(draw.population), seed=draw.seed, percent=draw.share_percent))
    stored = set(draw.checks.filter(drawn=True).values_list("application_id", flat=True))
    return {"identical": again == stored and _fingerprint(list(draw.population)) == draw.population_sha256,
            "drawn": sorted(stored)}


@transaction.atomic
def spot_check_record(*, actor: User, check: SpotCheck, findings: str,
                      checked_on: dt.date | None = None) -> SpotCheck:
    """Record the in-person check (入户抽查) of a drawn file."""
    _require_approver(actor, check.application.program)
    require_scope_covers(actor, street_code=check.street_id, committee_code=check.committee_id)
    if not check.drawn:
        raise ValidationError("该案卷未被抽中，无需入户抽查")
    if check.checked_on is not None:
        raise ValidationError("该案卷的入户抽查已登记")
    if not (findings or "").strip():
        raise ValidationError("请填写入户抽查情况")
    check.checked_on, check.findings, check.checked_by = checked_on or dt.date.today(), findings.strip(), actor.username
    check.save(update_fields=["checked_on", "findings", "checked_by"])
    audit_record(actor=actor, action="casework.spot_check.record", object_type="Application",
                 object_id=check.application_id, scope_code=check.committee_id,
                 changes={"draw": check.draw_id, "checked_on": check.checked_on})
    return check


def spot_check_problem(application: Application) -> str:
    """Why ``application`` cannot be confirmed yet for want of the spot check ("" when it can)."""
    if application.program not in SPOT_CHECK_PROGRAMS:
        return ""
    check = application.spot_checks.first()
    if check is None:
        return f"区民政局确认前须先在“认定抽查”中抽取待确认案卷（{BASIS}）"
    if check.drawn and check.checked_on is None:
        return f"该案卷被抽中入户抽查（{BASIS}），请先登记入户抽查情况"
    return ""
