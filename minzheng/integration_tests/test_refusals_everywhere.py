"""One way to refuse, in every app, on pages and in the API (ADR 0010):

* the wrong role → 403 (pages: the Chinese 403 page; API: ``{"detail": …}``);
* an object outside the user's jurisdiction → 404, like a missing record,
  and the same request from a user whose jurisdiction covers it is not 404.

Each app contributes at least a write and a detail request for both channels
(the department-data API has no per-person object, so no out-of-scope case).
The other apps are in ``test_refusals_everywhere_domains``; both modules build
their world once (``refusal_worlds``, the ``refusal_world`` fixture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client

D = dt.date


@dataclass(frozen=True)
class Call:
    app: str
    api: bool
    method: str
    path: str  # formatted with the world's ids
    who: str  # the refused user
    data: dict = field(default_factory=dict)
    control: str = ""  # for out-of-scope reads: a user whose jurisdiction covers the object

    def __str__(self) -> str:
        return f"{self.app}-{'api' if self.api else 'ui'}-{self.method}-{self.path}-{self.who}"


WRONG_ROLE = [
    # registry: reveal a full ID number (auditors may not), a household's page is not role-limited
    Call("registry", False, "post", "/registry/persons/{head}/reveal/", "auditor"),
    Call("registry", True, "post", "/api/v1/persons/{head}/reveal-id-number", "auditor"),
    # feeds: committee staff do not browse department data; only the bureau imports
    Call("feeds", False, "get", "/feeds/", "committee"),
    Call("feeds", False, "get", "/feeds/records/{here_record}/", "advisor"),
    Call("feeds", False, "post", "/feeds/upload/", "street", {"source": "cremation"}),
    Call("feeds", True, "get", "/api/v1/feeds/files/{feed_file}", "committee"),
    Call("feeds", True, "get", "/api/v1/feeds/events", "advisor"),
    # verification: advisors do not see it, auditors do not write
    Call("verification", False, "get", "/verification/{vr}/", "advisor"),
    Call("verification", False, "post", "/verification/{vr}/compute/", "auditor", {"as_of": "2025-09-01"}),
    Call("verification", True, "get", "/api/v1/verification/requests/{vr}", "advisor"),
    Call("verification", True, "post", "/api/v1/verification/requests", "auditor",
         {"household_id": "{household}", "purpose": "dibao"}),
    # casework: auditors take no intake, committee staff do not accept
    Call("casework", False, "get", "/cases/new/", "auditor"),
    Call("casework", False, "post", "/cases/{application}/act/accept/", "committee"),
    Call("casework", True, "post", "/api/v1/applications/{application}/transitions", "committee",
         {"action": "accept"}),
    Call("casework", True, "post", "/api/v1/applications", "auditor",
         {"household_id": "{household}", "applicant_id": "{head}", "program": "dibao"}),
    # monitoring: only the bureau runs the month (was 422 in the API), auditors add no labels
    Call("monitoring", False, "post", "/monitoring/run/", "committee", {"month": "2025-08"}),
    Call("monitoring", True, "post", "/api/v1/monitoring/runs", "committee", {"month": "2025-08", "reuse_batch": True}),
    Call("monitoring", True, "post", "/api/v1/monitoring/labels", "auditor",
         {"household_id": "{household}", "label": "disability"}),
    # eligibility: only the bureau keeps CPI data and runs the district batch (service said 422 before)
    Call("eligibility", False, "post", "/policy/cpi/", "street",
         {"month": "2025-01", "all_yoy_pct": "1", "food_yoy_pct": "1"}),
    Call("eligibility", False, "post", "/policy/runs/batch/", "street", {"month": "2025-08"}),
    Call("eligibility", True, "put", "/api/v1/policy/cpi/2025-01", "street", {"all_yoy_pct": "1", "food_yoy_pct": "1"}),
    # payments: only the bureau prepares batches; accounts are for street and bureau staff
    Call("payments", False, "post", "/payments/", "street", {"program": "dibao", "month": "2025-08"}),
    Call("payments", True, "post", "/api/v1/payments/batches/run", "street", {"program": "dibao", "month": "2025-08"}),
    Call("payments", True, "post", "/api/v1/payments/accounts/{head}", "auditor",
         {"bank_name": "某银行", "holder_name": "张小明", "number": "6222020000000000000"}),
    # bookings: committee staff do not book, auditors do not cancel, only the bureau sets up resources
    Call("bookings", False, "get", "/bookings/", "committee"),
    Call("bookings", False, "post", "/bookings/{booking}/act/cancel/", "auditor", {"reason": "改期"}),
    Call("bookings", False, "post", "/bookings/resources/{hall}/edit/", "street",
         {"op": "closure", "date_from": "2026-01-01", "date_to": "2026-01-02", "reason": "检修"}),
    Call("bookings", True, "get", "/api/v1/bookings/resources", "committee"),
    Call("bookings", True, "post", "/api/v1/bookings/{booking}/cancel", "auditor", {"reason": "改期"}),
]

OUT_OF_SCOPE = [
    Call("registry", False, "get", "/registry/households/{household}/", "other_street", control="street"),
    Call("registry", False, "post", "/registry/persons/{head}/reveal/", "other_street"),
    Call("registry", True, "get", "/api/v1/households/{household}", "other_street", control="street"),
    Call("registry", True, "post", "/api/v1/persons/{head}/reveal-id-number", "other_street"),
    Call("feeds", False, "get", "/feeds/records/{there_record}/", "street", control="bureau"),
    Call("verification", False, "get", "/verification/{vr}/", "other_street", control="street"),
    Call("verification", False, "post", "/verification/{vr}/compute/", "other_street", {"as_of": "2025-09-01"}),
    Call("verification", True, "get", "/api/v1/verification/requests/{vr}", "other_street", control="street"),
    Call("verification", True, "post", "/api/v1/verification/requests", "other_street",
         {"household_id": "{household}", "purpose": "dibao"}),
    Call("casework", False, "get", "/cases/{application}/", "other_street", control="street"),
    Call("casework", False, "post", "/cases/{application}/act/accept/", "other_street"),
    Call("casework", True, "get", "/api/v1/applications/{application}", "other_street", control="street"),
    Call("casework", True, "post", "/api/v1/applications/{application}/transitions", "other_street",
         {"action": "accept"}),
    Call("monitoring", False, "get", "/monitoring/households/{household}/", "other_street", control="street"),
    Call("monitoring", True, "get", "/api/v1/monitoring/households/{household}/visits", "other_street",
         control="street"),
    Call("monitoring", True, "post", "/api/v1/monitoring/labels", "other_street",
         {"household_id": "{household}", "label": "disability"}),
    Call("eligibility", False, "get", "/policy/households/{household}/decisions/", "other_street", control="street"),
    Call("eligibility", False, "get", "/policy/calculator/?household={household}", "other_street", control="street"),
    Call("eligibility", True, "get", "/api/v1/households/{household}/decisions?month=2025-08", "other_street"),
    Call("payments", False, "get", "/payments/accounts/{head}/", "other_street", control="street"),
    Call("payments", True, "get", "/api/v1/payments/accounts/{head}", "other_street", control="street"),
    Call("payments", True, "post", "/api/v1/payments/accounts/{head}", "other_street",
         {"bank_name": "某银行", "holder_name": "张小明", "number": "6222020000000000000"}),
    # bookings: 泗泾镇's own funeral hall and its booking are not 岳阳街道's
    Call("bookings", False, "get", "/bookings/resources/{hall}/day/", "street", control="other_street"),
    Call("bookings", False, "post", "/bookings/{booking}/act/cancel/", "street", {"reason": "改期"}),
    Call("bookings", True, "get", "/api/v1/bookings/{booking}", "street", control="other_street"),
    Call("bookings", True, "post", "/api/v1/bookings/{booking}/cancel", "street", {"reason": "改期"}),
]

APPS = {"registry", "feeds", "verification", "casework", "monitoring", "eligibility", "payments", "bookings"}


@pytest.fixture
def world(refusal_world):
    """One world for the module (``refusal_worlds.assistance`` and the other apps'
    objects): a household of 谷阳居委会 (岳阳街道) with an application and a
    verification request, a department file about it and about a resident of
    泗泾镇, and 泗泾镇's funeral hall with a booking."""
    return refusal_world


