"""The itemised bill (殡仪服务结算单) as a Chinese PDF (``core.pdf``): the
order, the deceased (ID number masked, as on every document the platform
renders), each item with quantity, unit price and amount, the total, the basic
funeral subsidy deducted with its reason, and the amount payable."""

from __future__ import annotations

from minzheng.core.pdf import paragraph, render, spacer, table
from minzheng.funeral.billing import bill_of
from minzheng.funeral.models import FuneralOrder, PaymentStatus


def yuan(fen: int | None) -> str:
    if fen is None:
        return "未知"
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def bill_pdf(order: FuneralOrder) -> bytes:
    bill = bill_of(order)
    settled = order.total_fen is not None
    title = "殡仪服务结算单" if settled else "殡仪服务费用清单（未结算）"
    rows = [["服务项目", "基本殡葬服务", "数量", "单位", "单价（元）", "金额（元）"]]
    for b in bill.lines:
        rows.append([b.name, b.basic or "—", str(b.quantity), b.unit, yuan(b.unit_price_fen), yuan(b.amount_fen)])
    rows.append(["费用合计", "", "", "", "", yuan(bill.total_fen)])
    flow = [
        paragraph(order.home.name, "title"),
        paragraph(title, "title"),
        paragraph(f"订单编号：{order.number}", "right"),
        paragraph(f"逝者：{order.deceased_name}（身份证号 {order.deceased_id_masked}）；死亡日期：{_day(order.death_date)}",
                  "plain"),
        paragraph(f"家属联系人：{order.contact_name}（{order.get_contact_relation_display()}），"
                  f"电话 {order.contact_phone_masked}；受理渠道：{order.get_channel_display()}；下单日期：{_day(order.ordered_on)}",
                  "plain"),
        spacer(3),
        table(rows),
        spacer(3),
        paragraph(f"其中基本殡葬服务费用（遗体接运、遗体冷藏5天以内、平板炉火化、骨灰寄存1年以内）：{yuan(bill.basic_cost_fen)}元",
                  "plain"),
    ]
    if settled:
        flow += [
            paragraph(f"基本殡葬服务补贴抵扣：{yuan(order.subsidy_fen)}元（{order.subsidy_reason or '—'}）", "plain"),
            paragraph(f"应付金额：{yuan(order.payable_fen)}元", "plain"),
            paragraph(f"付款状态：{order.get_payment_status_display()}"
                      + (f"（{order.get_payment_method_display()}）" if order.payment_status == PaymentStatus.PAID
                         else ""), "plain"),
            spacer(8),
            paragraph(f"结算日期：{_day(order.settled_on)}", "right"),
        ]
    else:
        flow.append(paragraph("本清单尚未结算；结算时按规定核定基本殡葬服务补贴后确定应付金额。", "plain"))
    return render(flow, title=f"{title} {order.number}")
