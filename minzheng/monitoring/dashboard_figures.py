"""The social-assistance dashboard (救助工作台): figures by street and program
in the user's scope, and the 2023-summary sentence (``全区低保对象N人，低收入
对象N人…``) computed from the data. Every figure is an aggregate query; no
rows are loaded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum

from minzheng.casework import selectors as casework_selectors
from minzheng.casework.models import CLOSED_STATUSES, EnrolmentStatus
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.scope import ADVISOR, Scope
from minzheng.eligibility.selectors import current_run
from minzheng.monitoring import rules
from minzheng.monitoring.access import visible
from minzheng.monitoring.models import (
    ExitReview,
    ExitStatus,
    FollowUpTask,
    Lead,
    LeadOutcome,
    LeadStatus,
    MonitorRun,
    TaskStatus,
)
from minzheng.monitoring.selectors import edge_list, program_label
from minzheng.registry.models import HouseholdMembership
from policy import PROGRAMS
from policy.money import format_fen

OPEN = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)
# The programs of the 2023 summary sentence, in its order; labels are the
# programs' ``beneficiary_label``.
SUMMARY_PROGRAMS = tuple((program, PROGRAMS[program].beneficiary_label) for program in (
    "dibao", "low_income", "severe_disability_unemployed", "extreme_poverty", "elderly_allowance"))
DISMISSED = (LeadOutcome.NOT_NEEDED, LeadOutcome.DECLINED, LeadOutcome.UNREACHABLE)


def _streets(user: User) -> list[Division]:
    scope = Scope.of(user)
    qs = Division.objects.filter(level=DivisionLevel.STREET)
    if scope.level == DivisionLevel.STREET:
        qs = qs.filter(code=scope.code)
    elif scope.level == DivisionLevel.COMMITTEE:
        qs = qs.filter(code=scope.code[:9])
    elif scope.level == ADVISOR:
        qs = qs.filter(code__in={code[:9] for code in scope.committees})
    elif scope.level != DivisionLevel.DISTRICT:
        qs = qs.none()
    return list(qs.order_by("code"))


def enrolled_by_street_program(user: User) -> dict[tuple[str, str], dict[str, int]]:
    """Open enrolments: households and persons (household programs count the current members)."""
    enrolments = casework_selectors.enrolments_visible(user).filter(status__in=OPEN)
    figures: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"households": 0, "persons": 0,
                                                                          "amount_fen": 0})
    person_rows = (enrolments.filter(person__isnull=False).values("street_id", "program")
                   .annotate(persons=Count("person_id", distinct=True), households=Count("household_id", distinct=True),
                             amount=Sum("monthly_amount_fen")).order_by())
    for row in person_rows:
        figures[(row["street_id"], row["program"])].update(persons=row["persons"], households=row["households"],
                                                           amount_fen=row["amount"] or 0)
    household_rows = (enrolments.filter(person__isnull=True).values("street_id", "program")
                      .annotate(households=Count("household_id", distinct=True), amount=Sum("monthly_amount_fen"))
                      .order_by())
    for row in household_rows:
        figures[(row["street_id"], row["program"])].update(households=row["households"], amount_fen=row["amount"] or 0)
    for program in rules.HOUSEHOLD_PROGRAMS:
        households = enrolments.filter(person__isnull=True, program=program).values("household_id")
        members = (HouseholdMembership.objects.filter(end_date__isnull=True, household_id__in=households)
                   .values("household__street_id").annotate(n=Count("id")).order_by())
        for row in members:
            figures[(row["household__street_id"], program)]["persons"] = row["n"]
    return figures


def leads_by_street_program(user: User) -> dict[tuple[str, str], dict[str, int]]:
    rows = (visible(Lead.objects.all(), user).values("street_id", "program").annotate(
        found=Count("id"), open=Count("id", filter=Q(status=LeadStatus.OPEN)),
        converted=Count("id", filter=Q(outcome=LeadOutcome.APPLIED)),
        dismissed=Count("id", filter=Q(outcome__in=DISMISSED)),
        escalated=Count("id", filter=Q(status=LeadStatus.OPEN, escalated=True))).order_by())
    return {(r.pop("street_id"), r.pop("program")): r for r in rows}


def exits_by_street_program(user: User) -> dict[tuple[str, str], dict[str, int]]:
    rows = (visible(ExitReview.objects.all(), user).values("street_id", "program").annotate(
        reviews=Count("id"), open=Count("id", filter=Q(status=ExitStatus.OPEN)),
        exited=Count("id", filter=Q(status=ExitStatus.EXITED))).order_by())
    return {(r.pop("street_id"), r.pop("program")): r for r in rows}


def _by_street(rows) -> dict[str, int]:
    return {street: n for street, n in rows}


def dashboard(user: User, *, today: dt.date) -> dict:
    streets = _streets(user)
    names = {s.code: s.name for s in streets}
    enrolled = enrolled_by_street_program(user)
    leads = leads_by_street_program(user)
    exits = exits_by_street_program(user)
    overdue_cases = _by_street(
        casework_selectors.applications_visible(user).filter(due_on__lt=today).exclude(status__in=CLOSED_STATUSES)
        .values_list("street_id").annotate(n=Count("id")).order_by())
    tasks = {r["street_id"]: r for r in visible(FollowUpTask.objects.all(), user).values("street_id").annotate(
        open=Count("id", filter=Q(status=TaskStatus.OPEN)),
        overdue=Count("id", filter=Q(status=TaskStatus.OPEN, due_on__lt=today)),
        escalated=Count("id", filter=Q(status=TaskStatus.OPEN, escalated=True))).order_by()}
    edge_counts = _by_street(edge_list(user).values_list("street_id").annotate(n=Count("id")).order_by())

    programs = sorted({p for _, p in (*enrolled, *leads, *exits)},
                      key=lambda p: (list(rules.LEAD_PROGRAMS + rules.AUTO_PROGRAMS) + [p]).index(p))
    table = []
    for program in programs:
        for code in names:
            e, lead, ex = enrolled.get((code, program), {}), leads.get((code, program), {}), exits.get((code, program), {})
            if not (e or lead or ex):
                continue
            table.append({"street": names[code], "program": program, "label": program_label(program),
                          "households": e.get("households", 0), "persons": e.get("persons", 0),
                          "amount_fen": e.get("amount_fen", 0), "leads": lead.get("found", 0),
                          "converted": lead.get("converted", 0), "dismissed": lead.get("dismissed", 0),
                          "leads_open": lead.get("open", 0), "exits": ex.get("reviews", 0),
                          "exited": ex.get("exited", 0)})
    by_street = []
    for code, name in names.items():
        by_street.append({
            "code": code, "street": name,
            "persons": sum(v["persons"] for (s, _), v in enrolled.items() if s == code),
            "leads": sum(v["found"] for (s, _), v in leads.items() if s == code),
            "converted": sum(v["converted"] for (s, _), v in leads.items() if s == code),
            "escalated": sum(v["escalated"] for (s, _), v in leads.items() if s == code)
            + tasks.get(code, {}).get("escalated", 0),
            "exits": sum(v["reviews"] for (s, _), v in exits.items() if s == code),
            "tasks_open": tasks.get(code, {}).get("open", 0), "tasks_overdue": tasks.get(code, {}).get("overdue", 0),
            "overdue_cases": overdue_cases.get(code, 0), "edge": edge_counts.get(code, 0),
        })
    return {"table": table, "by_street": by_street, "summary": summary(user, enrolled, today=today),
            "verification": verification_count(user, today.year),
            "totals": {k: sum(row[k] for row in by_street) for k in
                       ("persons", "leads", "converted", "escalated", "exits", "tasks_open", "tasks_overdue",
                        "overdue_cases", "edge")}}


def summary(user: User, enrolled: dict, *, today: dt.date) -> dict:
    """The 2023 summary's social-assistance sentence, from enrolments (and,
    for district-wide users, the latest policy batch's eligible persons)."""
    scope = Scope.of(user)
    place = "全区" if scope.level == DivisionLevel.DISTRICT else (getattr(user.scope, "name", "") or "本辖区")
    parts, amount = [], 0
    for program, label in SUMMARY_PROGRAMS:
        persons = sum(v["persons"] for (_, p), v in enrolled.items() if p == program)
        parts.append({"program": program, "label": label, "persons": persons})
    amount = sum(v["amount_fen"] for v in enrolled.values())
    sentence = (f"截至{today.year}年{today.month}月{today.day}日，{place}"
                + "，".join(f"{p['label']}{p['persons']}人" for p in parts)
                + f"，当月应发各类生活补助金{format_fen(amount, grouping=True)}元。")
    engine = None
    district_wide = scope.level == DivisionLevel.DISTRICT or user.role in (Role.BUREAU, Role.AUDITOR)
    latest = MonitorRun.objects.order_by("-month", "-id").first()
    run = current_run(latest.month) if latest else None
    if district_wide and run is not None:
        engine = {"month": run.month, "programs": [
            {"program": p, "label": label, "persons": run.program_counts.get(p, {}).get("persons", 0)}
            for p, label in SUMMARY_PROGRAMS]}
    return {"sentence": sentence, "parts": parts, "amount_fen": amount, "engine": engine}


def verification_count(user: User, year: int) -> int | None:
    """Household economic-status verifications this year (if the verification app provides it)."""
    try:
        from minzheng.verification.selectors import verification_yearly_count
    except ImportError:
        return None
    try:
        return verification_yearly_count(user, year)
    except Exception:  # noqa: BLE001 — a figure from another app must never break the dashboard
        return None
