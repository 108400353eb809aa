"""Procedure timings of the national rules in force 2021-07-01 (REFERENCE §15,
official), with the article each one comes from, and our own assumptions for
what the rules do not give.

* 《最低生活保障审核确认办法》(民政部，2021): the survey starts within 3
  working days of acceptance (第十五条); public notice 7 days (第十九条); the
  district's confirmation opinion within 10 working days of receiving the file
  (第二十条); payment from the month after approval, a refusal in writing with
  reasons within 3 working days (第二十一条); the whole review within 30
  working days of acceptance, 45 in special cases (第二十二条); re-review yearly
  when the situation is stable, every six months when income is irregular or
  members can work (第三十一条).
* 《特困人员认定办法》(民政部，2021): the street investigates and gives a first
  opinion within 15 working days (第十三条); notice 7 days (第十五条); the
  district confirms within 15 working days, spot-checking at least 30% of the
  files (第十六条, see ``spot_checks.py``); support from the month after
  confirmation (第十七条); a refusal notified within 3 working days (第十八条).

Not given by the rules, so **assumptions** (shown "此期限尚未核实"): the
acceptance step itself, our per-step split of the street's part (核对、入户、
审核、张榜), the overall limit for extreme poverty (none: the field stays
empty), and every timing of the other programs (the former defaults).

``citation(program, field, value)`` is the article for a value only while it
equals the national rule: a value the bureau changes is its own again.
"""

from __future__ import annotations

DIBAO_RULES = "《最低生活保障审核确认办法》"
EXTREME_RULES = "《特困人员认定办法》"

# field → (value, article, unit) of the national rules, per program
_OFFICIAL: dict[str, dict[str, tuple[int, str, str]]] = {
    "dibao": {
        "survey_start_days": (3, "第十五条", "个工作日"),
        "notice_days": (7, "第十九条", "天"),
        "approve_days": (10, "第二十条", "个工作日"),
        "decide_days": (3, "第二十一条", "个工作日"),
        "total_days": (30, "第二十二条", "个工作日"),
        "extended_total_days": (45, "第二十二条", "个工作日"),
        "rereview_months_stable": (12, "第三十一条", "个月"),
        "rereview_months_able": (6, "第三十一条", "个月"),
    },
    "extreme_poverty": {
        "street_opinion_days": (15, "第十三条", "个工作日"),
        "notice_days": (7, "第十五条", "天"),
        "approve_days": (15, "第十六条", "个工作日"),
        "decide_days": (3, "第十八条", "个工作日"),
    },
}
_RULES = {"dibao": DIBAO_RULES, "extreme_poverty": EXTREME_RULES}

# our own per-step split and the former defaults (assumptions)
ASSUMED_STEP_DAYS = {"accept_days": 5, "verify_days": 10, "visit_days": 5, "review_days": 5, "post_days": 3,
                     "approve_days": 10, "decide_days": 3}
ASSUMED_TOTAL_DAYS = 30
ASSUMED_REREVIEW = {"rereview_months_able": 12, "rereview_months_stable": 24}

# the optional deadlines a program has only when its rules give them
OPTIONAL_FIELDS = ("survey_start_days", "street_opinion_days", "total_days", "extended_total_days")

SPOT_CHECK_PERCENT = 30  # 《特困人员认定办法》第十六条: 不少于30%
SPOT_CHECK_PROGRAMS = ("extreme_poverty",)


def official_values(program: str) -> dict[str, int]:
    return {field: value for field, (value, _, _) in _OFFICIAL.get(program, {}).items()}


def default_values(program: str) -> dict[str, int | None]:
    """Every timing field of ``program``: the national value where §15 gives
    one, else our assumption (or empty for an optional deadline)."""
    values: dict[str, int | None] = {"notice_days": 7, **ASSUMED_STEP_DAYS, **ASSUMED_REREVIEW,
                                     "survey_start_days": None, "street_opinion_days": None,
                                     "total_days": ASSUMED_TOTAL_DAYS, "extended_total_days": None}
    if program == "extreme_poverty":
        values["total_days"] = None  # the rules give each stage, not an overall limit
    values.update(official_values(program))
    return values


def citation(program: str, field: str, value: int | None) -> str:
    """「《最低生活保障审核确认办法》第二十条：10个工作日」 when ``value`` is the
    national rule's, else "" (our assumption or the bureau's own value)."""
    rule = _OFFICIAL.get(program, {}).get(field)
    if rule is None or value != rule[0]:
        return ""
    return f"{_RULES[program]}{rule[1]}：{value}{rule[2]}"


def is_official(program: str, field: str, value: int | None) -> bool:
    return bool(citation(program, field, value))


def rules_name(program: str) -> str:
    return _RULES.get(program, "")
