"""Re-computation after a parameter change (重新测算): evaluate past months
again with the parameters now in force and compare with what is stored.

For each month of a range, ``recompute_months`` evaluates the whole district
in memory through the batch's own path (``services.month_evaluate``, the same
registry read, CPI of month M − 1 per REFERENCE §9, grants and engine call as
``decision_run_month``), compares the rows a run would store
(``storage.stored_rows``) with the stored decisions of the month's current
run, and lists who gains (新增享受), loses (不再享受) or changes amount
(金额变化), per program and street. A month is evaluated under the
parameters in force on its 1st (REFERENCE "Conventions"), so a corrected
value for an earlier date changes earlier months.

It writes nothing unless ``store=True`` (the command's ``--confirm``): then
each compared month's evaluation is stored as a new run through
``decision_run_month`` (audited ``policy.batch``; the new run replaces the
month's current one in one short transaction), right after its comparison.

A month without a stored run is reported (「该月尚无存储的测算结果，无法比较」)
and skipped — never compared with zero, never stored by this path.

What the payments app then does with the new decisions is stated in
``PAYMENT_NOTES`` (from ``payments.beneficiaries``, ``payments.backpay``,
``payments.settlement`` and ``payments.recovery``): back-pay is automatic
only for months with no payment yet; months already paid are settled by
staff through 「重新测算差额处理」 (page, or ``minzheng payments settle``):
top-ups into the program's draft batch, charges for what was overpaid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError

from minzheng.core.bounds import month_check
from minzheng.core.models import Division, User
from minzheng.core.months import month_label, months_between
from minzheng.core.permissions import require
from minzheng.eligibility import storage
from minzheng.eligibility.cpi_months import cpi_used_text
from minzheng.eligibility.models import DecisionRun, RunStatus
from minzheng.eligibility.selectors import run_decisions
from minzheng.eligibility.services import MonthEvaluation, decision_run_month, month_evaluate
from policy import PROGRAMS
from policy.engine.parameters import ParameterSet

MAX_MONTHS = 24
NO_STORED_RUN = "该月尚无存储的测算结果，无法比较"

GAIN, LOSS, AMOUNT, UNKNOWN = "gain", "loss", "amount", "unknown"
KIND_LABELS = {GAIN: "新增享受", LOSS: "不再享受", AMOUNT: "金额变化", UNKNOWN: "无法测算"}
BACKPAY, RECOVER, REVIEW = "补发", "追回", "复核"

# What happens in payments after the new runs are stored — stated from the
# payments code as it is (payments.beneficiaries, .backpay, .batches,
# .recovery; casework.enrolments), for the command's output and the docs.
_PAID_BY_DECISION = "、".join([p.label for p in PROGRAMS.values() if p.payment == "decision"] + ["一次性补助"])
_PAID_BY_ENROLMENT = "、".join(p.label for p in PROGRAMS.values() if p.payment == "enrolment")
PAYMENT_NOTES = {
    BACKPAY: (
        "补发：新的测算结果存储后，下一次生成该项目的常规批次（minzheng payments run --program 项目 --month 当月 "
        "--as 制单人）会把此前已审批月份中应发而没有发放记录的月份列为补发明细。"
        f"按测算结果发放的项目（{_PAID_BY_DECISION}）对新增享受的人自动补发；"
        f"申请类项目（{_PAID_BY_ENROLMENT}）只发给已审批纳入保障的对象，新增享受的须先经救助申请审批纳入，"
        "纳入后从核定的起始月份起补发。已有发放记录（已审批）的月份金额增加不会自动补发：在“资金发放 → "
        "重新测算差额处理”页选择项目和月份查看差额清单后确认处理，或运行 minzheng payments settle --program 项目 "
        "--from 起始月份 --to 截止月份（核对后加 --confirm --as 制单人），差额作为补差明细列入本项目的草稿批次"
        "（须先生成该草稿批次），再经复核、审批发放。"
    ),
    RECOVER: (
        "追回：资金发放模块不会因重新测算自动追缴。追缴核查（payments.recovery.recovery_scan，“多发资金追缴”页）"
        "只计入两类多发：死亡后或保障终止月份之后的已发放明细，以及因死亡停保产生的追缴案件。"
        "申请类项目不再享受的对象，须先在救助审核中终止保障（casework enrolment_terminate，生效月份为不再享受的"
        "第一个月），再运行追缴核查，此后月份已发放的金额才会记为应追缴；终止之前，已纳入保障的对象即使测算结果"
        "为不享受，批次仍按纳入时核定的金额发放（“重新测算差额处理”把这类对象列为需复核，不追缴）。"
        "按测算结果发放的项目不再享受的月份，以及任何项目金额减少的差额，在“重新测算差额处理”页（或 minzheng "
        "payments settle --confirm --as 账号）确认后记入收款人的应追缴款（说明“重新测算后多发（某年某月）”，"
        "同一人、项目、月份只记一笔），此后在“追缴”页办理退回或核销。"
    ),
    REVIEW: (
        "复核：人口库中的家庭与存储的测算不一致（存储后数据有更正、迁入迁出或收入财产不明）、新参数在该月缺失"
        "（无法测算，不等于不享受）、资格变化但金额不变，或项目只是身份认定、不发放现金，须由工作人员核实后处理。"
    ),
}
DRAFT_NOTE = ("尚未生成批次的月份，生成时直接按新的测算结果发放；已生成但未复核的草稿批次不会随之更新金额"
              "（重复生成只补充缺少的明细），须作废该草稿批次（“作废草稿”）后重新生成。")
SETTLE_NOTE = ("下一步（已审批发放的月份）：新的测算结果存储后，在“资金发放 → 重新测算差额处理”页按项目和月份查看"
               "差额清单（补差 / 追缴 / 需复核），核对后点“确认处理”；命令行：minzheng payments settle --program 项目 "
               "--from 起始月份 --to 截止月份 [--confirm --as 账号]。补差须先生成本项目的草稿批次。")
STORE_NOTE = "确认写入将替换所列各月整月、全区的测算结果（不限于所筛选的项目和街镇）。"


@dataclass
class Change:
    """One household (household programs) or person (person programs) whose
    outcome differs between the stored run and the re-computation."""

    month: str
    program: str
    kind: str  # GAIN | LOSS | AMOUNT | UNKNOWN (a parameter missing now: never counted as a loss)
    household_id: int
    person_id: int | None
    street_id: str
    committee_id: str
    old_eligible: bool | None  # None: no stored row (screened out, or not in the stored run)
    old_amount_fen: int
    new_eligible: bool | None  # None: no row now (screened out, or no longer in the registry for the month)
    new_amount_fen: int
    action: str
    note: str = ""

    @property
    def difference_fen(self) -> int | None:
        """New − old (fen); None when the new outcome is unknown."""
        return None if self.kind == UNKNOWN else self.new_amount_fen - self.old_amount_fen


@dataclass
class Counts:
    gains: int = 0
    losses: int = 0
    changes: int = 0
    difference_fen: int = 0
    unchanged: int = 0  # eligible in both with the same amount
    review: int = 0  # includes the UNKNOWN rows (eligible before, a parameter missing now)


@dataclass
class MonthComparison:
    month: str
    compared: bool
    note: str = ""
    run_id: int | None = None
    stored_parameter_set: str = ""
    new_parameter_set: str = ""
    cpi_text: str = ""
    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (program, street) → counts
    changes: list[Change] = field(default_factory=list)
    stored_run_id: int | None = None  # the new run, when stored


@dataclass
class Recomputation:
    first: str
    last: str
    program: str | None
    street: str | None
    months: list[MonthComparison]
    stored: bool


def _stored_program_rows(run: DecisionRun, program: str, street: str | None) -> dict[str, np.ndarray]:
    rows = run_decisions(run).filter(program=program)
    if street:
        rows = rows.filter(street_id=street)
    data = list(rows.values_list("household_id", "person_id", "street_id", "committee_id", "eligible", "amount_fen",
                                 "reason_mask").iterator(20000))
    columns = list(zip(*data, strict=True)) if data else [[] for _ in range(7)]
    return {
        "household": np.asarray(columns[0], dtype=np.int64),
        "person": np.asarray([p or 0 for p in columns[1]], dtype=np.int64),
        "street": np.asarray(columns[2], dtype=object),
        "committee": np.asarray(columns[3], dtype=object),
        "eligible": np.asarray(columns[4], dtype=bool),
        "amount": np.asarray(columns[5], dtype=np.int64),
    }


def _new_program_rows(evaluation: MonthEvaluation, program: str, street: str | None) -> dict[str, np.ndarray] | None:
    result = evaluation.batch.programs.get(program)
    if result is None:
        return None
    cols = evaluation.cols
    index, household_row, person_ids = storage.stored_rows(program, result, cols)
    rows = {
        "household": cols.household_id[household_row].astype(np.int64),
        "person": (np.zeros(len(index), dtype=np.int64) if person_ids is None else person_ids.astype(np.int64)),
        "street": cols.household_street[household_row].astype(object),
        "committee": cols.household_committee[household_row].astype(object),
        "eligible": result.eligible[index].astype(bool),
        "amount": result.amount_fen[index].astype(np.int64),
        "missing": result.missing[index].astype(bool),
    }
    if street:
        keep = rows["street"] == street
        rows = {k: v[keep] for k, v in rows.items()}
    return rows


def _aligned(keys: np.ndarray, side_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each of ``keys`` in ``side_keys`` and whether it is there."""
    order = np.argsort(side_keys, kind="stable")
    at = np.searchsorted(side_keys[order], keys)
    at = np.minimum(at, max(len(side_keys) - 1, 0))
    found = (side_keys[order][at] == keys) if len(side_keys) else np.zeros(len(keys), dtype=bool)
    return (order[at] if len(side_keys) else np.zeros(len(keys), dtype=np.intp)), found


