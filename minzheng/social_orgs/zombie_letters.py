"""The clean-up case's documents as Chinese PDFs (core.pdf, ADR 0042):

* 限期整改通知书 — the situations found with their evidence (民发〔2021〕63号), the
  requirements and the deadline; if not rectified by then, the registration may be revoked;
* 撤销登记公告 — the public notice of the revocation (name, code, legal representative,
  the reason and date), with the remedies (行政复议 within 60 days, 行政诉讼 within 6 months —
  行政复议法 art. 20, 行政诉讼法 art. 46).
"""

from __future__ import annotations

from minzheng.core import pdf
from minzheng.social_orgs.models import ZombieCase

BUREAU = "松江区民政局（社会组织登记管理机关）"


def notice_pdf(case: ZombieCase) -> bytes:
    org = case.organization
    title = "限期整改通知书"
    flow: list[object] = [pdf.paragraph(title, "title"), pdf.paragraph(case.notice_number, "right"),
                          pdf.paragraph(f"{org.name}（统一社会信用代码：{org.uscc}）：", "plain"),
                          pdf.paragraph("经核查，你单位存在民发〔2021〕63号文件所列“僵尸型”社会组织的以下情形：")]
    flow.append(pdf.table([["情形", "依据"], *[[e.get("label", ""), e.get("evidence", "")] for e in case.evidence]]))
    flow += [pdf.spacer(), pdf.paragraph(f"整改要求：{case.notice_requirements}"),
             pdf.paragraph(f"请于{case.deadline:%Y年%m月%d日}前完成整改，并向本机关报送整改情况。逾期未整改的，"
                           "本机关将依法撤销登记并向社会公告。"),
             pdf.spacer(8), pdf.paragraph(BUREAU, "right"), pdf.paragraph(f"{case.notice_on:%Y年%m月%d日}", "right")]
    return pdf.render(flow, title=title)


def announcement_pdf(case: ZombieCase) -> bytes:
    org = case.organization
    title = "撤销登记公告"
    flow: list[object] = [pdf.paragraph(title, "title"),
                          pdf.paragraph(f"松民社撤〔{case.revoked_on:%Y}〕第{case.pk}号", "right"),
                          pdf.paragraph(f"{org.name}经本机关于{case.notice_on:%Y年%m月%d日}书面通知限期整改"
                                        f"（{case.notice_number}），至整改期限{case.deadline:%Y年%m月%d日}届满未整改。"
                                        f"本机关决定于{case.revoked_on:%Y年%m月%d日}撤销其登记。理由：{case.revoke_reason}。"),
                          pdf.table([["登记事项", "内容"], ["名称", org.name], ["统一社会信用代码", org.uscc],
                                     ["类型", org.get_kind_display()], ["法定代表人", org.legal_rep_name],
                                     ["住所", org.address], ["成立登记日期", f"{org.registered_on:%Y-%m-%d}"]]),
                          pdf.spacer(),
                          pdf.paragraph("自撤销登记之日起，该组织不得再以社会组织名义开展活动。如不服本决定，可以自知道"
                                        "该决定之日起六十日内申请行政复议，或者六个月内向人民法院提起行政诉讼。"),
                          pdf.paragraph("特此公告。"), pdf.spacer(8), pdf.paragraph(BUREAU, "right"),
                          pdf.paragraph(f"{case.revoked_on:%Y年%m月%d日}", "right")]
    return pdf.render(flow, title=title)
