"""The verification pages on the design system (ADR 0012): the queue filters
and exports what the user may see, households are named by their head, a new
request picks its household by search, every department's reply is shown by
the department's name, and the irreversible 认定 asks first."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from minzheng.core.models import AuditEntry
from minzheng.verification.tests.test_interfaces import reported  # noqa: F401 - fixture

HOUSEHOLD_NUMBER = re.compile(r"家庭\s*\d")


@pytest.mark.django_db
def test_queue_filters_by_status_and_names_households_by_their_head(client, users, reported):  # noqa: F811
    vr, _ = reported
    client.force_login(users["street"])
    page = client.get("/verification/?status=reported").content.decode()
    assert vr.reference in page and "王建华家" in page and not HOUSEHOLD_NUMBER.search(page)
    assert vr.reference not in client.get("/verification/?status=accepted").content.decode()
    assert vr.reference not in client.get("/verification/?purpose=medical").content.decode()
    assert 'name="street"' not in page  # one street: nothing to choose
    client.force_login(users["bureau"])
    assert 'name="street"' in client.get("/verification/").content.decode()


@pytest.mark.django_db
def test_queue_export_is_masked_labelled_and_audited(client, users, reported):  # noqa: F811
    vr, _ = reported
    client.force_login(users["street"])
    response = client.get("/verification/?_export=xlsx")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0] == ["核对编号", "家庭", "街镇", "居村委", "核对用途", "状态", "委托时间"]
    assert rows[1][0] == vr.reference and rows[1][1].startswith("王建华家") and "***********" in rows[1][1]
    assert rows[1][4] == "最低生活保障（生活救助）" and rows[1][5] == "已出具报告"
    entry = AuditEntry.objects.filter(action="core.list.export").latest("id")
    assert entry.object_id == "核对委托清单" and entry.changes["rows"] == 1


@pytest.mark.django_db
def test_new_request_picks_the_household_by_search(client, users, family, other_household):
    household = family[0]
    client.force_login(users["committee"])
    page = client.get("/verification/new/").content.decode()
    assert 'data-picker="/api/v1/pick/households"' in page and "家庭编号" not in page
    # a link from the household page preselects it, labelled by its head
    assert "王建华家" in client.get(f"/verification/new/?household={household.pk}").content.decode()
    # a household outside the jurisdiction gets no label
    assert "陈阿婆" not in client.get(f"/verification/new/?household={other_household.pk}").content.decode()


@pytest.mark.django_db
def test_request_page_names_departments_and_confirms_acceptance(client, users, reported):  # noqa: F811
    vr, _ = reported
    client.force_login(users["street"])
    page = client.get(f"/verification/{vr.pk}/").content.decode()
    assert 'id="replies"' in page and "已回复" in page and not HOUSEHOLD_NUMBER.search(page)
    assert ".csv" not in page  # source records named by department, not by file
    assert "王建华家" in page and 'id="declared"' in page
    accept = re.search(r'<button[^>]*>认定核对结果', page).group(0)
    assert "btn-danger" in accept and 'data-confirm="认定后，人口库中该家庭' in accept and "不能撤销" in accept
