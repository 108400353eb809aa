"""Scope on pages and in the API (404 outside), the list's Excel export with
masked ID numbers, the committee's inbox, the dashboard section, audit labels."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from minzheng.core.audit_labels import ACTION_LABELS
from minzheng.core.models import AuditEntry
from minzheng.hardship_visits import services
from minzheng.hardship_visits.models import VisitTarget

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def targets(users, elder):
    elder("岳阳老人", 85)
    elder("泗泾老人", 82, committee="310117102201")
    services.targets_refresh(actor=users["bureau"], today=timezone.localdate() - dt.timedelta(days=10))
    return {t.street_id: t for t in VisitTarget.objects.all()}


def test_pages_scope_and_404(users, targets):
    ours, theirs = targets["310117001"], targets["310117102"]
    committee = _login(users["committee"])
    page = committee.get("/eldercare/visits/")
    assert page.status_code == 200 and "岳阳老人" in page.content.decode() and "泗泾老人" not in page.content.decode()
    assert committee.get(f"/eldercare/visits/{ours.pk}/").status_code == 200
    assert committee.get(f"/eldercare/visits/{theirs.pk}/").status_code == 404
    assert _login(users["other_street"]).get(f"/eldercare/visits/{ours.pk}/").status_code == 404
    for url in ("/eldercare/visits/overdue/", "/eldercare/visits/coverage/", "/eldercare/visits/visitors/"):
        assert committee.get(url).status_code == 200, url
    assert _login(users["bureau"]).get("/eldercare/visits/coverage/").status_code == 200
    assert committee.post("/eldercare/visits/refresh/").status_code == 403


def test_visit_through_the_page_and_the_export_masks_ids(users, targets):
    ours = targets["310117001"]
    committee = _login(users["committee"])
    committee.post("/eldercare/visits/visitors/me/")
    from minzheng.hardship_visits.models import Visitor

    visitor = Visitor.objects.get(user=users["committee"])
    response = committee.post(f"/eldercare/visits/{ours.pk}/", {
        "visited_on": timezone.localdate().isoformat(), "visitor": visitor.pk, "mode": "home",
        "findings": "身体健康，居家安全"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.last_visited_on == timezone.localdate()
    export = committee.get("/eldercare/visits/", {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["姓名", "身份证号"]
    assert "*" in rows[1][1] and not re.fullmatch(r"\d{17}[\dX]", rows[1][1])


def test_api_scope(users, targets):
    ours, theirs = targets["310117001"], targets["310117102"]
    body = _api(users["street"]).get("/api/v1/eldercare/visits/targets").json()
    assert body["count"] == 1 and body["results"][0]["id"] == ours.pk
    assert "*" in body["results"][0]["id_number_masked"]
    assert _api(users["street"]).get(f"/api/v1/eldercare/visits/targets/{theirs.pk}").status_code == 404
    assert _api(users["committee"]).get(f"/api/v1/eldercare/visits/targets/{ours.pk}").status_code == 200
    overdue = _api(users["bureau"]).get("/api/v1/eldercare/visits/targets", {"overdue": "true"}).json()
    assert overdue["count"] == 2  # 80+ living alone: 7 days, joined 10 days ago, never visited
    coverage = _api(users["bureau"]).get("/api/v1/eldercare/visits/coverage").json()
    assert {r["street"]: r["overdue"] for r in coverage}["310117102"] == 1


def test_dashboard_section(users, targets):
    from minzheng.care_facilities.dashboard import dashboard_sections

    sections = {s.title: s for s in dashboard_sections(users["bureau"], timezone.localdate())}
    visits = sections["特殊困难老年人探访关爱"]
    assert visits.rows["310117001"][0] == 1 and visits.totals[0] == 2
    assert "居家环境适老化改造" in sections and "认知障碍风险筛查" in sections


def test_audit_entries_have_chinese_labels(users, targets):
    """Every dotted code of the three apps is a permission action or an audit
    action with a Chinese label (services pass some to a helper, not as action=)."""
    from minzheng.core.permissions import ACTIONS

    apps = Path(__file__).resolve().parents[2]
    written = set()
    for app in ("hardship_visits", "home_adaptations", "dementia_care"):
        for path in (apps / app).glob("*.py"):
            written |= set(re.findall(r'"((?:hardship_visits|home_adaptations|dementia_care)\.[a-z_]+)"',
                                      path.read_text(encoding="utf-8")))
    audited = written - (set(ACTIONS) - {"home_adaptations.apply"})
    assert len(audited) > 15
    assert sorted(audited - set(ACTION_LABELS)) == []
    assert AuditEntry.objects.filter(action="hardship_visits.refresh").exists()