def _compare_program(month: str, program: str, level: str, old: dict[str, np.ndarray], new: dict[str, np.ndarray],
                     old_households: np.ndarray, new_households: np.ndarray, comparison: MonthComparison) -> None:
    """Match stored and new rows by household (household programs) or person
    (person programs) and record counts and changes. Vectorised: only the
    rows that differ are looked at one by one."""
    key = "household" if level == "household" else "person"
    pays_cash = PROGRAMS[program].pays_cash if program in PROGRAMS else True
    keys = np.union1d(old[key], new[key])
    oi, in_old = _aligned(keys, old[key])
    ni, in_new = _aligned(keys, new[key])
    old_eligible = in_old & (old["eligible"][oi] if len(old[key]) else False)
    new_eligible = in_new & (new["eligible"][ni] if len(new[key]) else False)
    old_amount = np.where(old_eligible, old["amount"][oi] if len(old[key]) else 0, 0).astype(np.int64)
    new_amount = np.where(new_eligible, new["amount"][ni] if len(new[key]) else 0, 0).astype(np.int64)
    streets = np.where(in_new, new["street"][ni] if len(new[key]) else "", old["street"][oi] if len(old[key]) else "")
    same = (old_eligible == new_eligible) & (old_amount == new_amount)
    for street_id, n in zip(*np.unique(streets[same & old_eligible & new_eligible].astype(str), return_counts=True),
                            strict=True):
        comparison.counts.setdefault((program, str(street_id)), Counts()).unchanged += int(n)
    changed = np.flatnonzero(~same)
    households = np.where(in_new[changed], new["household"][ni[changed]] if len(new[key]) else 0,
                          old["household"][oi[changed]] if len(old[key]) else 0)
    was_stored = np.isin(households, old_households)
    still_there = np.isin(households, new_households)
    for position, r in enumerate(changed.tolist()):
        source, row = (new, ni[r]) if in_new[r] else (old, oi[r])
        street_id, committee_id = str(source["street"][row]), str(source["committee"][row])
        household_id = int(source["household"][row])
        was, now = bool(old_eligible[r]), bool(new_eligible[r])
        before, after = int(old_amount[r]), int(new_amount[r])
        kind = GAIN if now and not was else LOSS if was and not now else AMOUNT
        action = BACKPAY if after > before else RECOVER
        note = ""
        missing_now = bool(in_new[r] and new["missing"][ni[r]])
        if missing_now:  # missing is never zero: not a loss, an unknown (REFERENCE, opening note)
            kind, action, note = UNKNOWN, REVIEW, "新参数在该月缺失，无法测算（不等于不享受）"
        elif not was_stored[position]:
            action, note = REVIEW, "该家庭不在存储的测算中（存储后人口库有更正或迁入）"
        elif not still_there[position]:
            action, note = REVIEW, "该家庭已不在本次测算中（迁出、撤销或收入财产不明）"
        elif not pays_cash:
            action, note = REVIEW, "身份认定类项目，不发放现金"
        elif after == before:
            action, note = REVIEW, "资格变化但金额不变"
        counts = comparison.counts.setdefault((program, street_id), Counts())
        counts.gains += kind == GAIN
        counts.losses += kind == LOSS
        counts.changes += kind == AMOUNT
        counts.review += action == REVIEW
        counts.difference_fen += 0 if kind == UNKNOWN else after - before
        comparison.changes.append(Change(
            month=month, program=program, kind=kind, household_id=household_id,
            person_id=None if level == "household" else int(keys[r]), street_id=street_id,
            committee_id=committee_id, old_eligible=bool(old["eligible"][oi[r]]) if in_old[r] else None,
            old_amount_fen=before, new_eligible=bool(new["eligible"][ni[r]]) if in_new[r] else None,
            new_amount_fen=after, action=action, note=note))


