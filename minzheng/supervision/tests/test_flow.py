"""Inspection → order → response → verification → approval → 一公开 (ADR 0030):
the deadline in working days across a holiday, a year without an arrangement
refused, escalation once, the operator's scope (404 elsewhere, pages and API),
maker-checker, and the public page (approved plans only, no personal data)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted, SeparationOfDuties
from minzheng.core.tests.web import logged_in
from minzheng.core.workdays import HolidayArrangementMissing, holiday_year_record
from minzheng.supervision import services
from minzheng.supervision.models import ItemOutcome, OrderStatus

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32
PDF = b"%PDF-1.4 test"


@pytest.fixture
def drawn(users, homes, pool, make_plan):
    plan = make_plan(n=4, k=1)
    plan = services.draw_record(actor=users["bureau"], plan=plan, seed=3)
    return plan, {i.facility_id: i for i in plan.inspections.all()}


INSPECTED = dt.date(2024, 9, 27)


def _inspect(actor, inspection, issues=1, on=INSPECTED):
    items = list(inspection.plan.checklist.items.all())
    results = {item.pk: ((ItemOutcome.ISSUE, "灭火器过期") if n < issues else (ItemOutcome.PASS, ""))
               for n, item in enumerate(items)}
    services.inspection_record(actor=actor, inspection=inspection, results=results,
                               photos={items[0].pk: PNG} if issues else None)
    return services.inspection_complete(actor=actor, inspection=inspection, inspected_on=on)


def test_deadline_in_working_days_across_national_day_and_unrecorded_year(users, homes, drawn):
    _plan, inspections = drawn
    inspection = _inspect(users["bureau"], inspections[homes["a"].pk])
    # 2024: 9月29日（周日）调休上班, 10月1日至7日放假: the 5th working day after 27 September is 10 October
    order = services.order_issue(actor=users["bureau"], inspection=inspection, requirement="更换过期灭火器",
                                 working_days=5, issued_on=D("2024-09-27"))
    assert order.deadline == D("2024-10-10")
    other = _inspect(users["bureau"], inspections[homes["b"].pk])
    with pytest.raises(HolidayArrangementMissing, match="2030年节假日安排尚未录入"):
        services.order_issue(actor=users["bureau"], inspection=other, requirement="整改", working_days=3,
                             issued_on=D("2030-12-27"))
    # the bureau records 2030 (a made-up arrangement for the test: only New Year's Day) — then it counts
    holiday_year_record(actor=users["bureau"], year=2030, source="测试用安排", holidays=[(D("2030-01-01"), "元旦")],
                        workdays=[])
    holiday_year_record(actor=users["bureau"], year=2031, source="测试用安排", holidays=[(D("2031-01-01"), "元旦")],
                        workdays=[])
    order = services.order_issue(actor=users["bureau"], inspection=other, requirement="整改", working_days=3,
                                 issued_on=D("2030-12-27"))
    assert order.deadline == D("2031-01-02")  # 30 and 31 December, (1 January a holiday), 2 January


def test_respond_verify_reject_then_accept(users, operator, homes, drawn):
    _plan, inspections = drawn
    inspection = _inspect(users["bureau"], inspections[homes["a"].pk])
    order = services.order_issue(actor=users["bureau"], inspection=inspection, requirement="更换", working_days=10,
                                 issued_on=D("2024-09-27"))
    with pytest.raises(NotPermitted):
        services.order_respond(actor=users["street"], order=order, text="已整改", evidence=PDF)
    with pytest.raises(ValidationError, match="佐证材料只能是"):
        services.order_respond(actor=operator, order=order, text="已整改", evidence=b"hello")
    services.order_respond(actor=operator, order=order, text="已更换", evidence_name="发票.pdf", evidence=PDF)
    with pytest.raises(ValidationError, match="说明理由"):
        services.order_verify(actor=users["street"], order=order, accepted=False)
    services.order_verify(actor=users["street"], order=order, accepted=False, note="照片不清楚")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # back to the operator
    services.order_respond(actor=operator, order=order, text="补充照片", evidence=PNG)
    services.order_verify(actor=users["street"], order=order, accepted=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.responses.count() == 2


def test_overdue_orders_escalate_once(users, homes, drawn):
    _plan, inspections = drawn
    inspection = _inspect(users["bureau"], inspections[homes["c"].pk])
    order = services.order_issue(actor=users["bureau"], inspection=inspection, requirement="整改", working_days=5,
                                 issued_on=D("2024-09-27"))
    assert services.orders_escalate(today=D("2024-10-10")) == 0  # the last day is not overdue
    assert services.orders_escalate(today=D("2024-10-11")) == 1
    order.refresh_from_db()
    first = order.escalated_at
    assert first is not None
    assert services.orders_escalate(today=D("2024-10-20")) == 0
    out = io.StringIO()
    call_command("elderly_supervision_escalate", stdout=out)  # today: long after the deadline — still once
    assert "新上报逾期整改通知0份" in out.getvalue()
    logged_in(users["bureau"]).get(reverse("supervision:plan_list"))
    order.refresh_from_db()
    assert order.escalated_at == first
    assert AuditEntry.objects.filter(action="supervision.order_escalate", object_id=str(order.pk)).count() == 1
    page = logged_in(users["bureau"]).get(reverse("supervision:plan_list")).content.decode()
    assert "逾期上报的整改通知" in page and homes["c"].name in page


def test_operator_sees_only_its_institution_on_pages_and_api(users, operator, homes, drawn):
    _plan, inspections = drawn
    own, other = inspections[homes["a"].pk], inspections[homes["b"].pk]
    for i in (own, other):
        services.order_issue(actor=users["bureau"], inspection=_inspect(users["bureau"], i), requirement="整改",
                             working_days=5, issued_on=D("2024-09-27"))
    client = logged_in(operator)
    assert client.get(reverse("supervision:inspection_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("supervision:inspection_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("supervision:order_respond", args=[other.order.pk]),
                       {"text": "x"}).status_code == 404
    assert client.get(reverse("supervision:plan_list")).status_code == 403
    page = client.get(reverse("supervision:order_list")).content.decode()
    assert homes["a"].name in page and homes["b"].name not in page
    assert client.get(f"/api/v1/supervision/inspections/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/supervision/inspections/{other.pk}").status_code == 404
    orders = client.get("/api/v1/supervision/orders").json()
    assert [o["facility_name"] for o in orders] == [homes["a"].name]
    street = logged_in(users["other_street"])  # 泗泾镇 does not see 岳阳 homes either
    assert street.get(reverse("supervision:inspection_detail", args=[own.pk])).status_code == 404


def test_maker_checker_and_the_public_page(users, approver, operator, homes, drawn):
    plan, inspections = drawn
    public = reverse("supervision:public")
    for n, inspection in enumerate(inspections.values()):
        done = _inspect(users["bureau"], inspection, issues=1 if n == 0 else 0)
        if n == 0:
            services.order_issue(actor=users["bureau"], inspection=done, requirement="整改", working_days=5,
                                 issued_on=D("2024-09-27"))
    services.plan_submit(actor=users["bureau"], plan=plan)
    assert homes["a"].name not in Client().get(public).content.decode()  # not approved yet
    with pytest.raises(SeparationOfDuties):
        services.plan_approve(actor=users["bureau"], plan=plan)
    services.plan_approve(actor=approver, plan=plan)
    response = Client().get(public)  # no login
    page = response.content.decode()
    assert response.status_code == 200
    assert all(h.name in page for h in (homes["a"], homes["b"], homes["c"], homes["d"]))
    assert "责令限期整改" in page and "整改中" in page and "合格" in page
    for personal in ("陈检查", "李检查", "王专家", "李专家", "郑秀英", "灭火器过期", "bureau", "吴国强"):
        assert personal not in page, personal


def test_a_new_checklist_version_leaves_the_old_plan_alone(users, homes, drawn, checklist):
    plan, _ = drawn
    before = list(plan.checklist.items.values_list("text", flat=True))
    new = services.checklist_version_create(actor=users["bureau"], title="养老机构双随机检查表", source="测试",
                                            items=[("fire", "新的检查项")])
    assert new.version == checklist.version + 1
    plan.refresh_from_db()
    assert plan.checklist_id == checklist.pk
    assert list(plan.checklist.items.values_list("text", flat=True)) == before


def test_dashboard_figures_and_oversight_columns(users, operator, homes, drawn):
    from minzheng.supervision.figures import dashboard_figures
    from minzheng.supervision.selectors import open_findings_by_facility, overdue_orders_by_facility

    _plan, inspections = drawn
    inspection = _inspect(users["bureau"], inspections[homes["a"].pk], issues=2)
    services.order_issue(actor=users["bureau"], inspection=inspection, requirement="整改", working_days=5,
                         issued_on=D("2024-09-27"))
    _inspect(users["bureau"], inspections[homes["c"].pk], issues=0)
    figures = dashboard_figures(users["bureau"], D("2024-10-11"))
    assert figures.rows["310117001"] == [1, 2, 1, 1] and figures.rows["310117102"] == [1, 0, 0, 0]
    assert figures.totals == [2, 2, 1, 1]
    assert dashboard_figures(users["other_street"], D("2024-10-11")).rows == {"310117102": [1, 0, 0, 0]}
    ids = [h.pk for h in homes.values()]
    assert open_findings_by_facility(operator, ids) == {homes["a"].pk: 2}
    assert overdue_orders_by_facility(users["bureau"], ids, D("2024-10-11"))[homes["a"].pk] == 1
    assert overdue_orders_by_facility(users["bureau"], ids, D("2024-10-10"))[homes["a"].pk] == 0


def test_api_refuses_the_wrong_role(users, operator, drawn):
    plan, _ = drawn
    assert logged_in(operator).get(f"/api/v1/supervision/plans/{plan.pk}").status_code == 403
    assert logged_in(users["committee"]).get("/api/v1/supervision/orders").status_code == 403
    assert logged_in(users["auditor"]).get(f"/api/v1/supervision/plans/{plan.pk}").status_code == 200


def test_order_list_filters_overdue_and_exports_to_excel(users, homes, drawn):
    import openpyxl

    _plan, inspections = drawn
    late = services.order_issue(actor=users["bureau"], inspection=_inspect(users["bureau"], inspections[homes["a"].pk]),
                                requirement="整改", working_days=5, issued_on=D("2024-09-27"))
    services.order_issue(actor=users["bureau"], inspection=_inspect(users["bureau"], inspections[homes["b"].pk]),
                         requirement="整改", working_days=5, issued_on=dt.date.today())
    client = logged_in(users["bureau"])
    url = reverse("supervision:order_list")
    page = client.get(url, {"overdue": "1"}).content.decode()
    assert homes["a"].name in page and homes["b"].name not in page and "逾期" in page
    response = client.get(url, {"overdue": "1", "_export": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("机构", "街镇") and len(rows) == 2 and rows[1][0] == homes["a"].name
    assert rows[1][5] == late.get_status_display()  # a label, never the code
    assert AuditEntry.objects.filter(action="core.list.export", object_id="养老机构整改通知").exists()
