"""The set-wise comparisons of the monitor run: each step is one or two
``INSERT … SELECT`` statements over the month's stored decisions
(``eligibility.selectors.run_decisions_sql``), the enrolments and applications (casework) and
the registry, so two million persons never pass through Python row by row.

Every statement skips what already exists (``NOT EXISTS`` on the natural
key, backed by a unique constraint), so running a month again creates
nothing new. Callers run these inside the run's transaction.

Cross-domain reads happen here at the SQL level only (table names from the
models' ``_meta``); writes to casework go through casework's services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection

from minzheng.casework.models import CLOSED_STATUSES, Application, Enrolment, EnrolmentStatus
from minzheng.deaths.models import DeathRecord
from minzheng.eligibility.selectors import run_decisions_sql
from minzheng.feeds.models import FeedEvent
from minzheng.monitoring import rules
from minzheng.monitoring.models import (
    AutoEnrolmentNotice,
    EdgeBand,
    EdgeHousehold,
    ExitKind,
    ExitReview,
    FollowUpTask,
    Lead,
    TaskKind,
)
from minzheng.registry.columnar import RegistryColumns, income_in_force_sql
from minzheng.registry.models import Household, HouseholdMembership, Person
from policy import ParameterMissing, low_income_counts_disregard

ENROLMENT = Enrolment._meta.db_table
APPLICATION = Application._meta.db_table
LEAD = Lead._meta.db_table
EDGE = EdgeHousehold._meta.db_table
EXIT = ExitReview._meta.db_table
NOTICE = AutoEnrolmentNotice._meta.db_table
TASK = FollowUpTask._meta.db_table
FEED_EVENT = FeedEvent._meta.db_table
DEATH_RECORD = DeathRecord._meta.db_table
PERSON = Person._meta.db_table
HOUSEHOLD = Household._meta.db_table
MEMBERSHIP = HouseholdMembership._meta.db_table
OPEN_ENROLMENT = (EnrolmentStatus.ACTIVE.value, EnrolmentStatus.SUSPENDED.value)


@dataclass(frozen=True)
class Due:
    """A deadline computed once per run (every row of a step shares it)."""

    on: dt.date | None
    note: str = ""


def _marks(values: tuple | list) -> str:
    return ", ".join(["%s"] * len(values))


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _date() -> str:
    """A date parameter; PostgreSQL needs its type when the value is NULL in a SELECT list."""
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _concat_key(prefix: str, column: str) -> str:
    if connection.vendor == "postgresql":
        return f"('{prefix}' || {column}::text)"
    return f"('{prefix}' || {column})"


def leads_create(*, monitor_run_id: int, decision_run_id: int, month: str, quiet_from: str, due: Due,
                 now: dt.datetime) -> int:
    """Eligible, not enrolled (no enrolment covering the month), no open
    application, no lead open or closed within the quiet period → a lead."""
    household_programs = tuple(p for p in rules.LEAD_PROGRAMS if p in rules.HOUSEHOLD_PROGRAMS)
    person_programs = tuple(p for p in rules.LEAD_PROGRAMS if p not in rules.HOUSEHOLD_PROGRAMS)
    closed = tuple(s.value for s in CLOSED_STATUSES)
    insert = f"""INSERT INTO {LEAD} (monitor_run_id, decision_run_id, month, program, target_key, household_id,
            person_id, street_id, committee_id, amount_fen, reason_mask, status, due_on, deadline_note,
            first_action_on, escalated, escalated_on, outcome, outcome_reason, application_id, closed_on,
            closed_by, created_at)"""
    select = """SELECT %s, d.run_id, %s, d.program, {key}, d.household_id, d.person_id, d.street_id, d.committee_id,
            d.amount_fen, d.reason_mask, 'open', {date}, %s, NULL, %s, NULL, '', '', NULL, NULL, '', %s"""
    head = [monitor_run_id, month, due.on, due.note, False, now]
    lead_exists = f"""NOT EXISTS (SELECT 1 FROM {LEAD} l WHERE l.program = d.program AND l.target_key = {{key}}
            AND (l.status = 'open' OR l.month >= %s))"""
    created = 0
    decisions, decision_params = run_decisions_sql(decision_run_id)
    key = _concat_key("h", "d.household_id")
    created += _execute(
        f"""{insert} {select.format(key=key, date=_date())}
        FROM ({decisions}) d
        WHERE d.eligible AND d.person_id IS NULL AND d.program IN ({_marks(household_programs)})
          AND NOT EXISTS (SELECT 1 FROM {ENROLMENT} e WHERE e.household_id = d.household_id AND e.person_id IS NULL
                          AND e.program = d.program AND (e.status IN (%s, %s) OR e.end_month >= %s))
          AND NOT EXISTS (SELECT 1 FROM {APPLICATION} a WHERE a.household_id = d.household_id
                          AND a.program = d.program AND a.status NOT IN ({_marks(closed)}))
          AND {lead_exists.format(key=key)}""",
        [*head, *decision_params, *household_programs, *OPEN_ENROLMENT, month, *closed, quiet_from],
    )
    key = _concat_key("p", "d.person_id")
    created += _execute(
        f"""{insert} {select.format(key=key, date=_date())}
        FROM ({decisions}) d JOIN {PERSON} p ON p.id = d.person_id
        WHERE d.eligible AND d.person_id IS NOT NULL AND d.program IN ({_marks(person_programs)})
          AND p.alive
          AND NOT EXISTS (SELECT 1 FROM {ENROLMENT} e WHERE e.person_id = d.person_id AND e.program = d.program
                          AND (e.status IN (%s, %s) OR e.end_month >= %s))
          AND NOT EXISTS (SELECT 1 FROM {APPLICATION} a WHERE a.applicant_id = d.person_id
                          AND a.program = d.program AND a.status NOT IN ({_marks(closed)}))
          AND {lead_exists.format(key=key)}""",
        [*head, *decision_params, *person_programs, *OPEN_ENROLMENT, month, *closed, quiet_from],
    )
    return created


def edge_households_create(*, monitor_run_id: int, month: str, cols: RegistryColumns, dibao_line_fen: int,
                           low_income_line_fen: int, margin_pct: int) -> int:
    """Households with at least one Shanghai-hukou member whose per-capita
    income is at or above a line and less than ``margin_pct`` percent above
    it. Members and income are the registry's columns for the month (members
    on the 1st, the income facts in force on the 1st — what the policy batch
    reads); a household whose facts are unknown is not placed on the list.

    The income held against a line is the income the engine tests (REFERENCE
    §1 "Earned-income disregard", 就业人员收入豁免): the counted income
    (``RegistryColumns.household_counted_income_fen``) for the dibao line, and
    for the low-income line too while ``policy.low_income_counts_disregard``
    holds (§2, assumption). Before the disregard has a value (before 2023-07)
    a household with an employed earner has no known counted income and is
    not placed (the engine says PARAMETER_MISSING for it). The per-capita
    income stored is the counted one of the band's line.
    Integer arithmetic only (no division in the test)."""
    members = cols.household_members()
    whole = cols.household_income_fen()
    counted, counted_unknown = cols.household_counted_income_fen(month)
    try:
        low_counts_disregard = low_income_counts_disregard(month)
    except ParameterMissing:
        low_counts_disregard = None
    hukou = np.bincount(cols.person_household_index, weights=cols.hukou_shanghai, minlength=cols.households)
    hi = 100 + margin_pct

    def band(income: np.ndarray, line_fen: int) -> np.ndarray:
        return (income >= line_fen * members) & (income * 100 < line_fen * members * hi)

    if low_counts_disregard is None:  # unknown which income the low-income line tests: no low-income band
        low_income, low_unknown = whole, np.ones(cols.households, dtype=bool)
    elif low_counts_disregard:
        low_income, low_unknown = counted, counted_unknown
    else:
        low_income, low_unknown = whole, np.zeros(cols.households, dtype=bool)
    dibao_band = band(counted, dibao_line_fen) & ~counted_unknown
    low_band = band(low_income, low_income_line_fen) & ~low_unknown
    chosen = (hukou > 0) & ~cols.facts_missing & (dibao_band | low_band)
    existing = set(EdgeHousehold.objects.filter(month=month).values_list("household_id", flat=True))
    rows = []
    for i in np.flatnonzero(chosen).tolist():
        household_id = int(cols.household_id[i])
        if household_id in existing:
            continue
        is_dibao = bool(dibao_band[i])
        income = counted if is_dibao else low_income
        rows.append(EdgeHousehold(
            monitor_run_id=monitor_run_id, month=month, household_id=household_id,
            street_id=cols.household_street[i], committee_id=cols.household_committee[i],
            band=EdgeBand.DIBAO if is_dibao else EdgeBand.LOW_INCOME, members=int(members[i]),
            per_capita_income_fen=int(income[i]) // int(members[i]),
            line_fen=dibao_line_fen if is_dibao else low_income_line_fen, margin_pct=margin_pct))
    EdgeHousehold.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def exit_reviews_create(*, monitor_run_id: int, decision_run_id: int, month: str, due: Due,
                        now: dt.datetime) -> int:
    """Open enrolments (started by the month) that the month's batch finds
    not eligible — or does not find at all (screened out, left the
    registry's households) → an exit review, unless one is open already."""
    insert = f"""INSERT INTO {EXIT} (monitor_run_id, decision_run_id, enrolment_id, month, program, household_id,
            person_id, street_id, committee_id, kind, reason_mask, status, due_on, deadline_note, resolution,
            resolved_on, resolved_by, created_at)
        SELECT %s, %s, e.id, %s, e.program, e.household_id, e.person_id, e.street_id, e.committee_id,
               CASE WHEN d.id IS NULL THEN %s ELSE %s END, COALESCE(d.reason_mask, 0), 'open', {_date()}, %s, '', NULL, '', %s
        FROM {ENROLMENT} e"""
    head = [monitor_run_id, decision_run_id, month, ExitKind.NOT_IN_REGISTRY.value, ExitKind.INELIGIBLE.value,
            due.on, due.note, now]
    tail = f"""AND e.status IN (%s, %s) AND e.start_month <= %s AND (d.id IS NULL OR NOT d.eligible)
          AND NOT EXISTS (SELECT 1 FROM {EXIT} x WHERE x.enrolment_id = e.id AND (x.status = 'open' OR x.month = %s))"""
    tail_params = [*OPEN_ENROLMENT, month, month]
    household_programs = rules.HOUSEHOLD_PROGRAMS
    decisions, decision_params = run_decisions_sql(decision_run_id)
    created = _execute(
        f"""{insert}
        LEFT JOIN ({decisions}) d ON d.household_id = e.household_id AND d.person_id IS NULL
                               AND d.program = e.program
        WHERE e.person_id IS NULL AND e.program IN ({_marks(household_programs)}) {tail}""",
        [*head, *decision_params, *household_programs, *tail_params],
    )
    created += _execute(
        f"""{insert}
        LEFT JOIN ({decisions}) d ON d.person_id = e.person_id AND d.program = e.program
        WHERE e.person_id IS NOT NULL {tail}""",
        [*head, *decision_params, *tail_params],
    )
    return created


def moved_out_exit_reviews_create(*, monitor_run_id: int, month: str, up_to: dt.date, due: Due,
                                  now: dt.datetime) -> int:
    """Person-level enrolments from an application whose person moved out of
    the district (a ``moved_out`` event) → an exit review of kind moved_out.
    (Automatic enrolments of movers are stopped outright, see services.)"""
    return _execute(
        f"""INSERT INTO {EXIT} (monitor_run_id, decision_run_id, enrolment_id, month, program, household_id,
                person_id, street_id, committee_id, kind, reason_mask, status, due_on, deadline_note, resolution,
                resolved_on, resolved_by, created_at)
            SELECT %s, NULL, e.id, %s, e.program, e.household_id, e.person_id, e.street_id, e.committee_id,
                   %s, 0, 'open', {_date()}, %s, '', NULL, '', %s
            FROM {ENROLMENT} e
            WHERE e.source <> 'auto' AND e.status IN (%s, %s) AND EXISTS (
                SELECT 1 FROM {FEED_EVENT} fe WHERE fe.person_id = e.person_id AND fe.kind = 'moved_out'
                AND fe.event_date <= %s)
              AND NOT EXISTS (SELECT 1 FROM {EXIT} x WHERE x.enrolment_id = e.id AND (x.status = 'open' OR x.month = %s))""",
        [monitor_run_id, month, ExitKind.MOVED_OUT.value, due.on, due.note, now, *OPEN_ENROLMENT, up_to, month],
    )


def auto_notices_create(*, monitor_run_id: int, after_enrolment_id: int, now: dt.datetime) -> int:
    """One 免申即享 notice per automatic enrolment created by this run."""
    return _execute(
        f"""INSERT INTO {NOTICE} (monitor_run_id, enrolment_id, program, person_id, street_id, committee_id,
                start_month, monthly_amount_fen, created_at)
            SELECT %s, e.id, e.program, e.person_id, e.street_id, e.committee_id, e.start_month, e.monthly_amount_fen, %s
            FROM {ENROLMENT} e
            WHERE e.id > %s AND e.source = 'auto' AND e.person_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {NOTICE} n WHERE n.enrolment_id = e.id)""",
        [monitor_run_id, now, after_enrolment_id],
    )


def risk_tasks_create(*, monitor_run_id: int, since: dt.date, up_to: dt.date, due_urgent: Due, due_normal: Due,
                      now: dt.datetime) -> int:
    """Risk events from department data dated in [since, up_to] without a
    task yet → a follow-up task for the committee of the person's household
    at the event date. A death opens a task only for an earning member
    (income or pension) whose household has a surviving member."""
    kinds = (TaskKind.LARGE_MEDICAL_BILL.value, TaskKind.DISABILITY_NEW.value, TaskKind.DISABILITY_CHANGED.value,
             TaskKind.JOB_LOSS.value, "death")
    return _execute(
        f"""INSERT INTO {TASK} (monitor_run_id, feed_event_id, kind, person_id, household_id, street_id,
                committee_id, event_date, status, due_on, deadline_note, first_action_on, escalated, escalated_on,
                result, done_on, done_by, created_at)
            SELECT %s, fe.id, CASE WHEN fe.kind = 'death' THEN %s ELSE fe.kind END, fe.person_id, hm.household_id,
                   COALESCE(h.street_id, p.street_id), COALESCE(h.committee_id, p.committee_id), fe.event_date,
                   'open', CASE WHEN fe.kind = 'death' THEN {_date()} ELSE {_date()} END,
                   CASE WHEN fe.kind = 'death' THEN %s ELSE %s END, NULL, %s, NULL, '', NULL, '', %s
            FROM {FEED_EVENT} fe
            JOIN {PERSON} p ON p.id = fe.person_id
            LEFT JOIN {MEMBERSHIP} hm ON hm.id = (
                SELECT m.id FROM {MEMBERSHIP} m WHERE m.person_id = fe.person_id AND m.start_date <= fe.event_date
                AND (m.end_date IS NULL OR m.end_date >= fe.event_date) ORDER BY m.id DESC LIMIT 1)
            LEFT JOIN {HOUSEHOLD} h ON h.id = hm.household_id
            WHERE fe.kind IN ({_marks(kinds)}) AND fe.event_date >= %s AND fe.event_date <= %s
              AND NOT EXISTS (SELECT 1 FROM {TASK} t WHERE t.feed_event_id = fe.id)
              AND (fe.kind <> 'death' OR ({income_in_force_sql("p.id", "fe.event_date")} > 0 AND EXISTS (
                    SELECT 1 FROM {MEMBERSHIP} s JOIN {PERSON} sp ON sp.id = s.person_id
                    WHERE s.household_id = hm.household_id AND s.person_id <> fe.person_id
                      AND s.end_date IS NULL AND sp.alive)))""",
        [monitor_run_id, TaskKind.EARNER_DEATH.value, due_urgent.on, due_normal.on, due_urgent.note, due_normal.note,
         False, now, *kinds, since, up_to],
    )


def deaths_with_open_enrolments(*, up_to: dt.date) -> list[tuple[int, dt.date]]:
    """Persons dead by ``up_to`` (registry death date, or a death event from
    department data) with an open enrolment of their own or of a household
    they belonged to at death, and not yet handled by a monitor run nor by the
    death record (``deaths``, ADR 0023: its report stopped the benefits the day
    it was recorded; a household enrolment it flagged for re-review stays open)."""
    from minzheng.monitoring.models import DeathStop

    handled = DeathStop._meta.db_table
    open_marks = _marks(OPEN_ENROLMENT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT dead.person_id, MIN(dead.death_date) FROM (
                    SELECT p.id AS person_id, p.death_date AS death_date FROM {PERSON} p
                    WHERE NOT p.alive AND p.death_date IS NOT NULL AND p.death_date <= %s
                    UNION ALL
                    SELECT fe.person_id, fe.event_date FROM {FEED_EVENT} fe
                    WHERE fe.kind = 'death' AND fe.person_id IS NOT NULL AND fe.event_date <= %s) dead
                WHERE NOT EXISTS (SELECT 1 FROM {handled} x WHERE x.person_id = dead.person_id)
                  AND NOT EXISTS (SELECT 1 FROM {DEATH_RECORD} d WHERE d.person_id = dead.person_id
                                  AND d.processed_at IS NOT NULL)
                  AND (EXISTS (SELECT 1 FROM {ENROLMENT} e WHERE e.person_id = dead.person_id
                               AND e.status IN ({open_marks}))
                       OR EXISTS (SELECT 1 FROM {ENROLMENT} e JOIN {MEMBERSHIP} m ON m.household_id = e.household_id
                                  WHERE m.person_id = dead.person_id AND e.person_id IS NULL
                                  AND e.status IN ({open_marks})
                                  AND (m.end_date IS NULL OR m.end_date >= dead.death_date)))
                GROUP BY dead.person_id ORDER BY dead.person_id""",
            [up_to, up_to, *OPEN_ENROLMENT, *OPEN_ENROLMENT],
        )
        return [(row[0], row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(str(row[1])))
                for row in cursor.fetchall()]


def moved_out_auto_enrolments(*, up_to: dt.date) -> list[tuple[int, dt.date]]:
    """Open automatic enrolments whose person moved out of the district: (enrolment id, move date)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT e.id, MIN(fe.event_date) FROM {ENROLMENT} e JOIN {FEED_EVENT} fe ON fe.person_id = e.person_id
                WHERE fe.kind = 'moved_out' AND fe.event_date <= %s AND e.source = 'auto' AND e.status IN (%s, %s)
                GROUP BY e.id ORDER BY e.id""",
            [up_to, *OPEN_ENROLMENT],
        )
        return [(row[0], row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(str(row[1])))
                for row in cursor.fetchall()]


def escalate_overdue(*, today: dt.date) -> tuple[int, int]:
    """Open leads and tasks past their deadline with no visit and no outcome
    → escalated to the street (flag + date). Returns (leads, tasks)."""
    counts = []
    for table in (LEAD, TASK):
        counts.append(_execute(
            f"""UPDATE {table} SET escalated = %s, escalated_on = %s
                WHERE status = 'open' AND NOT escalated AND first_action_on IS NULL
                  AND due_on IS NOT NULL AND due_on < %s""",
            [True, today, today],
        ))
    return counts[0], counts[1]