def month_compare(evaluation: MonthEvaluation, run: DecisionRun, *, program: str | None = None,
                  street: str | None = None) -> MonthComparison:
    """Compare an in-memory evaluation with the stored decisions of ``run`` (same month)."""
    comparison = MonthComparison(month=evaluation.month, compared=True, run_id=run.pk,
                                 stored_parameter_set=run.parameter_set,
                                 new_parameter_set=evaluation.batch.parameter_set,
                                 cpi_text=cpi_used_text(evaluation.cpi_month, evaluation.cpi))
    programs = [program] if program else sorted(set(evaluation.batch.programs) | set(run.reason_vocabulary))
    household_program = next(pid for pid, p in PROGRAMS.items() if p.level == "household")  # one row per household
    old_households = np.sort(np.fromiter(
        run_decisions(run).filter(program=household_program).values_list("household_id", flat=True)
        .iterator(20000), dtype=np.int64))
    new_households = np.asarray(evaluation.cols.household_id, dtype=np.int64)
    for pid in programs:
        new = _new_program_rows(evaluation, pid, street)
        result = evaluation.batch.programs.get(pid)
        level = result.level if result is not None else (PROGRAMS[pid].level if pid in PROGRAMS else "person")
        old = _stored_program_rows(run, pid, street)
        if new is None:  # a one-off grant no longer defined for the month: every stored row is compared with nothing
            new = {k: v[:0] for k, v in old.items()} | {"missing": np.zeros(0, dtype=bool)}
        _compare_program(evaluation.month, pid, level, old, new, old_households, new_households, comparison)
    comparison.changes.sort(key=lambda c: (c.program, c.street_id, c.committee_id, c.household_id, c.person_id or 0))
    return comparison


