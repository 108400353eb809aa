"""Browser test (Debian's Chromium through playwright): the committee's worker
adds a volunteer with the committee picker (never a typed code), then opens an
elder on the visit list and records a home visit; the elder is no longer overdue."""

from __future__ import annotations

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from minzheng.core.tests.web import browser_login
from minzheng.hardship_visits.models import Visitor, VisitRecord, VisitTarget
from minzheng.hardship_visits.services import targets_refresh


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_committee_adds_a_volunteer_and_records_a_visit(live_server, users, elder, browser_page):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # the seeded categories, as the migration leaves them (a transactional test starts after a flush)
    importlib.import_module("minzheng.hardship_visits.migrations.0002_seed_categories").seed(apps, None)
    today = timezone.localdate()
    person = elder("钱阿婆", 86)
    targets_refresh(actor=users["bureau"], today=today - dt.timedelta(days=60))  # listed two months ago
    target = VisitTarget.objects.get(person=person)
    assert target.next_due_on < today  # overdue
    page, base = browser_page, live_server.url

    browser_login(page, base, "committee")
    page.goto(base + reverse("hardship_visits:visitors"))
    page.click("#visitor-form .ts-control")
    page.keyboard.type("谷阳")
    page.locator("#visitor-form .ts-dropdown .option", has_text="谷阳居委会").first.click()
    page.fill("#visitor-form input[name=name]", "周志愿")
    with page.expect_navigation():
        page.click("#visitor-form button[type=submit]")
    assert Visitor.objects.filter(name="周志愿", committee_id="310117001001").exists()

    page.goto(base + reverse("hardship_visits:target_detail", args=[target.pk]))
    page.select_option("#visit-form select[name=visitor]", label="周志愿（志愿者）")
    page.fill("#visit-form textarea[name=findings]", "精神好，冰箱有食物，提醒按时服药")
    with page.expect_navigation():
        page.click("#visit-form button[type=submit]")
    assert page.locator(".toast.text-bg-danger").count() == 0, page.locator(".toast").all_inner_texts()
    visit = VisitRecord.objects.get(target=target)
    assert visit.visitor.name == "周志愿" and visit.visited_on == today
    target.refresh_from_db()
    assert target.next_due_on > today
    assert "精神好" in page.content()
