"""Reads of parameters, batch runs and stored decisions (scoped by user)."""

from __future__ import annotations

from django.db.models import Count, Sum

from minzheng.core.models import User
from minzheng.core.scope import restrict
from minzheng.eligibility import source_notes
from minzheng.eligibility.cpi_months import cpi_used_text
from minzheng.eligibility.models import CpiMonth, Decision, DecisionRun, GrantDefinition, RunStatus
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.columnar import registry_columns
from minzheng.registry.models import Household
from policy import PROGRAMS, load_parameters
from policy.engine.parameters import value_json
from policy.lines import EARNED_INCOME_DISREGARD
from policy.months import Month
from policy.programs.dibao import CLASSIFIED_AGE_BELOW, CLASSIFIED_RATIO, CLASSIFIED_STEP

UNIT_LABELS = {"yuan_per_month": "元/月", "yuan_per_year": "元/年", "yuan": "元", "ratio": "倍/比例",
               "percent": "%", "flag": "是/否"}
SURENESS_LABELS = {"official": "官方", "secondary": "转引", "assumption": "假设"}


def parameter_value_text(value: object, unit_label: str) -> str:
    """A parameter value as staff read it: a number with its unit, or a
    look-up table as "下限及以上：取值" rows (tables have inclusive lower bounds)."""
    if isinstance(value, list):
        rows = []
        for row in value:
            bound, amount = list(row.values())[:2]
            rows.append(f"{bound}及以上：{amount}{unit_label}")
        return "；".join(rows)
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value}{'' if unit_label in ('倍/比例', '是/否') else ' ' + unit_label}" if value is not None else ""


def parameter_catalogue() -> list[dict]:
    """Every parameter with its timeline, reference and verified marks."""
    catalogue = []
    for parameter in sorted(load_parameters(), key=lambda p: p.name):
        catalogue.append({
            "name": parameter.name,
            "description": source_notes.chinese(parameter.description),
            "unit": parameter.unit,
            "unit_label": UNIT_LABELS.get(parameter.unit, parameter.unit),
            "reference": source_notes.chinese(parameter.reference),
            "verified": parameter.verified,
            "timeline": [
                {"effective": e.effective.isoformat(), "value": value_json(e.value), "ends": e.value is None,
                 "value_text": parameter_value_text(value_json(e.value), UNIT_LABELS.get(parameter.unit, "")),
                 "sureness": e.sureness, "sureness_label": SURENESS_LABELS.get(e.sureness or "", ""),
                 "verified": e.verified, "source": source_notes.chinese(e.source),
                 "note": source_notes.chinese(e.note)}
                for e in parameter.entries
            ],
        })
    return catalogue


def _timeline_text(name: str, unit: str, *, latest_only: bool = False) -> str:
    """A parameter's dated values as "2023年7月起 870元" (or only the latest
    value, "1.3倍"); unverified values marked 此参数尚未核实."""
    parts = []
    entries = load_parameters().timeline(name)
    if latest_only:
        entries = tuple(e for e in entries if e.value is not None)[-1:]
    for entry in entries:
        if entry.value is None:
            parts.append(f"{entry.effective.year}年{entry.effective.month}月起无生效值")
            continue
        mark = "" if entry.verified else "（此参数尚未核实）"
        when = "" if latest_only else f"{entry.effective.year}年{entry.effective.month}月起 "
        parts.append(f"{when}{value_json(entry.value)}{unit}{mark}")
    return "；".join(parts)


def calculator_income_rules() -> list[str]:
    """The calculator's notes on the member inputs that the 2026-11-30 rules
    revision added (REFERENCE §1): the earned-income disregard and classified
    support, with the values from the parameter files (never typed in here)."""
    return [
        "收入分两项填写：劳动收入（工资、经营等劳动所得）和其他收入（养老金、失业保险金、失业补助金等）。",
        "就业人员收入豁免：勾选“就业”的成员，劳动收入每月扣除豁免额后计入家庭收入（不低于0），养老金和其他收入全额计入；"
        f"豁免额：{_timeline_text(EARNED_INCOME_DISREGARD, '元')}。在此之前的月份豁免额未知："
        "家庭中有就业成员有劳动收入的，不能测算低保和低收入家庭（参数缺失）。",
        f"分类施保：{CLASSIFIED_AGE_BELOW}周岁以下的未成年人和全日制在校学生（不论年龄）的个人保障标准为低保标准的"
        f"{_timeline_text(CLASSIFIED_RATIO, '倍', latest_only=True)}，"
        f"向上取整到{_timeline_text(CLASSIFIED_STEP, '元', latest_only=True)}的整数倍；"
        f"{CLASSIFIED_AGE_BELOW}周岁及以上、不在校的成员按低保标准计算。",
    ]


def parameter_names() -> dict[str, str]:
    """Parameter id → its Chinese name (the description), for result pages."""
    return {parameter.name: source_notes.chinese(parameter.description) for parameter in load_parameters()}


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
        "cpi_month": run.cpi_month or None, "cpi": run.cpi, "cpi_text": cpi_used_text(run.cpi_month, run.cpi),
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


def household_evaluation(household_id: int, month: str) -> dict | None:
    """One household through the engine as of the first day of ``month``
    (``YYYY-MM``), from the registry columns the monthly batch reads, with the
    month's stored CPI and one-off grants: the engine's result JSON, or None
    when the household has no member on that day. Not scoped (the caller
    already holds the household). Raises ``policy.InputError`` when the
    registry data cannot be evaluated."""
    from minzheng.eligibility.evaluation import evaluate_payload
    from minzheng.eligibility.inputs import household_payload

    cols = registry_columns(Month.parse(month).first_day, household_ids=[household_id])
    if cols.households == 0:
        return None
    return evaluate_payload(household_payload(cols, 0, month=month))


def eligible_decisions_sql(run_id: int, programs: tuple[str, ...] | list[str]) -> tuple[str, list]:
    """Read port for set-wise SQL in other apps (ADR 0009): the eligible
    decisions of run ``run_id`` in ``programs`` as ``(sql, params)``, a SELECT
    with the columns program, household_id, person_id, street_id,
    committee_id, amount_fen — to be used as ``FROM (<sql>) d``."""
    marks = ", ".join(["%s"] * len(programs))
    sql = (f"SELECT program, household_id, person_id, street_id, committee_id, amount_fen "
           f"FROM {Decision._meta.db_table} WHERE run_id = %s AND eligible AND program IN ({marks})")
    return sql, [run_id, *programs]


def cpi_months(limit: int = 36) -> list[CpiMonth]:
    return list(CpiMonth.objects.all()[:limit])


def grant_definitions() -> list[GrantDefinition]:
    return list(GrantDefinition.objects.all())
