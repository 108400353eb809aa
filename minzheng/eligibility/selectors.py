"""Reads of parameters, batch runs and stored decisions (scoped by user)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

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


def run_decisions(run: DecisionRun) -> QuerySet[Decision]:
    """Every decision of ``run`` — the one way to read a run's rows (ADR 0019).

    A run stored in full has its rows under its own id. A run stored as
    differences (``base_run`` set) has only the rows that differ from its
    base's and ``removed`` markers; its decisions are its own rows that are
    not removed plus the base's rows whose (program, household, person) it
    does not have. Either way the same rows a full write would have stored
    (``storage.stored_rows``); a base row keeps its own ``id`` and ``run_id``."""
    if run.base_run_id is None:
        return Decision.objects.filter(run_id=run.pk)
    overridden = (Decision.objects.annotate(person_key=Coalesce("person_id", Value(0)))
                  .filter(run_id=run.pk, program=OuterRef("program"), household_id=OuterRef("household_id"),
                          person_key=Coalesce(OuterRef("person_id"), Value(0))))
    return Decision.objects.filter(Q(run_id=run.pk, removed=False) | (Q(run_id=run.base_run_id) & ~Exists(overridden)))


def run_decisions_sql(run_id: int) -> tuple[str, list]:
    """Read port for set-wise SQL (ADR 0009, 0019): every decision of run
    ``run_id`` (as ``run_decisions``) as ``(sql, params)``, a SELECT with
    the columns id, run_id (always ``run_id``), program, household_id,
    person_id, street_id, committee_id, eligible, amount_fen, reason_mask —
    to be used as ``FROM (<sql>) d``."""
    base = DecisionRun.objects.filter(pk=run_id).values_list("base_run_id", flat=True).first()
    table = Decision._meta.db_table
    columns = "program, household_id, person_id, street_id, committee_id, eligible, amount_fen, reason_mask"
    if base is None:
        return f"SELECT id, run_id, {columns} FROM {table} WHERE run_id = %s", [run_id]
    base_columns = ", ".join(f"b.{c.strip()}" for c in columns.split(","))
    sql = (f"SELECT id, CAST(%s AS bigint) AS run_id, {columns} FROM {table} WHERE run_id = %s AND NOT removed "
           f"UNION ALL SELECT b.id, CAST(%s AS bigint), {base_columns} FROM {table} b WHERE b.run_id = %s "
           f"AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.run_id = %s AND o.household_id = b.household_id "
           f"AND o.program = b.program AND COALESCE(o.person_id, 0) = COALESCE(b.person_id, 0))")
    return sql, [run_id, run_id, run_id, base, run_id]


def decisions_visible(user: User, run: DecisionRun):
    return restrict(run_decisions(run), user)


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
    for d in run_decisions(run).filter(household_id=household_id).order_by("program", "person_id"):
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
    decisions, params = run_decisions_sql(run_id)
    sql = (f"SELECT program, household_id, person_id, street_id, committee_id, amount_fen "
           f"FROM ({decisions}) d WHERE eligible AND program IN ({marks})")
    return sql, [*params, *programs]


def cpi_months(limit: int = 36) -> list[CpiMonth]:
    return list(CpiMonth.objects.all()[:limit])


def grant_definitions() -> list[GrantDefinition]:
    return list(GrantDefinition.objects.all())
