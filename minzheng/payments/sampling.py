"""Sampled verification (百户调查 / 专项检查).

The population is every beneficiary with a payment in an approved (or
later) batch of the month (optionally one program). Per street it is sorted
by beneficiary key and ``random.Random(f"{seed}:{street}")`` picks N — so the
draw is reproduced exactly from the recorded seed while the population is
unchanged; the population's size and SHA-256 per street are recorded to prove
that. A check outcome is recorded per sampled case; findings are reported.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from minzheng.core.audit import audit_record
from minzheng.core.bounds import MAX_WHOLE, month_check, whole_number
from minzheng.core.models import Division, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers
from minzheng.payments.batches import require_person
from minzheng.payments.models import (
    FINAL_STATUSES,
    CheckOutcome,
    LineKind,
    PaymentLine,
    SampleCase,
    SampleDraw,
    SamplePurpose,
)


def population(month: str, program: str = "") -> dict[str, list[tuple[str, int, str]]]:
    """street → sorted [(beneficiary, payee, committee)] of the month's paid beneficiaries."""
    # not a held line (never paid) nor a one-off payment (its beneficiary is often a deceased person)
    qs = (PaymentLine.objects.filter(batch__month=month, batch__status__in=FINAL_STATUSES)
          .filter(Q(hold__isnull=True) | Q(hold__released_at__isnull=False)).exclude(kind=LineKind.ONE_OFF))
    if program:
        qs = qs.filter(program=program)
    by_street: dict[str, dict[str, tuple[str, int, str]]] = defaultdict(dict)
    for street, beneficiary, person, committee in qs.values_list("street_id", "beneficiary", "person_id",
                                                                  "committee_id").order_by("id").iterator(10000):
        by_street[street].setdefault(beneficiary, (beneficiary, person, committee))
    return {street: sorted(members.values()) for street, members in sorted(by_street.items())}


def _fingerprint(members: list[tuple[str, int, str]]) -> str:
    return hashlib.sha256("\n".join(m[0] for m in members).encode()).hexdigest()


def draw_members(pop: dict[str, list], *, seed: int, per_street: int) -> dict[str, list[tuple[str, int, str]]]:
    """The draw itself: deterministic in (seed, street, population)."""
    out = {}
    for street, members in pop.items():
        rng = random.Random(f"{seed}:{street}")
        out[street] = sorted(rng.sample(members, min(per_street, len(members))))
    return out


@transaction.atomic
def sample_draw(*, actor: User, purpose: str, month: str, per_street: int, program: str = "",
                seed: int | None = None) -> SampleDraw:
    """Draw ``per_street`` beneficiaries per street; the seed is recorded
    (a fresh random one unless given)."""
    require_person(actor, "抽样", "payments.sample_draw")
    month = month_check(month, "抽样月份")
    if purpose not in SamplePurpose.values:
        raise ValidationError("抽样类型应为百户调查或专项检查")
    if not 1 <= per_street <= 1000:
        raise ValidationError("每街镇抽取数应在1到1000之间")
    # the seed is stored in a BIGINT column: 0 to 2^63 - 1
    seed = secrets.randbits(48) if seed is None else whole_number(seed, "随机种子", maximum=MAX_WHOLE)
    pop = population(month, program)
    if not pop:
        raise ValidationError(f"{month} 没有已审批的发放对象可供抽样")
    draw = SampleDraw.objects.create(
        purpose=purpose, month=month, program=program, per_street=per_street, seed=seed,
        population={street: {"size": len(m), "sha256": _fingerprint(m)} for street, m in pop.items()},
        created_by=actor.username)
    SampleCase.objects.bulk_create([
        SampleCase(draw=draw, beneficiary=b, person_id=person, street_id=street, committee_id=committee)
        for street, members in draw_members(pop, seed=seed, per_street=per_street).items()
        for b, person, committee in members])
    audit_record(actor=actor, action="payments.sample.draw", object_type="SampleDraw", object_id=draw.pk,
                 changes={"purpose": purpose, "month": month, "program": program, "per_street": per_street,
                          "seed": seed, "streets": len(pop), "cases": draw.cases.count()})
    return draw


def draw_reproduce(draw: SampleDraw) -> dict:
    """Re-draw from the recorded seed and compare with the stored cases."""
    pop = population(draw.month, draw.program)
    changed = sorted(s for s, m in pop.items() if draw.population.get(s, {}).get("sha256") != _fingerprint(m))
    changed += sorted(s for s in draw.population if s not in pop)
    again = {b for members in draw_members(pop, seed=draw.seed, per_street=draw.per_street).values()
             for b, _, _ in members}
    stored = set(draw.cases.values_list("beneficiary", flat=True))
    return {"identical": again == stored and not changed, "population_changed": changed,
            "same_cases": len(again & stored), "stored_cases": len(stored)}


@transaction.atomic
def sample_case_record(*, actor: User, case: SampleCase, outcome: str, finding: str, checked_on) -> SampleCase:
    """Record the check of one sampled case (street staff of its street, or bureau)."""
    require(actor, "payments.sample_check")
    require_scope_covers(actor, street_code=case.street_id, committee_code=case.committee_id)
    if outcome not in (CheckOutcome.CONFIRMED, CheckOutcome.FINDING):
        raise ValidationError("核查结论应为“核查无误”或“发现问题”")
    if outcome == CheckOutcome.FINDING and not finding.strip():
        raise ValidationError("发现问题时请写明情况")
    case.outcome, case.finding, case.checked_by, case.checked_on = outcome, finding.strip(), actor.username, checked_on
    case.save(update_fields=["outcome", "finding", "checked_by", "checked_on"])
    audit_record(actor=actor, action="payments.sample.record", object_type="SampleCase", object_id=case.pk,
                 scope_code=case.committee_id, changes={"draw": case.draw_id, "outcome": outcome, "finding": finding})
    return case


def draw_report(cases) -> list[dict]:
    """Per street: sampled, checked, findings."""
    names = dict(Division.objects.filter(level="street").values_list("code", "name"))
    counts: dict[str, Counter] = defaultdict(Counter)
    for street, outcome, n in cases.values_list("street_id", "outcome").annotate(n=Count("id")).order_by():
        counts[street][outcome] += n
    return [{"street": street, "street_name": names.get(street, street), "sampled": sum(c.values()),
             "pending": c[CheckOutcome.PENDING], "confirmed": c[CheckOutcome.CONFIRMED],
             "findings": c[CheckOutcome.FINDING]} for street, c in sorted(counts.items())]
