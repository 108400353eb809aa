"""The registrar's pages: register through the form, the audited record, the
certificate PDF, re-issue, the divorce pages with the clock; who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from minzheng.core.models import AuditEntry, Role
from minzheng.core.services import user_create
from minzheng.marriage.models import DivorceStatus, MarriageCertificate, MarriageRegistration
from minzheng.marriage.services import divorce_apply, marriage_register
from minzheng.marriage.tests.conftest import couple, party

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reg(registrar):
    man, woman = couple()
    return marriage_register(actor=registrar, first=man, second=woman, registered_on=dt.date(2026, 6, 1))


def _form(first, second, on="2026-06-01", **extra):
    data = {"registered_on": on}
    for prefix, p in (("p1", first), ("p2", second)):
        data.update({f"{prefix}-name": p.name, f"{prefix}-id_number": p.id_number,
                     f"{prefix}-domicile_province": p.domicile_province})
        if p.signed_no_spouse:
            data[f"{prefix}-signed_no_spouse"] = "on"
        if p.signed_no_kinship:
            data[f"{prefix}-signed_no_kinship"] = "on"
    return {**data, **extra}


def test_register_through_the_form_and_see_the_refusals(registrar):
    client = _client(registrar)
    assert client.get(reverse("marriage:registration_new")).status_code == 200
    young = party("李强", dt.date(2010, 1, 1), male=True)
    woman = party("赵敏", dt.date(1997, 1, 1), male=False)
    page = client.post(reverse("marriage:registration_new"), _form(young, woman)).content.decode()
    assert "不能登记" in page and "男方李强" in page and "未满22周岁" in page
    man = party("孙伟", dt.date(1990, 1, 1), male=True)
    response = client.post(reverse("marriage:registration_new"), _form(man, woman, booking="B-7"))
    reg = MarriageRegistration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("marriage:registration_detail",
                                                                            args=[reg.pk])
    assert reg.booking_ref == "B-7"


def test_every_view_of_a_record_is_audited_and_ids_are_masked(registrar, reg):
    client = _client(registrar)
    before = AuditEntry.objects.filter(action="marriage.record_view").count()
    page = client.get(reverse("marriage:registration_detail", args=[reg.pk])).content.decode()
    man = reg.parties.get(sex="M")
    assert man.id_number_masked in page and "李强" in page and "J310117-2026-000001" in page
    from minzheng.core.personal_data import decrypt

    assert decrypt(man.id_number_enc) not in page
    client.get(reverse("marriage:registration_detail", args=[reg.pk]))
    entries = AuditEntry.objects.filter(action="marriage.record_view").order_by("id")
    assert entries.count() == before + 2
    assert entries.last().actor == "registrar" and entries.last().object_id == str(reg.pk)
    listing = client.get(reverse("marriage:registration_list"), {"q": "李强"}).content.decode()
    assert man.id_number_masked in listing and decrypt(man.id_number_enc) not in listing
    by_number = client.get(reverse("marriage:registration_list"), {"q": decrypt(man.id_number_enc)})
    assert man.id_number_masked in by_number.content.decode()


def test_the_certificate_pdf_is_a_pdf_and_audited(registrar, reg):
    client = _client(registrar)
    certificate = reg.certificates.first()
    response = client.get(reverse("marriage:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="marriage.record_view",
                                     changes__purpose=f"打印证书 {certificate.number}").exists()


def test_reissue_from_the_page(registrar, reg):
    client = _client(registrar)
    certificate = reg.certificates.get(holder__sex="M")
    client.post(reverse("marriage:certificate_reissue", args=[certificate.pk]), {"reason": "遗失"})
    assert MarriageCertificate.objects.get(reissue_of=certificate).number == "BJ310117-2026-000001"


@pytest.fixture
def calendar_known_ahead(users):
    """The divorce clock needs the holiday arrangement of every year its two
    30-day periods touch; from December on that is next year, which the State
    Council publishes late. Years not yet recorded get a made-up arrangement
    (only New Year's Day) so the test does not depend on the day it runs."""
    from minzheng.core.models import HolidayYear
    from minzheng.core.workdays import holiday_year_record

    today = dt.date.today()
    for year in range(today.year, (today + dt.timedelta(days=70)).year + 1):
        if not HolidayYear.objects.filter(year=year).exists():
            holiday_year_record(actor=users["bureau"], year=year, source="测试用安排",
                                holidays=[(dt.date(year, 1, 1), "元旦")], workdays=[])


def test_divorce_pages_show_the_clock_with_days_left(registrar, reg, calendar_known_ahead):
    client = _client(registrar)
    today = dt.date.today()
    response = client.post(reverse("marriage:divorce_apply", args=[reg.pk]),
                           {"received_on": today.isoformat(), "both_present": "on", "agreement_text": "双方自愿离婚"})
    application = reg.divorce_applications.get()
    assert response["Location"] == reverse("marriage:divorce_detail", args=[application.pk])
    page = client.get(reverse("marriage:divorce_detail", args=[application.pk])).content.decode()
    assert "冷静期（可撤回）" in page and 'id="withdraw-left"' in page
    assert f"剩 {(application.withdrawal_until - today).days + 1} 天" in page
    listing = client.get(reverse("marriage:divorce_list")).content.decode()
    assert "冷静期（可撤回）" in listing and "剩 " in listing
    client.post(reverse("marriage:divorce_withdraw", args=[application.pk]),
                {"party_sex": "M", "on": today.isoformat(), "note": ""})
    application.refresh_from_db()
    assert application.status == DivorceStatus.WITHDRAWN and application.withdrawn_by == "男方李强"


@pytest.mark.parametrize("role", ["bureau", "street", "committee", "advisor", "auditor"])
def test_only_registrars_see_marriage_records(users, reg, role):
    client = _client(users[role])
    for url in (reverse("marriage:registration_list"), reverse("marriage:registration_detail", args=[reg.pk]),
                reverse("marriage:registration_new"), reverse("marriage:divorce_list"),
                reverse("marriage:certificate_pdf", args=[reg.certificates.first().pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("marriage:registration_new"), {}).status_code == 403
    assert not AuditEntry.objects.filter(action="marriage.record_view").exists()


def test_the_auditor_reads_the_audit_trail_of_record_views(users, registrar, reg):
    _client(registrar).get(reverse("marriage:registration_detail", args=[reg.pk]))
    page = _client(users["auditor"]).get(reverse("core:audit_list")).content.decode()
    assert "查阅婚姻登记档案" in page


def test_a_registrar_outside_the_district_office_sees_nothing(reg, district):
    street_registrar = user_create(actor="test", username="reg-street", password="pass-12345",
                                   role=Role.REGISTRAR, scope_code="310117001")
    client = _client(street_registrar)
    assert client.get(reverse("marriage:registration_detail", args=[reg.pk])).status_code == 404
    assert "李强" not in client.get(reverse("marriage:registration_list")).content.decode()


def test_registrar_menu_and_home(registrar, reg):
    client = _client(registrar)
    home = client.get("/").content.decode()
    assert reverse("marriage:registration_list") in home and reverse("marriage:divorce_list") in home
    assert reverse("registry:person_list") not in home  # a registrar sees no assistance data
    assert client.get(reverse("registry:person_list")).status_code == 403


def test_an_open_divorce_hides_a_second_application(registrar, reg):
    divorce_apply(actor=registrar, marriage=reg, agreement_text="协议", received_on=dt.date.today(),
                  both_present=True)
    page = _client(registrar).get(reverse("marriage:registration_detail", args=[reg.pk])).content.decode()
    assert "divorce-apply-form" not in page


def test_the_registrar_inbox_lists_divorces_awaiting_appearance(registrar, reg):
    application = divorce_apply(actor=registrar, marriage=reg, agreement_text="协议",
                                received_on=dt.date.today() - dt.timedelta(days=35), both_present=True)
    home = _client(registrar).get("/").content.decode()
    assert "可到场办理的离婚登记申请" in home
    if application.withdrawal_until and application.withdrawal_until < dt.date.today():
        assert reverse("marriage:divorce_detail", args=[application.pk]) in home
