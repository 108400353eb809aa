import pytest
from django.test import Client


@pytest.mark.django_db
def test_login_page_is_chinese_and_sets_security_headers(client):
    response = client.get("/login/")
    assert "工作人员登录" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get("/registry/persons/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_login_is_rate_limited(users):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "street", "password": "wrong"})
    # the right password no longer works while locked out
    response = client.post("/login/", {"username": "street", "password": "pass-12345"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()


@pytest.mark.django_db
def test_csrf_is_enforced(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["street"])
    assert client.post("/registry/import/", {}).status_code == 403


@pytest.mark.django_db
def test_successful_login_reaches_home_with_scope(users):
    client = Client()
    response = client.post("/login/", {"username": "street", "password": "pass-12345"}, follow=True)
    page = response.content.decode()
    assert "岳阳街道" in page and "我的工作台" in page  # the home page is the user's to-do inbox


@pytest.mark.django_db
def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_audit_page_for_auditor_only(users):
    client = Client()
    client.force_login(users["auditor"])
    assert client.get("/core/audit/").status_code == 200
    client.force_login(users["street"])
    assert client.get("/core/audit/").status_code == 403


@pytest.mark.django_db
def test_person_list_query_count_is_constant(users, make_person, django_assert_max_num_queries):
    import datetime as dt

    for i in range(25):
        make_person(f"测试{i}", dt.date(1970, 1, 1 + i % 28))
    client = Client()
    client.force_login(users["bureau"])
    with django_assert_max_num_queries(8):
        response = client.get("/registry/persons/")
    assert response.status_code == 200


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy allows scripts from files only ('unsafe-inline' dropped): a
    template with an inline script would silently stop working."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) or re.search(
                r"\son[a-z]+=[\"']", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_scripts_only_from_files(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
