"""The family checklist (一件事告知单) as a Chinese PDF (``core.pdf``): the
deceased by name and masked ID number, the death date, then the three sections
of :mod:`minzheng.deaths.checklist`. Printed at the window and handed to the family."""

from __future__ import annotations

from minzheng.core.pdf import paragraph, render, spacer, table
from minzheng.core.templatetags.minzheng_format import cn_date
from minzheng.deaths.checklist import SECTION_STOPPED, SECTION_SUBSIDIES, ChecklistItem
from minzheng.deaths.models import DeathRecord

EMPTY = {
    SECTION_STOPPED: "无因本次死亡登记停发的社会救助待遇。",
    SECTION_SUBSIDIES: "暂无可列出的补贴项目，请向街镇社区事务受理服务中心咨询。",
}
HIDDEN_BENEFITS = "已停发的待遇由死者居住地街镇社区事务受理服务中心告知家属。"


def checklist_pdf(record: DeathRecord, sections: dict[str, list[ChecklistItem]], *, benefits_visible: bool,
                  sources: list[str]) -> bytes:
    flow = [
        paragraph("公民身故“一件事”告知单", "title"),
        paragraph(f"死者：{record.name}　身份证号：{record.id_number_masked}", "plain"),
        paragraph(f"死亡日期：{cn_date(record.death_date)}　信息来源：{'、'.join(sources)}", "plain"),
        spacer(3),
    ]
    for number, (section, items) in enumerate(sections.items(), start=1):
        flow.append(paragraph(f"{'一二三'[number - 1]}、{section}", "heading"))
        if section == SECTION_STOPPED and not benefits_visible:
            flow.append(paragraph(HIDDEN_BENEFITS, "plain"))
            continue
        if not items:
            flow.append(paragraph(EMPTY.get(section, "无"), "plain"))
            continue
        flow.append(table([["事项", "说明", "状态"]]
                          + [[item.title, item.detail, "已办理" if item.done else "待办理"] for item in items]))
    flow += [spacer(6), paragraph("本告知单由松江区民政局公民身故“一件事”平台生成。", "small")]
    return render(flow, title=f"身故一件事告知单 {record.name}")
