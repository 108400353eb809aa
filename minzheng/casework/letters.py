"""Decision letters (决定书): number, issuing authority and the Chinese PDF.

Three kinds, each rendered once by the service that decides and stored with
the letter (``DecisionLetter.file``), so the archive keeps what was issued:

* 批准决定书 / 确认决定书 (``application_decide``, approval);
* 不予批准决定书 / 不予确认决定书 with the reasons (``application_decide``,
  refusal): notified in writing with reasons within 3 working days of the
  decision (《最低生活保障审核确认办法》第二十一条; 《特困人员认定办法》第十八条,
  REFERENCE §15) — the decide step's deadline (``decide_days``);
* 不予受理通知书 with the reasons and the remedies (``application_reject``),
  issued by the street on the day it refuses to accept.

Extreme poverty is "confirmed" (认定/确认), the others "approved" (批准).
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


# programs whose decision is a confirmation (认定) rather than an approval
CONFIRMED_PROGRAMS = ("extreme_poverty",)


def decision_words(program: str) -> tuple[str, str]:
    """("批准", "不予批准"), or ("确认", "不予确认") for extreme poverty."""
    return ("确认", "不予确认") if program in CONFIRMED_PROGRAMS else ("批准", "不予批准")


def street_issuer(application: Application) -> str:
    street = application.street
    return f"{street.name}办事处" if street.kind == DivisionKind.SUBDISTRICT else f"{street.name}人民政府"


def issuer_for(application: Application, setting: ProgramSetting) -> str:
    if setting.approval_level == ApprovalLevel.DISTRICT:
        return DISTRICT_ISSUER
    return street_issuer(application)


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
    if outcome == Outcome.REJECT:
        return reject_pdf(application=application, number=number, reasons=reasons, issuer=issuer,
                          issued_on=issued_on)
    grant, refuse = decision_words(application.program)
    title = f"{program}{grant if outcome == Outcome.APPROVE else refuse}决定书"
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
            f"{grant}你（户）享受{program}，自{year}年{int(month)}月起按月发放，每月{_yuan(monthly_amount_fen)}元。"
            "保障期间家庭人口、收入和财产状况发生变化的，应当及时告知居（村）民委员会或街镇社区事务受理服务中心。"))
    else:
        flow.append(paragraph(f"{refuse}你（户）的{program}申请。"))
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


def reject_pdf(*, application: Application, number: str, reasons: str, issuer: str, issued_on: dt.date) -> bytes:
    """不予受理通知书: the application is not accepted, why, and the remedies."""
    program = application.get_program_display()
    applicant = application.applicant
    title = f"{program}申请不予受理通知书"
    flow = [
        paragraph(title, "title"),
        paragraph(number, "right"),
        paragraph(f"{applicant.name}（身份证号 {applicant.id_number_masked}）：", "plain"),
        spacer(2),
        paragraph(f"你（户）于{_day(application.applied_on)}提出的{program}申请（案号 {application.number}），"
                  "经审查，本机关决定不予受理。"),
        paragraph(f"理由：{reasons}"),
        paragraph("申请材料补齐或情况发生变化、符合申请条件的，可以重新提出申请。"),
        paragraph(REMEDIES.replace("本决定书", "本通知书")),
        spacer(6),
        table([["申请人", "家庭住址", "申请日期", "通知日期"],
               [applicant.name, application.household.address, _day(application.applied_on), _day(issued_on)]]),
        spacer(10),
        paragraph(issuer, "right"),
        paragraph(_day(issued_on), "right"),
    ]
    return render(flow, title=title)
