"""The cemetery pages and /api/v1/cemeteries on the demo's data (minzheng.demo.cemeteries): every page opens
for the roles that see cemeteries, forms write through the services, refusals
show in Chinese, out of scope is 404, the report downloads as Excel and PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minzheng.cemeteries.models import Cemetery, Inspection, Price, Rectification
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.cemeteries import cemeteries_seed

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    response = Client().post("/api/v1/auth/token", {"username": user.username, "password": "pass-12345"},
                             content_type="application/json")
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


@pytest.fixture
def cemetery_user(users):
    return user_create(actor="test", username="cemetery", password="pass-12345", role=Role.CEMETERY,
                       scope_code="310117", full_name="钱伟", post="公墓 工作人员")


@pytest.fixture
def demo(users):
    cemeteries_seed(bureau=users["bureau"], today=timezone.localdate())
    return {c.name: c for c in Cemetery.objects.all()}


def test_every_page_opens_for_bureau_auditor_and_cemetery_staff(users, cemetery_user, demo):
    year = timezone.localdate().year - 1
    inspection = Inspection.objects.filter(year=year).first()
    site = demo["佘山演示陵园"]
    urls = [reverse("cemeteries:cemetery_list"), reverse("cemeteries:cemetery_detail", args=[site.pk]),
            reverse("cemeteries:caps"), reverse("cemeteries:inspection_list"),
            reverse("cemeteries:inspection_detail", args=[inspection.pk]), reverse("cemeteries:checklist"),
            f"{reverse('cemeteries:report')}?year={year}"]
    for user in (users["bureau"], users["auditor"], cemetery_user):
        client = _client(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
    page = _client(users["bureau"]).get(reverse("cemeteries:caps")).content.decode()
    assert "佘山演示陵园" in page and "演示文件" in page
    for url in (reverse("cemeteries:cemetery_new"), reverse("cemeteries:cemetery_edit", args=[site.pk]),
                reverse("cemeteries:inspection_new", args=[site.pk])):
        assert _client(users["bureau"]).get(url).status_code == 200
        assert _client(users["auditor"]).get(url).status_code == 403


def test_committee_gets_403_and_street_404_for_another_street(users, demo):
    assert _client(users["committee"]).get(reverse("cemeteries:cemetery_list")).status_code == 403
    street = _client(users["street"])  # 岳阳街道
    listing = street.get(reverse("cemeteries:cemetery_list")).content.decode()
    assert "岳阳街道公益性骨灰堂" in listing and "佘山演示陵园" not in listing
    assert street.get(reverse("cemeteries:cemetery_detail", args=[demo["佘山演示陵园"].pk])).status_code == 404
    assert street.get(reverse("cemeteries:cemetery_detail",
                              args=[demo["岳阳街道公益性骨灰堂（选址中）"].pk])).status_code == 200


def test_price_form_refuses_above_cap_with_the_document(users, demo):
    site = demo["小昆山演示公墓"]
    client = _client(users["bureau"])
    response = client.post(reverse("cemeteries:price_add", args=[site.pk]),
                           {"plot_kind": "traditional", "price_yuan": "100000.01", "effective_from": "2025-06-01"},
                           follow=True)
    text = response.content.decode()
    assert "100,000.00元" in text and "调整（演示文件" in text
    assert not Price.objects.filter(cemetery=site, effective_from=dt.date(2025, 6, 1)).exists()
    client.post(reverse("cemeteries:price_add", args=[site.pk]),
                {"plot_kind": "traditional", "price_yuan": "95000", "effective_from": "2025-06-01"})
    assert Price.objects.get(cemetery=site, effective_from=dt.date(2025, 6, 1)).price_fen == 9_500_000


def test_report_downloads_and_evidence_upload(users, cemetery_user, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year - 1
    client = _client(users["bureau"])
    xlsx = client.get(reverse("cemeteries:report"), {"year": year, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("cemeteries:report"), {"year": year, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rect = Rectification.objects.filter(verified_on__isnull=True).first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = _client(cemetery_user)
    bad = staff.post(reverse("cemeteries:evidence_upload", args=[rect.pk]),
                     {"file": SimpleUploadedFile("x.png", b"not a picture")}, follow=True)
    assert "PDF、PNG 或 JPEG" in bad.content.decode()
    staff.post(reverse("cemeteries:evidence_upload", args=[rect.pk]),
               {"file": SimpleUploadedFile("整改照片.pdf", b"%PDF-1.4 demo")})
    evidence = rect.evidence.get()
    download = staff.get(reverse("cemeteries:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert _client(users["committee"]).get(reverse("cemeteries:evidence_download",
                                                   args=[evidence.pk])).status_code == 403


def test_api_list_detail_scope_and_report(users, demo):
    client = _api(users["bureau"])
    listing = client.get("/api/v1/cemeteries", {"kind": "public_columbarium"}).json()
    assert listing["count"] == 4 and all(r["kind_label"] == "公益性骨灰堂" for r in listing["results"])
    assert all(r["counts"] is None and r["status_label"] == "规划中" for r in listing["results"])
    site = demo["佘山演示陵园"]
    detail = client.get(f"/api/v1/cemeteries/{site.pk}").json()
    assert detail["counts"]["capacity"] == 6900 and detail["counts"]["eco_share_sold"] is not None
    traditional = next(p for p in detail["prices"] if p["plot_kind"] == "traditional")
    assert traditional["over_cap"] and traditional["cap_fen"] == 10_000_000
    assert _api(users["street"]).get(f"/api/v1/cemeteries/{site.pk}").status_code == 404
    assert _api(users["committee"]).get("/api/v1/cemeteries").status_code == 403
    year = timezone.localdate().year - 1
    report = client.get(f"/api/v1/cemeteries/report/{year}").json()
    assert {r["outcome_label"] for r in report["rows"]} >= {"合格", "不合格", "限期整改"}
    assert client.get("/api/v1/cemeteries/report/1800").status_code == 422
