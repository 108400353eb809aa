"""Appointments on the booking core: book a slot of the marriage office for the
couple, check in on the day, register from the booking (names and ID numbers
from the booking, never shown in full)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minzheng.bookings.models import BookingStatus, ResourceKind, Slot
from minzheng.bookings.services import resource_create, special_day_add
from minzheng.marriage.models import MarriageRegistration
from minzheng.marriage.services import (
    PartyFacts,
    appointment_book,
    appointment_check_in,
    marriage_register_from_booking,
)
from minzheng.marriage.tests.conftest import couple

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_slot(users, district):
    """A slot of the marriage office later today (open today as a special day, so the
    test does not depend on the holiday table or the weekday)."""
    office = resource_create(actor=users["bureau"], name="婚姻登记处1号窗口", kind=ResourceKind.MARRIAGE_WINDOW,
                             division=district["district"])
    today = timezone.localdate()
    special_day_add(actor=users["bureau"], resource=office, date=today, name="测试开放日")
    start = timezone.now() + dt.timedelta(minutes=5)
    return Slot.objects.create(resource=office, day=today, start=start, end=start + dt.timedelta(minutes=30),
                               capacity=2)


def _book(registrar, slot):
    man, woman = couple()
    return appointment_book(actor=registrar, slot=slot, first=(man.name, man.id_number),
                            second=(woman.name, woman.id_number)), man, woman


def test_book_check_in_and_register_from_the_booking(registrar, today_slot):
    booking, man, woman = _book(registrar, today_slot)
    assert booking.status == BookingStatus.CONFIRMED and booking.domain == "marriage"
    facts = [PartyFacts("31", True, True), PartyFacts("32", True, True)]
    with pytest.raises(ValidationError, match="须先登记到场"):
        marriage_register_from_booking(actor=registrar, booking=booking, facts=facts)
    appointment_check_in(actor=registrar, booking=booking)
    booking.refresh_from_db()
    registration = marriage_register_from_booking(actor=registrar, booking=booking, facts=facts)
    # one Shanghai party (31) and one from Jiangsu (32): not cross-province (跨省 = neither in Shanghai)
    assert registration.booking == booking and not registration.cross_province
    assert {p.name for p in registration.parties.all()} == {man.name, woman.name}
    with pytest.raises(ValidationError, match="已办理结婚登记"):
        marriage_register_from_booking(actor=registrar, booking=booking, facts=facts)


def test_the_same_person_cannot_hold_two_marriage_appointments(registrar, today_slot):
    booking, man, woman = _book(registrar, today_slot)
    with pytest.raises(ValidationError, match="已有一个有效的婚姻登记预约"):
        appointment_book(actor=registrar, slot=today_slot, first=(man.name, man.id_number),
                         second=("王芳", couple()[1].id_number))


def test_the_appointment_pages(registrar, today_slot):
    booking, man, _ = _book(registrar, today_slot)
    client = Client()
    client.force_login(registrar)
    page = client.get(reverse("marriage:appointments")).content.decode()
    assert "登记到场" in page and booking.parties.first().id_number_masked in page and man.id_number not in page
    response = client.post(reverse("marriage:appointment_check_in", args=[booking.pk]))
    assert response["Location"] == reverse("marriage:appointment_register", args=[booking.pk])
    form = client.get(response["Location"]).content.decode()
    assert man.id_number not in form and booking.parties.first().id_number_masked in form
    response = client.post(reverse("marriage:appointment_register", args=[booking.pk]), {
        "registered_on": timezone.localdate().isoformat(), "p1-domicile_province": "31", "p1-signed_no_spouse": "on",
        "p1-signed_no_kinship": "on", "p2-domicile_province": "31", "p2-signed_no_spouse": "on",
        "p2-signed_no_kinship": "on"})
    registration = MarriageRegistration.objects.get(booking=booking)
    assert response["Location"] == reverse("marriage:registration_detail", args=[registration.pk])
    assert "查看结婚登记" in client.get(reverse("marriage:appointments")).content.decode()


def test_bad_day_and_other_roles(registrar, users, today_slot):
    client = Client()
    client.force_login(registrar)
    assert client.get(reverse("marriage:appointments"), {"day": "9999-99-99"}).status_code == 200
    client.force_login(users["street"])
    assert client.get(reverse("marriage:appointments")).status_code == 403


def test_appointments_through_the_api(registrar, today_slot):
    token = Client().post("/api/v1/auth/token", {"username": "registrar", "password": "pass-12345"},
                          content_type="application/json").json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    man, woman = couple()
    body = {"slot_id": today_slot.pk, "parties": [{"name": man.name, "id_number": man.id_number},
                                                  {"name": woman.name, "id_number": woman.id_number}]}
    created = api.post("/api/v1/marriage/appointments", body, content_type="application/json")
    assert created.status_code == 201 and man.id_number not in created.content.decode()
    again = api.post("/api/v1/marriage/appointments", body, content_type="application/json")
    assert again.status_code in (409, 422) and "预约" in again.json()["detail"]
    appointment = created.json()["id"]
    listing = api.get("/api/v1/marriage/appointments").json()
    assert [a["id"] for a in listing] == [appointment] and listing[0]["status"] == "confirmed"
    facts = {"parties": [{"domicile_province": "31", "signed_no_spouse": True, "signed_no_kinship": True}] * 2}
    early = api.post(f"/api/v1/marriage/appointments/{appointment}/register", facts, content_type="application/json")
    assert early.status_code == 409
    assert api.post(f"/api/v1/marriage/appointments/{appointment}/check-in").status_code == 200
    done = api.post(f"/api/v1/marriage/appointments/{appointment}/register", facts, content_type="application/json")
    assert done.status_code == 201 and len(done.json()["certificates"]) == 2
    assert api.get("/api/v1/marriage/appointments", {"day": "0001-01-01"}).status_code == 422
