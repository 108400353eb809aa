"""Visitors and assignment through the API (issue 16: "all through /api/v1,
scoped"): a volunteer or the committee account itself as a visitor, assigning
(and un-assigning) a target's visitor, and a visit's date bounded. Each: success
for the right account, 403 for the auditor, 404 outside the jurisdiction, 422
with the Chinese reason for a broken rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from minzheng.core.models import AuditEntry
from minzheng.hardship_visits import services
from minzheng.hardship_visits.models import Visitor, VisitTarget

pytestmark = pytest.mark.django_db
VISITORS = "/api/v1/eldercare/visits/visitors"


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def _post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def _refused(response, status: int, text: str = "") -> None:
    assert response.status_code == status, response.content[:400]
    assert text in response.json()["detail"], response.json()


@pytest.fixture
def targets(users, elder):
    elder("岳阳老人", 85)
    elder("泗泾老人", 82, committee="310117102201")
    services.targets_refresh(actor=users["bureau"], today=timezone.localdate() - dt.timedelta(days=10))
    return {t.street_id: t for t in VisitTarget.objects.all()}


def test_visitor_create_and_list(users):
    committee, street = _api(users["committee"]), _api(users["street"])
    created = _post(street, VISITORS, {"committee": "310117001001", "name": "志愿者王", "phone": "13800000000"})
    assert created.status_code == 201, created.content
    assert created.json()["kind_label"] == "志愿者" and created.json()["committee_name"]
    assert AuditEntry.objects.filter(action="hardship_visits.visitor_create").count() == 1
    me = _post(committee, VISITORS, {"committee": "310117001001", "myself": True})
    assert me.status_code == 201 and me.json()["kind"] == "staff"
    _refused(_post(committee, VISITORS, {"committee": "310117001001", "myself": True}), 422, "已登记")
    # the bureau is not a committee account: the rule's reason
    _refused(_post(_api(users["bureau"]), VISITORS, {"committee": "310117001001", "myself": True}), 422, "居村委工作人员")
    _refused(_post(street, VISITORS, {"committee": "310117001001", "name": "  "}), 422, "姓名")
    # another committee (the committee account) / another street: 404; an unknown code 404; the auditor 403
    _refused(_post(committee, VISITORS, {"committee": "310117001002", "name": "志愿者李"}), 404)
    _refused(_post(street, VISITORS, {"committee": "310117102201", "name": "志愿者李"}), 404)
    _refused(_post(street, VISITORS, {"committee": "310117001999", "name": "志愿者李"}), 404)
    _refused(_post(_api(users["auditor"]), VISITORS, {"committee": "310117001001", "name": "志愿者李"}), 403)
    _refused(_post(street, VISITORS, {"committee": "3101170010", "name": "志愿者李"}), 422)
    listing = committee.get(VISITORS).json()
    assert listing["count"] == 2 and {v["name"] for v in listing["results"]} >= {"志愿者王"}
    assert _api(users["other_street"]).get(VISITORS).json()["count"] == 0


def test_assign_and_unassign(users, targets):
    ours, theirs = targets["310117001"], targets["310117102"]
    mine = services.visitor_create(actor=users["bureau"], committee=ours.committee, name="志愿者王")
    neighbour = services.visitor_create(actor=users["bureau"], committee=theirs.committee, name="志愿者赵")
    committee = _api(users["committee"])
    url = f"/api/v1/eldercare/visits/targets/{ours.pk}/visitor"
    assigned = _post(committee, url, {"visitor_id": mine.pk})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["visitor"] == "志愿者王"
    # a visitor of another committee: not visible to the committee (404); the bureau sees it, the rule says no
    _refused(_post(committee, url, {"visitor_id": neighbour.pk}), 404)
    _refused(_post(_api(users["bureau"]), url, {"visitor_id": neighbour.pk}), 422, "所在居村委")
    Visitor.objects.filter(pk=mine.pk).update(active=False)
    _refused(_post(committee, url, {"visitor_id": mine.pk}), 422, "在岗")
    unassigned = _post(committee, url, {"visitor_id": None})
    assert unassigned.status_code == 200 and unassigned.json()["visitor"] is None
    _refused(_post(committee, f"/api/v1/eldercare/visits/targets/{theirs.pk}/visitor", {"visitor_id": None}), 404)
    _refused(_post(_api(users["auditor"]), url, {"visitor_id": None}), 403)
    # an ended entry takes no visitor
    VisitTarget.objects.filter(pk=ours.pk).update(ended_on=timezone.localdate())
    _refused(_post(committee, url, {"visitor_id": None}), 422, "移出")


def test_a_visit_date_is_bounded(users, targets):
    ours = targets["310117001"]
    visitor = services.visitor_create(actor=users["bureau"], committee=ours.committee, name="志愿者王")
    url = f"/api/v1/eldercare/visits/targets/{ours.pk}/visits"
    body = {"visitor_id": visitor.pk, "mode": "home", "findings": "平安"}
    _refused(_post(_api(users["committee"]), url, {**body, "visited_on": "9999-12-31"}), 422, "过晚")
    _refused(_post(_api(users["auditor"]), url, {**body, "visited_on": timezone.localdate().isoformat()}), 403)
    ok = _post(_api(users["committee"]), url, {**body, "visited_on": timezone.localdate().isoformat()})
    assert ok.status_code == 201, ok.content
