"""Test helpers for pages: a logged-in client and the query count of one page."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def logged_in(user) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def page_queries(client: Client, url: str, *expected: str) -> int:
    """GET ``url`` (must answer 200 and contain each of ``expected``) and
    return the number of database queries it cost."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    for text in expected:
        assert text in page, text
    return len(captured)


def browser_login(page, base: str, username: str, password: str = "pass-12345") -> None:
    """Log in through the login page of the live server at ``base`` (Playwright page)."""
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".whoami")


def click_and_confirm(page, selector: str) -> str:
    """Click a button; if it asks first (``data-confirm``), answer the design
    system's dialog (static/js/app.js) and return the question it asked."""
    question = page.get_attribute(selector, "data-confirm") or ""
    page.click(selector)
    if question:
        page.wait_for_selector("#confirm-dialog-ok", state="visible")
        assert page.inner_text("#confirm-dialog-text") == question
        page.click("#confirm-dialog-ok")
    return question
