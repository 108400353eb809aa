"""Community mental-health rehabilitation (coverage of the 17 towns, live from
the sites' dated statuses, against the seed's 70%) and the care-bed project
(100 beds) — ADR 0037."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.core.errors import StateConflict
from minzheng.disability_services import selectors, services
from minzheng.disability_services.models import CareBedProject
from minzheng.disability_services.tests.conftest import api, login

pytestmark = pytest.mark.django_db
D = dt.date
PILOTS = ("310117120", "310117107", "310117109", "310117001", "310117003")  # 叶榭 九亭 泖港 岳阳 方松


def test_coverage_is_live_from_dated_statuses(users):
    sites = {}
    for code in PILOTS:
        sites[code] = services.rehab_site_create(actor=users["bureau"], name=f"{code}康复站", street_code=code,
                                                 address="某路")
        services.rehab_site_status_set(actor=users["bureau"], site=sites[code], status="working",
                                       effective_on=D(2023, 6, 1))
    planned = services.rehab_site_create(actor=users["bureau"], name="新桥筹建站", street_code="310117105",
                                         address="某路")
    services.rehab_site_status_set(actor=users["bureau"], site=planned, status="planned", effective_on=D(2024, 1, 1))
    services.rehab_site_status_set(actor=users["street"], site=sites["310117001"], status="paused",
                                   effective_on=D(2024, 5, 1), note="场地修缮")
    coverage = selectors.rehab_coverage(users["bureau"], D(2024, 4, 30))
    assert (coverage.covered, coverage.towns, str(coverage.percent)) == (5, 17, "29.4")
    assert coverage.target.percent == 70 and coverage.target_towns == 12 and coverage.met is False
    assert selectors.rehab_coverage(users["bureau"], D(2024, 5, 1)).covered == 4
    assert selectors.rehab_coverage(users["bureau"], D(2023, 5, 31)).covered == 0
    with pytest.raises(StateConflict):
        services.rehab_site_status_set(actor=users["street"], site=sites["310117001"], status="working",
                                       effective_on=D(2024, 5, 1))
    with pytest.raises(Exception) as err:  # another street's site: out of scope (404)
        services.rehab_site_status_set(actor=users["other_street"], site=sites["310117001"], status="working",
                                       effective_on=D(2024, 6, 1))
    assert err.value.__class__.__name__ == "OutOfScope"
    body = api(users["street"]).get("/api/v1/disability/rehab/coverage").json()
    assert body["towns"] == 17 and [s["street"] for s in body["streets"]] == ["310117001"]


def test_people_served_enrol_and_exit(users, make_person):
    site = services.rehab_site_create(actor=users["street"], name="岳阳阳光心园", street_code="310117001",
                                      address="某路")
    person = make_person(name="康复对象")
    row = services.participant_enrol(actor=users["street"], site=site, person=person, enrolled_on=D(2024, 3, 1))
    with pytest.raises(StateConflict):
        services.participant_enrol(actor=users["street"], site=site, person=person, enrolled_on=D(2024, 4, 1))
    with pytest.raises(ValidationError, match="不能早于"):
        services.participant_exit(actor=users["street"], participant=row, exited_on=D(2024, 2, 1), reason="就业")
    with pytest.raises(PermissionDenied):
        services.participant_exit(actor=users["committee"], participant=row, exited_on=D(2024, 6, 1), reason="就业")
    services.participant_exit(actor=users["street"], participant=row, exited_on=D(2024, 6, 1), reason="康复后就业")
    services.rehab_site_status_set(actor=users["street"], site=site, status="working", effective_on=D(2024, 1, 1))
    assert selectors.rehab_coverage(users["bureau"], D(2024, 5, 1)).rows[0].served == 1
    assert selectors.rehab_coverage(users["bureau"], D(2024, 6, 1)).rows[0].served == 0
    services.participant_enrol(actor=users["street"], site=site, person=person, enrolled_on=D(2024, 7, 1))
    page = login(users["committee"]).get(f"/disability/rehab/sites/{site.pk}/").content.decode()
    assert "康复对象" in page and "康复后就业" in page
    assert login(users["other_street"]).get(f"/disability/rehab/sites/{site.pk}/").status_code == 404
    response = login(users["street"]).post(f"/disability/rehab/sites/{site.pk}/status/",
                                           {"status": "paused", "effective_on": "2024-08-01", "note": ""})
    assert response.status_code == 302


def test_care_bed_project_progress(users):
    project = CareBedProject.objects.get(year=2024)  # the seed's 实事项目 (data migration)
    assert project.target_beds == 100 and project.due_on == D(2024, 8, 31)
    site = services.care_bed_site_create(actor=users["bureau"], project=project, name="某养护院老养残照护单元",
                                         street_code="310117102", address="泗泾某路", planned_beds=60)
    services.beds_open(actor=users["bureau"], site=site, opened_on=D(2024, 6, 1), beds=40)
    services.beds_open(actor=users["bureau"], site=site, opened_on=D(2024, 8, 20), beds=20)
    with pytest.raises(ValidationError, match="计划60张床位"):
        services.beds_open(actor=users["bureau"], site=site, opened_on=D(2024, 8, 21), beds=1)
    with pytest.raises(PermissionDenied):
        services.beds_open(actor=users["street"], site=site, opened_on=D(2024, 8, 21), beds=1)
    progress = selectors.care_bed_progress(users["street"], project, D(2024, 7, 1))
    assert (progress.opened, str(progress.percent)) == (40, "40.0")
    progress = selectors.care_bed_progress(users["street"], project, D(2024, 9, 1))
    assert progress.opened == 60 and progress.timeline == [(D(2024, 6, 1), 40, 40), (D(2024, 8, 20), 20, 60)]
    body = api(users["auditor"]).get("/api/v1/disability/care-beds").json()
    assert body[0]["target_beds"] == 100 and body[0]["opened"] == 60
