"""Writes of the funeral services (docs/adr/0024-funeral-services.md): the
catalogue and its dated prices, farewell halls on the booking core, and the
orders — placing, changing items (each change recorded with who, when and
why), booking a hall, 火化完成 (the death is reported to the deaths app),
settlement with the basic funeral subsidy deducted, payment, cancellation.

One service call per action: each checks its action (``core.permissions``)
and the home's jurisdiction, validates first, runs in one transaction and
appends an audit entry (masked ID numbers and phones only). Refusals are
``ValidationError``s with Chinese sentences (``StateConflict`` when the
order's status does not allow the step: the API answers 409).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.bookings import services as bookings
from minzheng.bookings.models import ACTIVE, BookingStatus, ResourceKind, Slot
from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index, decrypt, encrypt, mask_id_number, mask_phone
from minzheng.core.scope import OutOfScope
from minzheng.funeral import selectors
from minzheng.funeral.billing import bill_of
from minzheng.funeral.death_reports import death_report_for
from minzheng.funeral.models import (
    OPEN_STATUSES,
    BasicService,
    Category,
    ChangeKind,
    Channel,
    FuneralHall,
    FuneralHome,
    FuneralOrder,
    HallSize,
    ItemPrice,
    OrderChange,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    Relation,
    ServiceItem,
    Unit,
)
from minzheng.funeral.numbering import next_number
from minzheng.funeral.subsidy import subsidy_deduct
from minzheng.registry.models import Person
from minzheng.registry.services import InvalidIdNumber, parse_id_number

MAX_QUANTITY = 999
MAX_PRICE_FEN = 100_000_000  # 100万元: a typing error beyond that
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def _today() -> dt.date:
    return timezone.localdate()


def _name(actor) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:150]


def _covered(actor, home: FuneralHome) -> None:
    if not selectors.in_jurisdiction(FuneralHome.objects.filter(pk=home.pk), actor).exists():
        raise OutOfScope("对象不在您的辖区内")


def _text(value: str, what: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{what}")
    if len(value) > max_length:
        raise ValidationError(f"{what}不能超过{max_length}个字")
    return value


def _quantity(quantity) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(f"数量应为1至{MAX_QUANTITY}的整数")
    return quantity


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}元"


# ---------------------------------------------------------------------------
# Homes and halls (区民政局: a hall is a booking-core resource, ADR 0021)


@transaction.atomic
def home_create(*, actor, name: str, code: str, division: Division) -> FuneralHome:
    require(actor, "funeral.halls_manage", allow_job=True)
    name = _text(name, "殡仪馆名称", 64)
    code = _text(code, "订单编号前缀", 12)
    if not re.fullmatch(r"[A-Z0-9]{2,12}", code):
        raise ValidationError("订单编号前缀应为2至12位大写字母或数字")
    if FuneralHome.objects.filter(name=name).exists() or FuneralHome.objects.filter(code=code).exists():
        raise ValidationError("已有同名或同一编号前缀的殡仪馆")
    home = FuneralHome.objects.create(name=name, code=code, division=division)
    audit_record(actor=actor, action="funeral.home.create", object_type="FuneralHome", object_id=home.pk,
                 scope_code=division.code, changes={"name": name, "code": code})
    return home


@transaction.atomic
def hall_create(*, actor, home: FuneralHome, name: str, size: str, item: ServiceItem) -> FuneralHall:
    """A farewell hall: a resource of kind 殡仪厅 on the booking core (open every
    day unless closed), its size and the catalogue item charged per hour."""
    require(actor, "funeral.halls_manage", allow_job=True)
    _covered(actor, home)
    if size not in HallSize.values:
        raise ValidationError("请选择告别厅规格（小厅、中厅、大厅）")
    if item.home_id != home.pk or item.category != Category.HALL or item.unit != Unit.HOUR:
        raise ValidationError("告别厅的计价项目应为本馆“告别厅”类、按小时计价的项目")
    resource = bookings.resource_create(actor=actor, name=_text(name, "告别厅名称", 64), kind=ResourceKind.FUNERAL_HALL,
                                        division=home.division, note=f"{home.name}{HallSize(size).label}")
    hall = FuneralHall.objects.create(home=home, resource=resource, size=size, item=item)
    audit_record(actor=actor, action="funeral.hall.create", object_type="FuneralHall", object_id=hall.pk,
                 scope_code=home.division_id, changes={"name": resource.name, "hall_size": size, "item": item.name})
    return hall


# ---------------------------------------------------------------------------
# The catalogue (殡仪服务员: the home's own data)


def _price(price_fen) -> int:
    if not isinstance(price_fen, int) or isinstance(price_fen, bool) or not 0 <= price_fen <= MAX_PRICE_FEN:
        raise ValidationError("单价应为0至100万元之间的金额")
    return price_fen


@transaction.atomic
def item_create(*, actor, home: FuneralHome, category: str, name: str, unit: str, price_fen: int,
                effective_from: dt.date, basic: str = "", hall_size: str = "", note: str = "") -> ServiceItem:
    """A new catalogue item with its first price (in force from ``effective_from``)."""
    require(actor, "funeral.catalogue_manage", allow_job=True)
    _covered(actor, home)
    if category not in Category.values:
        raise ValidationError("请选择项目类别")
    if unit not in Unit.values:
        raise ValidationError("请选择计价单位")
    if basic and basic not in BasicService.values:
        raise ValidationError("基本殡葬服务项目不正确")
    if hall_size and hall_size not in HallSize.values:
        raise ValidationError("告别厅规格不正确")
    problems = []
    expected = {BasicService.TRANSPORT: (Category.TRANSPORT, Unit.TRIP),
                BasicService.REFRIGERATION: (Category.REFRIGERATION, Unit.DAY),
                BasicService.CREMATION: (Category.CREMATION, Unit.TRIP),
                BasicService.ASH_STORAGE: (Category.ASH_STORAGE, Unit.YEAR)}
    if basic and (category, unit) != expected[BasicService(basic)]:
        want = expected[BasicService(basic)]
        problems.append(f"基本殡葬服务项目“{BasicService(basic).label}”应属“{Category(want[0]).label}”类、"
                        f"按“{Unit(want[1]).label}”计价")
    if category == Category.HALL and (unit != Unit.HOUR or not hall_size):
        problems.append("告别厅项目应按小时计价，并注明规格（小厅、中厅、大厅）")
    if hall_size and category != Category.HALL:
        problems.append("只有告别厅项目有规格")
    name = _text(name, "项目名称", 64)
    if ServiceItem.objects.filter(home=home, name=name).exists():
        problems.append(f"本馆已有名为“{name}”的项目")
    if effective_from is None:
        problems.append("请填写价格生效日期")
    if problems:
        raise ValidationError(problems)
    item = ServiceItem.objects.create(home=home, category=category, name=name, unit=unit, basic=basic,
                                      hall_size=hall_size, note=_text(note, "说明", 200, required=False),
                                      created_by=_name(actor))
    ItemPrice.objects.create(item=item, effective_from=effective_from, price_fen=_price(price_fen),
                             note="首次定价", created_by=_name(actor))
    audit_record(actor=actor, action="funeral.item.create", object_type="ServiceItem", object_id=item.pk,
                 scope_code=home.division_id,
                 changes={"name": name, "category": category, "unit": unit, "basic": basic, "price_fen": price_fen,
                          "effective_from": effective_from})
    return item


@transaction.atomic
def item_update(*, actor, item: ServiceItem, name: str, active: bool, note: str = "") -> ServiceItem:
    require(actor, "funeral.catalogue_manage", allow_job=True)
    item = ServiceItem.objects.select_for_update().select_related("home").get(pk=item.pk)
    _covered(actor, item.home)
    name = _text(name, "项目名称", 64)
    if ServiceItem.objects.filter(home=item.home, name=name).exclude(pk=item.pk).exists():
        raise ValidationError(f"本馆已有名为“{name}”的项目")
    before = {"name": item.name, "active": item.active, "note": item.note}
    item.name, item.active, item.note = name, bool(active), _text(note, "说明", 200, required=False)
    item.save(update_fields=["name", "active", "note"])
    after = {"name": item.name, "active": item.active, "note": item.note}
    audit_record(actor=actor, action="funeral.item.update", object_type="ServiceItem", object_id=item.pk,
                 scope_code=item.home.division_id,
                 changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return item


@transaction.atomic
def price_set(*, actor, item: ServiceItem, price_fen: int, effective_from: dt.date, note: str) -> ItemPrice:
    """A price change taking effect from ``effective_from`` (orders placed on or
    after that date use it). Back-dating is refused once an order on or after the
    date uses the item: a bill already made would disagree with the catalogue."""
    require(actor, "funeral.catalogue_manage", allow_job=True)
    item = ServiceItem.objects.select_for_update().select_related("home").get(pk=item.pk)
    _covered(actor, item.home)
    price_fen = _price(price_fen)
    note = _text(note, "调价说明", 200)
    if effective_from is None:
        raise ValidationError("请填写价格生效日期")
    if item.prices.filter(effective_from=effective_from).exists():
        raise ValidationError(f"该项目{effective_from:%Y年%m月%d日}起已有价格，不能重复设置")
    if OrderLine.objects.filter(item=item, order__ordered_on__gte=effective_from).exists():
        raise ValidationError(f"已有{effective_from:%Y年%m月%d日}以后下单的订单使用该项目，不能追溯调价")
    before = selectors.price_on(item, effective_from)
    price = ItemPrice.objects.create(item=item, effective_from=effective_from, price_fen=price_fen, note=note,
                                     created_by=_name(actor))
    audit_record(actor=actor, action="funeral.price.set", object_type="ServiceItem", object_id=item.pk,
                 scope_code=item.home.division_id,
                 changes={"price_fen": [before.price_fen if before else None, price_fen],
                          "effective_from": effective_from, "note": note})
    return price


# ---------------------------------------------------------------------------
# Orders


@dataclass(frozen=True)
class DeceasedInput:
    name: str
    id_number: str
    death_date: dt.date


@dataclass(frozen=True)
class ContactInput:
    name: str
    relation: str
    phone: str


def _lock(order: FuneralOrder) -> FuneralOrder:
    return FuneralOrder.objects.select_for_update().select_related("home").get(pk=order.pk)


def _require_open(order: FuneralOrder, doing: str) -> None:
    if order.status not in OPEN_STATUSES:
        raise StateConflict(f"订单当前状态为“{order.get_status_display()}”，不能{doing}")


def _order_permission(actor, order: FuneralOrder, action: str = "funeral.order") -> None:
    require(actor, action, allow_job=True)
    _covered(actor, order.home)


def _priced_line(order: FuneralOrder, item: ServiceItem, quantity: int) -> OrderLine:
    if item.home_id != order.home_id:
        raise ValidationError(f"“{item.name}”不是本馆的服务项目")
    if not item.active:
        raise ValidationError(f"“{item.name}”已停售")
    price = selectors.price_on(item, order.ordered_on)
    if price is None:
        raise ValidationError(f"“{item.name}”在{order.ordered_on:%Y年%m月%d日}尚无价格，请先在服务目录中定价")
    quantity = _quantity(quantity)
    return OrderLine(order=order, item=item, quantity=quantity, unit_price_fen=price.price_fen,
                     amount_fen=quantity * price.price_fen)


def _change(order: FuneralOrder, actor, kind: str, item_name: str, before: int | None, after: int | None,
            amount: int, reason: str) -> OrderChange:
    return OrderChange.objects.create(order=order, kind=kind, item_name=item_name[:80], quantity_before=before,
                                      quantity_after=after, amount_change_fen=amount, reason=reason,
                                      changed_by=_name(actor))


def _clean_phone(phone: str) -> str:
    cleaned = (phone or "").replace(" ", "").strip()
    if not cleaned:
        raise ValidationError("请填写联系人电话")
    if not _PHONE.match(cleaned):
        raise ValidationError("联系电话应为11位手机号码或带区号的固定电话")
    return cleaned


@transaction.atomic
def order_create(*, actor, home: FuneralHome, channel: str, deceased: DeceasedInput, contact: ContactInput,
                 items: Iterable[tuple[ServiceItem, int]], ordered_on: dt.date | None = None,
                 hall_slot: Slot | None = None) -> FuneralOrder:
    """Place an order for one deceased: the lines at the prices in force on the
    order's date, optionally a farewell hall slot (booked on the booking core).
    ``ordered_on`` defaults to today (an earlier date records a paper order)."""
    require(actor, "funeral.order", allow_job=True)
    _covered(actor, home)
    today = _today()
    ordered_on = ordered_on or today
    problems: list[str] = []
    if channel not in Channel.values:
        problems.append("请选择受理渠道")
    if ordered_on > today:
        problems.append("下单日期不能晚于今天")
    name = (deceased.name or "").strip()
    if not name:
        problems.append("请填写逝者姓名")
    elif len(name) > 64:
        problems.append("逝者姓名不能超过64个字")
    number = ""
    try:
        number = parse_id_number(deceased.id_number or "").number
    except InvalidIdNumber as err:
        problems.append(f"逝者身份证号码：{err}")
    if deceased.death_date is None:
        problems.append("请填写死亡日期")
    elif deceased.death_date > ordered_on:
        problems.append("死亡日期不能晚于下单日期")
    contact_name = (contact.name or "").strip()
    if not contact_name:
        problems.append("请填写家属联系人姓名")
    elif len(contact_name) > 64:
        problems.append("联系人姓名不能超过64个字")
    if contact.relation not in Relation.values:
        problems.append("请选择联系人与逝者的关系")
    phone = ""
    try:
        phone = _clean_phone(contact.phone)
    except ValidationError as err:
        problems += err.messages
    wanted = list(items or ())
    if not wanted and hall_slot is None:
        problems.append("请至少选择一项服务")
    if problems:
        raise ValidationError(problems)
    index = blind_index(number)
    existing = FuneralOrder.objects.filter(home=home, deceased_id_index=index).exclude(
        status=OrderStatus.CANCELLED).first()
    if existing is not None:
        raise StateConflict(f"{name}（{mask_id_number(number)}）在本馆已有订单 {existing.number}，不能重复下单")
    person = Person.objects.filter(id_number_index=index).first()
    order = FuneralOrder(
        home=home, number=next_number(home.code, ordered_on), ordered_on=ordered_on, channel=channel,
        deceased_name=name, deceased_id_enc=encrypt(number), deceased_id_index=index,
        deceased_id_masked=mask_id_number(number), death_date=deceased.death_date, person=person,
        contact_name=contact_name, contact_relation=contact.relation, contact_phone_enc=encrypt(phone),
        contact_phone_masked=mask_phone(phone), created_by=_name(actor))
    try:
        with transaction.atomic():
            order.save(force_insert=True)
    except IntegrityError:  # a concurrent order for the same deceased committed first
        raise StateConflict(f"{name}（{mask_id_number(number)}）在本馆已有订单，不能重复下单") from None
    lines = []
    for item, quantity in wanted:
        lines.append(_priced_line(order, item, quantity))
    if len({line.item_id for line in lines}) != len(lines):
        raise ValidationError("同一项目请只填写一行（数量可大于1）")
    OrderLine.objects.bulk_create(lines)
    audit_record(actor=actor, action="funeral.order.create", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=home.division_id,
                 changes={"number": order.number, "channel": channel, "id_number": order.deceased_id_masked,
                          "death_date": order.death_date, "phone": order.contact_phone_masked,
                          "items": [f"{line.item.name}×{line.quantity}" for line in lines],
                          "total_fen": sum(line.amount_fen for line in lines)})
    if hall_slot is not None:
        _hall_book(actor, order, hall_slot, reason="下单时预约", record_change=False, id_number=number, phone=phone)
    return order


@transaction.atomic
def order_line_add(*, actor, order: FuneralOrder, item: ServiceItem, quantity: int, reason: str) -> OrderLine:
    order = _lock(order)
    _order_permission(actor, order)
    _require_open(order, "增加项目")
    reason = _text(reason, "变更原因", 200)
    if item.category == Category.HALL:
        raise ValidationError("告别厅请通过“预约告别厅”选择时段")
    if order.lines.filter(item=item).exists():
        raise ValidationError(f"订单已有“{item.name}”，请修改其数量")
    line = _priced_line(order, item, quantity)
    line.save()
    change = _change(order, actor, ChangeKind.ADD, item.name, None, line.quantity, line.amount_fen, reason)
    audit_record(actor=actor, action="funeral.order.change", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"change": change.get_kind_display(), "item": item.name, "quantity": [None, line.quantity],
                          "amount_fen": line.amount_fen, "reason": reason})
    return line


@transaction.atomic
def order_line_change(*, actor, line: OrderLine, quantity: int, reason: str) -> OrderLine:
    order = _lock(line.order)
    _order_permission(actor, order)
    _require_open(order, "修改项目")
    line = OrderLine.objects.select_related("item").get(pk=line.pk, order=order)
    if line.for_hall:
        raise ValidationError("告别厅的时长由预约的时段决定，请改约时段")
    reason = _text(reason, "变更原因", 200)
    quantity = _quantity(quantity)
    if quantity == line.quantity:
        raise ValidationError("数量未改变")
    before, before_amount = line.quantity, line.amount_fen
    line.quantity, line.amount_fen = quantity, quantity * line.unit_price_fen  # the price fixed at ordering
    line.save(update_fields=["quantity", "amount_fen"])
    change = _change(order, actor, ChangeKind.QUANTITY, line.item.name, before, quantity,
                     line.amount_fen - before_amount, reason)
    audit_record(actor=actor, action="funeral.order.change", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"change": change.get_kind_display(), "item": line.item.name, "quantity": [before, quantity],
                          "amount_fen": change.amount_change_fen, "reason": reason})
    return line


@transaction.atomic
def order_line_remove(*, actor, line: OrderLine, reason: str) -> None:
    order = _lock(line.order)
    _order_permission(actor, order)
    _require_open(order, "删除项目")
    line = OrderLine.objects.select_related("item").get(pk=line.pk, order=order)
    if line.for_hall:
        raise ValidationError("告别厅请通过“取消告别厅预约”删除")
    if line.item.category == Category.CREMATION and order.cremated_on is not None:
        raise StateConflict("火化已完成，不能删除火化项目")
    reason = _text(reason, "变更原因", 200)
    change = _change(order, actor, ChangeKind.REMOVE, line.item.name, line.quantity, None, -line.amount_fen, reason)
    line.delete()
    audit_record(actor=actor, action="funeral.order.change", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"change": change.get_kind_display(), "item": change.item_name,
                          "quantity": [change.quantity_before, None], "amount_fen": change.amount_change_fen,
                          "reason": reason})


def _hall_book(actor, order: FuneralOrder, slot: Slot, *, reason: str, record_change: bool, id_number: str,
               phone: str) -> None:
    hall = FuneralHall.objects.select_related("item", "resource").filter(resource_id=slot.resource_id,
                                                                          home=order.home).first()
    if hall is None:
        raise ValidationError("该时段不属于本馆的告别厅")
    minutes = int((slot.end - slot.start).total_seconds() // 60)
    if minutes % 60:
        raise ValidationError("告别厅按小时计价，时段长度应为整小时")
    # the booking core takes the place by one conditional UPDATE: a full slot is refused (SlotFull, 409)
    booking = bookings.book(slot, parties=[(order.deceased_name, id_number)],
                            purpose=f"告别仪式（订单 {order.number}）", actor=actor, contact_phone=phone
                            if phone.startswith("1") and len(phone) == 11 else "")
    order.hall_booking = booking
    order.save(update_fields=["hall_booking"])
    line = _priced_line(order, hall.item, minutes // 60)
    line.for_hall = True
    line.save()
    when = timezone.localtime(slot.start)
    if record_change:
        _change(order, actor, ChangeKind.HALL_BOOK, f"{hall.resource.name} {when:%m月%d日 %H:%M}", None,
                line.quantity, line.amount_fen, reason)
    audit_record(actor=actor, action="funeral.order.hall_book", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"booking": booking.pk, "resource_name": hall.resource.name, "start": slot.start,
                          "amount_fen": line.amount_fen, "reason": reason})


@transaction.atomic
def order_hall_book(*, actor, order: FuneralOrder, slot: Slot, reason: str) -> FuneralOrder:
    """Book a farewell hall for the order (one slot; the hall's hourly item is
    added at the price in force on the order's date). A full slot is refused by
    the booking core's database statement."""
    order = _lock(order)
    _order_permission(actor, order)
    _require_open(order, "预约告别厅")
    reason = _text(reason, "变更原因", 200)
    if order.hall_booking_id is not None and order.hall_booking.status in selectors.OCCUPYING:
        raise StateConflict("订单已预约告别厅，请先取消原预约再改约")
    if order.hall_booking_id is not None:
        # the former booking was cancelled (or lapsed) on the booking core: its hall line leaves the order first
        _release_hall(actor, order, "原告别厅预约已在预约系统中取消", remove_lines=True)
    _hall_book(actor, order, slot, reason=reason, record_change=True, id_number=decrypt(order.deceased_id_enc),
               phone=decrypt(order.contact_phone_enc))
    return order


@transaction.atomic
def order_hall_cancel(*, actor, order: FuneralOrder, reason: str) -> FuneralOrder:
    order = _lock(order)
    _order_permission(actor, order)
    _require_open(order, "取消告别厅预约")
    reason = _text(reason, "变更原因", 200)
    booking = order.hall_booking
    if booking is None:
        raise StateConflict("订单没有告别厅预约")
    if booking.status in (BookingStatus.ARRIVED, BookingStatus.NO_SHOW):
        raise StateConflict(f"告别厅预约已{booking.get_status_display()}，时段已使用，不能取消")
    _release_hall(actor, order, reason, remove_lines=True)
    return order


def _release_hall(actor, order: FuneralOrder, reason: str, *, remove_lines: bool) -> None:
    """Cancel the hall booking on the booking core (its place is given back); with
    ``remove_lines`` the hall's line leaves the order as a recorded change (a
    cancelled order keeps its lines as they were)."""
    booking = order.hall_booking
    if booking is None:
        return
    if booking.status in ACTIVE:
        bookings.cancel(booking, actor, reason)
    removed = 0
    if remove_lines:
        for line in order.lines.filter(for_hall=True).select_related("item"):
            _change(order, actor, ChangeKind.HALL_CANCEL, line.item.name, line.quantity, None, -line.amount_fen,
                    reason)
            removed += line.amount_fen
            line.delete()
        order.hall_booking = None
        order.save(update_fields=["hall_booking"])
    audit_record(actor=actor, action="funeral.order.hall_cancel", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"booking": booking.pk, "amount_fen": -removed, "reason": reason})


