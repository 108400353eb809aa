"""The caregiver register (ADR 0028): ID numbers validated and kept like the
registry's, the certified share computed per employer and district, the
training target tracked, scope through the employer (UI and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from conftest import make_id_number
from minzheng.caregivers import services
from minzheng.caregivers.figures import share_by_employer, share_total, trained_progress
from minzheng.caregivers.models import Caregiver, CertificateLevel
from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 12, 20)


def _add(actor, employer, name="王护理", level="", number="", **extra):
    return services.caregiver_create(actor=actor, name=name, id_number=make_id_number(dt.date(1975, 3, 3)),
                                     employer=employer, certificate_level=level, certificate_number=number,
                                     certificate_issued_on=dt.date(2020, 1, 1) if level else None, today=TODAY,
                                     **extra)


def test_id_number_validated_stored_encrypted_and_masked(users, homes):
    with pytest.raises(ValidationError, match="校验位错误"):
        services.caregiver_create(actor=users["bureau"], name="甲", id_number="310117197503030010",
                                  employer=homes["a"], today=TODAY)
    number = make_id_number(dt.date(1975, 3, 3), male=False)
    caregiver = services.caregiver_create(actor=users["bureau"], name="甲", id_number=number, employer=homes["a"],
                                          today=TODAY)
    assert decrypt(caregiver.id_number_enc) == number and number not in caregiver.id_number_masked
    assert caregiver.id_number_masked.startswith("310117") and "*" in caregiver.id_number_masked
    assert (caregiver.birth_date, caregiver.sex) == (dt.date(1975, 3, 3), "F")
    with pytest.raises(ValidationError, match="已登记"):
        services.caregiver_create(actor=users["bureau"], name="甲", id_number=number, employer=homes["b"], today=TODAY)
    entry = AuditEntry.objects.get(action="caregiver.create")
    assert entry.changes["id_number"] == caregiver.id_number_masked


def test_certified_share_per_employer_and_district(users, homes):
    assert share_total(users["bureau"]).percent is None  # no caregiver: no figure, not 0 %
    a, b = homes["a"], homes["b"]
    _add(users["bureau"], a, "甲", CertificateLevel.JUNIOR, "Z1")
    _add(users["bureau"], a, "乙", CertificateLevel.SENIOR, "Z2")
    _add(users["bureau"], a, "丙")
    gone = _add(users["bureau"], a, "丁")
    services.caregiver_update(actor=users["bureau"], caregiver=gone, active=False, left_on=dt.date(2024, 6, 1),
                              today=TODAY)
    _add(users["bureau"], b, "戊", CertificateLevel.INTERMEDIATE, "Z3")
    shares = share_by_employer(users["bureau"])
    assert (shares[a.pk].certified, shares[a.pk].total, shares[a.pk].percent) == (2, 3, 66.7)
    assert shares[b.pk].percent == 100.0
    total = share_total(users["bureau"])
    assert (total.certified, total.total, total.percent) == (3, 4, 75.0)
    assert share_total(users["street"]).percent == 66.7  # 岳阳 only


def test_training_to_intermediate_or_above_tracks_the_target(users, homes):
    a, b = homes["a"], homes["b"]
    one, two, three = _add(users["bureau"], a, "甲"), _add(users["bureau"], a, "乙"), _add(users["bureau"], b, "丙")
    services.training_add(actor=users["bureau"], caregiver=one, course="养老护理员（中级）", hours=120,
                          started_on=dt.date(2024, 3, 1), ended_on=dt.date(2024, 5, 1),
                          resulting_level=CertificateLevel.INTERMEDIATE, certificate_number="Z-1", today=TODAY)
    services.training_add(actor=users["bureau"], caregiver=one, course="高级", hours=150,
                          started_on=dt.date(2024, 6, 1), ended_on=dt.date(2024, 9, 1),
                          resulting_level=CertificateLevel.SENIOR, certificate_number="Z-2", today=TODAY)
    services.training_add(actor=users["bureau"], caregiver=two, course="初级", hours=80,
                          started_on=dt.date(2024, 3, 1), ended_on=dt.date(2024, 4, 1),
                          resulting_level=CertificateLevel.JUNIOR, certificate_number="Z-3", today=TODAY)
    services.training_add(actor=users["bureau"], caregiver=three, course="中级", hours=120,
                          started_on=dt.date(2023, 9, 1), ended_on=dt.date(2023, 12, 1),
                          resulting_level=CertificateLevel.INTERMEDIATE, certificate_number="Z-4", today=TODAY)
    with pytest.raises(ValidationError, match="新证书编号"):
        services.training_add(actor=users["bureau"], caregiver=three, course="高级", hours=1,
                              started_on=dt.date(2024, 1, 1), ended_on=dt.date(2024, 1, 2),
                              resulting_level=CertificateLevel.SENIOR, today=TODAY)
    progress = trained_progress(users["bureau"], 2024)
    assert (progress.done, progress.by_street, progress.target.target) == (1, {"310117001": 1}, 297)
    one.refresh_from_db()
    assert (one.certificate_level, one.certificate_number, one.certificate_issued_on) == (
        CertificateLevel.SENIOR, "Z-2", dt.date(2024, 9, 1))
    assert trained_progress(users["bureau"], 2023).target is None


def test_operator_sees_and_keeps_only_its_own_caregivers(users, homes, operator):
    mine, theirs = _add(users["bureau"], homes["a"], "甲"), _add(users["bureau"], homes["b"], "乙")
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("caregivers:list")).content.decode()
    assert "甲" in page and mine.id_number_masked in page and "测试泗泾养老院" not in page
    assert client.get(reverse("caregivers:detail", args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/v1/eldercare/caregivers/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/eldercare/caregivers/{mine.pk}").json()["certificate_level_label"] == "未持证"
    with pytest.raises(Http404):
        _add(operator, homes["b"], "丙")
    answer = client.post("/api/v1/eldercare/caregivers", {
        "name": "丁", "id_number": make_id_number(dt.date(1980, 1, 1)), "employer": homes["b"].pk},
        content_type="application/json")
    assert answer.status_code == 404
    answer = client.post("/api/v1/eldercare/caregivers", {
        "name": "丁", "id_number": make_id_number(dt.date(1980, 1, 1)), "employer": homes["a"].pk,
        "certificate_level": "intermediate", "certificate_number": "Z9", "certificate_issued_on": "2023-01-01"},
        content_type="application/json")
    assert answer.status_code == 201 and answer.json()["certificate_level_label"] == "中级"
    figures = client.get("/api/v1/eldercare/caregivers/figures/2024").json()
    assert (figures["caregivers"], figures["certified"], figures["certified_percent"]) == (2, 1, 50.0)
    assert Caregiver.objects.count() == 3


def test_pages_work_for_the_bureau(users, homes):
    caregiver = _add(users["bureau"], homes["a"], "甲", CertificateLevel.JUNIOR, "Z1")
    client = Client()
    client.force_login(users["bureau"])
    page = client.get(reverse("caregivers:list")).content.decode()
    assert "各单位持证率" in page and "100.0%" in page
    assert client.get(reverse("caregivers:detail", args=[caregiver.pk])).status_code == 200
    response = client.post(reverse("caregivers:award_add", args=[caregiver.pk]),
                           {"title": "最美护理员", "year": 2024, "awarded_by": "松江区民政局"})
    assert response.status_code == 302 and caregiver.awards.get().title == "最美护理员"
    response = client.post(reverse("caregivers:new"), {"name": "乙", "id_number": "123", "employer": homes["a"].pk})
    assert response.status_code == 422 and "身份证号码应为18位" in response.content.decode()
    assert client.get(reverse("caregivers:list") + "?_export=xlsx").status_code == 200
    auditor = Client()
    auditor.force_login(users["auditor"])
    assert auditor.get(reverse("caregivers:new")).status_code == 403


def test_dashboard_section_by_street(users, homes):
    from minzheng.care_facilities.dashboard import dashboard_sections

    _add(users["bureau"], homes["a"], "甲", CertificateLevel.JUNIOR, "Z1")
    _add(users["bureau"], homes["a"], "乙")
    _add(users["bureau"], homes["b"], "丙")
    section = next(s for s in dashboard_sections(users["bureau"], TODAY) if s.title == "养老护理员")
    assert section.rows == {"310117001": [2, 1, "50.0%", 0], "310117102": [1, 0, "0.0%", 0]}
    assert section.totals == [3, 1, "33.3%", 0] and "目标297" in section.columns[3]
    street = next(s for s in dashboard_sections(users["street"], TODAY) if s.title == "养老护理员")
    assert list(street.rows) == ["310117001"]
