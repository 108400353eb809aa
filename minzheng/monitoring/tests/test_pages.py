"""The monitoring pages on the design system (issue 9, ADR 0012): lists with
filters and an audited Excel export, households shown by their head (never
"家庭 <number>"), reasons by their Chinese text only, confirm dialogs that
say what happens, inline form errors, and one monthly run at a time."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued
from minzheng.monitoring.models import ExitReview, FollowUpTask, Lead, LeadStatus
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.tests.conftest import MONTH, RUN_DAY

pytestmark = pytest.mark.django_db

HOUSEHOLD_NUMBER = re.compile(r"家庭\s*\d+")
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def ran(crafted):
    monitor_run_month(actor="test", month=MONTH, today=RUN_DAY)
    return crafted


def _text(response) -> str:
    """The visible text of a page (no tags, scripts or styles)."""
    assert response.status_code == 200
    return re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", response.content.decode(), flags=re.S)


def test_lead_list_starts_with_open_leads_and_filters_by_status_program_and_committee(ran, users):
    client = logged_in(users["street"])
    poor = Lead.objects.get(program="dibao", household=ran.h_poor)
    edge = Lead.objects.get(household=ran.h_edge)
    Lead.objects.filter(pk=edge.pk).update(status=LeadStatus.CLOSED, outcome="declined")

    page = client.get("/monitoring/leads/").content.decode()
    assert f"线索 {poor.pk}<" in page and f"线索 {edge.pk}<" not in page  # open leads first
    everything = client.get("/monitoring/leads/?status=").content.decode()
    assert f"线索 {edge.pk}<" in everything and "本人拒绝" in everything  # 全部: closed ones with their outcome
    dibao_only = client.get("/monitoring/leads/?status=&program=low_income").content.decode()
    assert f"线索 {poor.pk}<" not in dibao_only and f"线索 {edge.pk}<" in dibao_only
    le_du = client.get("/monitoring/leads/?status=&committee=310117001002").content.decode()
    assert f"线索 {poor.pk}<" not in le_du and f"线索 {edge.pk}<" in le_du
    # the filters offer Chinese labels, never the codes
    assert ">最低生活保障<" in page or ">低保<" in page or "低收入" in page
    assert not IDENTIFIER.findall(_text(client.get("/monitoring/leads/?status=")))


def test_the_committee_picker_only_where_the_reach_spans_committees(ran, users):
    assert 'name="committee"' in logged_in(users["street"]).get("/monitoring/leads/").content.decode()
    assert 'name="committee"' not in logged_in(users["committee"]).get("/monitoring/leads/").content.decode()


def test_a_filter_never_widens_the_reach(ran, users):
    far = Lead.objects.get(program="dibao", household=ran.h_far)  # 泗泾镇, not the street user's
    page = logged_in(users["street"]).get("/monitoring/leads/?status=&committee=310117102201").content.decode()
    assert f"线索 {far.pk}<" not in page


def test_overdue_filter_lists_open_leads_past_their_deadline(ran, users):
    poor = Lead.objects.get(program="dibao", household=ran.h_poor)
    Lead.objects.update(due_on=dt.date.today() + dt.timedelta(days=10))  # the run's deadlines are in 2025
    Lead.objects.filter(pk=poor.pk).update(due_on=dt.date.today() - dt.timedelta(days=3))
    page = logged_in(users["street"]).get("/monitoring/leads/?overdue_only=1").content.decode()
    assert f"线索 {poor.pk}<" in page and "超期 3 天" in page
    assert Lead.objects.filter(status=LeadStatus.OPEN).count() > 1
    assert len(re.findall(r'href="/monitoring/leads/\d+/"', page)) == 1


def test_lead_export_is_an_audited_xlsx_with_chinese_headers_labels_and_masked_ids(ran, users):
    response = logged_in(users["street"]).get("/monitoring/leads/?status=&_export=xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "救助项目", "对象")
    body = " ".join(str(v) for row in rows[1:] for v in row if v is not None)
    assert "最低生活保障" in body or "低保" in body
    assert "dibao" not in body and "low_income" not in body
    assert "贫困甲家" in body and ran.poor.id_number_masked in body
    assert not re.search(r"\d{17}[\dX]", body)  # no full ID number
    entry = AuditEntry.objects.filter(action="core.list.export").latest("id")
    assert entry.actor == "street" and entry.changes["rows"] == len(rows) - 1


@pytest.mark.parametrize("url", ["/monitoring/tasks/?status=", "/monitoring/exits/?status=", "/monitoring/edge/",
                                 "/monitoring/notices/"])
def test_every_list_exports(ran, users, url):
    response = logged_in(users["bureau"]).get(url + ("&" if "?" in url else "?") + "_export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert len(list(sheet.iter_rows(values_only=True))) >= 2  # headers and at least one row
    assert not IDENTIFIER.findall(" ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v))


def test_households_are_shown_by_their_head_never_by_number(ran, users):
    client = logged_in(users["bureau"])
    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    review = ExitReview.objects.get()
    task = FollowUpTask.objects.get()
    pages = ["/monitoring/leads/?status=", f"/monitoring/leads/{lead.pk}/", "/monitoring/my/",
             "/monitoring/exits/?status=", f"/monitoring/exits/{review.pk}/", "/monitoring/tasks/?status=",
             f"/monitoring/tasks/{task.pk}/", "/monitoring/edge/", f"/monitoring/households/{ran.h_poor.pk}/"]
    for url in pages:
        text = _text(client.get(url))
        assert not HOUSEHOLD_NUMBER.search(text), url
        assert not IDENTIFIER.findall(text), (url, IDENTIFIER.findall(text))
    assert "贫困甲家" in _text(client.get(f"/monitoring/leads/{lead.pk}/"))
    assert "富裕丁家" in _text(client.get(f"/monitoring/exits/{review.pk}/"))


def test_lead_reasons_show_their_text_not_their_code(ran, users):
    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    text = _text(logged_in(users["advisor"]).get(f"/monitoring/leads/{lead.pk}/"))
    assert "人均月收入低于低保标准" in text
    for code in lead.decision_run.reason_vocabulary["dibao"]:
        assert code not in text


def test_irreversible_actions_ask_first_and_say_what_happens(ran, users):
    bureau = logged_in(users["bureau"])
    dashboard = bureau.get("/monitoring/").content.decode()
    run_button = re.search(r'<button[^>]*data-confirm="([^"]*)"[^>]*>运行动态监测</button>', dashboard)
    today = dt.date.today()
    assert run_button and f"将重新测算{today.year}年{today.month}月" in run_button.group(1)
    assert "不可撤销" in run_button.group(1) and 'class="btn btn-danger"' in run_button.group(0)

    review = ExitReview.objects.get()
    page = logged_in(users["street"]).get(f"/monitoring/exits/{review.pk}/").content.decode()
    terminate = re.search(r'<button[^>]*value="exit"[^>]*>终止保障</button>', page).group(0)
    assert "btn-danger" in terminate and "将终止这条" in terminate

    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    page = logged_in(users["advisor"]).get(f"/monitoring/leads/{lead.pk}/").content.decode()
    assert re.search(r'data-confirm="[^"]*不能重新打开[^"]*">办结线索</button>', page)

    advisors = logged_in(users["street"]).get("/monitoring/advisors/").content.decode()
    assert re.search(r'btn-outline-danger" data-confirm="[^"]*不再联系[^"]*">结束联系</button>', advisors)


def test_terminating_from_the_exit_page_uses_the_button_pressed(ran, users):
    review = ExitReview.objects.get()
    response = logged_in(users["street"]).post(f"/monitoring/exits/{review.pk}/", {
        "decision": "exit", "resolution": "收入已超过标准", "effective_month": "2025-09"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "exited"


def test_a_second_run_request_while_one_is_going_is_refused(ran, users):
    """The page answers at once with the job's page; a second start for the
    same month while the first is queued is refused (the month's job lock)."""
    client = logged_in(users["bureau"])
    first = client.post("/monitoring/run/", {"month": MONTH})
    job = Job.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "queued" and job.params["month"] == MONTH
    second = client.post("/monitoring/run/", {"month": MONTH}, follow=True)
    page = second.content.decode()
    assert Job.objects.count() == 1
    assert "2025年8月的批量测算和动态监测不能同时运行" in page and f"作业 {job.pk}" in page
    assert jobs_run_queued() == 1
    job.refresh_from_db()
    assert job.status == "succeeded" and "2025年8月动态监测已完成" in job.summary
    again = client.post("/monitoring/run/", {"month": MONTH})
    assert again.status_code == 302 and Job.objects.count() == 2


def test_the_run_is_refused_to_other_roles_before_the_form_is_read(users):
    assert logged_in(users["committee"]).post("/monitoring/run/", {"month": "not a month"}).status_code == 403


def test_an_invalid_visit_keeps_what_was_typed_and_shows_the_error_under_the_field(ran, users):
    lead = Lead.objects.get(program="dibao", household=ran.h_poor)
    response = logged_in(users["advisor"]).post(f"/monitoring/leads/{lead.pk}/", {
        "form": "visit", "visited_on": "2025-08-25", "visitors": "王顾问", "findings": ""})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="王顾问"' in page
    assert re.search(r'name="findings"[^>]*is-invalid|is-invalid[^>]*name="findings"', page)
    assert "invalid-feedback" in page
    assert 'type="date"' in page and 'value="2025-08-25"' in page
