"""The department-data pages on the design system (ADR 0012): sources and event
kinds by Chinese label only, files and events as staff lists with filters and
export, a file's rejected rows by row number and reason."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from minzheng.core.personal_data import decrypt
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.tests.files import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(users, make_person):
    person = make_person("王建华", dt.date(1940, 3, 8))
    row = {"id_number": decrypt(person.id_number_enc), "name": person.name, "death_date": "2024-05-03",
           "cremated_on": "2024-05-05", "certificate": "HH1"}
    result = feed_file_import(actor=users["bureau"], source_code="cremation", filename="火化.csv",
                              content=csv_file("cremation", [row, {**row, "death_date": "not a date"}]))
    return result.file, person


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_index_shows_sources_by_name_with_coverage_and_last_file(client, users, imported):
    feed_file, _ = imported
    client.force_login(users["bureau"])
    page = client.get("/feeds/").content.decode()
    assert "火化记录" in page and "尚未收到" in page and f'href="/feeds/files/{feed_file.pk}/"' in page
    assert "2024年5月" in page  # the period the cremation file covers
    assert "cremation" not in _visible(page) and "death" not in _visible(page)
    assert '<label class="form-label required" for="feed-source">' in page


def test_file_list_filters_by_source_and_exports(client, users, imported):
    client.force_login(users["bureau"])
    assert "火化.csv" in client.get("/feeds/files/", {"source": "cremation"}).content.decode()
    assert "火化.csv" not in client.get("/feeds/files/", {"source": "hrss_wages"}).content.decode()
    response = client.get("/feeds/files/", {"_export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("文件", "数据来源", "接收时间") and rows[1][:2] == ("火化.csv", "火化记录")


def test_file_detail_lists_rejected_rows_with_numbers_and_reasons(client, users, imported):
    feed_file, _ = imported
    users["bureau"].full_name, users["bureau"].post = "陈建华", "区民政局社会救助科 科员"
    users["bureau"].save()
    client.force_login(users["bureau"])
    page = client.get(f"/feeds/files/{feed_file.pk}/").content.decode()
    quarantine = page.split('id="quarantine"')[1]
    assert "第 3 行" in quarantine and "日期格式应为" in quarantine
    assert "陈建华（区民政局社会救助科 科员）" in page.split('id="file-counts"')[0].split("page-header")[-1]


def test_event_list_filters_by_kind_and_date_and_shows_labels(client, users, imported):
    _, person = imported
    client.force_login(users["bureau"])
    page = client.get("/feeds/events/", {"kind": "death"}).content.decode()
    body = page.split("<tbody")[1]
    assert "王建华" in body and "死亡" in body and "火化记录" in body and "death" not in _visible(body)
    assert '<option value="death" selected>死亡</option>' in page
    assert "王建华" not in client.get("/feeds/events/", {"kind": "moved_out"}).content.decode().split("<tbody")[1]
    assert "王建华" not in client.get("/feeds/events/", {"date_to": "2024-05-01"}).content.decode().split("<tbody")[1]
    assert "王建华" in client.get("/feeds/events/", {"date_from": "2024-05-01"}).content.decode().split("<tbody")[1]
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get("/feeds/events/", {"_export": "xlsx"}).content))
                .active.iter_rows(values_only=True))
    assert rows[1][1] == "死亡" and rows[1][3] == person.id_number_masked


def test_template_download_has_a_chinese_file_name(client, users):
    client.force_login(users["bureau"])
    disposition = client.get("/feeds/sources/cremation/template.csv")["Content-Disposition"]
    assert "cremation" not in disposition and "filename*=UTF-8''" in disposition


@pytest.mark.django_db
def test_a_street_sees_only_files_with_its_residents_and_only_its_own_counts(users, make_person):
    import datetime as dt

    from django.test import Client

    from minzheng.feeds.services import feed_file_import
    from minzheng.feeds.tests.files import csv_file

    mine = make_person("本街甲", dt.date(1970, 1, 1), committee="310117001001")
    theirs = make_person("外街乙", dt.date(1971, 1, 1), committee="310117102201")
    from minzheng.core.personal_data import decrypt

    def wages(person, filename):
        rows = [{"id_number": decrypt(person.id_number_enc), "name": person.name, "month": "2024-01",
                 "employer": "某公司", "amount": "3000"}]
        return feed_file_import(actor=users["bureau"], source_code="hrss_wages", filename=filename,
                                content=csv_file("hrss_wages", rows), today=dt.date(2024, 3, 1)).file

    both = wages(mine, "本街.csv")
    other = wages(theirs, "外街.csv")
    client = Client()
    client.force_login(users["street"])
    page = client.get("/feeds/files/").content.decode()
    assert "本街.csv" in page and "外街.csv" not in page
    assert "总行数" not in page and "本辖区记录" in page
    assert client.get(f"/feeds/files/{other.pk}/").status_code == 404
    detail = client.get(f"/feeds/files/{both.pk}/").content.decode()
    assert "本辖区人员记录" in detail and "总行数" not in detail and "未匹配人员" not in detail
    bureau = Client()
    bureau.force_login(users["bureau"])
    assert "外街.csv" in bureau.get("/feeds/files/").content.decode()


@pytest.mark.django_db
def test_the_api_gives_a_street_only_its_own_counts_of_a_file(users, make_person):
    import datetime as dt

    from django.test import Client

    from minzheng.core.personal_data import decrypt
    from minzheng.feeds.services import feed_file_import
    from minzheng.feeds.tests.files import csv_file

    mine = make_person("本街甲", dt.date(1970, 1, 1), committee="310117001001")
    theirs = make_person("外街乙", dt.date(1971, 1, 1), committee="310117102201")
    rows = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "month": "2024-01", "employer": "某公司",
             "amount": "3000"} for p in (mine, theirs)]
    feed = feed_file_import(actor=users["bureau"], source_code="hrss_wages", filename="两街.csv",
                            content=csv_file("hrss_wages", rows), today=dt.date(2024, 3, 1)).file
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "street", "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    listed = client.get("/api/v1/feeds/files", HTTP_AUTHORIZATION=f"Bearer {token}").json()["results"]
    assert [(f["id"], f["total_rows"], f["records_in_scope"]) for f in listed] == [(feed.pk, None, 1)]
    report = client.get(f"/api/v1/feeds/files/{feed.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert report["good_rows"] is None and report["records_in_scope"] == 1
