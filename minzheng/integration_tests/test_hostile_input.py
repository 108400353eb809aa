"""Hostile input never gives a 500: every form of the main write pages, for
the bureau account on a small demo district, is posted with hostile values
in each of its fields in turn (numbers that are not finite or far too large,
dates far in the past or future, text longer than any column, header-only
and oversized files) and must answer below 500.

Table-driven: the pages are crawled from the navigation (plus one detail
page of each kind), each ``<form method="post">`` is read from the HTML
with its default values, and each visible field is replaced by each value of
``HOSTILE`` while the others keep their defaults. The test client does not
re-raise server errors here: a 500 is recorded as a problem and listed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from minzheng.core.models import User

HOSTILE = (
    "NaN", "sNaN", "Infinity", "1e30", "999999999999999999", "-5", "10000", "9223372036854775808",
    "9999-12-31", "9999-12", "1900-01", "0001-01-01", "²", "9" * 5000, "",
)
LONG_TEXT = "长" * 3000
FILES = (
    ("header-only.csv", "姓名,公民身份号码\n".encode()),
    ("empty.csv", b""),
    ("garbage.xlsx", b"PK\x03\x04not-really-a-zip"),
)
SKIP = re.compile(r"logout|download|\.pdf|\.xlsx|\.csv|template\.|/api/|/static/|/admin/|login")
MAX_PAGES = 140


class _Forms(HTMLParser):
    """The forms of a page: action, and fields with their default values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": {}, "files": [], "hidden": set(),
                          "get": (a.get("method") or "get").lower() != "post"}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if name not in self._form["fields"] or "checked" in a:
                    self._form["fields"][name] = a.get("value", "on")
            elif kind not in ("submit", "button", "reset", "image"):
                self._form["fields"][name] = a.get("value") or ""
                if kind == "hidden":
                    self._form["hidden"].add(name)
            elif kind == "submit" and a.get("value"):
                self._form["fields"].setdefault(name, a["value"])
        elif tag == "select":
            self._select = name
            self._form["fields"].setdefault(name, "")
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value and (not self._form["fields"].get(self._select) or "selected" in a):
                self._form["fields"][self._select] = value
        elif tag == "textarea":
            self._textarea = name
            self._form["fields"][name] = ""
        elif tag == "button" and a.get("value"):
            self._form["fields"].setdefault(name, a["value"])

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _pages(client: Client, seeds: list[str]) -> list[tuple[str, str]]:
    """(page, html) for the pages reachable from the home page, one of each kind."""
    todo, seen, pages = [*seeds, "/"], set(), []
    while todo and len(pages) < MAX_PAGES:
        path = todo.pop(0)
        if SKIP.search(path) or _kind(path) in seen:
            continue
        seen.add(_kind(path))
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((path, html))
        todo += [href for href in re.findall(r'href="(/[^"#?]*)"', html) if _kind(href) not in seen]
    return pages


def _post(client: Client, action: str, fields: dict, files: dict, get: bool = False) -> int:
    if get:
        return client.get(action, fields).status_code
    data = {**fields, **{name: SimpleUploadedFile(fname, content) for name, (fname, content) in files.items()}}
    return client.post(action, data).status_code


def _seed_pages() -> list[str]:
    """Detail pages with write forms the navigation reaches only deep down."""
    from minzheng.casework.models import Application, Enrolment
    from minzheng.payments.batches import batch_run
    from minzheng.verification.models import VerificationRequest

    bureau = User.objects.get(username="bureau")
    month = dt.date.today().strftime("%Y-%m")
    paths = []
    try:
        paths.append(f"/payments/batches/{batch_run(actor=bureau, program='dibao', month=month).batch.pk}/")
    except ValidationError:
        pass
    paths += [f"/cases/{a.pk}/" for a in Application.objects.all()[:6]]
    paths += [f"/cases/enrolments/{e.pk}/" for e in Enrolment.objects.all()[:1]]
    paths += [f"/verification/{v.pk}/" for v in VerificationRequest.objects.all()[:2]]
    return paths


@pytest.mark.django_db(transaction=False)
def test_hostile_values_in_every_form_field_never_give_a_server_error():
    call_command("demo_setup", persons=300, seed=2024, stdout=io.StringIO())
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="bureau"))
    problems, posted, seen_forms = [], 0, set()
    for page, html in _pages(client, _seed_pages()):
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = form["action"] or page
            if SKIP.search(action) or (_kind(action), tuple(sorted(form["fields"]))) in seen_forms:
                continue
            seen_forms.add((_kind(action), tuple(sorted(form["fields"]))))
            defaults = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            files = {name: FILES[0] for name in form["files"]}
            for name in defaults:
                values = HOSTILE[:9] if form["hidden"] and name in form["hidden"] or form["get"] else (*HOSTILE, LONG_TEXT)
                for value in values:
                    status = _post(client, action, {**defaults, name: value}, files, form["get"])
                    posted += 1
                    if status >= 500:
                        problems.append(f"{action} {name}={value[:20]!r}: {status}")
            for name in form["files"]:
                for upload in FILES:
                    status = _post(client, action, defaults, {**files, name: upload})
                    posted += 1
                    if status >= 500:
                        problems.append(f"{action} {name}={upload[0]}: {status}")
    assert posted > 300, f"only {posted} hostile posts: the crawl found too few forms"
    assert problems == []


@pytest.mark.parametrize("page", ["99999999999999999999999", "abc", "-1", "0", "1e30", "NaN", "9" * 5000, "last"])
@pytest.mark.django_db
def test_huge_or_non_numeric_page_numbers_on_list_pages_never_give_a_server_error(users, page):
    client = Client(raise_request_exception=False)
    client.force_login(users["bureau"])
    for path in ("/registry/persons/", "/registry/households/", "/payments/", "/payments/ledger/", "/cases/",
                 "/cases/enrolments/", "/monitoring/leads/", "/core/audit/", "/feeds/files/", "/verification/"):
        response = client.get(path, {"page": page, "sort": "x" * 100, "year": page, "month": page})
        assert response.status_code < 500, path