def _check_filters(program: str | None, street: str | None) -> None:
    if program and program not in PROGRAMS and not program.startswith("one_off:"):
        raise ValidationError(f"救助项目“{program}”不存在；可选：{'、'.join(PROGRAMS)}")
    if street and not Division.objects.filter(code=street).exists():
        raise ValidationError(f"街镇代码“{street}”不存在")


def recompute_months(*, actor: User | str, first: str, last: str, program: str | None = None,
                     street: str | None = None, store: bool = False, parameters: ParameterSet | None = None,
                     log: Any = None) -> Recomputation:
    """Re-evaluate ``first``..``last`` (``YYYY-MM``) with the parameters now in
    force (or ``parameters``) and compare with each month's current run.

    Reads only, unless ``store``: then, month by month, the evaluation just
    compared is stored as the month's new run by ``decision_run_month``
    (audited, by a named staff account). ``program``/``street`` narrow the
    comparison, never what is stored (a run is the whole district)."""
    require(actor, "eligibility.run", allow_job=True)
    if store and not isinstance(actor, User):
        raise ValidationError("确认写入须以具名工作人员账号执行（--as 账号）")
    first = month_check(first, "起始月份")
    last = month_check(last, "截止月份")
    if last < first:
        raise ValidationError("截止月份不能早于起始月份")
    months = months_between(first, last)
    if len(months) > MAX_MONTHS:
        raise ValidationError(f"一次最多重新测算 {MAX_MONTHS} 个月")
    _check_filters(program, street)
    say = log or (lambda message: None)
    out = []
    for month in months:
        run = DecisionRun.objects.filter(month=month, status=RunStatus.CURRENT).first()
        if run is None:
            say(f"{month_label(month)}：{NO_STORED_RUN}")
            out.append(MonthComparison(month=month, compared=False, note=NO_STORED_RUN))
            continue
        evaluation = month_evaluate(month, parameters=parameters, log=say)
        comparison = month_compare(evaluation, run, program=program, street=street)
        if store:
            new_run = decision_run_month(actor=actor, month=month, log=say, evaluation=evaluation)
            comparison.stored_run_id = new_run.pk
        out.append(comparison)
        del evaluation
    return Recomputation(first=first, last=last, program=program, street=street, months=out, stored=store)


