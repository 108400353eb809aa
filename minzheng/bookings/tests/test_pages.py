"""The staff pages for each role: who sees what (403 by role, 404 by scope),
the window booking form, the day and week views, the resource settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from minzheng.bookings.models import Booking, BookingStatus, Slot
from minzheng.bookings.services import book

pytestmark = pytest.mark.django_db


def login(client, users, name):
    client.force_login(users[name])
    return client


@pytest.mark.parametrize("role, status", [("bureau", 200), ("street", 200), ("other_street", 200),
                                          ("committee", 403), ("advisor", 403), ("auditor", 403)])
def test_the_resource_list_by_role(client, users, office, role, status):
    response = login(client, users, role).get(reverse("bookings:resource_list"))
    assert response.status_code == status
    if status == 200:
        assert "松江区婚姻登记处1号窗口" in response.content.decode()


def test_a_streets_resource_is_404_for_another_street(client, users, street_hall):
    assert login(client, users, "street").get(reverse("bookings:day", args=[street_hall.pk])).status_code == 404
    assert "思泾殡仪厅" not in client.get(reverse("bookings:resource_list")).content.decode()
    assert login(client, users, "other_street").get(reverse("bookings:day", args=[street_hall.pk])).status_code == 200


def test_settings_only_for_the_bureau(client, users, office):
    assert login(client, users, "street").get(reverse("bookings:resource_edit", args=[office.pk])).status_code == 403
    page = login(client, users, "bureau").get(reverse("bookings:resource_edit", args=[office.pk]))
    assert page.status_code == 200 and "时段规则" in page.content.decode()


def test_day_and_week_views_show_fill_and_masked_ids(client, users, office, slots, future_day, couple):
    people = couple()
    booking = book(slots[0], parties=people, purpose="结婚登记", actor=users["bureau"])
    day = login(client, users, "street").get(reverse("bookings:day", args=[office.pk]),
                                             {"date": future_day.isoformat()})
    text = day.content.decode()
    assert day.status_code == 200
    assert people[0][1] not in text and people[0][1][:6] + "*" * 11 + people[0][1][-1] in text
    assert f"预约 {booking.pk}" in text and "1 / 2" in text
    week = client.get(reverse("bookings:week", args=[office.pk]), {"date": future_day.isoformat()})
    assert week.status_code == 200 and "1 / 2" in week.content.decode()
    assert client.get(reverse("bookings:day", args=[office.pk]), {"date": "not-a-date"}).status_code == 200


def test_booking_at_the_window_and_cancelling(client, users, slot, couple):
    people = couple()
    login(client, users, "street")
    response = client.post(reverse("bookings:booking_new", args=[slot.pk]), {
        "name_1": people[0][0], "id_number_1": people[0][1], "name_2": people[1][0], "id_number_2": people[1][1],
        "purpose": "结婚登记", "contact_phone": "13812345678"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.status == BookingStatus.CONFIRMED
    detail = client.get(reverse("bookings:booking_detail", args=[booking.pk])).content.decode()
    assert "已记录（未接入短信平台）" in detail and "138****5678" in detail
    # the same couple again: refused with the reason, nothing booked
    again = client.post(reverse("bookings:booking_new", args=[slot.pk]), {
        "name_1": people[0][0], "id_number_1": people[0][1], "purpose": "结婚登记"}, follow=True)
    assert "该身份证号码已有一个有效的婚姻登记预约" in again.content.decode()
    client.post(reverse("bookings:booking_act", args=[booking.pk, "cancel"]), {"reason": "改期"})
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_a_bad_id_number_is_a_message_not_an_error(client, users, slot):
    response = login(client, users, "bureau").post(reverse("bookings:booking_new", args=[slot.pk]), {
        "name_1": "张三", "id_number_1": "123", "purpose": "结婚登记"}, follow=True)
    assert response.status_code == 200 and "身份证号码应为18位" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_bureau_sets_up_a_resource_from_the_pages(client, users, district):
    login(client, users, "bureau")
    client.post(reverse("bookings:resource_new"), {"name": "2号窗口", "kind": "marriage_window",
                                                  "division": "310117", "note": ""})
    from minzheng.bookings.models import Resource

    resource = Resource.objects.get(name="2号窗口")
    edit = reverse("bookings:resource_edit", args=[resource.pk])
    client.post(edit, {"op": "template", "weekdays": ["1", "2", "3", "4", "5"], "day_start": "13:30",
                       "day_end": "16:30", "slot_minutes": "30", "capacity": "6"})
    day = dt.date(2026, 8, 19)  # 七夕 2026 is a Wednesday; a special day anyway
    client.post(edit, {"op": "special", "date": day.isoformat(), "name": "七夕"})
    client.post(edit, {"op": "generate", "date_from": day.isoformat(), "date_to": day.isoformat()})
    assert Slot.objects.filter(resource=resource, day=day).count() == 6
    assert client.post(edit, {"op": "bogus"}).status_code == 302


def test_committee_and_other_roles_cannot_act(client, users, office, slots, couple):
    booking = book(slots[0], parties=couple(), purpose="结婚登记", actor=users["bureau"])
    login(client, users, "auditor")
    assert client.post(reverse("bookings:booking_act", args=[booking.pk, "cancel"]),
                       {"reason": "x"}).status_code == 403
    assert client.get(reverse("bookings:booking_new", args=[slots[1].pk])).status_code == 403


def test_hostile_numbers_and_dates_are_refused_not_errors(client, users, office):
    login(client, users, "bureau")
    huge = 2**64
    for path in (f"/bookings/{huge}/", f"/bookings/resources/{huge}/day/", f"/bookings/slots/{huge}/book/"):
        assert client.get(path).status_code == 404, path
    edit = reverse("bookings:resource_edit", args=[office.pk])
    assert client.post(edit, {"op": "closure_remove", "pk": str(huge)}).status_code == 404
    assert client.post(edit, {"op": "closure_remove", "pk": "NaN"}).status_code == 404
    for day in ("9999-12-31", "0001-01-01"):
        response = client.post(edit, {"op": "generate", "date_from": day, "date_to": day}, follow=True)
        assert response.status_code == 200 and "节假日安排尚未录入" in response.content.decode()
    response = client.post(edit, {"op": "closure", "date_from": "9999-12-31", "date_to": "9999-12-31",
                                  "reason": "长" * 3000}, follow=True)
    assert response.status_code == 200
    assert client.get(reverse("bookings:week", args=[office.pk]), {"date": "9999-12-31"}).status_code == 200
