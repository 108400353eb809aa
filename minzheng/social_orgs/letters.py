"""The decision letter of a registration matter (准予/不予登记决定书) and, for an
approved establishment, the registration certificate's facts, as a Chinese PDF
(core.pdf). The letter states the matter, the decision and its reasons, and
for a refusal the remedy (行政复议 within 60 days, 行政诉讼 within 6 months —
行政复议法 art. 20, 行政诉讼法 art. 46)."""

from __future__ import annotations

from minzheng.core import pdf
from minzheng.social_orgs.models import Matter, MatterStatus


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
