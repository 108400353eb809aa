"""Care-needs assessments (照护需求评估, 照护等级 1-6) in the registry (REFERENCE
§10, ADR 0031): the service is scoped, audited and validated; history is kept
and the latest on or before a day wins; the person page shows and records them.
Their way into the engine: ``eligibility/tests/test_care_assessment_inputs.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.core.scope import OutOfScope
from minzheng.registry import selectors, services
from minzheng.registry.models import CareNeedsAssessment

pytestmark = pytest.mark.django_db

ORG = "松江区老年照护统一需求评估中心（演示）"


def _record(users, person, level=3, on=dt.date(2024, 3, 15), actor="committee", **extra):
    return services.care_assessment_record(actor=users[actor], person=person, level=level, assessed_on=on,
                                           assessor_org=extra.pop("assessor_org", ORG), **extra)


def test_recorded_with_audit_and_history_kept(users, make_person):
    elder = make_person("王奶奶", dt.date(1940, 2, 1), male=False)
    first = _record(users, elder, level=2, on=dt.date(2023, 5, 10))
    second = _record(users, elder, level=5, on=dt.date(2024, 6, 3))
    # history kept, latest first
    assert list(selectors.care_assessment_history(elder)) == [second, first]
    # the latest on or before a day wins
    assert selectors.care_assessment_in_force(elder, dt.date(2024, 6, 2)) == first
    assert selectors.care_assessment_in_force(elder, dt.date(2024, 6, 3)) == second
    assert selectors.care_assessment_in_force(elder, dt.date(2023, 5, 9)) is None
    entries = AuditEntry.objects.filter(action="person.care_assessment_record", object_id=str(elder.pk))
    assert entries.count() == 2
    assert entries.last().changes["level"] == 5
    assert second.recorded_by == "committee"
    assert str(second) == "照护五级（2024-06-03）"


def test_validation(users, make_person):
    elder = make_person("李爷爷", dt.date(1938, 1, 1))
    for level in (0, 7, True, "3"):
        with pytest.raises(ValidationError, match="照护等级应为 1 至 6 级"):
            _record(users, elder, level=level)
    with pytest.raises(ValidationError, match="评估日期.*过晚"):
        _record(users, elder, on=dt.date.today() + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="请填写评估机构"):
        _record(users, elder, assessor_org="  ")
    with pytest.raises(ValidationError, match="来源"):
        _record(users, elder, source="fax")
    young = make_person("赵小", dt.date(2010, 1, 1))
    with pytest.raises(ValidationError, match="早于出生日期"):
        _record(users, young, on=dt.date(2009, 1, 1))
    assert not CareNeedsAssessment.objects.exists()
    assert not AuditEntry.objects.filter(action="person.care_assessment_record").exists()


def test_scope_and_permission(users, make_person):
    outside = make_person("钱奶奶", dt.date(1939, 1, 1), committee="310117102201")
    with pytest.raises(OutOfScope):
        _record(users, outside, actor="street")
    with pytest.raises(OutOfScope):
        _record(users, outside, actor="committee")
    with pytest.raises(PermissionDenied):
        _record(users, outside, actor="auditor")
    _record(users, outside, actor="other_street")
    assert CareNeedsAssessment.objects.count() == 1


def test_person_page_shows_and_records_assessments(users, make_person):
    elder = make_person("周爷爷", dt.date(1941, 7, 1))
    client = Client()
    client.force_login(users["committee"])
    url = f"/registry/persons/{elder.pk}/"
    page = client.get(url).content.decode()
    assert "照护需求评估" in page and "未评估" in page and "care-assessment-form" in page
    response = client.post(f"{url}care-assessments/", {"level": "4", "assessed_on": "2024-05-06",
                                                       "assessor_org": ORG}, follow=True)
    text = response.content.decode()
    assert "已登记照护需求评估：照护四级（2024-05-06）" in text
    assert "照护四级" in text and ORG in text
    bad = client.post(f"{url}care-assessments/", {"level": "", "assessed_on": "2024-05-06",
                                                 "assessor_org": ORG}, follow=True).content.decode()
    assert "请选择照护等级" in bad
    assert CareNeedsAssessment.objects.count() == 1
    # read-only staff see no form and cannot post
    auditor = Client()
    auditor.force_login(users["auditor"])
    assert "care-assessment-form" not in auditor.get(url).content.decode()
    assert auditor.post(f"{url}care-assessments/", {"level": "4", "assessed_on": "2024-05-06",
                                                    "assessor_org": ORG}).status_code == 403
    # outside scope: 404
    other = Client()
    other.force_login(users["other_street"])
    assert other.post(f"{url}care-assessments/", {"level": "4", "assessed_on": "2024-05-06",
                                                  "assessor_org": ORG}).status_code == 404
