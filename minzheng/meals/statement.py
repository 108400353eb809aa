"""The Excel statement of a canteen's monthly settlement (助餐补贴结算单),
through the one export layer (``core.spreadsheets``): Chinese headers, ID
numbers masked, money in yuan with two decimals from fen."""

from __future__ import annotations

import io

from minzheng.core.months import month_label
from minzheng.core.spreadsheets import sheet_append
from minzheng.meals.models import MealKind, MealSlot, Settlement, Tier
from minzheng.meals.selectors import settlement_records

HEADERS = ("序号", "用餐日期", "姓名", "身份证号（脱敏）", "餐次", "用餐方式", "享受补贴", "补贴档次", "补贴（元）",
           "不予补贴原因")


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def statement_xlsx(settlement: Settlement) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = book.create_sheet("结算汇总")
    s = settlement
    for row in (
        ("助餐点", s.canteen.name), ("结算月份", month_label(s.month)), ("状态", s.get_status_display()),
        ("用餐人次", s.meals), ("补贴人次", s.subsidised_meals), ("本月补贴（元）", yuan(s.subsidy_fen)),
        ("以前月份补报人次", s.adjustment_meals), ("以前月份补报补贴（元）", yuan(s.adjustment_fen)),
        ("应拨付合计（元）", yuan(s.total_fen)), ("结算人", s.prepared_by), ("审批人", s.approved_by or "未审批"),
    ):
        sheet_append(summary, row)
    sheet_append(summary, ())
    sheet_append(summary, ("以前月份补报", "人次", "补贴人次", "补贴（元）"))
    for line in s.adjustments:
        sheet_append(summary, (month_label(line["month"]), line["meals"], line["subsidised"], yuan(line["fen"])))
    sheet_append(summary, ())
    sheet_append(summary, ("不予补贴情况", "人次"))
    for reason, n in sorted(s.anomalies.items()):
        sheet_append(summary, (reason, n))
    sheet_append(summary, ())
    sheet_append(summary, ("补贴标准依据：REFERENCE § 10（松江区，约2024年12月起，二手来源，此参数尚未核实）",))
    detail = book.create_sheet("用餐明细")
    sheet_append(detail, HEADERS)
    slots, kinds, tiers = dict(MealSlot.choices), dict(MealKind.choices), dict(Tier.choices)
    for i, r in enumerate(settlement_records(settlement).iterator(chunk_size=5000), start=1):
        sheet_append(detail, (i, r.day.isoformat(), r.person.name, r.person.id_number_masked, slots[r.slot],
                              kinds[r.kind], "是" if r.subsidised else "否", tiers.get(r.tier, "不适用"),
                              yuan(r.subsidy_fen), r.reason))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
