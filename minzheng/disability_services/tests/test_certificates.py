"""The certificate register and the expiring list (ADR 0037): scope, validity,
the window at its edges, renewed and dead holders left out, the enrolments
that stop (REFERENCE § 6: both subsidies need a valid certificate)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.casework.models import Enrolment, EnrolmentSource, EnrolmentStatus
from minzheng.disability_services import selectors
from minzheng.disability_services.tests.conftest import api, login
from minzheng.registry.services import disability_certificate_add, person_record_death

pytestmark = pytest.mark.django_db


def _enrol(person, program: str, status: str = EnrolmentStatus.ACTIVE) -> Enrolment:
    return Enrolment.objects.create(program=program, person=person, street_id=person.street_id,
                                    committee_id=person.committee_id, start_month="2024-01", status=status,
                                    source=EnrolmentSource.APPLICATION, monthly_amount_fen=35000)


def test_register_is_scoped_and_shows_validity(users, disabled):
    today = timezone.localdate()
    disabled("岳阳持证人", valid_to=today - dt.timedelta(days=1))
    disabled("泗泾持证人", committee="310117102201")
    rows = {c.person.name: c.validity for c in selectors.certificates_visible(users["committee"], today)}
    assert rows == {"岳阳持证人": selectors.Validity.EXPIRED}
    assert {c.person.name for c in selectors.certificates_visible(users["bureau"], today)} == {"岳阳持证人", "泗泾持证人"}
    page = login(users["committee"]).get("/disability/certificates/").content.decode()
    assert "岳阳持证人" in page and "泗泾持证人" not in page and "已过期" in page
    assert login(users["street"]).get("/disability/certificates/?validity=valid").status_code == 200


def test_expiring_window_edges_renewal_death_and_stopping_subsidies(users, disabled):
    today = timezone.localdate()
    soon = disabled("将到期", valid_to=today + dt.timedelta(days=90))
    disabled("窗口外", valid_to=today + dt.timedelta(days=91))
    renewed = disabled("已换证", valid_to=today + dt.timedelta(days=10))
    disability_certificate_add(actor=users["bureau"], person=renewed, grade=1, kind="肢体",
                               valid_from=today + dt.timedelta(days=11), valid_to=today + dt.timedelta(days=3650))
    dead = disabled("已去世", valid_to=today + dt.timedelta(days=5))
    person_record_death(actor=users["bureau"], person=dead, death_date=today - dt.timedelta(days=3))
    _enrol(soon, "disability_care_subsidy")
    _enrol(soon, "disability_living_subsidy", EnrolmentStatus.TERMINATED)  # ended: does not stop again

    rows = list(selectors.certificates_expiring(users["street"], today))
    assert [r.person.name for r in rows] == ["将到期"]
    assert selectors.enrolments_stopping(rows[0]) == ["重度残疾人护理补贴"]
    wider = {r.person.name for r in selectors.certificates_expiring(users["street"], today, 91)}
    assert wider == {"将到期", "窗口外"}

    page = login(users["committee"]).get("/disability/certificates/expiring/").content.decode()
    assert "将到期" in page and "重度残疾人护理补贴" in page and "已换证" not in page
    body = api(users["street"]).get("/api/v1/disability/certificates/expiring?days=91").json()
    assert body["days"] == 91 and body["count"] == 2
    assert {r["name"]: r["stopping"] for r in body["results"]}["将到期"] == ["重度残疾人护理补贴"]
    only = login(users["street"]).get("/disability/certificates/expiring/?days=120&enrolled=true").content.decode()
    assert "将到期" in only and "窗口外" not in only
    assert api(users["street"]).get("/api/v1/disability/certificates/expiring?days=9999").status_code == 422
    assert login(users["street"]).get("/disability/certificates/expiring/?days=99999999").status_code == 200
