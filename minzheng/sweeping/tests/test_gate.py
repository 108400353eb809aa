"""The gate: check-in by reservation code (ADR 0026, "Gate")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minzheng.bookings.models import BookingStatus
from minzheng.core.errors import StateConflict
from minzheng.sweeping import codes, services
from minzheng.sweeping.models import PeakKind, SweepingSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_slot(users, area):
    """A slot today starting in a few minutes (skipped near midnight)."""
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=6)).replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=30)
    if end.date() != now.date():
        pytest.skip("too close to midnight for a slot today")
    period = services.period_create(actor=users["bureau"], kind=PeakKind.OTHER, title="今日", cemetery=area.cemetery,
                                    booking_opens_at=timezone.now() - dt.timedelta(hours=1))
    services.day_set(actor=users["bureau"], period=period, date=now.date(), times=f"{start:%H:%M}-{end:%H:%M}")
    services.period_generate_slots(actor=users["bureau"], period=period)
    return SweepingSlot.objects.select_related("slot").get(period=period)


@pytest.fixture
def reservation(cemetery_user, today_slot, person):
    name, number = person(40)
    return services.reserve(actor=cemetery_user, slot_id=today_slot.slot_id, name=name, id_number=number,
                            phone="13900002222", companions=1)


def test_check_in_once_then_refused(cemetery_user, cemetery, reservation, today_slot):
    at = today_slot.slot.start + dt.timedelta(minutes=1)
    typed = codes.display(reservation.code).lower()  # typed in lower case, with the dash
    done = services.check_in(actor=cemetery_user, code=typed, cemetery=cemetery, now=at)
    assert done.checked_in_at == at and done.booking.status == BookingStatus.ARRIVED
    with pytest.raises(StateConflict, match="已于.*核验入园，不能重复核验"):
        services.check_in(actor=cemetery_user, code=reservation.code, cemetery=cemetery, now=at)


def test_early_arrival_within_half_an_hour_is_let_in(cemetery_user, cemetery, reservation, today_slot):
    at = today_slot.slot.start - dt.timedelta(minutes=services.EARLY_ENTRY_MINUTES)
    assert services.check_in(actor=cemetery_user, code=reservation.code, cemetery=cemetery, now=at).checked_in_at


def test_outside_the_slot_is_refused(cemetery_user, cemetery, reservation, today_slot):
    with pytest.raises(ValidationError, match="尚未到入园时间"):
        services.check_in(actor=cemetery_user, code=reservation.code, cemetery=cemetery,
                          now=today_slot.slot.start - dt.timedelta(minutes=31))
    with pytest.raises(ValidationError, match="已结束"):
        services.check_in(actor=cemetery_user, code=reservation.code, cemetery=cemetery, now=today_slot.slot.end)


def test_another_cemetery_is_refused(cemetery_user, other_cemetery, reservation, today_slot):
    with pytest.raises(ValidationError, match="预约的是测试福寿园，不是测试泗泾公墓"):
        services.check_in(actor=cemetery_user, code=reservation.code, cemetery=other_cemetery,
                          now=today_slot.slot.start)


def test_another_day_is_refused(cemetery_user, cemetery, sweeping_slots, person):
    name, number = person(41)
    r = services.reserve(actor=cemetery_user, slot_id=sweeping_slots[0].slot_id, name=name, id_number=number,
                         phone="13900002222")
    with pytest.raises(ValidationError, match="不是今天"):
        services.check_in(actor=cemetery_user, code=r.code, cemetery=cemetery)


def test_a_cancelled_or_unknown_code_is_refused(cemetery_user, cemetery, reservation, today_slot):
    with pytest.raises(ValidationError, match="不存在"):
        services.check_in(actor=cemetery_user, code="ZZZZ-ZZZZ", cemetery=cemetery, now=today_slot.slot.start)
    services.cancel(actor=cemetery_user, reservation=reservation, reason="改期")
    with pytest.raises(StateConflict, match="已取消"):
        services.check_in(actor=cemetery_user, code=reservation.code, cemetery=cemetery, now=today_slot.slot.start)


def test_staff_of_another_street_do_not_see_the_cemetery(users, cemetery, reservation, today_slot):
    from minzheng.core.models import Role
    from minzheng.core.scope import OutOfScope
    from minzheng.core.services import user_create

    sijing_staff = user_create(actor="test", username="sijing-gate", password="pass-12345", role=Role.CEMETERY,
                               scope_code="310117102")
    with pytest.raises(OutOfScope):
        services.check_in(actor=sijing_staff, code=reservation.code, cemetery=cemetery, now=today_slot.slot.start)
