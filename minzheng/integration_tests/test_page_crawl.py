"""Every page reachable from the navigation, and one detail page of each kind
linked from them, opens for every demo role on a fresh demo district: no
4xx/5xx, no "；；；"-style rendering of a value, no citation of a project file.

It also fails on an internal identifier in a page's visible text (a code
such as ``low_income``): every code has its Chinese label. This is the
server-side part of the crawl issue 9 asks for; the browser part (console
errors, a 390-pixel screen, accessibility) follows with the design system.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from minzheng.core.models import User

ROLES = ("bureau", "checker", "approver", "street", "committee", "advisor", "auditor", "registrar", "funeral", "cemetery", "carehome",
         "canteen", "socorg")
SKIP = re.compile(r"logout|download|export|\.pdf|\.xlsx|\.csv|template\.|/api/|/static/|/admin/|reveal")
BROKEN_VALUE = re.compile(r"[；;]\s*[；;]\s*[；;]")
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")
PROJECT_FILE = re.compile("REFERENCE" + r"\.md|\.\./shared")  # spelled apart: this file is checked too
PER_ROLE_LIMIT = 80


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


# Pages the navigation reaches only through a result link, opened for every role with the
# answer each role must get: a failed registry import's result page and its problems CSV
# (registry.import, and the district level sees every import: street/committee 404 for an
# import not theirs, no right 403), and one job page of every kind (the starter, or
# jobs.view: bureau roles and the auditor; others 403).
DISTRICT, JOBS_VIEW = ("bureau", "checker", "approver"), ("bureau", "checker", "approver", "auditor")
IMPORT_RUN = {role: 200 if role in DISTRICT else 404 if role in ("street", "committee") else 403 for role in ROLES}
JOB_PAGE = {role: 200 if role in JOBS_VIEW else 403 for role in ROLES}


@pytest.mark.django_db
def test_every_reachable_page_opens_for_every_role(client):
    # one demo district inside the test's transaction (nothing outlives the test)
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    targets = _result_pages()
    problems = {role: _crawl(client, role) + _visit(client, role, targets) for role in ROLES}
    assert problems == dict.fromkeys(ROLES, [])


def _result_pages() -> dict[str, dict[str, int]]:
    """path → expected status per role, for the demo's failed import and a job of each kind."""
    from minzheng.jobs.kinds import all_kinds
    from minzheng.jobs.models import Job
    from minzheng.registry.models import ImportRun

    run = ImportRun.objects.filter(rejected_rows__gt=0, imported_rows=0).order_by("-pk").first()
    assert run is not None, "the demo has no failed registry import"
    pages = {f"/registry/import/runs/{run.pk}/": IMPORT_RUN, f"/registry/import/runs/{run.pk}/problems.csv": IMPORT_RUN}
    failed = Job.objects.filter(kind="registry_import", status="failed", result_url=f"/registry/import/runs/{run.pk}/")
    assert failed.exists(), "the failed import is not a failed job linking to its problems"
    missing = []
    for kind in all_kinds():
        job = Job.objects.filter(kind=kind.code).order_by("-pk").first()
        if job is None:
            missing.append(kind.label)
        else:
            pages[f"/jobs/{job.pk}/"] = JOB_PAGE
    assert missing == [], f"the demo has no job of these kinds: {missing}"
    return pages


def _visit(client, role: str, targets: dict[str, dict[str, int]]) -> list[str]:
    client.force_login(User.objects.get(username=role))
    problems = []
    for path, expected in targets.items():
        response = client.get(path)
        if response.status_code != expected[role]:
            problems.append(f"{path}: {response.status_code}, expected {expected[role]}")
        elif response.status_code == 200 and path.endswith(".csv"):
            if not response.content.decode("utf-8-sig").startswith("行号,列,问题"):
                problems.append(f"{path}: not the problems CSV")
        elif response.status_code == 200:
            problems += _page_problems(path, response.content.decode())
    return problems


def _crawl(client, role: str) -> list[str]:
    client.force_login(User.objects.get(username=role))
    home = client.get("/")
    assert home.status_code == 200
    todo = re.findall(r'href="(/[^"#?]*)"', home.content.decode())
    seen_kinds: set[str] = set()
    visited, problems = 0, []
    while todo and visited < PER_ROLE_LIMIT:
        path = todo.pop(0)
        if SKIP.search(path) or _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        response = client.get(path)
        visited += 1
        if response.status_code >= 400:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        problems += _page_problems(path, page)
        todo += [href for href in re.findall(r'href="(/[^"#?]*)"', page) if _kind(href) not in seen_kinds]
    if visited < 5:
        problems.append(f"reached only {visited} pages")
    return problems


def _page_problems(path: str, page: str) -> list[str]:
    problems = []
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    if BROKEN_VALUE.search(text):
        problems.append(f"{path}: a value rendered as separators")
    if found := sorted(set(IDENTIFIER.findall(text))):
        problems.append(f"{path}: internal identifiers {found}")
    if PROJECT_FILE.search(text):
        problems.append(f"{path}: cites a project file")
    return problems
