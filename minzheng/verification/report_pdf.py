"""The verification report (居民家庭经济状况核对报告) as a Chinese PDF, built
with ``minzheng.core.pdf``. ID numbers appear masked; every figure names the
department records (source, file, row) it came from."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm

from minzheng.core import pdf
from minzheng.core.selectors import staff_signature
from minzheng.feeds.selectors import sources
from minzheng.registry.selectors import household_members
from minzheng.verification.models import VerificationResult
from policy.money import format_fen


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_report(result: VerificationResult) -> bytes:
    request = result.request
    household = request.household
    names = {code: s.name for code, s in sources().items()}
    story = [
        pdf.paragraph("居民家庭经济状况核对报告", "title"),
        pdf.paragraph(f"核对编号：{request.reference}　　出具日期：{_cn(timezone.localdate())}", "right"),
        pdf.paragraph("一、核对委托", "heading"),
        pdf.paragraph(
            f"核对用途：{request.get_purpose_display()}。委托单位：{request.street.name}{request.committee.name}。"
            f"家庭住址：{household.address}。核对日期：{_cn(result.as_of)}；收入计算期间："
            f"{_cn(result.window_start)}至{_cn(result.window_end)}（12个月）。", "plain"),
    ]
    signers = "、".join(f"{a.signed_by.name}（{_cn(a.signed_on)}签署）" for a in request.authorisations.select_related("signed_by"))
    story.append(pdf.paragraph(f"授权情况：{signers or '无'}。授权书扫描件已存档。", "plain"))
    story.append(pdf.paragraph("二、家庭成员", "heading"))
    rows = [["姓名", "身份证号码", "与户主关系", "月均收入（元）"]]
    incomes = {f.person_id: f.amount_fen for f in result.figures.filter(kind="income")}
    for m in household_members(household):
        rows.append([m.person.name, m.person.id_number_masked, m.get_relation_display(), format_fen(incomes.get(m.person_id, 0), grouping=True)])
    story.append(pdf.table(rows, widths=[30 * mm, 50 * mm, 35 * mm, 45 * mm]))
    story.append(pdf.paragraph("三、收入和财产数据及来源", "heading"))
    figure_rows = [["项目", "金额（元）/数量", "来源记录"]]
    for figure in result.figures.prefetch_related("records__file"):
        records = list(figure.records.all())
        cited = "；".join(f"{names.get(r.source, r.source)} {r.file.filename} 第{r.row_number}行" for r in records[:12])
        if len(records) > 12:
            cited += f" 等共{len(records)}条"
        amount = format_fen(figure.amount_fen, grouping=True) if figure.kind != "vehicle" else f"{figure.count}辆"
        figure_rows.append([figure.label, amount, cited or "无记录"])
    story.append(pdf.table(figure_rows, widths=[70 * mm, 30 * mm, 70 * mm]))
    story.append(pdf.paragraph("部门数据回复：核对所需的各部门数据均已回复（有记录，或答复查无记录）。"
                               if not result.exceptions else
                               "部门数据回复：除下列经说明的例外外，核对所需的各部门数据均已回复。", "plain"))
    for exception in result.exceptions:
        story.append(pdf.paragraph(
            f"经说明的例外：{exception['name']}的{exception['source_name']}数据未取得回复，"
            f"说明：{exception['reason']}（{staff_signature(exception['recorded_by'])}登记）。", "plain"))
    if result.differences:
        story.append(pdf.paragraph("与家庭申报（人口库登记）数据的较大差异：" + "；".join(result.differences) + "。", "plain"))
    story.append(pdf.paragraph("四、比较标准", "heading"))
    line_rows = [["参数", "数值", "生效日期", "依据"]]
    for line in result.lines:
        line_rows.append([line.get("description", line["name"]), str(line["value"]), line["effective"], line["reference"]])
    story.append(pdf.table(line_rows, widths=[55 * mm, 20 * mm, 25 * mm, 70 * mm]))
    story.append(pdf.paragraph("五、核对发现", "heading"))
    for number, finding in enumerate(result.findings, start=1):
        story.append(pdf.paragraph(f"{number}. {finding}", "plain"))
    story.append(pdf.paragraph("六、核对结论", "heading"))
    story.append(pdf.paragraph(f"{result.get_outcome_display()}。", "body"))
    story.append(pdf.spacer(8))
    story.append(pdf.paragraph(
        "本报告依据各部门报送的数据出具，仅供委托用途使用；家庭对核对结果有异议的，可在收到结果之日起提出复核申请。", "small"))
    signed = f"核对人：{staff_signature(result.computed_by)}"
    if result.accepted_by:
        signed += f"　　认定人：{staff_signature(result.accepted_by)}"
    story.append(pdf.paragraph(signed, "right"))
    story.append(pdf.paragraph("松江区居民经济状况核对中心", "right"))
    return pdf.render(story, title=f"核对报告 {request.reference}")
