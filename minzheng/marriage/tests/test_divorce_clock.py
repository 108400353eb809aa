"""The divorce cooling-off clock (民法典 art. 1077, 201, 203) on the real
holiday table: Spring Festival and National Day 2025/2026 with their make-up
working days; withdrawal, appearance, deemed withdrawal, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from minzheng.core.models import AuditEntry
from minzheng.core.workdays import HolidayArrangementMissing
from minzheng.jobs.models import Job
from minzheng.marriage.clock import (
    APPEARANCE,
    COOLING_OFF,
    EXPIRED,
    days_left,
    divorce_clock,
    phase,
)
from minzheng.marriage.models import CertificateKind, DivorceStatus, MarriageStatus
from minzheng.marriage.services import (
    divorce_apply,
    divorce_expire,
    divorce_register,
    divorce_withdraw,
    marriage_register,
)
from minzheng.marriage.tests.conftest import couple

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat

# received → (last day to withdraw, last day to appear); hand-checked against the
# State Council arrangements in the holiday table (core migration 0003).
CASES = [
    # 30th day 2025-01-29 is in the 2025 Spring Festival (1-28..2-04): moved to Wed 2-05;
    # the appearance window counts from the day after the EXTENDED end: 2-05 + 30 = Fri 3-07
    ("2024-12-30", "2025-02-05", "2025-03-07"),
    # 30th day is Sat 2025-02-08, a make-up working day: not moved
    ("2025-01-09", "2025-02-08", "2025-03-10"),
    # appearance: 2025-09-03 + 30 = 10-03, inside National Day (10-01..10-08): Thu 10-09
    ("2025-08-04", "2025-09-03", "2025-10-09"),
    # 30th day Sun 2026-02-15, first day of the 2026 Spring Festival (2-15..2-23): Tue 2-24
    ("2026-01-16", "2026-02-24", "2026-03-26"),
    # 30th day 2026-10-01, National Day (10-01..10-07): Thu 10-08; then 11-07 is a Saturday: Mon 11-09
    ("2026-09-01", "2026-10-08", "2026-11-09"),
    # 30th day Sun 2026-09-20, a make-up working day for National Day: not moved
    ("2026-08-21", "2026-09-20", "2026-10-20"),
    # ordinary working days: received + 30, + 30
    ("2026-03-09", "2026-04-08", "2026-05-08"),
]


@pytest.mark.parametrize("received, withdrawal_until, appear_until", CASES)
def test_the_clock_across_holidays_and_make_up_days(received, withdrawal_until, appear_until):
    clock = divorce_clock(D(received))
    assert (clock.withdrawal_until, clock.appear_until) == (D(withdrawal_until), D(appear_until))
    assert clock.appear_from == D(withdrawal_until) + dt.timedelta(days=1)


def test_a_year_without_a_holiday_arrangement_is_an_error_that_says_so():
    with pytest.raises(HolidayArrangementMissing, match="2027年节假日安排尚未录入"):
        divorce_clock(D("2026-12-20"))  # the 30th day is in 2027


def test_phase_and_days_left():
    clock = divorce_clock(D("2026-03-09"))
    assert phase(withdrawal_until=clock.withdrawal_until, appear_until=clock.appear_until,
                 today=D("2026-04-08")) == COOLING_OFF
    assert phase(withdrawal_until=clock.withdrawal_until, appear_until=clock.appear_until,
                 today=D("2026-04-09")) == APPEARANCE
    assert phase(withdrawal_until=clock.withdrawal_until, appear_until=clock.appear_until,
                 today=D("2026-05-09")) == EXPIRED
    assert days_left(D("2026-04-08"), D("2026-04-08")) == 1 and days_left(D("2026-04-08"), D("2026-04-09")) == 0
    assert days_left(D("2026-04-08"), D("2026-03-10")) == 30


def test_the_cli_prints_the_clock_as_json():
    out = io.StringIO()
    call_command("marriage_clock", received="2024-12-30", stdout=out)
    assert json.loads(out.getvalue()) == {"received": "2024-12-30", "withdrawal_until": "2025-02-05",
                                          "appear_until": "2025-03-07"}
    with pytest.raises(CommandError, match="收到申请日期"):
        call_command("marriage_clock", received="2026-02-30", stdout=io.StringIO())
    with pytest.raises(CommandError, match="2027年节假日安排尚未录入"):
        call_command("marriage_clock", received="2026-12-20", stdout=io.StringIO())


@pytest.fixture
def marriage(registrar):
    man, woman = couple()
    return marriage_register(actor=registrar, first=man, second=woman, registered_on=D("2024-05-20"))


def _apply(registrar, marriage, received="2024-12-30"):
    return divorce_apply(actor=registrar, marriage=marriage, agreement_text="双方自愿离婚，无子女，财产已分割。",
                         received_on=D(received), both_present=True)


def test_an_application_stores_its_clock_and_needs_both_parties_and_the_agreement(registrar, marriage):
    with pytest.raises(ValidationError, match="双方亲自到场"):
        divorce_apply(actor=registrar, marriage=marriage, agreement_text="协议", received_on=D("2024-12-30"))
    with pytest.raises(ValidationError, match="离婚协议书"):
        divorce_apply(actor=registrar, marriage=marriage, received_on=D("2024-12-30"), both_present=True)
    application = _apply(registrar, marriage)
    assert (application.withdrawal_until, application.appear_until) == (D("2025-02-05"), D("2025-03-07"))
    assert application.status == DivorceStatus.PENDING and not application.cross_province
    assert application.documents.get().kind == "divorce_agreement"
    with pytest.raises(ValidationError, match="已有办理中的离婚登记申请"):
        _apply(registrar, marriage, "2025-01-02")


def test_withdrawal_is_possible_on_the_extended_last_day_and_not_after(registrar, marriage):
    application = _apply(registrar, marriage)
    with pytest.raises(ValidationError, match="冷静期已于2025年2月5日届满"):
        divorce_withdraw(actor=registrar, application=application, party_sex="F", on=D("2025-02-06"))
    done = divorce_withdraw(actor=registrar, application=application, party_sex="F", on=D("2025-02-05"))
    assert done.status == DivorceStatus.WITHDRAWN and done.withdrawn_by == "女方赵敏"
    marriage.refresh_from_db()
    assert marriage.status == MarriageStatus.IN_FORCE
    _apply(registrar, marriage, "2025-03-01")  # a new application may follow


def test_divorce_is_registered_only_inside_the_appearance_window(registrar, marriage):
    application = _apply(registrar, marriage)
    with pytest.raises(ValidationError, match="冷静期至2025年2月5日届满"):
        divorce_register(actor=registrar, application=application, both_present=True, on=D("2025-02-05"))
    with pytest.raises(ValidationError, match="须双方亲自到场"):
        divorce_register(actor=registrar, application=application, both_present=False, on=D("2025-02-06"))
    with pytest.raises(ValidationError, match="到场期限已于2025年3月7日届满"):
        divorce_register(actor=registrar, application=application, both_present=True, on=D("2025-03-08"))
    done = divorce_register(actor=registrar, application=application, both_present=True, on=D("2025-03-07"))
    assert done.status == DivorceStatus.REGISTERED and done.registered_on == D("2025-03-07")
    marriage.refresh_from_db()
    assert marriage.status == MarriageStatus.DIVORCED and marriage.ended_on == D("2025-03-07")
    numbers = sorted(done.certificates.values_list("number", flat=True))
    assert numbers == ["L310117-2025-000001", "L310117-2025-000002"]
    assert set(done.certificates.values_list("kind", flat=True)) == {CertificateKind.DIVORCE}
    with pytest.raises(ValidationError, match="已登记离婚"):
        divorce_withdraw(actor=registrar, application=done, party_sex="M", on=D("2025-03-07"))


def test_deemed_withdrawal_runs_once(registrar, marriage):
    application = _apply(registrar, marriage)
    assert divorce_expire(actor="cli", today=D("2025-03-07")) == 0  # the last day itself is still open
    assert divorce_expire(actor="cli", today=D("2025-03-08")) == 1
    assert divorce_expire(actor="cli", today=D("2025-03-08")) == 0
    assert divorce_expire(actor="cli", today=D("2025-04-01")) == 0
    application.refresh_from_db()
    assert application.status == DivorceStatus.DEEMED_WITHDRAWN and application.closed_on == D("2025-03-08")
    assert AuditEntry.objects.filter(action="marriage.divorce_deemed_withdrawn").count() == 1


def test_the_expire_command_is_a_recorded_idempotent_job(registrar, marriage):
    _apply(registrar, marriage)
    out = io.StringIO()
    call_command("marriage_expire", today="2025-03-10", stdout=out)
    first = json.loads(out.getvalue())
    assert first["deemed_withdrawn"] == 1
    out = io.StringIO()
    call_command("marriage_expire", today="2025-03-10", stdout=out)
    assert json.loads(out.getvalue())["deemed_withdrawn"] == 0
    jobs = Job.objects.filter(kind="marriage_expire").order_by("id")
    assert [j.status for j in jobs] == ["succeeded", "succeeded"]
    assert "1 件" in jobs[0].summary and "0 件" in jobs[1].summary
    with pytest.raises(CommandError, match="执行日期"):
        call_command("marriage_expire", today="2025-13-01", stdout=io.StringIO())


@pytest.fixture
def late_december(monkeypatch):
    monkeypatch.setattr("minzheng.marriage.services._today", lambda: D("2026-12-20"))


def test_an_application_is_received_even_when_a_last_day_falls_in_an_unrecorded_year(registrar, users, marriage,
                                                                                      late_december):
    from minzheng.core.workdays import holiday_year_record
    from minzheng.marriage.services import divorce_clocks_complete

    application = _apply(registrar, marriage, "2026-12-20")
    assert application.withdrawal_until is None and application.appear_until is None
    assert phase(withdrawal_until=None, appear_until=None, today=D("2027-01-19"),
                 received=D("2026-12-20")) == COOLING_OFF
    with pytest.raises(ValidationError, match="2027年节假日安排尚未录入"):
        divorce_withdraw(actor=registrar, application=application, party_sex="M", on=D("2027-01-20"))
    with pytest.raises(ValidationError, match="2027年节假日安排尚未录入"):
        divorce_register(actor=registrar, application=application, both_present=True, on=D("2027-02-20"))
    assert divorce_expire(actor="cli", today=D("2027-06-01")) == 0  # unknown last day: never expired on a guess
    # the bureau records 2027 (a made-up arrangement for the test: only New Year's Day)
    holiday_year_record(actor=users["bureau"], year=2027, source="测试用安排", holidays=[(D("2027-01-01"), "元旦")],
                        workdays=[])
    assert divorce_clocks_complete(actor="cli") == 1
    application.refresh_from_db()
    # 2026-12-20 + 30 = Tue 2027-01-19; + 30 = Thu 2027-02-18
    assert (application.withdrawal_until, application.appear_until) == (D("2027-01-19"), D("2027-02-18"))
    assert divorce_clocks_complete(actor="cli") == 0


def test_a_withdrawal_inside_the_sure_part_of_an_unknown_period_is_accepted(registrar, marriage, late_december):
    application = _apply(registrar, marriage, "2026-12-20")
    done = divorce_withdraw(actor=registrar, application=application, party_sex="F", on=D("2027-01-19"))
    assert done.status == DivorceStatus.WITHDRAWN


def test_an_uploaded_agreement_is_sealed_at_rest_and_downloaded_by_the_registrar_only(registrar, users, marriage):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from minzheng.core.models import AuditEntry

    content = "离婚协议书：双方自愿离婚，子女由女方抚养，房产归男方。".encode()
    application = divorce_apply(actor=registrar, marriage=marriage, received_on=D("2024-12-30"), both_present=True,
                                agreement_file=SimpleUploadedFile("协议书.pdf", content))
    document = application.documents.get()
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert content not in stored and "房产".encode() not in stored  # sealed, not the plain file
    client = Client()
    client.force_login(registrar)
    page = client.get(reverse("marriage:divorce_detail", args=[application.pk])).content.decode()
    url = reverse("marriage:document_download", args=[document.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == content
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="marriage.record_view", object_id=str(marriage.pk),
                                     changes__purpose="下载离婚协议书").exists()
    other = Client()
    other.force_login(users["bureau"])
    assert other.get(url).status_code == 403
    # a file altered on disk is refused, not served
    from django.core.files.base import ContentFile

    storage, name = document.file.storage, document.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(stored[:-1] + bytes([stored[-1] ^ 1]))) == name
    assert client.get(url).status_code == 302


def test_divorce_is_registered_from_the_application_page(registrar, marriage):
    from django.test import Client
    from django.urls import reverse

    application = _apply(registrar, marriage)  # appearance window 2025-02-06 … 2025-03-07
    client = Client()
    client.force_login(registrar)
    url = reverse("marriage:divorce_register", args=[application.pk])
    client.post(url, {})  # no date: refused with a message, nothing changes
    application.refresh_from_db()
    assert application.status == DivorceStatus.PENDING
    response = client.post(url, {"on": "2025-02-10", "both_present": "on"}, follow=True)
    application.refresh_from_db()
    assert application.status == DivorceStatus.REGISTERED
    numbers = list(application.certificates.values_list("number", flat=True))
    assert len(numbers) == 2 and all(n in response.content.decode() for n in numbers)
