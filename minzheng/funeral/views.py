"""Pages of the funeral services (白事管家, ADR 0024): orders (list, new order at
the window or by phone, detail with items, changes, hall booking, the subsidy
assessment, settlement and the bill PDF), the farewell halls' day, the
catalogue with dated prices, and the figures. Thin views over ``selectors``
and ``services``; wrong role → 403, outside the jurisdiction → 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.bookings.models import Slot
from minzheng.core.lists import StaffListView
from minzheng.core.permissions import can, require
from minzheng.funeral import selectors, services
from minzheng.funeral.bill_pdf import bill_pdf
from minzheng.funeral.billing import bill_of
from minzheng.funeral.filters import OrderFilter
from minzheng.funeral.forms import (
    DayForm,
    HallBookForm,
    ItemEditForm,
    ItemForm,
    LineAddForm,
    LineChangeForm,
    OrderForm,
    PayForm,
    PriceForm,
    ReasonForm,
    to_fen,
)
from minzheng.funeral.models import (
    Category,
    FuneralOrder,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    ServiceItem,
)
from minzheng.funeral.statistics import funeral_statistics
from minzheng.funeral.subsidy import subsidy_assess
from minzheng.funeral.tables import OrderTable


def _errors(err: ValidationError) -> str:
    return "；".join(getattr(err, "messages", [str(err)]))


def _order_or_404(request: HttpRequest, pk: int) -> FuneralOrder:
    try:
        return selectors.order_get(request.user, pk)
    except FuneralOrder.DoesNotExist as err:
        raise Http404("未找到该订单") from err


def _home_or_404(request: HttpRequest, action: str = "funeral.view"):
    home = selectors.home_default(request.user, action=action)
    if home is None:
        raise Http404("您的辖区内没有殡仪馆")
    return home


class OrderListView(StaffListView):
    """殡仪服务订单: filters by status, channel and order date; ID numbers masked."""

    permission = "funeral.view"
    title = "殡仪服务订单"
    export_name = "殡仪服务订单清单"
    table_class = OrderTable
    filterset_class = OrderFilter
    template_name = "funeral/order_list.html"

    def rows(self):
        return selectors.orders_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_order"] = can(self.request.user, "funeral.order")
        return context


order_list = OrderListView.as_view()


@login_required
def order_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "funeral.order")
    home = _home_or_404(request)
    today = timezone.localdate()
    rows = selectors.catalogue_rows(request.user, home, today, active_only=True)
    form = OrderForm(request.POST or None, rows=rows, initial={"channel": "window"})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_create(
                actor=request.user, home=home, channel=data["channel"],
                deceased=services.DeceasedInput(data["deceased_name"], data["deceased_id_number"], data["death_date"]),
                contact=services.ContactInput(data["contact_name"], data["contact_relation"], data["contact_phone"]),
                items=form.chosen_items())
        except ValidationError as err:
            problems = list(err.messages)
        else:
            messages.success(request, f"已下单，订单编号 {order.number}；可在订单页预约告别厅")
            return redirect("funeral:order_detail", pk=order.pk)
    return render(request, "funeral/order_new.html", {"form": form, "problems": problems, "home": home,
                                                       "item_fields": [form[k] for k, _ in form.item_fields]})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    user = request.user
    today = timezone.localdate()
    day_form = DayForm(request.GET or None, initial={"on": today})
    hall_day = day_form.cleaned_data["on"] if day_form.is_valid() else today
    may_order = can(user, "funeral.order") and order.is_open
    booking = order.hall_booking
    needs_hall = may_order and (booking is None or booking.status not in selectors.OCCUPYING)
    free = selectors.hall_free_slots(user, order, hall_day) if needs_hall else []
    addable = [i for i in selectors.catalogue(user, order.home, active_only=True)
               if i.category != Category.HALL] if may_order else []
    bill = bill_of(order)
    return render(request, "funeral/order_detail.html", {
        "o": order, "bill": bill, "changes": selectors.order_changes(order),
        "booking": order.hall_booking, "subsidy": subsidy_assess(order) if order.is_open else None,
        "may_order": may_order, "may_settle": can(user, "funeral.settle") and order.is_open,
        "may_pay": can(user, "funeral.settle") and order.status == OrderStatus.SETTLED
        and order.payment_status == PaymentStatus.UNPAID,
        "has_cremation": any(b.line.item.category == Category.CREMATION for b in bill.lines),
        "hall_day": hall_day, "day_form": DayForm(initial={"on": hall_day}),
        "hall_form": HallBookForm(free=free), "free": free, "needs_hall": needs_hall,
        "add_form": LineAddForm(items=addable), "reason_form": ReasonForm(), "pay_form": PayForm(),
        "today": today, "placed": OrderStatus.PLACED,
    })


def _step(request: HttpRequest, pk: int, run, done: str) -> HttpResponse:
    """One action on an order from its page: the service, the Chinese message, back to the order."""
    order = _order_or_404(request, pk)
    try:
        run(order)
    except ValidationError as err:
        messages.error(request, _errors(err))
    else:
        messages.success(request, done)
    return redirect("funeral:order_detail", pk=order.pk)


def _reason(request: HttpRequest) -> str:
    return (request.POST.get("reason") or "").strip()


@login_required
@require_POST
def order_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    order = _order_or_404(request, pk)
    form = LineAddForm(request.POST, items=selectors.catalogue(request.user, order.home, active_only=True))
    if not form.is_valid():
        messages.error(request, "请选择项目、填写数量（1至999）和变更原因")
        return redirect("funeral:order_detail", pk=pk)
    item = selectors.item_get(request.user, int(form.cleaned_data["item"]))
    return _step(request, pk, lambda o: services.order_line_add(
        actor=request.user, order=o, item=item, quantity=form.cleaned_data["quantity"],
        reason=form.cleaned_data["reason"]), f"已增加“{item.name}”，变更已记录")


def _line_or_404(order: FuneralOrder, line_pk: int) -> OrderLine:
    try:
        return order.lines.select_related("item").get(pk=line_pk)
    except OrderLine.DoesNotExist as err:
        raise Http404("未找到该项目") from err


@login_required
@require_POST
def order_line_change(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    line = _line_or_404(_order_or_404(request, pk), line_pk)
    form = LineChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写新数量（1至999）和变更原因")
        return redirect("funeral:order_detail", pk=pk)
    return _step(request, pk, lambda o: services.order_line_change(
        actor=request.user, line=line, quantity=form.cleaned_data["quantity"], reason=form.cleaned_data["reason"]),
        f"已修改“{line.item.name}”的数量，变更已记录")


@login_required
@require_POST
def order_line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    line = _line_or_404(_order_or_404(request, pk), line_pk)
    return _step(request, pk, lambda o: services.order_line_remove(actor=request.user, line=line,
                                                                   reason=_reason(request)),
                 f"已删除“{line.item.name}”，变更已记录")


@login_required
@require_POST
def order_hall_book(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    order = _order_or_404(request, pk)
    try:
        slot = Slot.objects.get(pk=int(request.POST.get("slot") or 0))
    except (Slot.DoesNotExist, ValueError):
        messages.error(request, "请选择告别厅和时段")
        return redirect("funeral:order_detail", pk=pk)
    return _step(request, pk, lambda o: services.order_hall_book(actor=request.user, order=order, slot=slot,
                                                                 reason=_reason(request)), "已预约告别厅")


@login_required
@require_POST
def order_hall_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    return _step(request, pk, lambda o: services.order_hall_cancel(actor=request.user, order=o,
                                                                   reason=_reason(request)), "已取消告别厅预约")


@login_required
@require_POST
def order_start(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    return _step(request, pk, lambda o: services.order_start_service(actor=request.user, order=o), "订单已开始服务")


@login_required
@require_POST
def order_cremation(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    return _step(request, pk, lambda o: services.order_cremation_done(actor=request.user, order=o),
                 "已登记火化完成，死亡信息已报送死亡登记")


@login_required
@require_POST
def order_settle(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.settle")
    return _step(request, pk, lambda o: services.order_settle(actor=request.user, order=o), "已结算，可打印结算单")


@login_required
@require_POST
def order_pay(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.settle")
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择付款方式")
        return redirect("funeral:order_detail", pk=pk)
    return _step(request, pk, lambda o: services.order_pay(actor=request.user, order=o,
                                                           method=form.cleaned_data["method"]), "已登记付款")


@login_required
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "funeral.order")
    return _step(request, pk, lambda o: services.order_cancel(actor=request.user, order=o, reason=_reason(request)),
                 "订单已取消")


@login_required
def order_bill(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    response = HttpResponse(bill_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


@login_required
def hall_day(request: HttpRequest) -> HttpResponse:
    require(request.user, "funeral.view")
    home = _home_or_404(request)
    form = DayForm(request.GET or None, initial={"on": timezone.localdate()})
    day = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    rows = selectors.hall_day(request.user, home, day)
    hours = sorted({timezone.localtime(c.slot.start).strftime("%H:%M") for r in rows for c in r.cells})
    table = [(r.hall, [next((c for c in r.cells if timezone.localtime(c.slot.start).strftime("%H:%M") == h), None)
                       for h in hours]) for r in rows]
    return render(request, "funeral/hall_day.html", {
        "home": home, "day": day, "form": DayForm(initial={"on": day}), "hours": hours, "table": table,
        "prev": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1)})


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    require(request.user, "funeral.catalogue_view")
    home = _home_or_404(request, "funeral.catalogue_view")
    today = timezone.localdate()
    may_manage = can(request.user, "funeral.catalogue_manage")
    form = ItemForm(request.POST or None, initial={"effective_from": today}) if may_manage else None
    if request.method == "POST":
        require(request.user, "funeral.catalogue_manage")
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                item = services.item_create(
                    actor=request.user, home=home, category=data["category"], name=data["name"], unit=data["unit"],
                    basic=data["basic"], hall_size=data["hall_size"], price_fen=to_fen(data["price"]),
                    effective_from=data["effective_from"], note=data["note"])
            except ValidationError as err:
                messages.error(request, _errors(err))
            else:
                messages.success(request, f"已新增项目“{item.name}”")
                return redirect("funeral:catalogue")
    return render(request, "funeral/catalogue.html", {
        "home": home, "rows": selectors.catalogue_rows(request.user, home, today), "today": today,
        "form": form, "may_manage": may_manage})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.item_get(request.user, pk)
    except ServiceItem.DoesNotExist as err:
        raise Http404("未找到该项目") from err
    may_manage = can(request.user, "funeral.catalogue_manage")
    edit_form = ItemEditForm(initial={"name": item.name, "active": item.active, "note": item.note})
    price_form = PriceForm(initial={"effective_from": timezone.localdate() + dt.timedelta(days=1)})
    if request.method == "POST":
        require(request.user, "funeral.catalogue_manage")
        try:
            if request.POST.get("what") == "price":
                price_form = PriceForm(request.POST)
                if price_form.is_valid():
                    d = price_form.cleaned_data
                    services.price_set(actor=request.user, item=item, price_fen=to_fen(d["price"]),
                                       effective_from=d["effective_from"], note=d["note"])
                    messages.success(request, "已设置新价格")
                    return redirect("funeral:item_detail", pk=pk)
            else:
                edit_form = ItemEditForm(request.POST)
                if edit_form.is_valid():
                    d = edit_form.cleaned_data
                    services.item_update(actor=request.user, item=item, name=d["name"], active=d["active"],
                                         note=d["note"])
                    messages.success(request, "已保存")
                    return redirect("funeral:item_detail", pk=pk)
        except ValidationError as err:
            messages.error(request, _errors(err))
    return render(request, "funeral/item_detail.html", {
        "item": item, "prices": item.prices.order_by("-effective_from"), "may_manage": may_manage,
        "edit_form": edit_form, "price_form": price_form, "today": timezone.localdate()})


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    require(request.user, "funeral.statistics")
    today = timezone.localdate()
    year = request.GET.get("year") or str(today.year)
    try:
        stats = funeral_statistics(request.user, year)
    except ValidationError as err:
        messages.error(request, _errors(err))
        stats = funeral_statistics(request.user, today.year)
    years = list(range(today.year, today.year - 5, -1))
    return render(request, "funeral/statistics.html", {"stats": stats, "years": years,
                                                       "list_url": reverse("funeral:order_list")})
