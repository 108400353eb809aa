"""The bill of an order: its lines, the total, and the cost of the basic funeral
services counted towards the basic funeral subsidy (基本殡葬服务补贴,
沪民规〔2017〕5号, REFERENCE §11: body transport, refrigeration up to 5 days,
flat-furnace cremation, ash storage up to 1 year; "at actual cost").

The basic cost is the amount of the lines of the listed basic items, with
refrigeration counted for at most 5 days and ash storage for at most 1 year
over all the order's lines of that item kind (``models.BASIC_LIMITS``), at the
unit prices fixed on the order. Other items (halls, urns, goods …) never count.
The subsidy's eligibility and cap belong to ``minzheng.funeral_subsidies``.
"""

from __future__ import annotations

from dataclasses import dataclass

from minzheng.funeral.models import BASIC_LIMITS, BasicService, FuneralOrder, OrderLine


@dataclass(frozen=True)
class BillLine:
    line: OrderLine
    name: str
    unit: str
    quantity: int
    unit_price_fen: int
    amount_fen: int
    basic: str  # BasicService label, "" when not a basic item
    basic_quantity: int  # units counted towards the basic cost
    basic_fen: int


@dataclass(frozen=True)
class Bill:
    lines: list[BillLine]
    total_fen: int
    basic_cost_fen: int

    @property
    def basic_lines(self) -> list[BillLine]:
        return [b for b in self.lines if b.basic]


def bill_of(order: FuneralOrder) -> Bill:
    lines = list(order.lines.select_related("item").order_by("id"))
    left: dict[str, int | None] = {kind: limit for kind, (limit, _) in BASIC_LIMITS.items()}
    out: list[BillLine] = []
    for line in lines:
        item = line.item
        counted = 0
        if item.basic:
            remaining = left[item.basic]
            counted = line.quantity if remaining is None else min(line.quantity, remaining)
            if remaining is not None:
                left[item.basic] = remaining - counted
        out.append(BillLine(line=line, name=item.name, unit=item.get_unit_display(), quantity=line.quantity,
                            unit_price_fen=line.unit_price_fen, amount_fen=line.amount_fen,
                            basic=BasicService(item.basic).label if item.basic else "",
                            basic_quantity=counted, basic_fen=counted * line.unit_price_fen))
    return Bill(lines=out, total_fen=sum(b.amount_fen for b in out), basic_cost_fen=sum(b.basic_fen for b in out))
