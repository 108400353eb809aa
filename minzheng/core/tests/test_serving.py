"""Serving for real: production settings refuse weak keys and boot under
gunicorn; unhandled errors are logged with a request id and no query string;
JSON lines in production."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from minzheng.core.request_log import JsonLinesFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEYS = {
    "MINZHENG_SECRET_KEY": "s3cr3t-Abcdefghijklmnopqrstuvwxyz-0123456789",
    "MINZHENG_INDEX_KEY": "ind3x-Abcdefghijklmnopqrstuvwxyz-0123456789",
    "MINZHENG_AUDIT_KEY": "aud1t-Abcdefghijklmnopqrstuvwxyz-0123456789",
    "MINZHENG_DATA_KEY": "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=",
}


def _env(tmp_path, **overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINZHENG_", "DJANGO_", "DATABASE_URL"))}
    env.update(GOOD_KEYS, DJANGO_SETTINGS_MODULE="config.settings.production", MINZHENG_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", MINZHENG_SSL_REDIRECT="0",
               MINZHENG_ALLOWED_HOSTS="127.0.0.1")
    env.update(overrides)
    return env


# The subprocess tests use their own SQLite file, not the test database: they run
# once, on the SQLite run of ``make test``.
OWN_DATABASE = pytest.mark.skipif(connection.vendor == "postgresql",
                                  reason="own SQLite database: runs on the SQLite run only")


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@OWN_DATABASE
@pytest.mark.parametrize("name, value, message", [
    ("MINZHENG_AUDIT_KEY", "", "must be set"),
    ("MINZHENG_SECRET_KEY", "short", "too weak"),
    ("MINZHENG_INDEX_KEY", "a" * 40, "too weak"),
    ("MINZHENG_DATA_KEY", "not-base64!", "32 random bytes"),
    ("MINZHENG_DATA_KEY", "c2hvcnQ=", "32 random bytes"),
])
def test_production_refuses_weak_or_malformed_keys(tmp_path, name, value, message):
    result = _manage(_env(tmp_path, **{name: value}), "check")
    assert result.returncode != 0 and name in result.stderr and message in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@OWN_DATABASE
def test_production_settings_serve_the_sign_in_page_under_gunicorn(tmp_path):
    env = _env(tmp_path)
    assert _manage(env, "migrate", "--noinput", "-v0").returncode == 0
    collected = _manage(env, "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/?q=310117", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        page = response.read().decode()
        assert response.status == 200 and "工作人员登录" in page
        assert len(response.headers["X-Request-ID"]) == 32
        css = page.split('href="/static/vendor/tabler/css/')[1].split('"')[0]
        assert css != "tabler.min.css" and css.startswith("tabler.min.")  # hashed, collected name
        static = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/tabler/css/{css}", timeout=5)
        assert static.status == 200 and "immutable" in static.headers.get("Cache-Control", "")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "GET /login/" in output and "310117" not in output  # access log: path without the query string


@pytest.mark.django_db
def test_an_unhandled_error_is_logged_with_its_request_id_and_answered_in_chinese(settings, users):
    settings.ROOT_URLCONF = "minzheng.core.tests.urls_boom"
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(users["street"])
        response = client.get("/boom/?name=张三", HTTP_X_REQUEST_ID="req-12345678")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500 and "系统出错" in response.content.decode()
    assert response["X-Request-ID"] == "req-12345678"
    line = json.loads(lines[-1])
    assert line["level"] == "ERROR" and line["request_id"] == "req-12345678"
    assert "/boom/" in line["message"] and "RuntimeError" in line["exception"]
    assert "张三" not in lines[-1] and "name=" not in lines[-1]


def test_a_request_id_from_outside_must_look_like_one():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from minzheng.core.request_log import RequestIdMiddleware

    middleware = RequestIdMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>"))
    assert len(response["X-Request-ID"]) == 32 and "<" not in response["X-Request-ID"]
