"""The decision letter of a registration matter (准予/不予登记决定书) and, for an
approved establishment, the registration certificate's facts, as a Chinese PDF; and the registration
certificate (登记证书) of an organization in business, with its registered facts
as the register holds them today
(core.pdf). The letter states the matter, the decision and its reasons, and
for a refusal the remedy (行政复议 within 60 days, 行政诉讼 within 6 months —
行政复议法 art. 20, 行政诉讼法 art. 46)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from minzheng.core import pdf
from minzheng.social_orgs.models import Matter, MatterStatus, Organization, OrgKind, OrgStatus
from policy.money import format_fen

# The certificate's name for each kind (社会团体登记管理条例 art. 12, 民办非企业单位登记管理暂行条例
# art. 12 — 社会服务机构 is the current name of 民办非企业单位 —, 基金会管理条例 art. 11)
CERTIFICATE_TITLES = {OrgKind.SOCIAL_GROUP: "社会团体法人登记证书",
                      OrgKind.SERVICE_INSTITUTION: "民办非企业单位（社会服务机构）登记证书",
                      OrgKind.FOUNDATION: "基金会法人登记证书"}


def matter_letter_pdf(matter: Matter) -> bytes:
    approved = matter.status == MatterStatus.APPROVED
    title = (f"社会组织{matter.get_kind_display()}{'准予' if approved else '不予'}决定书")
    flow: list[object] = [pdf.paragraph(title, "title"),
                          pdf.paragraph(f"松民社〔{matter.decided_on:%Y}〕第{matter.pk}号", "right"),
                          pdf.paragraph(f"{matter.name}：", "plain")]
    flow.append(pdf.paragraph(
        f"你（单位）于{matter.applied_on:%Y年%m月%d日}申请{matter.get_kind_display()}，本机关于"
        f"{matter.accepted_on:%Y年%m月%d日}受理。" if matter.accepted_on else
        f"你（单位）于{matter.applied_on:%Y年%m月%d日}申请{matter.get_kind_display()}。"))
    if matter.review_opinion:
        flow.append(pdf.paragraph(f"业务主管单位（行业管理部门）审查意见：{matter.review_opinion}"))
    if approved:
        flow.append(pdf.paragraph(f"经审查，决定准予{matter.get_kind_display()}。"
                                  + (f"理由：{matter.decision_reason}" if matter.decision_reason else "")))
        organization = matter.organization
        if organization is not None:
            flow.append(pdf.spacer())
            flow.append(pdf.table([["登记事项", "内容"], ["名称", organization.name],
                                   ["统一社会信用代码", organization.uscc], ["类型", organization.get_kind_display()],
                                   ["法定代表人", organization.legal_rep_name],
                                   ["业务主管单位（行业管理部门）", organization.supervisor],
                                   ["住所", organization.address], ["业务范围", organization.business_scope],
                                   ["成立登记日期", f"{organization.registered_on:%Y-%m-%d}"]]))
    else:
        flow.append(pdf.paragraph(f"经审查，决定不予{matter.get_kind_display()}。理由：{matter.decision_reason}"))
        flow.append(pdf.paragraph("如不服本决定，可以自收到本决定书之日起六十日内申请行政复议，或者六个月内"
                                  "向人民法院提起行政诉讼。"))
    flow += [pdf.spacer(8), pdf.paragraph("松江区民政局（社会组织登记管理机关）", "right"),
             pdf.paragraph(f"{matter.decided_on:%Y年%m月%d日}", "right")]
    return pdf.render(flow, title=title)


def certificate_pdf(organization: Organization) -> bytes:
    """The 登记证书 of an organization in business (正常): its registered facts
    today. Validity is not printed: no time limit is recorded for certificates
    (REFERENCE gives none), and a date we do not hold is not invented."""
    if organization.status != OrgStatus.NORMAL:
        raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不能出具登记证书")
    title = CERTIFICATE_TITLES[OrgKind(organization.kind)]
    capital = ("未录入" if organization.registered_capital_fen is None
               else f"{format_fen(organization.registered_capital_fen, grouping=True)}元")
    rows = [["名称", organization.name], ["统一社会信用代码", organization.uscc],
            ["住所", organization.address], ["法定代表人", organization.legal_rep_name],
            ["业务主管单位（行业管理部门）", organization.supervisor],
            ["注册资金" if organization.kind == OrgKind.SOCIAL_GROUP else "开办资金（原始基金）", capital],
            ["业务范围", organization.business_scope],
            ["成立登记日期", f"{organization.registered_on:%Y年%m月%d日}"]]
    flow: list[object] = [pdf.paragraph(title, "title"), pdf.spacer(), pdf.table(rows), pdf.spacer(8),
                          pdf.paragraph("登记管理机关：松江区民政局", "right")]
    return pdf.render(flow, title=title)
