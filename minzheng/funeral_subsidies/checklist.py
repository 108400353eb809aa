"""The family's subsidies on a death record's checklist (一件事告知单, section
家属可申领的补贴; the deaths app's contributor port, ADR 0023/0027): what was
granted automatically (免申即享) and its state, what the family can still claim,
and what is missing and why — never a figure the sources do not give."""

from __future__ import annotations

import datetime as dt
from typing import Any

from minzheng.deaths.services import ChecklistItem
from minzheng.funeral_subsidies import selectors
from minzheng.funeral_subsidies.amounts import kind_value, missing_reason
from minzheng.funeral_subsidies.models import (
    Eligibility,
    Grant,
    GrantKind,
    GrantStatus,
    PaymentMethod,
)

SECTION = "家属可申领的补贴"


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}元"


def _grant_item(grant: Grant) -> ChecklistItem:
    label = grant.get_kind_display()
    if grant.status == GrantStatus.REFUSED:
        return ChecklistItem(SECTION, f"{label}：不予补贴", grant.status_reason, done=True)
    amount = _yuan(grant.amount_fen) if grant.amount_fen is not None else "金额待核定"
    if grant.status in (GrantStatus.DEDUCTED, GrantStatus.PAID):
        how = grant.get_payment_method_display()
        return ChecklistItem(SECTION, f"{label}：{grant.get_status_display()} {amount}", f"{how}（免申即享）",
                             done=True)
    detail = "；".join([*grant.reasons[:3], grant.status_reason] if grant.status_reason else grant.reasons[:3])
    if grant.eligibility == Eligibility.UNDETERMINED and grant.missing:
        detail = f"{detail}。需家属提供或街镇核实：{'、'.join(grant.missing)}"
    if grant.payment_method == PaymentMethod.FAMILY_ACCOUNT and grant.payee_id is None and grant.amount_fen:
        detail = f"{detail}。请家属确定收款人（须已登记代发账户）"
    return ChecklistItem(SECTION, f"{label}：{grant.get_status_display()}（{amount}）", detail)


def _basic_item(person: Any, death_date: dt.date) -> ChecklistItem | None:
    """The basic subsidy when no grant exists yet (e.g. refused at the death)."""
    from minzheng.funeral_subsidies.services import basic_subsidy_assess

    a = basic_subsidy_assess(person=person, id_number="", death_date=death_date) if person is not None else None
    if a is None:
        return ChecklistItem(SECTION, "基本殡葬服务补贴：待确认",
                             "逝者不在人口库，需街镇核实户籍和保障情况后确定；在本区殡仪馆办理的，结算时核定")
    if a.eligible is False:
        return ChecklistItem(SECTION, "基本殡葬服务补贴：不符合条件", "；".join(a.reasons), done=True)
    return None


def _burial_items(death_date: dt.date) -> list[ChecklistItem]:
    items = []
    family, boat = kind_value(GrantKind.SEA_FAMILY, death_date), kind_value(GrantKind.SEA_BOAT, death_date)
    if family is not None:
        extra = f"，另有{_yuan(boat.fen)}用于船舶及保险，与船舶单位结算" if boat is not None else ""
        items.append(ChecklistItem(SECTION, "选择海葬：海葬补贴",
                                   f"每具骨灰补贴家属{_yuan(family.fen)}{extra}；登记海葬后自动发放至家属账户（免申即享）"))
    for kind in (GrantKind.TREE, GrantKind.WALL, GrantKind.LAWN):
        value = kind_value(kind, death_date)
        label = GrantKind(kind).label
        if value is None:
            items.append(ChecklistItem(SECTION, f"选择{label[:-2]}：{label}", f"{missing_reason(kind)}；登记后待核定"))
        else:
            items.append(ChecklistItem(SECTION, f"选择{label[:-2]}：{label}", f"每具骨灰{_yuan(value.fen)}；登记后自动生成"))
    return items


def family_subsidies(record: Any) -> list[ChecklistItem]:
    """The contributor registered with the deaths app (``AppConfig.ready``)."""
    grants = list(selectors.grants_of_deceased(person=record.person, id_number_index=record.id_number_index)
                  if record.person_id else selectors.grants_of_deceased(id_number_index=record.id_number_index))
    items = [_grant_item(g) for g in grants]
    kinds = {g.kind for g in grants}
    if GrantKind.BASIC not in kinds:
        basic = _basic_item(record.person if record.person_id else None, record.death_date)
        if basic is not None:
            items.insert(0, basic)
    if not kinds & {GrantKind.SEA_FAMILY, GrantKind.TREE, GrantKind.WALL, GrantKind.LAWN}:
        items.extend(_burial_items(record.death_date))
    return items
