"""The policy pages on the design system (ADR 0012, issue 9): parameters by
their Chinese names with Chinese source notes and 核实 badges; the
calculator picks a household (never a typed number) and shows programs,
parameters and reasons by Chinese names only; a district run that replaces
a month's decisions asks first and names the month."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from minzheng.eligibility import source_notes
from minzheng.eligibility.selectors import parameter_catalogue
from minzheng.jobs.services import jobs_run_queued
from minzheng.registry import services as registry


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    """The visible text of the page's main part (tags, attributes, scripts and styles removed)."""
    if "<main" in html:
        html = html[html.index("<main"):html.index("</main>")]
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_parameter_text_reads_in_chinese():
    for parameter in parameter_catalogue():
        texts = [parameter["description"], parameter["reference"]]
        texts += [t for e in parameter["timeline"] for t in (e["source"], e["note"])]
        for text in texts:
            assert not source_notes.untranslated(text), (parameter["name"], text)


@pytest.mark.django_db
def test_parameter_page_shows_chinese_names_sources_and_verification_badges(users):
    page = _client(users["committee"]).get("/policy/parameters/").content.decode()
    text = _text(page)
    assert "上海城乡居民最低生活保障标准" in text and "上海日报" in text
    assert 'class="badge bg-yellow-lt">此参数尚未核实' in page and 'class="badge bg-green-lt">已核实' in page
    assert not re.search(r"[a-z]{3,}", text), re.findall(r"\S*[a-z]{3,}\S*", text)[:5]
    assert "PARAMETER_MISSING" not in text


@pytest.mark.django_db
def test_calculator_picks_the_household_and_shows_no_codes(users, make_person):
    head = make_person("计算丙", dt.date(1950, 3, 2), monthly_income_fen=80000)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳路7号",
                                          monetary_assets_fen=2000000, start_date=dt.date(2020, 1, 1))
    client = _client(users["committee"])
    page = client.get("/policy/calculator/").content.decode()
    prefill = page[page.index('id="prefill-form"'):page.index("</form>", page.index('id="prefill-form"'))]
    assert 'data-picker="/api/v1/pick/households"' in prefill and 'type="number"' not in prefill
    page = client.get(f"/policy/calculator/?household={household.pk}&month=2024-08").content.decode()
    assert "计算丙家" in _text(page) and not re.search(r"家庭 \d+", _text(page))
    assert f'<option value="{household.pk}" selected>计算丙家' in page  # the picker shows the chosen household
    form = {
        "month": "2024-08", "monetary_assets_yuan": "20000", "private_cars": "0", "homes": "1",
        "medical_out_of_pocket_12m_yuan": "0",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "12",
        "m-0-id": "计算丙", "m-0-birth_date": "1950-03-02", "m-0-hukou_shanghai": "on",
        "m-0-earned_income_yuan": "0", "m-0-other_income_yuan": "800", "m-0-able_to_work": "on", "m-0-has_able_supporter": "on",
    }
    result = _text(client.post("/policy/calculator/", form).content.decode())
    assert "测算结果" in result and "上海城乡居民最低生活保障标准" in result
    assert "dibao" not in result and not re.search(r"\b[a-z]+(_[a-z]+)+\b", result)


@pytest.mark.django_db
def test_a_run_that_replaces_a_month_asks_first_and_names_the_month(users):
    client = _client(users["bureau"])
    page = client.get("/policy/runs/?month=2025-08").content.decode()
    assert re.search(r'class="btn btn-primary" data-busy="[^"]+" data-confirm="[^"]*2025-08[^"]*"', page)
    client.post("/policy/runs/batch/", {"month": "2025-08"})
    jobs_run_queued()
    page = client.get("/policy/runs/?month=2025-08").content.decode()
    assert re.search(r'class="btn btn-danger" data-busy="[^"]+" data-confirm="将替换 2025-08 已保存的全区测算决定', page)


@pytest.mark.django_db
def test_household_decisions_name_members_not_numbers(users, make_person):
    head = make_person("测算丁", dt.date(1950, 1, 1))
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳路8号",
                                          start_date=dt.date(2020, 1, 1))
    client = _client(users["bureau"])
    client.post("/policy/runs/batch/", {"month": "2025-08"})
    jobs_run_queued()
    fragment = _text(client.get(f"/policy/households/{household.pk}/decisions/?month=2025-08").content.decode())
    assert "测算丁" in fragment and not re.search(r"人员 \d+", fragment)


@pytest.mark.django_db
def test_a_grant_is_set_up_by_name_without_typing_a_code(users):
    from minzheng.eligibility.models import GrantDefinition

    client = _client(users["bureau"])
    response = client.post("/policy/grants/", {"label": "2026年春节帮困送温暖", "month": "2026-01", "amount_yuan": "500",
                                               "target_groups": ["dibao"]})
    assert response.status_code == 302
    grant = GrantDefinition.objects.get()
    assert grant.name == "grant_202601_1"
    page = _text(client.get("/policy/grants/").content.decode())
    assert "2026年春节帮困送温暖" in page and "grant_202601_1" not in page and "spring_festival" not in page