@transaction.atomic
def order_start_service(*, actor, order: FuneralOrder) -> FuneralOrder:
    """已下单 → 服务中 (the body has been received)."""
    order = _lock(order)
    _order_permission(actor, order)
    if order.status != OrderStatus.PLACED:
        raise StateConflict(f"订单当前状态为“{order.get_status_display()}”，不能开始服务")
    order.status = OrderStatus.IN_SERVICE
    order.save(update_fields=["status"])
    audit_record(actor=actor, action="funeral.order.start", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id, changes={"status": [OrderStatus.PLACED, OrderStatus.IN_SERVICE]})
    return order


@transaction.atomic
def order_cremation_done(*, actor, order: FuneralOrder, on: dt.date | None = None) -> FuneralOrder:
    """火化完成: the order's cremation item is done; the death is reported to the
    deaths app (source 殡仪馆火化记录, reference = the order number) in the same
    transaction, and the order links to the death record."""
    order = _lock(order)
    _order_permission(actor, order)
    _require_open(order, "登记火化完成")
    on = on or _today()
    if order.cremated_on is not None:
        raise StateConflict(f"已于{order.cremated_on:%Y年%m月%d日}登记火化完成")
    if not order.lines.filter(item__category=Category.CREMATION).exists():
        raise ValidationError("订单没有火化项目，不能登记火化完成")
    if on > _today():
        raise ValidationError("火化日期不能晚于今天")
    if on < order.death_date or on < order.ordered_on:
        raise ValidationError("火化日期不能早于死亡日期和下单日期")
    before = order.status
    order.cremated_on, order.status = on, OrderStatus.IN_SERVICE
    order.death_record = death_report_for(actor=actor, order=order, id_number=decrypt(order.deceased_id_enc))
    order.save(update_fields=["cremated_on", "status", "death_record"])
    audit_record(actor=actor, action="funeral.order.cremation_done", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"on": on, "status": [before, order.status], "death_record": order.death_record.pk})
    return order


