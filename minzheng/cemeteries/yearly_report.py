"""The yearly inspection report (公墓年检年度报告, ADR 0025): per cemetery in the
user's scope, the outcome of that year's inspection on the report day, the
findings, rectifications verified/overdue, capacity/sold/used and the
节地生态 share — as a page, an Excel workbook (core.spreadsheets) and a
Chinese PDF (core.pdf). One service for the three, so they cannot disagree.

A cemetery in operation without an inspection that year is listed as 未检查;
a planned one (规划中) as 不参加年检. A share of nothing is 无 (not 0%); a cemetery with no section
recorded has unknown counts (未登记), not zero.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from minzheng.cemeteries.models import Cemetery, CemeteryKind, CemeteryStatus, Inspection
from minzheng.cemeteries.outcome import InspectionSummary, inspection_summary
from minzheng.cemeteries.selectors import Counts, cemeteries, counts_by_cemetery, counts_total
from minzheng.core.models import User
from minzheng.core.permissions import require

NOT_INSPECTED = "未检查"
NOT_DUE = "不参加年检（规划中）"
NO_SHARE = "无"
NOT_RECORDED = "未登记"


@dataclass(frozen=True)
class ReportRow:
    cemetery: Cemetery
    inspection: Inspection | None
    summary: InspectionSummary | None
    counts: Counts | None  # None: no section recorded

    @property
    def outcome_text(self) -> str:
        if self.summary is not None:
            return self.summary.outcome_label
        return NOT_DUE if self.cemetery.status == CemeteryStatus.PLANNED else NOT_INSPECTED


@dataclass(frozen=True)
class YearlyReport:
    year: int
    today: dt.date
    rows: list[ReportRow]
    total: Counts

    @property
    def title(self) -> str:
        return f"松江区{self.year}年度公墓和骨灰堂年检报告"

    def outcome_counts(self) -> list[tuple[str, int]]:
        tally: dict[str, int] = {}
        for row in self.rows:
            tally[row.outcome_text] = tally.get(row.outcome_text, 0) + 1
        return sorted(tally.items(), key=lambda kv: -kv[1])


def yearly_report(user: User, year: int, today: dt.date) -> YearlyReport:
    require(user, "cemeteries.report")
    sites = list(cemeteries(user).order_by("street_id", "name"))
    counts = counts_by_cemetery([s.pk for s in sites])
    found = {i.cemetery_id: i for i in Inspection.objects.filter(cemetery__in=sites, year=year)
             .select_related("checklist").prefetch_related("results", "rectifications", "checklist__items")}
    rows = []
    for site in sites:
        inspection = found.get(site.pk)
        rows.append(ReportRow(site, inspection, inspection_summary(inspection, today) if inspection else None,
                              counts.get(site.pk)))
    return YearlyReport(year, today, rows, counts_total(r.counts for r in rows if r.counts is not None))


HEADERS = ["公墓（骨灰堂）", "类型", "所在街镇", "状态", "检查日期", "年检结论", "不符合项", "整改项", "已验证",
           "逾期", "容量", "已售", "已安葬", "节地生态占已售（%）", "节地生态占容量（%）"]


def _share(value) -> object:
    return NO_SHARE if value is None else float(value)


def report_cells(row: ReportRow) -> list[object]:
    s = row.summary
    site = row.cemetery
    return [site.name, CemeteryKind(site.kind).label, site.street.name, CemeteryStatus(site.status).label,
            row.inspection.inspected_on.isoformat() if row.inspection else "—", row.outcome_text,
            s.failed if s else "—", s.rectifications if s else "—", s.verified if s else "—",
            s.overdue if s else "—", *_count_cells(row.counts)]


def _count_cells(c: Counts | None) -> list[object]:
    if c is None:
        return [NOT_RECORDED] * 5
    return [c.capacity, c.sold, c.used, _share(c.eco_share_sold), _share(c.eco_share_capacity)]


def report_workbook(report: YearlyReport) -> bytes:
    from openpyxl import Workbook

    from minzheng.core.spreadsheets import sheet_append

    book = Workbook(write_only=True)
    sheet = book.create_sheet("公墓年检")
    sheet_append(sheet, [report.title])
    sheet_append(sheet, [f"年检结论按{report.today.isoformat()}的整改情况认定"])
    sheet_append(sheet, HEADERS)
    for row in report.rows:
        sheet_append(sheet, report_cells(row))
    t = report.total
    sheet_append(sheet, ["合计", "", "", "", "", "", "", "", "", "", t.capacity, t.sold, t.used,
                         _share(t.eco_share_sold), _share(t.eco_share_capacity)])
    sheet_append(sheet, [])
    sheet_append(sheet, ["说明", "合格：每个适用检查项均符合，或全部整改已验证；限期整改：有不符合项且整改未全部验证、"
                                 "没有逾期；不合格：有整改逾期（超过整改期限仍未验证）。"])
    sheet_append(sheet, ["", "节地生态葬式：壁葬、树葬、草坪葬、花坛葬、骨灰堂格位；没有已售（或容量）时占比为“无”。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(report: YearlyReport) -> bytes:
    from reportlab.lib.units import mm

    from minzheng.core import pdf

    def cell(value: object) -> str:
        return f"{value}%" if isinstance(value, float) else str(value)

    summary = "、".join(f"{label}{n}个" for label, n in report.outcome_counts()) or "无"
    rows = [["公墓（骨灰堂）", "类型", "街镇", "年检结论", "不符合", "已验证", "逾期", "容量/已售/已安葬", "节地生态占已售"]]
    for row in report.rows:
        c = report_cells(row)
        rows.append([c[0], c[1], c[2], c[5], c[6], c[8], c[9], f"{c[10]}/{c[11]}/{c[12]}", cell(c[13])])
    t = report.total
    rows.append(["合计", "", "", "", "", "", "", f"{t.capacity}/{t.sold}/{t.used}", cell(_share(t.eco_share_sold))])
    flow = [
        pdf.paragraph(report.title, "title"),
        pdf.paragraph(f"共{len(report.rows)}个公墓和骨灰堂：{summary}。年检结论按{report.today.year}年"
                      f"{report.today.month}月{report.today.day}日的整改情况认定。"),
        pdf.spacer(),
        pdf.table(rows, widths=[38 * mm, 20 * mm, 16 * mm, 18 * mm, 12 * mm, 12 * mm, 10 * mm, 24 * mm, 18 * mm]),
        pdf.spacer(),
        pdf.paragraph("合格：每个适用检查项均符合，或全部整改已验证；限期整改：有不符合项且整改未全部验证、没有逾期；"
                      "不合格：有整改逾期。节地生态葬式：壁葬、树葬、草坪葬、花坛葬、骨灰堂格位。", "small"),
    ]
    return pdf.render(flow, title=report.title)
