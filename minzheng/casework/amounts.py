"""The policy engine's outcome for a case: eligibility and monthly amount of
one program for the household (or the beneficiary person) in a month.

Read from the registry as of the month's first day (the same columns the
monthly batch reads), evaluated by ``eligibility.selectors.household_evaluation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng.eligibility.selectors import household_evaluation
from minzheng.registry.models import Household, Person
from policy import PROGRAMS, InputError
from policy.money import parse_yuan


@dataclass(frozen=True)
class EngineOutcome:
    month: str
    eligible: bool | None  # None: could not be evaluated
    amount_fen: int | None
    reasons: list[str] = field(default_factory=list)
    basis: dict = field(default_factory=dict)

    @property
    def note(self) -> str:
        if self.eligible is None:
            return "；".join(self.reasons) or "无法测算"
        return ("符合" if self.eligible else "不符合") + ("：" + "；".join(self.reasons) if self.reasons else "")


def engine_outcome(*, household: Household, program: str, person: Person | None, month: str) -> EngineOutcome:
    """``person`` is the beneficiary for person-level programs (ignored for household ones)."""
    try:
        result = household_evaluation(household.pk, month)
    except InputError as err:
        return EngineOutcome(month, None, None, [p.get("message", str(p)) for p in err.problems])
    if result is None:
        return EngineOutcome(month, None, None, [f"{month}月1日该家庭无在册成员，无法测算"])
    level = PROGRAMS[program].level
    wanted = None if level == "household" else str(person.pk if person else "")
    for entry in result["results"]:
        if entry["program"] != program or (wanted is not None and entry["person"] != wanted):
            continue
        return EngineOutcome(
            month, entry["eligible"], parse_yuan(entry["amount_yuan"]),
            [r["text"] for r in entry["reasons"]],
            {"month": month, "parameter_set": result["parameter_set"], "rules_version": result["rules_version"],
             "reasons": [r["code"] for r in entry["reasons"]]},
        )
    return EngineOutcome(month, None, None, ["测算结果中没有该人员"])
