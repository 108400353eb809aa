"""Decision letters (决定书): number, issuing authority and the Chinese PDF.

The PDF is rendered once when the decision is made and stored with the
letter (``DecisionLetter.file``), so the archive keeps what was issued.
"""

from __future__ import annotations

import datetime as dt

from minzheng.casework.models import (
    Application,
    ApprovalLevel,
    DecisionLetter,
    Outcome,
    ProgramSetting,
)
from minzheng.core.models import DivisionKind
from minzheng.core.pdf import paragraph, render, spacer, table
from policy.money import format_fen

DISTRICT_ISSUER = "上海市松江区民政局"
REMEDIES = ("如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
            "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。")


def issuer_for(application: Application, setting: ProgramSetting) -> str:
    if setting.approval_level == ApprovalLevel.DISTRICT:
        return DISTRICT_ISSUER
    street = application.street
    return f"{street.name}办事处" if street.kind == DivisionKind.SUBDISTRICT else f"{street.name}人民政府"


def letter_number(issued_on: dt.date) -> str:
    """松民救决〔2026〕0001号: a yearly sequence (format is our assumption)."""
    prefix = f"松民救决〔{issued_on.year}〕"
    count = DecisionLetter.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}号"


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_fen(fen, grouping=True)


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def letter_pdf(*, application: Application, number: str, outcome: str, reasons: str, issuer: str,
               issued_on: dt.date, monthly_amount_fen: int | None, start_month: str) -> bytes:
    """Render the letter addressed to the applicant (full name, masked ID number)."""
    program = application.get_program_display()
    applicant = application.applicant
    title = f"{program}{'批准' if outcome == Outcome.APPROVE else '不予批准'}决定书"
    flow = [
        paragraph(title, "title"),
        paragraph(number, "right"),
        paragraph(f"{applicant.name}（身份证号 {applicant.id_number_masked}）：", "plain"),
        spacer(2),
        paragraph(
            f"你（户）于{_day(application.applied_on)}提出的{program}申请（案号 {application.number}），"
            f"经{application.committee.name}入户调查、{application.street.name}审核"
            f"{'并公示' if hasattr(application, 'notice') else ''}，本机关依法审查，决定如下："),
    ]
    if outcome == Outcome.APPROVE:
        year, month = start_month.split("-")
        flow.append(paragraph(
            f"批准你（户）享受{program}，自{year}年{int(month)}月起按月发放，每月{_yuan(monthly_amount_fen)}元。"
            "保障期间家庭人口、收入和财产状况发生变化的，应当及时告知居（村）民委员会或街镇社区事务受理服务中心。"))
    else:
        flow.append(paragraph(f"不予批准你（户）的{program}申请。"))
    flow += [
        paragraph(f"理由：{reasons}"),
        paragraph(REMEDIES),
        spacer(6),
        table([["申请人", "家庭住址", "申请日期", "决定日期"],
               [applicant.name, application.household.address, _day(application.applied_on), _day(issued_on)]]),
        spacer(10),
        paragraph(issuer, "right"),
        paragraph(_day(issued_on), "right"),
    ]
    return render(flow, title=title)
