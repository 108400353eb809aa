"""Public notice (公示) lists per committee: web rows and a printable PDF.

Names and ID numbers are masked (张*明, 310117***********4): the list is
posted in public. The notice period is in calendar days (SPEC A.4: 7 days),
both ends inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm

from minzheng.casework.models import Notice
from minzheng.core.models import Division
from minzheng.core.pdf import paragraph, render, spacer, table
from minzheng.core.personal_data import mask_name
from policy.money import format_fen


@dataclass(frozen=True)
class NoticeRow:
    notice_id: int
    application_id: int
    name: str
    id_number: str
    program: str
    household_size: int
    proposed_amount_fen: int | None
    starts_on: dt.date
    ends_on: dt.date
    objections: int


def notice_rows(notices) -> list[NoticeRow]:
    """Masked rows for ``notices`` (a queryset with application/applicant loaded)."""
    return [
        NoticeRow(
            notice_id=n.pk, application_id=n.application_id, name=mask_name(n.application.applicant.name),
            id_number=n.application.applicant.id_number_masked, program=n.application.get_program_display(),
            household_size=n.household_size, proposed_amount_fen=n.proposed_amount_fen,
            starts_on=n.starts_on, ends_on=n.ends_on, objections=getattr(n, "objection_count", 0),
        )
        for n in notices
    ]


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_fen(fen, grouping=True)


# Column widths (mm, 170 in all): a masked ID number and a four-character name
# each fit on one line (they were broken mid-string in equal columns).
NOTICE_WIDTHS_MM = (10, 20, 38, 34, 13, 25, 30)


def notice_pdf(*, committee: Division, street: Division, rows: list[NoticeRow], on: dt.date) -> bytes:
    title = f"{committee.name}社会救助拟保障对象公示"
    header = ["序号", "姓名", "身份证号", "救助项目", "家庭人口", "拟保障金额（元/月）", "公示期"]
    body = [[str(i), r.name, r.id_number, r.program, str(r.household_size), _yuan(r.proposed_amount_fen),
             f"{_day(r.starts_on)}至{_day(r.ends_on)}"] for i, r in enumerate(rows, 1)]
    flow = [
        paragraph(title, "title"),
        paragraph(
            "根据社会救助有关规定，经居（村）民委员会入户调查、街镇审核，现将下列拟保障对象予以公示。"
            "公示期内，如对公示对象有异议，可向本居（村）民委员会或街镇社区事务受理服务中心实名或匿名反映。"),
        spacer(3),
        table([header, *body] if body else [header, ["", "（无公示对象）", "", "", "", "", ""]],
              widths=[w * mm for w in NOTICE_WIDTHS_MM]),
        spacer(8),
        paragraph(f"{street.name} · {committee.name}", "right"),
        paragraph(_day(on), "right"),
    ]
    return render(flow, title=title)


def notices_current(queryset, on: dt.date):
    """Notices running on ``on`` (posted and not yet ended)."""
    return queryset.filter(starts_on__lte=on, ends_on__gte=on)


__all__ = ["Notice", "NoticeRow", "notice_pdf", "notice_rows", "notices_current"]
