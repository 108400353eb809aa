"""The demo marriage archive reproduces the bureau's 2023 report through the
statistics service (the seed path and the counting are both checked: a
wrong split, a lost record or a miscounted month fails here)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.demo.marriage import (
    SEED_2023,
    SEED_2023_SHARES,
    demo_registrar,
    marriage_archive_seed,
    split,
)
from minzheng.marriage.models import (
    DivorceApplication,
    DivorceStatus,
    MarriageCertificate,
    MarriageRegistration,
)
from minzheng.marriage.statistics import marriage_statistics

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 15)


@pytest.fixture
def seeded(users):
    registrar = demo_registrar("pass-12345")
    summary = marriage_archive_seed(registrar=registrar, seed=7, today=TODAY)
    return registrar, summary


def test_split_adds_up_and_follows_the_weights():
    assert split(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split(4845, [7, 8.5, 6, 6.5, 8.5, 7, 6.5, 9, 8.5, 10, 7, 7.5])) == 4845
    assert split(0, [1, 2]) == [0, 0]


def test_the_2023_statistics_are_the_reports_figures(seeded, users):
    stats = marriage_statistics(users["bureau"], 2023, today=TODAY)
    total = stats.total.counts
    assert (total["marriages"], total["divorce_applications"], total["divorces"], total["reissues"]) == (
        4845, 2707, 1895, 1445)
    period = stats.cross_period
    assert (period.first, period.last) == (dt.date(2023, 6, 1), dt.date(2023, 12, 31))
    assert (period.cross["marriages"], period.cross["divorce_applications"], period.cross["divorces"]) == (
        953, 402, 221)
    assert (period.base["marriages"], period.base["divorce_applications"], period.base["divorces"]) == (
        SEED_2023.marriages[1], SEED_2023.applications[1], SEED_2023.divorces[1])
    shares = tuple(str(period.share(key)) for key in ("marriages", "divorce_applications", "divorces"))
    assert shares == SEED_2023_SHARES
    # before the pilot no month has a cross-province figure; from June every month has one
    assert all(m.cross["marriages"] is None for m in stats.months[:5])
    assert all(m.cross["marriages"] is not None for m in stats.months[5:])
    assert "29.09%、22.31%、17.64%" in __import__("minzheng.marriage.statistics", fromlist=["headline"]).headline(stats)


def test_the_archive_keeps_the_rules(seeded):
    _registrar, summary = seeded
    # every registered divorce lies in its application's appearance window (民法典 art. 1077)
    for a in DivorceApplication.objects.filter(status=DivorceStatus.REGISTERED).only(
            "withdrawal_until", "appear_until", "registered_on", "received_on"):
        assert a.withdrawal_until < a.registered_on <= a.appear_until
        assert a.received_on < a.withdrawal_until
    # no cross-province registration before the pilot
    assert not MarriageRegistration.objects.filter(registered_on__lt=dt.date(2023, 6, 1), cross_province=True).exists()
    # a re-issue supersedes its certificate; numbers are unique and gap-free per series
    reissued = MarriageCertificate.objects.filter(reissue_of__isnull=False).select_related("reissue_of")
    assert all(c.reissue_of.status == "superseded" for c in reissued[:200])
    numbers = list(MarriageCertificate.objects.filter(number__startswith="J310117-2023-")
                   .order_by("number").values_list("number", flat=True))
    assert numbers[-1] == f"J310117-2023-{len(numbers):06d}"
    # open work for the registrar: applications in their cooling-off period or appearance window
    assert summary.open_applications > 0
    assert DivorceApplication.objects.filter(status=DivorceStatus.PENDING, withdrawal_until__gte=TODAY).exists()
    assert DivorceApplication.objects.filter(status=DivorceStatus.PENDING, withdrawal_until__lt=TODAY,
                                             appear_until__gte=TODAY).exists()
    assert summary.ceremonies == 8 + 1  # 2023: eight; 2024: 2月14日 (before 15 March)


def test_the_archive_is_deterministic_for_a_seed_and_done_once(seeded):
    registrar, _summary = seeded
    again = marriage_archive_seed(registrar=registrar, seed=7, today=TODAY)
    assert again.skipped
    first = list(MarriageRegistration.objects.order_by("id").values_list("registered_on", "cross_province")[:300])
    # the same seed draws the same records (compared with a fresh build in memory)
    from minzheng.demo.bulk_write import BulkWriter
    from minzheng.demo.marriage import Archive

    archive = Archive(seed=7, today=TODAY, writer=BulkWriter())
    archive.build(lambda _stage: None)
    drawn = sorted((m.day, m.cross, m.id - archive.marriages[0].id) for m in archive.marriages)
    stored = sorted((d, c, i) for i, (d, c) in enumerate(first))
    assert [(d, c) for d, c, _ in sorted(drawn, key=lambda t: t[2])][:300] == first
    assert len(stored) == 300


def test_todays_appointments_are_booked_through_the_booking_service(users):
    from django.utils import timezone

    from minzheng.bookings.models import Booking
    from minzheng.demo.bookings import bookings_seed
    from minzheng.demo.marriage import APPOINTMENT_PURPOSE, appointments_for_today_seed

    registrar = demo_registrar("pass-12345")
    today = timezone.localdate()
    bookings_seed(today=today)
    message = appointments_for_today_seed(registrar=registrar, today=today, seed=7)
    made = Booking.objects.filter(purpose=APPOINTMENT_PURPOSE)
    assert made.exists() and f"{made.count()} 对" in message
    assert len({b.slot.day for b in made}) == 1  # one day: today, or the next day with open slots
    again = appointments_for_today_seed(registrar=registrar, today=today, seed=7)
    assert "未重复生成" in again and Booking.objects.filter(purpose=APPOINTMENT_PURPOSE).count() == made.count()