def _fill(value, ids: dict):
    """``"{name}"`` → the world's id, also inside lists and objects of a request body."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _request(call: Call, who: str, world):
    client = Client()
    path = call.path.format(**world.ids)
    data = {k: _fill(v, world.ids) for k, v in call.data.items()}
    if call.api:
        token = world.tokens[who]  # issued once for the module (refusal_worlds.tokens)
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if call.method == "get":
            return client.get(path, **kwargs)
        return getattr(client, call.method)(path, data, content_type="application/json", **kwargs)
    client.force_login(_user(who))
    return getattr(client, call.method)(path, data) if call.method != "get" else client.get(path)


def _user(username: str):
    from minzheng.core.models import User

    return User.objects.get(username=username)


def test_every_app_is_covered_on_both_channels():
    for calls in (WRONG_ROLE, OUT_OF_SCOPE):
        covered = {(c.app, c.api) for c in calls}
        missing = {(app, api) for app in APPS for api in (False, True)} - covered
        if calls is OUT_OF_SCOPE:
            missing -= {("feeds", True)}  # no per-person object in the department-data API
        assert not missing, missing
    for app in APPS:  # a write and a read refused for the wrong role in each app
        methods = {c.method == "get" for c in WRONG_ROLE + OUT_OF_SCOPE if c.app == app}
        assert methods == {True, False}, app


@pytest.mark.django_db
@pytest.mark.parametrize("call", WRONG_ROLE, ids=str)
def test_the_wrong_role_is_refused_with_403(world, call):
    response = _request(call, call.who, world)
    assert response.status_code == 403, response.content.decode()[:300]
    if call.api:
        detail = response.json()["detail"]
        assert detail and any("\u4e00" <= ch <= "\u9fff" for ch in detail)  # a Chinese reason
    else:
        page = response.content.decode()
        assert "无权办理" in page and "<html" in page


@pytest.mark.django_db
@pytest.mark.parametrize("call", OUT_OF_SCOPE, ids=str)
def test_out_of_scope_is_404_like_a_missing_record(world, call):
    response = _request(call, call.who, world)
    assert response.status_code == 404, response.content.decode()[:300]
    if call.api:
        # the error model and nothing else: no hint of whether the record exists
        assert response.json() == {"detail": response.json()["detail"], "code": "not_found", "problems": []}
    if call.control:
        assert _request(call, call.control, world).status_code == 200
