"""The family checklist (一件事告知单) of a death record (ADR 0023).

Three sections:

* 已停发的待遇 — from the record's consequences summary (what the report
  stopped: enrolments, overpayment cases, payment holds …). Shown only to
  roles with ``deaths.benefits_view``; the funeral home sees a line saying the
  street window tells the family.
* 家属可申领的补贴 — from the contributors other apps register in their
  ``AppConfig.ready`` (``services.checklist_contributor_register``); with none
  registered the section says so, it never invents an item.
* 需办理的证件和手续 — a short static list from the bureau's guide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minzheng.deaths.models import DeathRecord

SECTION_STOPPED = "已停发的待遇"
SECTION_SUBSIDIES = "家属可申领的补贴"
SECTION_DOCUMENTS = "需办理的证件和手续"
SECTIONS = (SECTION_STOPPED, SECTION_SUBSIDIES, SECTION_DOCUMENTS)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the family checklist. ``section`` is one of :data:`SECTIONS`
    (a contributor's items go to 家属可申领的补贴 unless they name another)."""

    section: str
    title: str
    detail: str = ""
    done: bool = False


Contributor = Callable[[DeathRecord], list[ChecklistItem]]
_CONTRIBUTORS: list[Contributor] = []


def contributor_register(contributor: Contributor) -> None:
    if contributor not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(contributor)


def contributors() -> list[Contributor]:
    return list(_CONTRIBUTORS)


# The documents and formalities the family sees to, as the bureau's guide lists them.
DOCUMENTS = (
    ChecklistItem(SECTION_DOCUMENTS, "死亡医学证明", "在医疗机构死亡的由医疗机构出具；在家中或其他场所死亡的由社区卫生服务中心等按规定出具"),
    ChecklistItem(SECTION_DOCUMENTS, "火化证明", "遗体火化后由殡仪馆出具"),
    ChecklistItem(SECTION_DOCUMENTS, "户口注销", "持死亡医学证明、死者户口簿和居民身份证到户籍所在地公安派出所办理"),
    ChecklistItem(SECTION_DOCUMENTS, "社会保险、医疗保险停保", "到社会保险经办机构、医疗保障经办机构办理停保和丧葬待遇手续"),
)


def _money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}元"


def stopped_items(consequences: dict[str, Any]) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for row in consequences.get("stopped", []):
        items.append(ChecklistItem(SECTION_STOPPED, f"{row['program']}：已停发",
                                   f"自{row['from_month_label']}起停止发放", done=True))
    for row in consequences.get("flagged", []):
        items.append(ChecklistItem(SECTION_STOPPED, f"{row['program']}：家庭保障继续",
                                   "家庭其他成员的保障继续，需重新核定保障金额（已标记待复核）", done=True))
    for row in consequences.get("overpayments", []):
        items.append(ChecklistItem(SECTION_STOPPED, f"{row['program']}：死亡后已发放的月份需退回",
                                   f"{'、'.join(row['month_labels'])}，共{_money(row['amount_fen'])}（已立案追缴）"))
    for row in consequences.get("widowed", []):
        items.append(ChecklistItem(SECTION_STOPPED, "配偶婚姻状况已登记为丧偶", row.get("detail", ""), done=True))
    for row in consequences.get("other", []):
        amount = row.get("amount_fen")
        detail = f"{row['count']} 项" + (f"，金额{_money(amount)}" if isinstance(amount, int) else "")
        items.append(ChecklistItem(SECTION_STOPPED, row["label"], detail, done=True))
    return items


def checklist(record: DeathRecord, *, benefits_visible: bool = True) -> dict[str, list[ChecklistItem]]:
    """The checklist by section (see the module docstring)."""
    sections: dict[str, list[ChecklistItem]] = {name: [] for name in SECTIONS}
    if benefits_visible:
        sections[SECTION_STOPPED] = stopped_items(record.consequences or {})
    for contributor in _CONTRIBUTORS:
        for item in contributor(record):
            sections.setdefault(item.section if item.section in sections else SECTION_SUBSIDIES, []).append(item)
    sections[SECTION_DOCUMENTS] = list(DOCUMENTS)
    return sections
