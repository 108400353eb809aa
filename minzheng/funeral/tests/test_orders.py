"""Orders: dated prices, recorded changes, the bill, the hall booking on the
booking core, the subsidy deduction seam and the death report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minzheng.bookings.models import BookingStatus, Slot
from minzheng.bookings.services import SlotFull
from minzheng.core.errors import StateConflict
from minzheng.core.models import AuditEntry
from minzheng.funeral import services
from minzheng.funeral.billing import bill_of
from minzheng.funeral.models import ChangeKind, Channel

pytestmark = pytest.mark.django_db


def test_an_order_uses_the_price_in_force_on_its_date(place, items, clerk):
    today = timezone.localdate()
    services.price_set(actor=clerk, item=items["urn"], price_fen=350_00, effective_from=today, note="调价")
    before = place(urn=1, ordered_on=today - dt.timedelta(days=1))
    after = place(urn=1)
    assert before.lines.get().unit_price_fen == 300_00
    assert after.lines.get().unit_price_fen == 350_00
    # a line added later to the older order still uses the older order's date
    line = services.order_line_add(actor=clerk, order=before, item=items["storage"], quantity=1, reason="家属要求")
    assert line.unit_price_fen == 100_00


def test_a_price_is_not_back_dated_under_an_existing_order(place, items, clerk):
    today = timezone.localdate()
    place(urn=1, ordered_on=today - dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="不能追溯调价"):
        services.price_set(actor=clerk, item=items["urn"], price_fen=1, effective_from=today - dt.timedelta(days=5),
                           note="补录")
    # a future change is fine, and the day's price stays the old one until then
    services.price_set(actor=clerk, item=items["urn"], price_fen=310_00, effective_from=today + dt.timedelta(days=1),
                       note="明日调价")
    assert place(urn=1).lines.get().unit_price_fen == 300_00


def test_every_change_to_items_is_recorded_with_who_when_why(place, items, clerk):
    order = place(transport=1, cold=2)
    cold = order.lines.get(item=items["cold"])
    services.order_line_change(actor=clerk, line=cold, quantity=6, reason="延期火化")
    services.order_line_add(actor=clerk, order=order, item=items["urn"], quantity=1, reason="家属选购")
    services.order_line_remove(actor=clerk, line=order.lines.get(item=items["transport"]), reason="家属自行接运")
    changes = list(order.changes.order_by("id"))
    assert [(c.kind, c.item_name, c.quantity_before, c.quantity_after, c.amount_change_fen, c.reason, c.changed_by)
            for c in changes] == [
        (ChangeKind.QUANTITY, "遗体冷藏", 2, 6, 200_00, "延期火化", "funeral"),
        (ChangeKind.ADD, "骨灰盒（普通）", None, 1, 300_00, "家属选购", "funeral"),
        (ChangeKind.REMOVE, "遗体接运", 1, None, -200_00, "家属自行接运", "funeral"),
    ]
    assert AuditEntry.objects.filter(action="funeral.order.change", object_id=str(order.pk)).count() == 3
    with pytest.raises(ValidationError, match="变更原因"):
        services.order_line_change(actor=clerk, line=cold, quantity=4, reason=" ")


def test_basic_cost_counts_refrigeration_up_to_five_days_and_storage_up_to_one_year(place):
    order = place(transport=1, cold=7, cremation=1, storage=3, urn=1)
    bill = bill_of(order)
    assert bill.total_fen == 200_00 + 7 * 50_00 + 400_00 + 3 * 100_00 + 300_00
    assert bill.basic_cost_fen == 200_00 + 5 * 50_00 + 400_00 + 1 * 100_00


def test_an_overlapping_hall_booking_is_refused_by_the_capacity(place, hall_slots, clerk, items):
    first = place(transport=1, hall_slot=hall_slots[0])
    first.refresh_from_db()
    assert first.hall_booking.status == BookingStatus.CONFIRMED
    assert first.lines.get(for_hall=True).amount_fen == 150_00
    second = place(transport=1)
    with pytest.raises(SlotFull):
        services.order_hall_book(actor=clerk, order=second, slot=hall_slots[0], reason="家属预约")
    assert Slot.objects.get(pk=hall_slots[0].pk).booked == 1
    # cancelling the first order gives the place back; then the second may take it
    services.order_cancel(actor=clerk, order=first, reason="家属改期")
    assert Slot.objects.get(pk=hall_slots[0].pk).booked == 0
    services.order_hall_book(actor=clerk, order=second, slot=hall_slots[0], reason="家属预约")
    assert second.changes.get().kind == ChangeKind.HALL_BOOK


def test_one_open_order_per_deceased(place):
    order = place(transport=1)
    number = services.decrypt(order.deceased_id_enc)
    with pytest.raises(StateConflict, match="已有订单"):
        place(transport=1, id_number=number)


def test_order_numbers_are_a_series_per_year(place):
    numbers = [place(transport=1).number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"FH310117-{year}-{n:06d}" for n in (1, 2, 3)]


def test_refusals_are_collected_in_chinese(place):
    with pytest.raises(ValidationError) as err:
        place(transport=1, id_number="310117194002031234", death_date=timezone.localdate() + dt.timedelta(days=2))
    text = "；".join(err.value.messages)
    assert "身份证" in text and "死亡日期不能晚于下单日期" in text


def test_cremation_done_reports_the_death_and_links_the_record(place, clerk, make_person):
    from conftest import make_id_number  # noqa: F401  (the person's number comes from make_person)
    from minzheng.core.personal_data import decrypt
    from minzheng.deaths.models import DeathRecord, SourceKind

    person = make_person(name="王大明", birth=dt.date(1940, 2, 3))
    order = place(transport=1, cremation=1, id_number=decrypt(person.id_number_enc))
    assert order.person_id == person.pk
    order = services.order_cremation_done(actor=clerk, order=order)
    record = DeathRecord.objects.get(pk=order.death_record_id)
    assert record.person_id == person.pk
    report = record.reports.get()
    assert (report.source, report.reference) == (SourceKind.FUNERAL_HOME, order.number)
    person.refresh_from_db()
    assert person.alive is False
    with pytest.raises(StateConflict, match="火化已完成"):
        services.order_cancel(actor=clerk, order=order, reason="x")
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("funeral:order_detail", args=[order.pk])).content.decode()
    assert reverse("deaths:record_detail", args=[record.pk]) in page


def test_online_orders_come_only_through_the_channel_given(place):
    assert place(transport=1, channel=Channel.ONLINE).get_channel_display() == "网上（白事管家）"


def test_a_cremation_already_reported_is_not_reported_twice(place, clerk):
    from minzheng.core.personal_data import decrypt
    from minzheng.deaths.models import DeathReport, SourceKind
    from minzheng.deaths.services import death_report

    order = place(transport=1, cremation=1)
    number = decrypt(order.deceased_id_enc)
    earlier = death_report(actor=clerk, source=SourceKind.FUNERAL_HOME, id_number=number, name="王大明",
                           death_date=order.death_date, reference="火化-纸质")
    order = services.order_cremation_done(actor=clerk, order=order)
    assert order.death_record_id == earlier.pk
    assert DeathReport.objects.filter(record=earlier).count() == 1


def test_a_hall_cancelled_on_the_booking_pages_is_not_charged_twice(place, hall_slots, clerk, users):
    from minzheng.bookings.services import cancel

    order = place(transport=1, hall_slot=hall_slots[0])
    order.refresh_from_db()
    cancel(order.hall_booking, clerk, "家属电话改期")  # on the booking core's own page
    services.order_hall_book(actor=clerk, order=order, slot=hall_slots[2], reason="改约")
    assert order.lines.filter(for_hall=True).count() == 1
    assert [c.kind for c in order.changes.order_by("id")] == [ChangeKind.HALL_CANCEL, ChangeKind.HALL_BOOK]
    assert bill_of(order).total_fen == 200_00 + 150_00