# --- the person/household-level list (XLSX through the export layer) --------

XLSX_HEADERS = ["月份", "救助项目", "街镇", "居村委", "姓名", "身份证号（脱敏）", "变化", "原测算结果", "原金额（元）",
                "新测算结果", "新金额（元）", "差额（元）", "建议处理", "说明"]


def _eligible_text(value: bool | None) -> str:
    return "未测算" if value is None else ("享受" if value else "不享受")


def _yuan(fen: int | None) -> Decimal | str:
    return "不明" if fen is None else Decimal(fen) / 100


def change_rows(recomputation: Recomputation) -> list[list]:
    """Every change as a spreadsheet row (masked ID, names, Chinese labels)."""
    from minzheng.eligibility.selectors import program_label
    from minzheng.registry.models import HouseholdMembership, Person

    changes = [c for m in recomputation.months for c in m.changes]
    person_ids = {c.person_id for c in changes if c.person_id}
    heads: dict[int, int] = {}
    household_ids = [c.household_id for c in changes if c.person_id is None]
    for household_id, person_id, relation in (HouseholdMembership.objects.filter(household_id__in=household_ids)
                                              .order_by("household_id", "end_date", "person_id")
                                              .values_list("household_id", "person_id", "relation")):
        if relation == "本人" or household_id not in heads:
            heads[household_id] = person_id
    people = Person.objects.only("name", "id_number_masked").in_bulk(person_ids | set(heads.values()))
    divisions = dict(Division.objects.filter(code__in={c.street_id for c in changes} | {c.committee_id for c in changes})
                     .values_list("code", "name"))
    labels: dict[str, str] = defaultdict(str)
    rows = []
    for c in changes:
        if c.program not in labels:
            labels[c.program] = program_label(c.program)
        who = people.get(c.person_id or heads.get(c.household_id, 0))
        name = (who.name if who else "（未找到）") + ("（户）" if c.person_id is None and who else "")
        rows.append([c.month, labels[c.program], divisions.get(c.street_id, c.street_id),
                     divisions.get(c.committee_id, c.committee_id), name, who.id_number_masked if who else "",
                     KIND_LABELS[c.kind], _eligible_text(c.old_eligible), _yuan(c.old_amount_fen),
                     "无法测算" if c.kind == UNKNOWN else _eligible_text(c.new_eligible),
                     _yuan(None if c.kind == UNKNOWN else c.new_amount_fen), _yuan(c.difference_fen), c.action,
                     c.note])
    return rows


def changes_xlsx(recomputation: Recomputation, out: Any) -> int:
    """Write the list to ``out`` (a path or a binary stream) through
    ``core.spreadsheets`` (text kept as text). Returns the number of rows."""
    from openpyxl import Workbook

    from minzheng.core.spreadsheets import sheet_append

    book = Workbook(write_only=True)
    sheet = book.create_sheet("重新测算差异")
    sheet_append(sheet, XLSX_HEADERS)
    rows = change_rows(recomputation)
    for row in rows:
        sheet_append(sheet, row)
    notes = book.create_sheet("说明")
    sheet_append(notes, ["范围", f"{recomputation.first} 至 {recomputation.last}"])
    for m in recomputation.months:
        sheet_append(notes, [m.month, m.note or m.cpi_text])
    for action, text in PAYMENT_NOTES.items():
        sheet_append(notes, [action, text])
    sheet_append(notes, ["草稿批次", DRAFT_NOTE])
    sheet_append(notes, ["差额处理", SETTLE_NOTE])
    book.save(out)
    return len(rows)