@transaction.atomic
def order_settle(*, actor, order: FuneralOrder, on: dt.date | None = None) -> FuneralOrder:
    """结算: the bill (items at the prices fixed on the order), the basic funeral
    subsidy deducted where it applies (``funeral_subsidies``, for the basic cost
    within the listed limits), and the amount payable. An order whose payable
    amount is zero is paid at once (无需付款)."""
    order = _lock(order)
    _order_permission(actor, order, "funeral.settle")
    _require_open(order, "结算")
    on = on or _today()
    if on > _today() or on < order.ordered_on:
        raise ValidationError("结算日期应在下单日期和今天之间")
    bill = bill_of(order)
    if not bill.lines:
        raise ValidationError("订单没有服务项目，不能结算")
    deduction = subsidy_deduct(actor=actor, order=order, basic_cost_fen=bill.basic_cost_fen)
    if deduction.amount_fen > bill.basic_cost_fen or deduction.amount_fen < 0:
        raise RuntimeError("the subsidy deducted exceeds the basic cost")  # the subsidies app's contract
    before = order.status
    order.status = OrderStatus.SETTLED
    order.settled_on, order.settled_by = on, _name(actor)
    order.total_fen, order.basic_cost_fen = bill.total_fen, bill.basic_cost_fen
    order.subsidy_fen, order.subsidy_reason = deduction.amount_fen, deduction.reason[:400]
    order.subsidy_grant_ref = deduction.grant_ref[:40]
    order.payable_fen = bill.total_fen - deduction.amount_fen
    fields = ["status", "settled_on", "settled_by", "total_fen", "basic_cost_fen", "subsidy_fen", "subsidy_reason",
              "subsidy_grant_ref", "payable_fen"]
    if order.payable_fen == 0:
        order.payment_status, order.payment_method = PaymentStatus.PAID, PaymentMethod.NONE_DUE
        order.paid_at = timezone.now()
        fields += ["payment_status", "payment_method", "paid_at"]
    order.save(update_fields=fields)
    audit_record(actor=actor, action="funeral.order.settle", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"status": [before, OrderStatus.SETTLED], "on": on, "total_fen": bill.total_fen,
                          "basic_cost_fen": bill.basic_cost_fen, "subsidy_fen": deduction.amount_fen,
                          "reason": deduction.reason, "payable_fen": order.payable_fen})
    return order


