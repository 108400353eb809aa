"""The death record pages: the window form (家属申报) by person search or ID
number, the list with filters, the record with its checklist, the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from minzheng.core.models import AuditEntry
from minzheng.deaths.models import DeathRecord

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_window_report_by_person_then_list_detail_pdf(users, couple):
    client = _client(users["street"])
    assert client.get(reverse("deaths:window_report")).status_code == 200
    day = dt.date.today() - dt.timedelta(days=2)
    response = client.post(reverse("deaths:window_report"), {
        "person": couple.husband.pk, "death_date": day.isoformat(), "reporter": "林秀兰", "place": "家中"})
    record = DeathRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("deaths:record_detail", args=[record.pk])
    assert record.reports.get().source == "family" and record.person_id == couple.husband.pk
    page = client.get(response["Location"]).content.decode()
    assert "家属窗口申报" in page and "最低生活保障：已停发" in page and "户口注销" in page
    assert couple.husband_number not in page
    listing = client.get(reverse("deaths:record_list"), {"source": "family", "status": "processed"}).content.decode()
    assert "陈国强" in listing and record.id_number_masked in listing
    assert "陈国强" not in client.get(reverse("deaths:record_list"), {"source": "hospital"}).content.decode()
    pdf = client.get(reverse("deaths:checklist_pdf", args=[record.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="death.checklist_pdf").count() == 1
    assert _client(users["other_street"]).get(response["Location"]).status_code == 404


def test_window_form_errors_in_chinese(users, couple):
    client = _client(users["street"])
    page = client.post(reverse("deaths:window_report"), {"id_number": "31011719440203", "name": "某人",
                                                         "death_date": "2099-01-01", "reporter": "家属"})
    text = page.content.decode()
    assert page.status_code == 200 and "死亡日期不能晚于今天" in text and "身份证号码" in text
    empty = client.post(reverse("deaths:window_report"), {"death_date": "2026-01-01", "reporter": "家属"})
    assert "请从人口库中选择死者，或填写死者的姓名和身份证号码" in empty.content.decode()
    assert not DeathRecord.objects.exists()
    assert _client(users["committee"]).get(reverse("deaths:window_report")).status_code == 403
