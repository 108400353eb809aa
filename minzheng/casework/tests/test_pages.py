"""The casework pages on the design system (ADR 0012): lists filter and export
what the user may see, households are named by their head (never "家庭 <number>"),
the intake picks the household by search, and irreversible steps ask first."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from minzheng.casework.models import Status
from minzheng.casework.tests.conftest import walk
from minzheng.core.models import AuditEntry
from minzheng.core.tests.web import logged_in

D = dt.date
HOUSEHOLD_NUMBER = re.compile(r"家庭\s*\d")


@pytest.fixture
def enrolled(users, new_case):
    return walk(new_case(), users, Status.ENROLLED)


@pytest.mark.django_db
def test_application_list_filters_by_status_program_and_overdue(users, new_case):
    application = new_case()  # applied 1 September 2025: its acceptance is long overdue
    client = logged_in(users["street"])
    assert application.number in client.get("/cases/?status=open").content.decode()
    assert application.number not in client.get("/cases/?status=enrolled").content.decode()
    assert application.number not in client.get("/cases/?program=low_income").content.decode()
    assert application.number in client.get("/cases/?program=dibao&overdue=1").content.decode()
    page = client.get(f"/cases/?committee={application.committee_id}").content.decode()
    assert application.number in page and "张小明家" in page and "超期" in page
    assert "已申请" in page and "待受理" in page  # the status and the pending step, in Chinese


@pytest.mark.django_db
def test_street_filter_only_for_users_above_one_street(users, new_case):
    new_case()
    assert 'name="street"' in logged_in(users["bureau"]).get("/cases/").content.decode()
    assert 'name="street"' not in logged_in(users["street"]).get("/cases/").content.decode()


@pytest.mark.django_db
def test_application_export_is_masked_labelled_and_audited(users, new_case):
    application = new_case()
    response = logged_in(users["street"]).get("/cases/?status=open&_export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["案号", "申请家庭 / 申请人", "救助项目", "居村委", "申请日期", "当前环节", "办理期限"]
    assert rows[1][0] == application.number and rows[1][2] == "最低生活保障"
    assert "张小明家" in rows[1][1] and application.applicant.id_number_masked in rows[1][1]
    assert "***********" in rows[1][1]  # the ID number masked, as on the page
    entry = AuditEntry.objects.filter(action="core.list.export").latest("id")
    assert entry.actor == "street" and entry.changes["rows"] == 1 and entry.changes["filters"] == {"status": "open"}


@pytest.mark.django_db
def test_enrolment_list_filters_and_exports(users, enrolled):
    client = logged_in(users["street"])
    enrolment = enrolled.enrolments.get()
    assert f"/cases/enrolments/{enrolment.pk}/" in client.get("/cases/enrolments/?status=active").content.decode()
    assert f"/cases/enrolments/{enrolment.pk}/" not in client.get("/cases/enrolments/?status=terminated").content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/cases/enrolments/?_export=xlsx").content)).active
    header, row = ([c.value for c in r] for r in list(sheet.iter_rows())[:2])
    assert header[:3] == ["编号", "保障对象", "救助项目"] and row[1].startswith("张小明家") and row[6] == "保障中"


@pytest.mark.django_db
def test_no_page_names_a_household_by_its_number(users, enrolled):
    client = logged_in(users["street"])
    enrolment = enrolled.enrolments.get()
    for url in ("/cases/", f"/cases/{enrolled.pk}/", f"/cases/{enrolled.pk}/archive/", "/cases/enrolments/",
                f"/cases/enrolments/{enrolment.pk}/", "/cases/rereviews/"):
        page = client.get(url).content.decode()
        assert not HOUSEHOLD_NUMBER.search(page), url
    assert "张小明家" in client.get(f"/cases/enrolments/{enrolment.pk}/").content.decode()


@pytest.mark.django_db
def test_intake_picks_the_household_by_search(users, family):
    client = logged_in(users["committee"])
    page = client.get("/cases/new/").content.decode()
    assert 'data-picker="/api/v1/pick/households"' in page and 'name="household"' in page
    assert 'type="number"' not in page
    # the chosen household (the picker's value) opens the application form with its members
    page = client.get(f"/cases/new/?household={family.household.pk}").content.decode()
    assert "张小明家" in page and "李丽华（配偶）" in page and 'id="intake-form"' in page
    assert '<option value="dibao"' in page and "最低生活保障" in page
    # the household picker finds the household by a member's name within the user's jurisdiction
    found = client.get("/api/v1/pick/households?q=李丽华").json()["results"]
    assert [str(r["value"]) for r in found] == [str(family.household.pk)]


@pytest.mark.django_db
def test_irreversible_steps_ask_first_and_say_what_happens(users, new_case, enrolled):
    application = new_case(program="low_income")
    page = logged_in(users["street"]).get(f"/cases/{application.pk}/").content.decode()
    reject = re.search(r'<button[^>]*name="submit-reject"[^>]*>', page).group(0)
    assert "btn-danger" in reject and 'data-confirm="不予受理后，本申请即办结' in reject
    withdraw = re.search(r'<button[^>]*name="submit-withdraw"[^>]*>', page).group(0)
    assert "btn-outline-danger" in withdraw and "不能恢复" in withdraw
    enrolment = enrolled.enrolments.get()
    page = logged_in(users["street"]).get(f"/cases/enrolments/{enrolment.pk}/").content.decode()
    assert re.search(r'class="btn btn-danger" data-confirm="终止后，自停发月份起不再发放保障金', page)
    assert re.search(r'class="btn btn-outline-danger" data-confirm="暂停后', page)


@pytest.mark.django_db
def test_enrolment_changes_are_named_in_chinese(users, enrolled):
    enrolment = enrolled.enrolments.get()
    client = logged_in(users["street"])
    client.post(f"/cases/enrolments/{enrolment.pk}/suspend/", {"reason": "外出务工待核实", "effective_month": "2026-01"})
    page = client.get(f"/cases/enrolments/{enrolment.pk}/").content.decode()
    assert "纳入保障" in page and "暂停发放" in page and ">suspended<" not in page and ">enrolled<" not in page


@pytest.mark.django_db
def test_program_settings_one_labelled_form_per_program(users):
    page = logged_in(users["bureau"]).get("/cases/settings/").content.decode()
    assert page.count('name="notice_days"') == page.count('name="program"') >= 1
    assert 'for="dibao-notice_days"' in page and 'id="dibao-notice_days"' in page
    assert 'name="notice_days"' not in logged_in(users["street"]).get("/cases/settings/").content.decode()


@pytest.mark.django_db
def test_rereview_list_shows_due_enrolments_and_exports(users, enrolled):
    enrolment = enrolled.enrolments.get()
    enrolment.next_review_on = D.today() - dt.timedelta(days=3)
    enrolment.save(update_fields=["next_review_on"])
    client = logged_in(users["street"])
    page = client.get("/cases/rereviews/?overdue=1").content.decode()
    assert f"/cases/enrolments/{enrolment.pk}/" in page and "张小明家" in page and "超期 3 天" in page
    sheet = load_workbook(io.BytesIO(client.get("/cases/rereviews/?_export=xlsx").content)).active
    header, row = ([c.value for c in r] for r in list(sheet.iter_rows())[:2])
    assert header == ["保障对象", "救助项目", "居村委", "家庭情况", "应复核日期"] and row[0].startswith("张小明家")
    assert f"/cases/enrolments/{enrolment.pk}/" not in logged_in(users["other_street"]).get("/cases/rereviews/").content.decode()
