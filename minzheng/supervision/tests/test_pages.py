"""The pages render for each role that may see them, the wrong role gets 403,
and the forms drive the services (plan, draw, record with a photo, complete,
order, respond with evidence, verify)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minzheng.core.tests.web import logged_in
from minzheng.supervision.models import ItemRecord, OrderStatus, Plan

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def test_pages_render_and_forms_work(users, operator, homes, pool, checklist, approver):
    bureau = logged_in(users["bureau"])
    for name in ("plan_list", "plan_new", "inspectors", "checklists", "order_list", "public"):
        assert bureau.get(reverse(f"supervision:{name}")).status_code == 200, name
    assert logged_in(users["auditor"]).get(reverse("supervision:plan_list")).status_code == 200
    assert logged_in(users["committee"]).get(reverse("supervision:plan_list")).status_code == 403
    response = bureau.post(reverse("supervision:plan_new"), {
        "name": "页面计划", "period_start": "2024-03-01", "period_end": "2024-12-31", "street": "310117001",
        "institutions_to_draw": "2", "inspectors_per_institution": "1", "checklist": str(checklist.pk)})
    plan = Plan.objects.get(name="页面计划")
    assert response.status_code == 302
    bureau.post(reverse("supervision:plan_draw", args=[plan.pk]), {"seed": "9"})
    plan.refresh_from_db()
    assert plan.seed == 9
    page = bureau.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert plan.snapshot_sha256 in page
    inspection = plan.inspections.get(facility=homes["a"])
    items = list(checklist.items.all())
    data = {f"outcome-{i.pk}": "pass" for i in items} | {f"outcome-{items[0].pk}": "issue",
                                                          f"note-{items[0].pk}": "疏散通道堆放杂物",
                                                          f"photo-{items[0].pk}": SimpleUploadedFile("a.png", PNG)}
    bureau.post(reverse("supervision:inspection_record", args=[inspection.pk]), data)
    record = ItemRecord.objects.get(inspection=inspection, item=items[0])
    assert record.photo and record.note == "疏散通道堆放杂物"
    assert bureau.get(reverse("supervision:photo_download", args=[record.pk])).status_code == 200
    bureau.post(reverse("supervision:inspection_complete", args=[inspection.pk]), {"inspected_on": "2024-09-27"})
    bureau.post(reverse("supervision:order_issue", args=[inspection.pk]), {"requirement": "清理", "working_days": "5"})
    inspection.refresh_from_db()
    order = inspection.order
    client = logged_in(operator)
    assert client.get(reverse("supervision:inspection_detail", args=[inspection.pk])).status_code == 200
    client.post(reverse("supervision:order_respond", args=[order.pk]),
                {"text": "已清理", "evidence": SimpleUploadedFile("b.png", PNG)})
    order.refresh_from_db()
    assert order.status == OrderStatus.RESPONDED
    logged_in(users["street"]).post(reverse("supervision:order_verify", args=[order.pk]), {"decision": "accept"})
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    api = bureau.get(f"/api/v1/supervision/plans/{plan.pk}").json()
    assert api["seed"] == 9 and api["draw"] == plan.draw
    assert dt.date.fromisoformat(api["period_start"]) == dt.date(2024, 3, 1)