@transaction.atomic
def order_pay(*, actor, order: FuneralOrder, method: str, paid_at: dt.datetime | None = None) -> FuneralOrder:
    order = _lock(order)
    _order_permission(actor, order, "funeral.settle")
    if order.status != OrderStatus.SETTLED:
        raise StateConflict(f"订单当前状态为“{order.get_status_display()}”，结算后才能登记付款")
    if order.payment_status == PaymentStatus.PAID:
        raise StateConflict("该订单已付款")
    if method not in PaymentMethod.values or method == PaymentMethod.NONE_DUE:
        raise ValidationError("请选择付款方式")
    now = timezone.now()
    paid_at = paid_at or now
    if paid_at > now:
        raise ValidationError("付款时间不能晚于现在")
    order.payment_status, order.payment_method, order.paid_at = PaymentStatus.PAID, method, paid_at
    order.save(update_fields=["payment_status", "payment_method", "paid_at"])
    audit_record(actor=actor, action="funeral.order.pay", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"payment_method": method, "paid_at": paid_at, "payable_fen": order.payable_fen})
    return order


@transaction.atomic
def order_cancel(*, actor, order: FuneralOrder, reason: str) -> FuneralOrder:
    """Cancel an order not yet settled, nor cremated; its hall booking is cancelled with it."""
    order = _lock(order)
    _order_permission(actor, order)
    _require_open(order, "取消")
    if order.cremated_on is not None:
        raise StateConflict("火化已完成，不能取消订单，请结算")
    reason = _text(reason, "取消原因", 200)
    before = order.status
    order.status, order.cancelled_on, order.cancel_reason = OrderStatus.CANCELLED, _today(), reason
    order.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    _release_hall(actor, order, f"订单取消：{reason}", remove_lines=False)
    audit_record(actor=actor, action="funeral.order.cancel", object_type="FuneralOrder", object_id=order.pk,
                 scope_code=order.home.division_id,
                 changes={"status": [before, OrderStatus.CANCELLED], "reason": reason})
    return order


__all__ = [
    "ContactInput", "DeceasedInput", "hall_create", "home_create", "item_create", "item_update", "order_cancel",
    "order_create", "order_cremation_done", "order_hall_book", "order_hall_cancel", "order_line_add",
    "order_line_change", "order_line_remove", "order_pay", "order_settle", "order_start_service", "price_set",
]
