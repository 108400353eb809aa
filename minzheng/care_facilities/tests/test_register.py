"""The facility register's writes (ADR 0028): USCC check, the committee in scope,
the status path with its dates, staff links, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from minzheng.care_facilities import services
from minzheng.care_facilities.models import Facility, FacilityKind, FacilityStaff, FacilityStatus
from minzheng.care_facilities.tests.conftest import valid_uscc
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 9, 30)


def _create(users, district, **extra):
    values = {"name": "测试综合为老服务中心", "kind": FacilityKind.CENTRE, "committee": district["c1"],
              "planned_on": dt.date(2024, 1, 10), "today": TODAY} | extra
    return services.facility_create(actor=users["street"], **values)


def test_create_derives_the_street_and_audits(users, district):
    facility = _create(users, district, operator_uscc=valid_uscc().lower())
    assert facility.street_id == "310117001" and facility.status == FacilityStatus.PLANNED
    assert facility.operator_uscc == valid_uscc()  # normalised upper case
    entry = AuditEntry.objects.filter(action="care_facility.create").get()
    assert entry.object_id == str(facility.pk) and entry.actor == "street"


@pytest.mark.parametrize("code, words", [
    ("91310117MA1GAB2", "应为18位"),
    (valid_uscc()[:-1] + ("0" if valid_uscc()[-1] != "0" else "1"), "第18位（校验位）"),
    ("9131011AMA1GAB2C0", "应为18位"),
    ("9131011AMA1GAB2C01", "第8位“A”错误"),
])
def test_a_bad_uscc_is_refused_naming_the_problem(users, district, code, words):
    with pytest.raises(ValidationError) as err:
        _create(users, district, operator_uscc=code)
    assert words in err.value.messages[0] and "统一社会信用代码" in err.value.messages[0]
    assert not Facility.objects.exists()


def test_committee_must_be_inside_the_users_scope(users, district):
    with pytest.raises(Http404):
        _create(users, district, committee=district["c3"])  # 泗泾 for a 岳阳 account
    with pytest.raises(NotPermitted):
        services.facility_create(actor=users["committee"], name="x", kind=FacilityKind.CENTRE,
                                 committee=district["c1"], planned_on=TODAY, today=TODAY)
    assert not Facility.objects.exists()


def test_registering_in_a_status_needs_its_date_and_orders_the_dates(users, district):
    with pytest.raises(ValidationError, match="请填写运营日期"):
        _create(users, district, status=FacilityStatus.OPERATING)
    with pytest.raises(ValidationError, match="早于"):
        _create(users, district, status=FacilityStatus.OPERATING, building_since=dt.date(2024, 3, 1),
                operating_since=dt.date(2024, 2, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        _create(users, district, status=FacilityStatus.OPERATING, operating_since=dt.date(2024, 10, 1))
    with pytest.raises(ValidationError, match="不应有停业日期"):
        _create(users, district, status=FacilityStatus.OPERATING, operating_since=dt.date(2024, 6, 1),
                closed_on=dt.date(2024, 7, 1))


def test_status_moves_forward_with_dates_never_backwards(users, district):
    facility = _create(users, district)
    services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.BUILDING,
                                 on=dt.date(2024, 3, 1), today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.OPERATING,
                                     on=dt.date(2024, 10, 2), today=TODAY)
    with pytest.raises(ValidationError, match="早于开工日期"):
        services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.OPERATING,
                                     on=dt.date(2024, 2, 1), today=TODAY)
    services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.OPERATING,
                                 on=dt.date(2024, 8, 8), today=TODAY)
    with pytest.raises(ValidationError, match="只能向前推进"):
        services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.BUILDING,
                                     on=TODAY, today=TODAY)
    facility.refresh_from_db()
    assert (facility.status, facility.building_since, facility.operating_since) == (
        FacilityStatus.OPERATING, dt.date(2024, 3, 1), dt.date(2024, 8, 8))
    changes = [e.changes for e in AuditEntry.objects.filter(action="care_facility.status_set").order_by("id")]
    assert changes == [{"facility_status": ["planned", "building"], "building_since": "2024-03-01"},
                       {"facility_status": ["building", "operating"], "operating_since": "2024-08-08"}]


def test_another_streets_facility_cannot_be_changed(users, district):
    facility = services.facility_create(actor=users["bureau"], name="测试泗泾站", kind=FacilityKind.STATION,
                                        committee=district["c3"], planned_on=TODAY, today=TODAY)
    with pytest.raises(Http404):
        services.facility_update(actor=users["street"], facility=facility, name="改名", today=TODAY)
    with pytest.raises(Http404):
        services.facility_status_set(actor=users["street"], facility=facility, status=FacilityStatus.BUILDING,
                                     on=TODAY, today=TODAY)


def test_update_checks_and_records_the_changes(users, district):
    facility = _create(users, district)
    with pytest.raises(ValidationError, match="只适用于养老院"):
        services.facility_update(actor=users["street"], facility=facility, smart=True, today=TODAY)
    with pytest.raises(ValidationError, match="不能多于床位数"):
        services.facility_update(actor=users["street"], facility=facility, beds=10, dementia_beds=11, today=TODAY)
    services.facility_update(actor=users["street"], facility=facility, beds=30, committee=district["c2"], today=TODAY)
    facility.refresh_from_db()
    assert facility.beds == 30 and facility.committee_id == "310117001002"
    entry = AuditEntry.objects.get(action="care_facility.update")
    assert entry.changes["beds"] == [None, 30] and entry.changes["committee"] == ["310117001001", "310117001002"]


def test_only_operator_and_canteen_accounts_are_linked(users, district, operator, canteen_user):
    facility = _create(users, district)
    with pytest.raises(ValidationError, match="只能关联"):
        services.facility_staff_link(actor=users["street"], facility=facility, user=users["committee"])
    services.facility_staff_link(actor=users["street"], facility=facility, user=operator)
    services.facility_staff_link(actor=users["street"], facility=facility, user=canteen_user)
    with pytest.raises(ValidationError, match="已关联"):
        services.facility_staff_link(actor=users["street"], facility=facility, user=operator)
    services.facility_staff_unlink(actor=users["street"], facility=facility, user=operator)
    assert list(FacilityStaff.objects.values_list("user__username", flat=True)) == ["canteen"]
    assert AuditEntry.objects.filter(action__startswith="care_facility.staff_").count() == 3


def test_every_audit_action_of_the_apps_has_a_chinese_label():
    import re
    from pathlib import Path

    from minzheng.core.audit_labels import ACTION_LABELS, OBJECT_LABELS

    root = Path(__file__).resolve().parents[2]
    written = {a for app in ("care_facilities", "caregivers") for path in (root / app).glob("*.py")
               for a in re.findall(r'action="((?:care_facility|caregiver)\.[a-z_]+)"', path.read_text())}
    assert len(written) >= 11
    assert sorted(written - set(ACTION_LABELS)) == []
    assert {"Facility", "PlanTarget", "Caregiver"} <= set(OBJECT_LABELS)
