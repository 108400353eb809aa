"""Reads of parameters, batch runs and stored decisions (scoped by user)."""

from __future__ import annotations

from django.db.models import Count, Sum

from minzheng.core.models import User
from minzheng.core.scope import restrict
from minzheng.eligibility.models import CpiMonth, Decision, DecisionRun, GrantDefinition, RunStatus
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import Household
from policy import PROGRAMS, load_parameters
from policy.engine.parameters import value_json

UNIT_LABELS = {"yuan_per_month": "元/月", "yuan_per_year": "元/年", "yuan": "元", "ratio": "倍/比例",
               "percent": "%", "flag": "是/否"}
SURENESS_LABELS = {"official": "官方", "secondary": "转引", "assumption": "假设"}


def parameter_catalogue() -> list[dict]:
    """Every parameter with its timeline, reference and verified marks."""
    catalogue = []
    for parameter in sorted(load_parameters(), key=lambda p: p.name):
        catalogue.append({
            "name": parameter.name,
            "description": parameter.description,
            "unit": parameter.unit,
            "unit_label": UNIT_LABELS.get(parameter.unit, parameter.unit),
            "reference": parameter.reference,
            "verified": parameter.verified,
            "timeline": [
                {"effective": e.effective.isoformat(), "value": value_json(e.value), "ends": e.value is None,
                 "sureness": e.sureness, "sureness_label": SURENESS_LABELS.get(e.sureness or "", ""),
                 "verified": e.verified, "source": e.source, "note": e.note}
                for e in parameter.entries
            ],
        })
    return catalogue


def program_label(program_id: str) -> str:
    if program_id in PROGRAMS:
        return PROGRAMS[program_id].label
    if program_id.startswith("one_off:"):
        grant = GrantDefinition.objects.filter(name=program_id.split(":", 1)[1]).first()
        return grant.label if grant else program_id
    return program_id


def current_run(month: str) -> DecisionRun | None:
    return DecisionRun.objects.filter(month=month, status=RunStatus.CURRENT).first()


def runs_recent(limit: int = 24) -> list[DecisionRun]:
    return list(DecisionRun.objects.filter(status=RunStatus.CURRENT).order_by("-month")[:limit])


def decisions_visible(user: User, run: DecisionRun):
    return restrict(Decision.objects.filter(run=run), user)


def run_summary(user: User, month: str) -> dict | None:
    """Eligible counts and amounts per program within the user's scope."""
    run = current_run(month)
    if run is None:
        return None
    rows = (
        decisions_visible(user, run).filter(eligible=True).values("program")
        .annotate(n=Count("id"), households=Count("household_id", distinct=True), amount_fen=Sum("amount_fen"))
        .order_by("program")
    )
    return {
        "month": run.month, "run": run.pk, "parameter_set": run.parameter_set, "rules_version": run.rules_version,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "programs": [
            {"program": r["program"], "label": program_label(r["program"]), "eligible": r["n"],
             "households": r["households"], "amount_fen": r["amount_fen"] or 0}
            for r in rows
        ],
    }


def household_decisions(user: User, household_id: int, month: str) -> dict | None:
    """The stored decisions of one household in the user's scope."""
    try:
        registry_selectors.household_get(user, household_id)
    except Household.DoesNotExist:
        return None
    run = current_run(month)
    if run is None:
        return None
    items = []
    for d in Decision.objects.filter(run=run, household_id=household_id).order_by("program", "person_id"):
        vocabulary = run.reason_vocabulary.get(d.program, [])
        codes = [c for bit, c in enumerate(vocabulary) if d.reason_mask >> bit & 1]
        texts = PROGRAMS[d.program].reasons if d.program in PROGRAMS else {}
        items.append({
            "program": d.program, "label": program_label(d.program), "person": d.person_id,
            "eligible": d.eligible, "amount_fen": d.amount_fen,
            "reasons": [{"code": c, "text": texts.get(c, c)} for c in codes],
        })
    return {"month": month, "household": household_id, "run": run.pk, "parameter_set": run.parameter_set,
            "rules_version": run.rules_version, "decisions": items}


def cpi_months(limit: int = 36) -> list[CpiMonth]:
    return list(CpiMonth.objects.all()[:limit])


def grant_definitions() -> list[GrantDefinition]:
    return list(GrantDefinition.objects.all())
