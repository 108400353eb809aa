"""Requests an attacker would send to the transport itself: a JSON body nested
100,000 deep, bodies and files larger than the platform takes. Each answers a
Chinese 4xx before the body is parsed or held, and nothing is written."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.core.middleware import JSON_MAX_DEPTH, json_depth
from minzheng.core.models import AuditEntry
from minzheng.eligibility.models import CpiMonth

DEEP = 100_000


@pytest.mark.parametrize("body", ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP,
                                  "[" * DEEP, '{"all_yoy_pct": ' + "[" * (JSON_MAX_DEPTH + 1)])
@pytest.mark.parametrize(("method", "path"), [("post", "/api/v1/policy/evaluate"),
                                              ("put", "/api/v1/policy/cpi/2025-01"),
                                              ("post", "/api/v1/auth/token")])
@pytest.mark.django_db
def test_json_nested_too_deep_is_a_chinese_400(client, users, method, path, body):
    client.force_login(users["bureau"])
    audit_before = AuditEntry.objects.count()
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]
    assert CpiMonth.objects.count() == 0 and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "application/vnd.api+json"])
@pytest.mark.django_db
def test_a_deep_api_body_is_refused_whatever_its_content_type(client, users, content_type):
    """The API parses any body as JSON: the depth check does not trust the Content-Type."""
    client.force_login(users["bureau"])
    response = client.post("/api/v1/policy/evaluate", "[" * DEEP + "]" * DEEP, content_type=content_type)
    assert response.status_code == 400 and "嵌套过深" in response.json()["detail"]


@pytest.mark.django_db
def test_json_of_ordinary_depth_still_reaches_the_endpoint(client, users):
    token = client.post("/api/v1/auth/token", {"username": "bureau", "password": "pass-12345"},
                        content_type="application/json").json()["token"]
    response = client.put("/api/v1/policy/cpi/2025-01", {"all_yoy_pct": "0.5", "food_yoy_pct": "1.2"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert CpiMonth.objects.filter(month="2025-01").exists()


@pytest.mark.parametrize(("text", "depth"), [(b"{}", 1), (b'{"a": "[[[[{{{"}', 1), (b'[[1], {"b": [2]}]', 3),
                                             (b'"\\"[["', 0), (b"1", 0)])
def test_json_depth_ignores_brackets_in_strings(text, depth):
    assert json_depth(text) == depth


@pytest.mark.django_db
def test_an_80_mb_upload_is_refused_before_the_body_is_read(client, users):
    """The Content-Length alone refuses it: the 80 MB are never read (the
    payload here is tiny; reading it as 80 MB would fail)."""
    client.force_login(users["bureau"])
    response = client.generic("POST", "/registry/import/", b"--x--", content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(80 * 1024 * 1024))
    assert response.status_code == 413
    assert "过大" in response.content.decode()


@pytest.mark.django_db
def test_an_80_mb_api_upload_is_refused_in_chinese_json(client, users):
    client.force_login(users["bureau"])
    response = client.generic("POST", "/api/v1/payments/batches/1/returns", b"--x--",
                              content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(80 * 1024 * 1024))
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


@pytest.mark.django_db
def test_a_file_over_the_cap_is_stopped_while_streaming(client, users, settings):
    """A file over the per-file cap inside a request under the request cap
    is stopped by the upload handler as it streams: 413, nothing imported."""
    settings.MINZHENG_MAX_UPLOAD_BYTES = 64 * 1024
    settings.MINZHENG_MAX_REQUEST_BYTES = 10 * 1024 * 1024
    client.force_login(users["bureau"])
    audit_before = AuditEntry.objects.count()
    big = SimpleUploadedFile("人口.csv", b"x" * (200 * 1024), content_type="text/csv")
    response = client.post("/registry/import/", {"file": big})
    assert response.status_code == 413
    assert "人口.csv" in response.content.decode() and "过大" in response.content.decode()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_form_body_over_the_data_cap_is_a_chinese_413(client, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(users["bureau"])
    response = client.post("/policy/cpi/", {"month": "2025-01", "all_yoy_pct": "1", "food_yoy_pct": "1",
                                            "source": "x" * 5000})
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert CpiMonth.objects.count() == 0


@pytest.mark.django_db
def test_small_uploads_still_pass(client, users):
    client.force_login(users["bureau"])
    response = client.post("/policy/cpi/", {"file": io.BytesIO("月份,CPI同比涨幅（%）,食品价格同比涨幅（%）\n2025-01,0.5,1.2\n".encode())})
    assert response.status_code == 302
    assert CpiMonth.objects.filter(month="2025-01").exists()
