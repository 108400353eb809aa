"""Every page of 残疾人服务 opens for the roles that may view it (403 otherwise),
writes through the pages are audited with Chinese labels."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.audit_labels import ACTION_LABELS
from minzheng.core.models import AuditEntry
from minzheng.disability_services.tests.conftest import login

pytestmark = pytest.mark.django_db
PAGES = ("/disability/", "/disability/certificates/", "/disability/certificates/expiring/", "/disability/rental/",
         "/disability/rental/records/", "/disability/rental/points/", "/disability/rental/parameters/",
         "/disability/rehab/", "/disability/care-beds/")


def test_pages_open_for_viewers(users, disabled):
    disabled("持证人", valid_to=dt.date.today() + dt.timedelta(days=30))
    for role in ("bureau", "street", "committee", "auditor"):
        client = login(users[role])
        for url in PAGES:
            assert client.get(url).status_code == 200, (role, url)
    advisor = login(users["advisor"])
    assert advisor.get("/disability/").status_code == 403
    assert login(users["committee"]).get("/disability/rental/records/new/").status_code == 403
    assert login(users["street"]).get("/disability/rental/records/new/").status_code == 200


def test_writes_through_pages_are_audited_with_labels(users, disabled):
    street = login(users["street"])
    response = street.post("/disability/rental/points/", {
        "name": "岳阳辅具点", "street_code": "310117001", "address": "某路", "operator": "某公司",
        "opened_on": "2024-01-01"})
    assert response.status_code == 302
    assert login(users["street"]).post("/disability/rental/points/", {
        "name": "泗泾辅具点", "street_code": "310117102", "address": "某路", "operator": "某公司",
        "opened_on": "2024-01-01"}).status_code == 404  # another street: out of scope
    bureau = login(users["bureau"])
    assert bureau.post("/disability/rental/parameters/", {
        "kind": "rental_share", "effective_from": "2024-01-01", "value": "50", "document_name": "办法",
        "document_number": "1号"}).status_code == 302
    assert bureau.post("/disability/rehab/", {"name": "方松站", "street_code": "310117003", "address": "某路",
                                              "operator": ""}).status_code == 302
    written = set(AuditEntry.objects.filter(action__startswith="disability_services.").values_list("action", flat=True))
    assert written == {"disability_services.point_create", "disability_services.parameter_enter",
                       "disability_services.rehab_site_create"}
    assert written <= set(ACTION_LABELS)
    page = bureau.get("/core/audit/").content.decode()
    body = page.split("<tbody")[1]
    assert "登记康复辅具租赁服务点" in page and "disability_services" not in body and "rental_share" not in body
