"""The year's figures as an Excel workbook (one sheet per table of the page, the
same :func:`selectors.year_figures`, so page, workbook and API cannot disagree).
Cells go through ``core.spreadsheets.sheet_append`` (formula injection neutralised)."""

from __future__ import annotations

import io

from minzheng.homeless_rescue.selectors import YearFigures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figures_workbook(f: YearFigures) -> bytes:
    from openpyxl import Workbook

    from minzheng.core.spreadsheets import sheet_append

    book = Workbook()
    sheet = book.active
    sheet.title = "按月按街镇"
    sheet_append(sheet, [f"松江区{f.year}年流浪乞讨人员救助人次（按发现月份和街镇）"])
    sheet_append(sheet, ["街镇", *[f"{m}月" for m in f.months], "合计"])
    for street in f.streets:
        row = f.by_street_month.get(street.code, [0] * 12)
        sheet_append(sheet, [street.name, *row, sum(row)])
    sheet_append(sheet, ["合计", *f.by_month, f.total])
    if f.reported is not None:
        sheet_append(sheet, [])
        sheet_append(sheet, ["年度报告数", f.reported.rescues, f.reported.source])
    summary = book.create_sheet("概况")
    sheet_append(summary, ["指标", "数值"])
    for label, value in (("救助人次", f.total), ("受助人数", f.persons), ("多次受助人数", f.repeat_persons),
                         ("身份待查人数", f.unidentified), ("专项行动期间救助人次", f.in_campaigns),
                         ("护送返乡（情暖归途）人次", f.returned_home)):
        sheet_append(summary, [label, value])
    sheet_append(summary, [])
    sheet_append(summary, ["救助结果", "人次"])
    for label, n in f.outcomes:
        sheet_append(summary, [label, n])
    sheet_append(summary, [])
    sheet_append(summary, ["发现来源", "人次"])
    for label, n in f.finders:
        sheet_append(summary, [label, n])
    sheet_append(summary, [])
    sheet_append(summary, ["救助服务", "数量", "单位"])
    for label, unit, n in f.services:
        sheet_append(summary, [label, n, unit])
    campaigns = book.create_sheet("专项行动")
    sheet_append(campaigns, ["行动", "类型", "触发预警", "开始日期", "结束日期", "巡查班次", "发现人数",
                             "拒绝救助人数", "救助人次", "护送返乡人次"])
    for c in f.campaigns:
        sheet_append(campaigns, [c.campaign.name, c.campaign.get_kind_display(), str(c.campaign.warning),
                                 c.campaign.starts_on.isoformat(),
                                 c.campaign.ends_on.isoformat() if c.campaign.ends_on else "进行中", c.shifts,
                                 "未登记" if c.people_met is None else c.people_met,
                                 "未登记" if c.people_refused is None else c.people_refused, c.rescues,
                                 c.returned_home])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
