"""The audit log page as a staff list (ADR 0012): actors chosen by name and post,
actions by Chinese label, a date range; the export carries the same words."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users):
    users["street"].full_name, users["street"].post = "李晓燕", "岳阳街道 社会救助专员"
    users["street"].save()
    audit_record(actor=users["street"], action="person.update", object_type="Person", object_id="7",
                 changes={"employment": ["inactive", "employed"]})
    audit_record(actor=users["bureau"], action="label.add", object_type="Person", object_id="8")


def test_filters_are_selects_of_names_and_labels(client, users, trail):
    client.force_login(users["auditor"])
    page = client.get("/core/audit/").content.decode()
    assert '<option value="street">李晓燕（岳阳街道 社会救助专员）</option>' in page
    assert '<option value="person.update">修改人员信息</option>' in page
    assert 'type="date"' in page and 'name="date_from"' in page
    mine = client.get("/core/audit/", {"actor": "street"}).content.decode()
    visible = re.sub(r"<[^>]+>", " ", mine.split("<tbody")[1])
    assert "李晓燕" in visible and "修改人员信息" in visible and "street" not in visible


def test_filter_by_actor_action_and_dates(client, users, trail):
    client.force_login(users["auditor"])
    today = timezone.localdate().isoformat()

    def actions(**params) -> set[str]:
        body = client.get("/core/audit/", params).content.decode().split("<tbody")[1]
        return {label for label in ("修改人员信息", "添加困难标签") if label in body}

    assert actions(actor="street") == {"修改人员信息"}
    assert actions(action="label.add") == {"添加困难标签"}
    assert actions(date_from=today, date_to=today) == {"修改人员信息", "添加困难标签"}
    assert actions(date_to="2000-01-01") == set()


def test_export_has_chinese_words_and_is_itself_audited(client, users, trail):
    client.force_login(users["auditor"])
    response = client.get("/core/audit/", {"actor": "street", "_export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("序号", "时间（北京时间）", "操作人", "操作", "对象", "变更内容")
    assert rows[1][2:5] == ("李晓燕（岳阳街道 社会救助专员）", "修改人员信息", "人员 7")
    assert rows[1][5] == "就业状况：无业 → 在职" and len(rows) == 2
    assert AuditEntry.objects.filter(action="core.list.export", object_id="审计日志").exists()
