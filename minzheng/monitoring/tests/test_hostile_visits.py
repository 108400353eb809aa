"""Home visits and service records dated 0001-01-01 or with text longer than
its column: a Chinese message on the page, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.monitoring import services
from minzheng.monitoring.models import HardshipLabel, HomeVisitRecord, ServiceRecord
from minzheng.registry import services as registry


@pytest.fixture
def household(users, make_person):
    head = make_person("走访甲", dt.date(1960, 1, 1))
    return registry.household_create(actor=users["bureau"], head=head, address="谷阳路8号",
                                     start_date=dt.date(2020, 1, 1))


def _post(users, household, data):
    client = Client()
    client.force_login(users["committee"])
    return client.post(f"/monitoring/households/{household.pk}/", data)


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "1999-12-31"])
@pytest.mark.django_db
def test_a_visit_dated_before_2000_is_refused(users, household, day):
    audit_before = AuditEntry.objects.count()
    response = _post(users, household, {"form": "visit", "visited_on": day, "visitors": "王芳", "findings": "在家"})
    assert response.status_code == 200 and "走访日期" in response.content.decode()
    assert "过早" in response.content.decode()
    with pytest.raises(ValidationError, match="走访日期"):
        services.visit_record(actor=users["committee"], household=household, visited_on=dt.date(1, 1, 1),
                              visitors="王芳", findings="在家")
    assert not HomeVisitRecord.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01"])
@pytest.mark.django_db
def test_a_service_dated_before_2000_is_refused(users, household, day):
    response = _post(users, household, {"form": "service", "kind": "other", "served_on": day, "description": "送米"})
    assert response.status_code == 200 and "服务日期" in response.content.decode()
    assert not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_visitors_longer_than_the_column_are_refused_by_the_service(users, household):
    """The page's form limits 走访人员 to 200 characters; the service (API, CLI) checks it too."""
    with pytest.raises(ValidationError, match="走访人员过长"):
        services.visit_record(actor=users["committee"], household=household, visited_on=dt.date(2025, 9, 1),
                              visitors="王" * 201, findings="在家")
    assert not HomeVisitRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="visit.record").exists()


@pytest.mark.parametrize("field, limit", [("note", 200)])
@pytest.mark.django_db
def test_a_label_note_longer_than_the_column_is_a_message(users, household, field, limit):
    response = _post(users, household, {"form": "label", "label": "elderly_alone", field: "注" * (limit + 50)})
    assert response.status_code < 500
    assert not HardshipLabel.objects.filter(note__startswith="注").exists()
