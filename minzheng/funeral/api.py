"""Funeral services endpoints (mounted at /api/v1/funeral; ADR 0024): the
catalogue with the prices in force on a day, the orders (ID numbers and phones
masked), placing an order through 白事管家 (channel 网上), and the figures
with the online share. Same permissions and scope as the pages; refusals in
the API's error model with Chinese ``detail``: 403 wrong role, 404 missing or
outside the jurisdiction, 409 the deceased already has an order or the hall
slot is full, 422 a rule broken (every reason listed)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minzheng.bookings.models import Slot
from minzheng.core.api import (
    YEAR_PATTERN,
    Limit,
    Offset,
    RecordId,
    call_service,
    coded,
    path_id,
    responses,
)
from minzheng.core.bounds import day_check
from minzheng.funeral import selectors, services
from minzheng.funeral.billing import bill_of
from minzheng.funeral.models import (
    BasicService,
    Category,
    Channel,
    FuneralOrder,
    OrderStatus,
    Relation,
    Unit,
)
from minzheng.funeral.statistics import funeral_statistics

router = Router(tags=["殡仪服务"])

ChannelCode = coded(Channel.choices, "受理渠道")
StatusCode = coded(OrderStatus.choices, "订单状态")
RelationCode = coded(Relation.choices, "与逝者关系")


class CatalogueItemOut(Schema):
    id: int
    category: str
    category_label: str
    name: str
    unit: str
    unit_label: str
    basic: str = Field(description="基本殡葬服务项目代码；空：不是基本殡葬服务项目")
    basic_label: str
    price_fen: int | None = Field(description="当日适用的单价（分）；空：当日尚无价格")
    price_from: dt.date | None = Field(description="该价格的生效日期")
    active: bool


class CatalogueOut(Schema):
    home: str
    on: dt.date
    note: str
    items: list[CatalogueItemOut]


class OrderLineOut(Schema):
    item_id: int
    name: str
    quantity: int
    unit_label: str
    unit_price_fen: int = Field(description="下单时确定的单价（分）")
    amount_fen: int
    basic_label: str
    basic_fen: int = Field(description="计入基本殡葬服务费用的金额（分）")


class OrderOut(Schema):
    id: int
    number: str
    home: str
    ordered_on: dt.date
    channel: str
    channel_label: str
    status: str
    status_label: str
    deceased_name: str
    deceased_id_number_masked: str
    death_date: dt.date
    contact_name: str
    contact_relation_label: str
    contact_phone_masked: str
    total_fen: int | None = Field(description="结算的费用合计（分）；空：未结算")
    subsidy_fen: int | None = Field(description="基本殡葬服务补贴抵扣（分）；空：未结算")
    payable_fen: int | None = Field(description="应付金额（分）；空：未结算")
    payment_status_label: str


class OrderChangeOut(Schema):
    kind_label: str
    item_name: str
    quantity_before: int | None
    quantity_after: int | None
    amount_change_fen: int
    reason: str
    changed_at: dt.datetime


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    current_total_fen: int = Field(description="按当前项目计算的费用合计（分）")
    basic_cost_fen: int = Field(description="基本殡葬服务费用（分）：遗体接运、冷藏5天以内、平板炉火化、骨灰寄存1年以内")
    hall: str | None = Field(description="告别厅及时间；空：未预约")
    cremated_on: dt.date | None
    subsidy_reason: str
    changes: list[OrderChangeOut]


class OrderPage(Schema):
    count: int
    results: list[OrderOut]


class OrderLineIn(Schema):
    item_id: RecordId
    quantity: int = Field(..., ge=1, le=999)


class OrderIn(Schema):
    deceased_name: str = Field(..., min_length=1, max_length=64)
    deceased_id_number: str = Field(..., min_length=15, max_length=18, description="逝者居民身份证号码")
    death_date: dt.date
    contact_name: str = Field(..., min_length=1, max_length=64)
    contact_relation: RelationCode
    contact_phone: str = Field(..., min_length=7, max_length=20)
    items: list[OrderLineIn] = Field(..., max_length=50)
    hall_slot_id: RecordId | None = Field(None, description="告别厅时段编号；省略：不预约")


class FigureRowOut(Schema):
    label: str
    orders: int | None = Field(description="订单（已取消的不计）；尚未到的月份为空")
    online: int | None = Field(description="其中网上（白事管家）受理")
    online_share: str | None = Field(description="线上受理率（%，两位小数）；无订单时为空")
    settled: int | None
    revenue_fen: int | None = Field(description="结算金额（分），按结算日期")
    subsidy_fen: int | None = Field(description="基本殡葬服务补贴抵扣（分）")
    subsidised: int | None = Field(description="抵扣补贴的订单数")
    payable_fen: int | None = Field(description="家属应付（分）")


class FiguresOut(Schema):
    year: int
    headline: str
    months: list[FigureRowOut]
    total: FigureRowOut


def _order(o: FuneralOrder) -> dict:
    return {"id": o.pk, "number": o.number, "home": o.home.name, "ordered_on": o.ordered_on, "channel": o.channel,
            "channel_label": o.get_channel_display(), "status": o.status, "status_label": o.get_status_display(),
            "deceased_name": o.deceased_name, "deceased_id_number_masked": o.deceased_id_masked,
            "death_date": o.death_date, "contact_name": o.contact_name,
            "contact_relation_label": o.get_contact_relation_display(), "contact_phone_masked": o.contact_phone_masked,
            "total_fen": o.total_fen, "subsidy_fen": o.subsidy_fen, "payable_fen": o.payable_fen,
            "payment_status_label": o.get_payment_status_display() if o.total_fen is not None else "未结算"}


def _order_detail(o: FuneralOrder) -> dict:
    bill = bill_of(o)
    booking = o.hall_booking
    hall = None
    if booking is not None and booking.status in selectors.OCCUPYING:
        from django.utils import timezone

        hall = f"{booking.resource.name} {timezone.localtime(booking.slot.start):%Y-%m-%d %H:%M}"
    return {**_order(o), "lines": [
        {"item_id": b.line.item_id, "name": b.name, "quantity": b.quantity, "unit_label": b.unit,
         "unit_price_fen": b.unit_price_fen, "amount_fen": b.amount_fen, "basic_label": b.basic,
         "basic_fen": b.basic_fen} for b in bill.lines],
        "current_total_fen": bill.total_fen, "basic_cost_fen": bill.basic_cost_fen, "hall": hall,
        "cremated_on": o.cremated_on, "subsidy_reason": o.subsidy_reason,
        "changes": [{"kind_label": c.get_kind_display(), "item_name": c.item_name, "quantity_before": c.quantity_before,
                     "quantity_after": c.quantity_after, "amount_change_fen": c.amount_change_fen, "reason": c.reason,
                     "changed_at": c.changed_at} for c in selectors.order_changes(o)]}


def _home(request: HttpRequest, action: str = "funeral.view"):
    def get():
        home = selectors.home_default(request.user, action=action)
        if home is None:
            raise FuneralOrder.DoesNotExist("no home")
        return home
    return call_service(get)


@router.get("/funeral/catalogue", response=responses(CatalogueOut), operation_id="funeral_catalogue",
            summary="殡仪服务目录（当日适用价格；价格为殡仪馆录入的数据）")
def catalogue(request: HttpRequest, on: dt.date | None = Query(None, description="日期（YYYY-MM-DD）；省略：今天")) -> dict:
    from django.utils import timezone

    home = _home(request, "funeral.catalogue_view")
    day = call_service(lambda: day_check(on, "日期")) if on else timezone.localdate()
    rows = call_service(lambda: selectors.catalogue_rows(request.user, home, day))
    return {"home": home.name, "on": day, "note": "基本殡葬服务：遗体接运、遗体冷藏（最多计5天）、平板炉火化、骨灰寄存（最多计1年）",
            "items": [{"id": r.item.pk, "category": r.item.category, "category_label": Category(r.item.category).label,
                       "name": r.item.name, "unit": r.item.unit, "unit_label": Unit(r.item.unit).label,
                       "basic": r.item.basic, "basic_label": BasicService(r.item.basic).label if r.item.basic else "",
                       "price_fen": r.price.price_fen if r.price else None,
                       "price_from": r.price.effective_from if r.price else None, "active": r.item.active}
                      for r in rows]}


@router.get("/funeral/orders", response=responses(OrderPage), operation_id="funeral_order_list",
            summary="殡仪服务订单（身份证号、电话脱敏）")
def order_list(request: HttpRequest, status: StatusCode | None = Query(None, description="状态；省略：全部"),
               channel: ChannelCode | None = Query(None, description="受理渠道；省略：全部"),
               ordered_from: dt.date | None = Query(None, description="下单日期自（含）"),
               ordered_to: dt.date | None = Query(None, description="下单日期至（含）"),
               limit: Limit = 50, offset: Offset = 0) -> dict:
    rows = call_service(lambda: selectors.orders_visible(request.user))
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if ordered_from:
        rows = rows.filter(ordered_on__gte=call_service(lambda: day_check(ordered_from, "下单日期自")))
    if ordered_to:
        rows = rows.filter(ordered_on__lte=call_service(lambda: day_check(ordered_to, "下单日期至")))
    return {"count": rows.count(), "results": [_order(o) for o in rows[offset: offset + limit]]}


@router.get("/funeral/orders/{order_id}", response=responses(OrderDetailOut), operation_id="funeral_order_detail",
            summary="殡仪服务订单详情（项目、变更记录、告别厅、结算）")
def order_detail(request: HttpRequest, order_id: int = path_id("订单编号（记录编号）")) -> dict:
    return _order_detail(call_service(lambda: selectors.order_get(request.user, order_id)))


@router.post("/funeral/orders", response=responses(OrderDetailOut, 201, conflict=True), operation_id="funeral_order_create",
             summary="网上（白事管家）下单：逝者、家属联系人、服务项目，可同时预约告别厅时段")
def order_create(request: HttpRequest, payload: OrderIn) -> Status:
    home = _home(request)

    def run():
        items = [(selectors.item_get(request.user, line.item_id), line.quantity) for line in payload.items]
        slot = Slot.objects.get(pk=payload.hall_slot_id) if payload.hall_slot_id else None
        return services.order_create(
            actor=request.user, home=home, channel=Channel.ONLINE,
            deceased=services.DeceasedInput(payload.deceased_name, payload.deceased_id_number,
                                            day_check(payload.death_date, "死亡日期")),
            contact=services.ContactInput(payload.contact_name, payload.contact_relation, payload.contact_phone),
            items=items, hall_slot=slot)
    order = call_service(run)
    return Status(201, _order_detail(selectors.order_get(request.user, order.pk)))


@router.get("/funeral/statistics", response=responses(FiguresOut), operation_id="funeral_statistics",
            summary="殡仪服务统计（按月：订单、网上受理及线上受理率、结算金额、补贴抵扣）")
def statistics(request: HttpRequest, year: str = Query(..., pattern=YEAR_PATTERN, description="年度（YYYY）")) -> dict:
    stats = call_service(lambda: funeral_statistics(request.user, year))
    return {"year": stats.year, "headline": stats.headline, "months": [m.as_json() for m in stats.months],
            "total": stats.total.as_json()}

