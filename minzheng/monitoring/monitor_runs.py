"""The monthly monitor run (``minzheng monitor run --month YYYY-MM``).

1. the policy batch for the month over the whole registry
   (``eligibility.services.decision_run_month``);
2. no-application programs (免申即享) → automatic enrolment + notice;
3. deaths → benefits stop from the month after death (casework's
   ``enrolment_stop_for_death``; months the ledger actually paid after it
   become overpayment cases); automatic enrolments of people who moved out
   of the district stop too. After step 2, so that one run reaches the fixed
   point (someone enrolled for the month who has since died is stopped now);
4. enrolled but no longer eligible → exit reviews (应退尽退);
5. eligible, not enrolled, no open application → leads (政策找人);
6. per-capita income just above a line → the edge list (边缘);
7. risk events from department data → follow-up tasks;
8. overdue leads and tasks → escalated to the street.

Steps 2-8 run in one transaction after the batch and write set-wise
(``matching``); the run is audited once with its counts.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from minzheng.casework.models import Enrolment
from minzheng.casework.services import (
    enrolment_stop_for_death,
    enrolment_terminate,
    enrolments_create_auto,
)
from minzheng.core.audit import audit_record
from minzheng.core.bounds import month_check
from minzheng.core.models import Role, User
from minzheng.core.months import month_of, month_shift
from minzheng.core.permissions import require
from minzheng.core.workdays import HolidayArrangementMissing, add_working_days
from minzheng.eligibility.selectors import current_run
from minzheng.eligibility.services import BATCH_STEPS, decision_run_month, month_evaluate
from minzheng.monitoring import matching, rules, unchanged
from minzheng.monitoring.models import DeathStop, MonitorRun
from minzheng.registry.columnar import registry_columns
from minzheng.registry.models import Person
from policy import ParameterMissing, dibao_standard_fen, low_income_line_per_person_fen
from policy.months import Month


def job_actor(actor: User | str) -> User:
    """The account casework's services act as: the bureau user who started
    the run, or, for a command-line job, an unsaved district-wide bureau
    account named after the job (audit entries carry that name)."""
    if isinstance(actor, User):
        return actor
    return User(username=str(actor), role=Role.BUREAU, is_superuser=True, is_active=True)


def due_after(today: dt.date, days: int) -> matching.Due:
    """``days`` working days after ``today``; an unrecorded holiday year leaves it open with the reason."""
    try:
        return matching.Due(add_working_days(today, days))
    except HolidayArrangementMissing as err:
        return matching.Due(None, err.messages[0])


def _lines_fen(first_day: dt.date) -> tuple[int, int] | None:
    """The dibao standard and the low-income line per person in fen (``policy.lines``), or None if unknown."""
    try:
        return dibao_standard_fen(first_day), low_income_line_per_person_fen(first_day)
    except ParameterMissing:
        return None


def _stop_deaths(run: MonitorRun, job: User, today: dt.date) -> tuple[int, int]:
    stopped = overpayments = 0
    for person_id, death_date in matching.deaths_with_open_enrolments(up_to=today):
        person = Person.objects.get(pk=person_id)
        cases = enrolment_stop_for_death(actor=job, person=person, death_date=death_date, today=today)
        DeathStop.objects.create(monitor_run=run, person=person, death_date=death_date,
                                 overpayment_cases=len(cases))
        stopped += 1
        overpayments += len(cases)
    return stopped, overpayments


def _stop_moved_out(job: User, today: dt.date) -> int:
    stopped = 0
    for enrolment_id, moved_on in matching.moved_out_auto_enrolments(up_to=today):
        enrolment = Enrolment.objects.get(pk=enrolment_id)
        effective = max(month_shift(month_of(moved_on), 1), enrolment.start_month)
        enrolment_terminate(actor=job, enrolment=enrolment, effective_month=effective,
                            reason=f"迁出本区（{moved_on.year}年{moved_on.month}月{moved_on.day}日，部门数据）")
        stopped += 1
    return stopped


# Stages reported to ``progress(stage, done, total)`` (a job's progress bar, ADR 0017):
# the batch's own steps (``eligibility.services.BATCH_STEPS``), then steps 2-8 above.
# What steps 2-7 count; all zero when a run repeats an unchanged one (``unchanged``).
COMPARISON_COUNTS = ("auto_enrolments", "auto_notices", "death_stops", "overpayment_cases", "moved_out_stops",
                     "exit_reviews", "leads", "edge_households", "risk_tasks")
MATCHING_STAGES = ("免申即享自动纳入", "停发（死亡、迁出）", "应退尽退核实", "政策找人线索", "边缘家庭名单",
                   "风险跟进任务", "逾期上报")


def monitor_run_month(*, actor: User | str, month: str, today: dt.date | None = None, run_batch: bool = True,
                      log: Any = None, progress: Any = None) -> MonitorRun:
    """Run dynamic monitoring for ``month`` (see the module docstring).

    ``run_batch=False`` reuses the month's current policy batch if there is
    one. Running a month again creates nothing that already exists.
    ``progress(stage, done, total)`` hears of each stage; the matching steps
    run in one transaction, so another connection sees them when it commits."""
    require(actor, "monitoring.run", allow_job=True)
    today = today or dt.date.today()
    parsed = Month.parse(month_check(month, "监测月份", on=today))
    month = str(parsed)
    say = log or (lambda message: None)
    timings: dict[str, float] = {}

    def timed(name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 3)

    report = progress or (lambda stage, done, total: None)
    total = BATCH_STEPS + len(MATCHING_STAGES)

    def stage(index: int) -> None:
        report(MATCHING_STAGES[index], BATCH_STEPS + index, total)

    started = time.perf_counter()
    # a repeat on the same day with nothing written since and the same policy inputs: the batch would store
    # no row, so its current run is used as it is (ADR 0019 §8)
    reused = unchanged.batch_to_reuse(month, today) if run_batch else None
    decision = current_run(month) if not run_batch else reused
    cols = None
    if reused is not None:
        say(f"自上次动态监测以来没有任何数据变化，政策参数、CPI 和一次性补助也未变，沿用批次 {reused.pk} 的测算结果，不重新测算")
    if decision is None:
        batch_progress = lambda name, done, _total: report(f"批量测算：{name}", done, total)  # noqa: E731
        evaluation = month_evaluate(month, log=log, progress=batch_progress)
        cols = evaluation.cols  # the edge list reads the same registry columns (households with unknown facts out)
        decision = decision_run_month(actor=actor, month=month, log=log, evaluation=evaluation,
                                      progress=batch_progress)
    timed("policy_batch_s", started)
    say(f"政策批量测算：批次 {decision.pk}，用时 {timings['policy_batch_s']} 秒")

    started = time.perf_counter()
    repeat = unchanged.nothing_to_do(month, today, decision)
    timed("unchanged_check_s", started)
    job = job_actor(actor)
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        run = MonitorRun.objects.create(month=month, decision_run=decision, run_on=today,
                                        actor=getattr(actor, "username", str(actor)))
        if repeat is not None:  # nothing written since the same run today, same decisions: it would create nothing
            counts.update(dict.fromkeys(COMPARISON_COUNTS, 0))
            say(f"自上次动态监测（第 {repeat.pk} 次）以来没有任何数据变化，测算结果相同，不再重复比对")
        else:
            started = time.perf_counter()
            stage(0)
            basis = {"month": month, "decision_run": decision.pk, "parameter_set": decision.parameter_set,
                     "rules_version": decision.rules_version, "note": "免申即享：按当月批量测算结果自动纳入"}
            counts["auto_enrolments"], after_id = enrolments_create_auto(
                actor=job, decision_run_id=decision.pk, month=month, programs=rules.AUTO_PROGRAMS, basis=basis)
            counts["auto_notices"] = matching.auto_notices_create(monitor_run_id=run.pk, after_enrolment_id=after_id,
                                                                  now=now)
            timed("auto_enrolment_s", started)

            # Stops come after enrolment: a person enrolled for the month who has
            # since died or moved out is stopped in this same run, so one run
            # reaches the fixed point and a second run creates nothing.
            started = time.perf_counter()
            stage(1)
            counts["death_stops"], counts["overpayment_cases"] = _stop_deaths(run, job, today)
            counts["moved_out_stops"] = _stop_moved_out(job, today)
            timed("stops_s", started)

            started = time.perf_counter()
            stage(2)
            exit_due = due_after(today, rules.exit_days())
            counts["exit_reviews"] = matching.exit_reviews_create(
                monitor_run_id=run.pk, decision_run_id=decision.pk, month=month, due=exit_due, now=now)
            counts["exit_reviews"] += matching.moved_out_exit_reviews_create(
                monitor_run_id=run.pk, month=month, up_to=today, due=exit_due, now=now)
            timed("exits_s", started)

            started = time.perf_counter()
            stage(3)
            counts["leads"] = matching.leads_create(
                monitor_run_id=run.pk, decision_run_id=decision.pk, month=month,
                quiet_from=month_shift(month, -rules.quiet_months()), due=due_after(today, rules.lead_days()), now=now)
            timed("leads_s", started)

            started = time.perf_counter()
            stage(4)
            lines = _lines_fen(parsed.first_day)
            counts["edge_households"] = 0 if lines is None else matching.edge_households_create(
                monitor_run_id=run.pk, month=month, cols=cols if cols is not None else registry_columns(parsed.first_day),
                dibao_line_fen=lines[0],
                low_income_line_fen=lines[1], margin_pct=rules.edge_margin_pct())
            timed("edge_s", started)

            started = time.perf_counter()
            stage(5)
            since = Month.parse(month_shift(month, -rules.risk_lookback_months())).first_day
            counts["risk_tasks"] = matching.risk_tasks_create(
                monitor_run_id=run.pk, since=since, up_to=today, due_urgent=due_after(today, rules.task_days("earner_death")),
                due_normal=due_after(today, rules.task_days("other")), now=now)
            timed("tasks_s", started)

        stage(6)
        counts["escalated_leads"], counts["escalated_tasks"] = matching.escalate_overdue(today=today)
        run.counts, run.timings, run.finished_at = counts, timings, timezone.now()
        run.save(update_fields=["counts", "timings", "finished_at"])
        audit_record(actor=actor, action="monitoring.run", object_type="MonitorRun", object_id=run.pk,
                     changes={"month": month, "decision_run": decision.pk, "run_on": today, **counts,
                              "unchanged_since": repeat.pk if repeat is not None else None,
                              "batch_reused": reused is not None})
    say(f"动态监测完成：{counts}")
    report("动态监测完成", total, total)
    return run


@transaction.atomic
def monitor_escalate(*, actor: User | str, today: dt.date | None = None) -> dict[str, int]:
    """Escalate open leads and tasks past their deadline without a visit or outcome to the street."""
    require(actor, "monitoring.run", allow_job=True)
    today = today or dt.date.today()
    leads, tasks = matching.escalate_overdue(today=today)
    audit_record(actor=actor, action="monitoring.escalate", object_type="Lead",
                 changes={"today": today, "leads": leads, "tasks": tasks})
    return {"escalated_leads": leads, "escalated_tasks": tasks}
