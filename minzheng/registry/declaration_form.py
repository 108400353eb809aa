"""The household declaration form (申报收入和财产): one row of income inputs per
current member and the household's assets, read into fen and counts.

Hand-written Bootstrap markup (the inputs depend on the members), so this
module gives the template each input with its value and its own error,
shown inline under the input (ADR 0012: errors stay next to what they are about).
A blank field is an error — a household declares 0, it does not leave it out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from minzheng.core.bounds import day_check
from minzheng.registry import selectors
from policy.money import parse_yuan

INCOME_KINDS = (("earned", "劳动收入"), ("pension", "养老金"), ("other", "其他收入"))
ASSET_FIELDS = (("monetary_assets", "货币财产（元）", True), ("securities", "证券（元）", True),
                ("private_cars", "机动车辆（辆）", False), ("homes", "住房（套）", False),
                ("medical_oop_12m", "近12个月自负医疗费（元）", True))


def read(post: Any, members: list) -> tuple[dict, dict, dict[str, str]]:
    """The amounts in fen (``policy.money.parse_yuan``) and counts, with the
    problems by input name ("孙小其他收入：请填写（没有请填0）")."""
    problems: dict[str, str] = {}

    def amount(name: str, label: str) -> int:
        raw = post.get(name, "").strip()
        if not raw:
            problems[name] = f"{label}：请填写（没有请填0）"
            return 0
        try:
            return parse_yuan(raw, thousands=True)
        except ValueError as err:
            problems[name] = f"{label}：{err}"
            return 0

    def count(name: str, label: str) -> int:
        raw = post.get(name, "").strip()
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
            problems[name] = f"{label}：应为0至999的整数"
            return 0
        return int(raw)

    incomes = {m.person_id: {f"{kind}_fen": amount(f"{kind}_{m.person_id}", f"{m.person.name}{label}")
                             for kind, label in INCOME_KINDS} for m in members}
    assets = {f"{name}_fen" if money else name: (amount if money else count)(name, label)
              for name, label, money in ASSET_FIELDS}
    return incomes, assets, problems


def read_date(post: Any, problems: dict[str, str]) -> dt.date | None:
    try:
        return day_check(dt.date.fromisoformat(post.get("valid_from", "")), "起始日期")
    except ValueError:
        problems["valid_from"] = "起始日期：请选择日期"
    except ValidationError as err:
        problems["valid_from"] = "；".join(err.messages)
    return None


def member_rows(members: list, post: Any, problems: dict[str, str], today: dt.date) -> list[tuple]:
    """(membership, income in force, [(input name, label, value, error)]) per member."""
    return [(m, selectors.income_in_force(m.person, today),
             [(f"{kind}_{m.person_id}", label, post.get(f"{kind}_{m.person_id}", ""),
               problems.get(f"{kind}_{m.person_id}", "")) for kind, label in INCOME_KINDS])
            for m in members]


def asset_inputs(post: Any, problems: dict[str, str]) -> list[tuple[str, str, str, str]]:
    return [(name, label, post.get(name, ""), problems.get(name, "")) for name, label, _ in ASSET_FIELDS]
