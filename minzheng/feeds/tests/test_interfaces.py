import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import FeedFile, FeedRecord
from minzheng.feeds.tests.files import csv_file


def _token(client, username):
    return client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                       content_type="application/json").json()["token"]


@pytest.fixture
def imported(users, make_person):
    """A death in 岳阳街道 (street user's scope), one in 泗泾镇, and one bad row."""
    from minzheng.core.personal_data import decrypt

    here = make_person("王建华", dt.date(1940, 3, 8))
    there = make_person("李秀英", dt.date(1938, 1, 1), committee="310117102201", male=False)
    rows = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "death_date": "2024-05-03",
             "cremated_on": "2024-05-05", "certificate": f"HH{p.pk}"} for p in (here, there)]
    rows.append({**rows[0], "death_date": "not a date"})
    result = feed_file_import(actor=users["bureau"], source_code="cremation", filename="cremation.csv",
                              content=csv_file("cremation", rows))
    return result.file, here, there


@pytest.mark.django_db
def test_pages_for_bureau(client, users, imported):
    feed_file, here, _ = imported
    client.force_login(users["bureau"])
    index = client.get("/feeds/")
    assert index.status_code == 200 and "人社" in index.content.decode() and "火化记录" in index.content.decode()
    report = client.get(f"/feeds/files/{feed_file.pk}/").content.decode()
    assert "日期格式应为 YYYY-MM-DD" in report and "错误行（已隔离）" in report
    events = client.get("/feeds/events/").content.decode()
    assert "王建华" in events and "李秀英" in events and "已在人口库登记死亡" in events
    template = client.get("/feeds/sources/hrss_wages/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.django_db
def test_street_sees_only_its_persons_and_no_quarantine_detail(client, users, imported):
    feed_file, here, there = imported
    client.force_login(users["street"])
    events = client.get("/feeds/events/").content.decode()
    assert "王建华" in events and "李秀英" not in events
    report = client.get(f"/feeds/files/{feed_file.pk}/").content.decode()
    assert "日期格式应为" not in report and "仅区民政局可查看" in report and "错误行（已隔离）" not in report
    other = FeedRecord.objects.get(person=there)
    assert client.get(f"/feeds/records/{other.pk}/").status_code == 404
    assert client.get(f"/feeds/records/{FeedRecord.objects.get(person=here).pk}/").status_code == 200


@pytest.mark.django_db
def test_upload_page_imports_and_reports(client, users, resident):
    _, id_number = resident
    client.force_login(users["bureau"])
    content = csv_file("hrss_pension", [{"id_number": id_number, "name": "王建华", "month": "2024-01",
                                         "scheme": "城镇职工基本养老保险", "amount": "3800.50"}])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minzheng.jobs.models import Job
    from minzheng.jobs.services import jobs_run_queued

    response = client.post("/feeds/upload/", {"source": "hrss_pension",
                                              "file": SimpleUploadedFile("pension.csv", content)})
    job = Job.objects.get()  # the import runs as a background job (ADR 0017)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs_run_queued()
    feed_file = FeedFile.objects.get()
    job.refresh_from_db()
    assert job.result_url == f"/feeds/files/{feed_file.pk}/"
    assert FeedRecord.objects.get().amount_fen == 380050


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["committee", "advisor"])
def test_committee_and_advisor_do_not_browse_raw_feeds(client, users, role):
    client.force_login(users[role])
    assert client.get("/feeds/").status_code == 403


@pytest.mark.django_db
def test_api_files_report_and_scoped_events(client, users, imported):
    feed_file, _, _ = imported
    bureau = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, 'bureau')}"}
    street = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, 'street')}"}
    files = client.get("/api/v1/feeds/files", **bureau).json()
    assert files["count"] == 1 and files["results"][0]["bad_rows"] == 1
    report = client.get(f"/api/v1/feeds/files/{feed_file.pk}", **bureau).json()
    assert report["quarantined"] == [{"row": 4, "column": "死亡日期", "reason": "日期格式应为 YYYY-MM-DD，或日期不存在"}]
    assert client.get(f"/api/v1/feeds/files/{feed_file.pk}", **street).json()["quarantined"] == []
    assert client.get("/api/v1/feeds/events", **bureau).json()["count"] == 2
    street_events = client.get("/api/v1/feeds/events", **street).json()
    assert street_events["count"] == 1 and street_events["results"][0]["name"] == "王建华"
    assert client.get("/api/v1/feeds/files/999999", **bureau).status_code == 404


@pytest.mark.django_db
def test_command_line_import_and_template(users, resident, tmp_path, capsys):
    _, id_number = resident
    template = tmp_path / "wages.xlsx"
    call_command("feeds_template", "--source", "hrss_wages", str(template))
    assert template.stat().st_size > 0
    path = tmp_path / "wages.csv"
    path.write_bytes(csv_file("hrss_wages", [{"id_number": id_number, "name": "王建华", "month": "2024-01",
                                              "employer": "厂", "amount": "5000"}]))
    call_command("feeds_import", "--source", "hrss_wages", str(path))
    call_command("feeds_import", "--source", "hrss_wages", str(path))
    out = capsys.readouterr().out
    assert "有效 1 行" in out and "本次未作任何改动" in out
    with pytest.raises(CommandError, match="未知的数据来源"):
        call_command("feeds_import", "--source", "nope", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/feeds/files?offset=-1", "/api/v1/feeds/files?limit=-1",
                                 "/api/v1/feeds/events?offset=-1", "/api/v1/feeds/events?limit=0"])
def test_api_lists_refuse_negative_paging(client, users, url):
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {_token(client, 'bureau')}")
    assert response.status_code == 422
