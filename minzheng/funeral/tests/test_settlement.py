"""Settlement: the total at the prices fixed on the order, the basic funeral
subsidy deducted through the subsidies app's port (min(cap, basic cost); the
cap of 980 yuan from the parameter files) with its reason, and the payable
amount — for an eligible, a refused and an undetermined deceased."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.errors import StateConflict
from minzheng.core.personal_data import decrypt
from minzheng.funeral import services
from minzheng.funeral.models import OrderStatus, PaymentMethod, PaymentStatus
from minzheng.funeral.subsidy import subsidy_assess
from minzheng.funeral_subsidies.models import Grant, GrantStatus

pytestmark = pytest.mark.django_db


def _for(make_person, place, **person):
    p = make_person(name="王大明", birth=dt.date(1940, 2, 3), **person)
    return place(transport=1, cold=7, cremation=1, storage=3, urn=1, id_number=decrypt(p.id_number_enc))


def test_an_eligible_deceased_has_the_basic_cost_deducted_up_to_the_cap(make_person, place, clerk):
    order = _for(make_person, place, youfu=True)
    view = subsidy_assess(order)
    assert view.eligible is True and view.cap_fen == 980_00
    order = services.order_settle(actor=clerk, order=order)
    # basic: transport 200 + refrigeration 5 of 7 days × 50 + cremation 400 + storage 1 of 3 years × 100 = 950
    assert (order.status, order.total_fen, order.basic_cost_fen, order.subsidy_fen, order.payable_fen) == (
        OrderStatus.SETTLED, 1550_00, 950_00, 950_00, 600_00)
    assert "抵扣" in order.subsidy_reason
    grant = Grant.objects.get(order_reference=order.number)
    assert (grant.status, grant.amount_fen, grant.cost_fen) == (GrantStatus.DEDUCTED, 950_00, 950_00)
    assert order.subsidy_grant_ref == str(grant.pk)
    assert order.payment_status == PaymentStatus.UNPAID
    with pytest.raises(StateConflict):
        services.order_settle(actor=clerk, order=order)
    services.order_pay(actor=clerk, order=order, method=PaymentMethod.MOBILE)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    with pytest.raises(StateConflict, match="已付款"):
        services.order_pay(actor=clerk, order=order, method=PaymentMethod.CASH)


def test_the_deduction_never_exceeds_the_cap(make_person, place, clerk, items):
    order = _for(make_person, place, youfu=True)
    services.price_set(actor=clerk, item=items["cremation"], price_fen=0, effective_from=order.ordered_on
                       + dt.timedelta(days=1), note="不影响已下单的订单")
    services.order_line_change(actor=clerk, line=order.lines.get(item=items["transport"]), quantity=3,
                               reason="多次接运")
    order = services.order_settle(actor=clerk, order=order)
    assert order.basic_cost_fen == 1350_00
    assert (order.subsidy_fen, order.payable_fen) == (980_00, order.total_fen - 980_00)


def test_a_refused_deceased_pays_everything_and_the_bill_says_why(make_person, place, clerk):
    order = _for(make_person, place, hukou_shanghai=False)
    assert subsidy_assess(order).eligible is False
    order = services.order_settle(actor=clerk, order=order)
    assert (order.subsidy_fen, order.payable_fen) == (0, order.total_fen)
    assert order.subsidy_reason.startswith("未抵扣：不符合") and "非本市户籍" in order.subsidy_reason


def test_an_undetermined_deceased_is_not_deducted_and_the_cost_goes_to_the_grant(place, clerk):
    order = place(transport=1, cold=2, cremation=1)  # not in the registry: unknown
    view = subsidy_assess(order)
    assert view.eligible is None and view.missing
    order = services.order_settle(actor=clerk, order=order)
    assert order.subsidy_fen == 0 and order.payable_fen == order.total_fen
    assert "待确认" in order.subsidy_reason


def test_a_zero_payable_order_is_paid_at_settlement(make_person, place, clerk):
    p = make_person(name="李四", birth=dt.date(1945, 1, 1), youfu=True)
    order = place(transport=1, cremation=1, id_number=decrypt(p.id_number_enc))  # 600 ≤ 980
    order = services.order_settle(actor=clerk, order=order)
    assert (order.subsidy_fen, order.payable_fen, order.payment_status, order.payment_method) == (
        600_00, 0, PaymentStatus.PAID, PaymentMethod.NONE_DUE)
