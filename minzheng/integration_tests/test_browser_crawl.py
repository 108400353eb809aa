"""The browser part of the page crawl (issue 9): every page reachable from the
navigation, and one detail page of each kind linked from them, opened in
Chromium for every demo role on a fresh demo district.

At 1280 pixels it fails on: a 4xx/5xx answer to the page or to anything the
page loads (static files, XHR); an internal identifier (``low_income``) or a
project file name in the visible text; a value rendered as "；；；"; a console
error; an uncaught script error; a serious or critical accessibility
violation found by axe-core (``axe-playwright-python`` bundles axe.min.js: no
network). At 390 pixels (a phone), for every role and every page of the
navigation: nothing overflows horizontally at page level, and the navigation
collapses into a menu button that opens.

Bounded run time on a small machine: one browser for everything, signing in
by session cookie (the login form itself is checked signed out), the same
path-kind dedupe, skip list and per-role limit as ``test_demo_district.py``; a
page whose HTML (without the header) equals one already rendered at that
width is not rendered again (the district roles share most pages); axe runs
once per page kind and set of element kinds, with the slow colour-contrast
rule once per page kind. Every page kind is rendered at each width for the
first role that reaches it; another role renders a page kind already
rendered (with other markup) only on a seeded sample (``RoleSample``, a
share ``SHARE`` of them): every role and every page kind is covered, every
role's home page always, and the seed is printed (``MINZHENG_TEST_SEED``
replays a run, ``MINZHENG_BROWSER_ALL=1`` renders everything). The
server-side crawl checks every page's text and status for every role.
A finding names the width, the page, the roles and
what (an accessibility finding names the first role whose markup was
audited); a page that answers 4xx/5xx names the page that linked to it.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import time
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from minzheng.casework.services import application_create
from minzheng.core.models import User
from minzheng.integration_tests.test_demo_district import (
    BROKEN_VALUE,
    IDENTIFIER,
    PER_ROLE_LIMIT,
    PROJECT_FILE,
    ROLES,
    SKIP,
    _kind,
)
from minzheng.payments.batches import batch_run
from minzheng.registry.models import Household, HouseholdMembership

WIDE, PHONE = 1280, 390
SHARE = 0.3
SERIOUS = ("serious", "critical")
HREF = re.compile(r"^(/[^#?]*)")

# The markup of a page as the set of its element kinds (tag, role, type, and
# the colour classes of text): two roles whose page of one kind has the same
# set get one accessibility audit.
MARKUP_JS = """() => Array.from(new Set(Array.from(document.querySelectorAll('body *')).map(e =>
  e.tagName + '[' + (e.getAttribute('role') || '') + '|' + (e.getAttribute('type') || '') + '|'
  + (typeof e.className === 'string' ? (e.className.match(/\\b(text|bg|btn|badge|alert)-[a-z-]+|\\b(ok|error|muted|tag|warn)\\b/g) || []).sort().join('.') : '')
  + ']'))).sort().join('\\n')"""

# Outermost elements that stick out to the right of the window (none of their
# ancestors does): what makes the page scroll sideways.
OVERFLOW_JS = """() => {
  const w = window.innerWidth, out = [];
  if (document.documentElement.scrollWidth <= w + 1) return null;
  const wide = e => e.getBoundingClientRect().right > w + 1;
  for (let e of document.querySelectorAll('body *')) {
    if (!wide(e) || (e.parentElement && e.parentElement !== document.body && wide(e.parentElement))) continue;
    e = e.closest('table') || e;
    const cls = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).slice(0, 3).join('.') : '';
    const text = (e.tHead || e.rows && e.rows[0] || e).innerText || '';
    const what = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + cls + ' «' + text.trim().slice(0, 30).replace(/\\s+/g, ' ') + '»';
    if (!out.includes(what)) out.push(what);
    if (out.length >= 3) break;
  }
  return {scroll: document.documentElement.scrollWidth, width: w, culprits: out};
}"""


class Watcher:
    """Collects, for the page being looked at, the answers >= 400, failed
    requests, console errors and uncaught script errors; counts requests in
    flight so a page is checked once its own XHR have answered."""

    def __init__(self, page, base: str):
        self.base, self.events, self.inflight = base, [], 0
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.events.append(f"script error: {error}"))

    def _started(self, request) -> None:
        self.inflight += 1

    def _ended(self, request) -> None:
        self.inflight = max(0, self.inflight - 1)

    def _failed(self, request) -> None:
        self._ended(request)
        if "ERR_ABORTED" not in (request.failure or ""):
            self.events.append(f"request failed: {request.method} {self._short(request.url)} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():  # the page itself: see open()
            kind = response.request.resource_type
            self.events.append(f"HTTP {response.status} for {kind} {response.request.method} {self._short(response.url)}")

    def _console(self, message) -> None:
        # an answer >= 400 is already reported with its address by _response
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.events.append(f"console error: {message.text[:300]}")

    def _short(self, url: str) -> str:
        return url[len(self.base):] if url.startswith(self.base) else url

    def open(self, page, url: str) -> int | None:
        """Go to ``url``, wait for its requests to settle; the page's status."""
        self.events = []
        response = page.goto(url, wait_until="load")
        deadline = time.monotonic() + 5
        while self.inflight and time.monotonic() < deadline:
            page.wait_for_timeout(25)
        return response.status if response else None

    def take(self) -> list[str]:
        events, self.events = self.events, []
        return list(dict.fromkeys(events))


class Sameness:
    """Pages whose markup was already looked at in the browser at a width.

    The HTML of a page is fetched first (a plain request with the browser's
    cookies, no rendering); if, without the header (navigation and signed-in
    name, looked at on each role's home page) and the CSRF tokens, it equals
    a page of the same kind already rendered at this width, rendering it again
    would find the same: it is not rendered. Its links are still followed."""

    HEADER = re.compile(r"<header\b.*?</header>", re.S)
    TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*')

    def __init__(self):
        self.seen: set = set()
        self.skipped = 0

    def fetch(self, page, url: str, width: int, kind: str) -> tuple[int, str, bool]:
        """The status and HTML of ``url``, and whether it needs rendering."""
        response = page.request.get(url, max_redirects=0)
        if response.status != 200:
            return response.status, "", True
        if "text/html" not in response.headers.get("content-type", ""):
            return response.status, "", False  # a file (an image, a PDF): nothing to render or follow
        html = response.text()
        key = (width, kind, hashlib.sha1(self.TOKEN.sub("", self.HEADER.sub("", html)).encode()).hexdigest())
        if key in self.seen:
            self.skipped += 1
            return response.status, html, False
        self.seen.add(key)
        return response.status, html, True


class RoleSample:
    """Which further roles render a page kind already rendered at a width: a
    seeded share of them (the first role to reach a kind always renders it)."""

    def __init__(self, seed: int):
        self.rng, self.rendered, self.skipped = random.Random(seed), set(), 0
        self.every = os.environ.get("MINZHENG_BROWSER_ALL") == "1"

    def render(self, width: int, kind: str) -> bool:
        if self.every or (width, kind) not in self.rendered or self.rng.random() < SHARE:
            self.rendered.add((width, kind))
            return True
        self.skipped += 1
        return False


def _sign_in(page, base: str, username: str | None) -> None:
    """Sign in by session cookie (the login form is audited once, signed out)."""
    page.context.clear_cookies()
    if username is None:
        return
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [m.group(1) for h in hrefs if (m := HREF.match(h or ""))]


def _text_problems(page) -> list[str]:
    text = page.evaluate("document.title + '\\n' + document.body.innerText")
    found = []
    if BROKEN_VALUE.search(text):
        found.append("a value rendered as separators: " + BROKEN_VALUE.search(text).group(0))
    if identifiers := sorted(set(IDENTIFIER.findall(text))):
        found.append(f"internal identifiers in visible text {identifiers}")
    if PROJECT_FILE.search(text):
        found.append("cites a project file")
    return found


class Auditor:
    """axe-core on a page: all rules once per page kind; once more, without
    the slow colour-contrast rule (colours come from the shared classes),
    for each other markup of that kind."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe, self.done, self.runs, self.seconds = Axe(), set(), 0, 0.0

    def check(self, page, kind: str) -> list[str]:
        markup = hashlib.sha1(page.evaluate(MARKUP_JS).encode()).hexdigest()
        if (kind, markup) in self.done:
            return []
        options = {"resultTypes": ["violations"]}
        if any(done_kind == kind for done_kind, _ in self.done):
            options["rules"] = {"color-contrast": {"enabled": False}}
        self.done.add((kind, markup))
        self.runs += 1
        started = time.monotonic()
        results = self.axe.run(page, options=options).response
        self.seconds += time.monotonic() - started
        found = []
        for violation in results["violations"]:
            if violation["impact"] in SERIOUS:
                targets = ", ".join(" ".join(n["target"]) for n in violation["nodes"][:3])
                found.append(f"axe {violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
                             f"{violation['help']} — e.g. {targets}")
        return found


def _crawl_wide(page, watch: Watcher, auditor: Auditor, same: Sameness, sample: RoleSample, base: str, role: str,
                findings: dict, nav: dict) -> int:
    """Breadth-first from the home page, one page per path kind (as the
    server-side crawl); returns the number of pages visited."""
    _sign_in(page, base, role)
    todo, seen_kinds, visited = [("/", None)], set(), 0
    while todo and visited < PER_ROLE_LIMIT:
        path, source = todo.pop(0)
        if SKIP.search(path) or _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        visited += 1
        here = findings[(WIDE, role, path)]
        status, html, render = same.fetch(page, base + path, WIDE, _kind(path))
        render = render and (path == "/" or sample.render(WIDE, _kind(path)))
        if render or path == "/":
            status = watch.open(page, base + path)
        if status is None or status >= 400:
            here.append(f"page answered {status}" + (f" (linked from {source})" if source else ""))
        if render or path == "/":
            if status != 200 or urlsplit(page.url).path != path:
                here.extend(watch.take())
                continue
            if path == "/":
                nav[role] = ["/"] + [m.group(1) for h in page.eval_on_selector_all(
                    "#mainnav a[href]", "els => els.map(e => e.getAttribute('href'))") if (m := HREF.match(h or ""))]
            here.extend(_text_problems(page))
            here.extend(auditor.check(page, _kind(path)))
            here.extend(watch.take())
            links = _links(page)
        else:
            links = [m.group(1) for h in re.findall(r'href="([^"]*)"', html) if (m := HREF.match(h))]
        todo += [(href, path) for href in links if _kind(href) not in seen_kinds]
    return visited


def _check_phone(page, watch: Watcher, same: Sameness, sample: RoleSample, base: str, role: str | None,
                 paths: list[str], findings: dict) -> None:
    _sign_in(page, base, role)
    for path in dict.fromkeys(paths):
        if SKIP.search(path):
            continue
        here = findings[(PHONE, role, path)]
        status, _, render = same.fetch(page, base + path, PHONE, _kind(path))
        if path != "/" and not (render and sample.render(PHONE, _kind(path))):
            continue
        status = watch.open(page, base + path)
        if status != 200:
            here.append(f"page answered {status}")
            continue
        if overflow := page.evaluate(OVERFLOW_JS):
            here.append(f"page scrolls sideways: {overflow['scroll']} px wide in a {overflow['width']} px window; "
                        f"sticking out: {'; '.join(overflow['culprits']) or '?'}")
        if path == "/":
            here.extend(_menu_problems(page))
        here.extend(watch.take())


def _menu_problems(page) -> list[str]:
    """At phone width the navigation is a menu button that opens it."""
    toggler, menu = page.locator("button.navbar-toggler"), page.locator("#mainnav")
    if not toggler.is_visible():
        return ["no visible menu button (the navigation does not collapse)"]
    if menu.is_visible():
        return ["the navigation is shown beside a menu button instead of collapsing into it"]
    toggler.click()
    try:
        page.wait_for_selector("#mainnav.show", state="visible", timeout=3000)
    except Exception:
        return ["the menu button does not open the navigation"]
    if toggler.get_attribute("aria-expanded") != "true":
        return ["the open menu does not say so (aria-expanded)"]
    if not page.locator("#mainnav .nav-link").first.is_visible():
        return ["the opened menu shows no navigation links"]
    return []


def _work_in_progress() -> None:
    """The demo district has no application and no payment batch: one of
    each (an application by the committee, the month's dibao batch), so the
    two most-used detail pages are crawled too."""
    committee = User.objects.get(username="committee")
    for household in Household.objects.filter(committee_id=committee.scope_id, archived=False).order_by("pk")[:30]:
        head = HouseholdMembership.objects.filter(household=household, end_date__isnull=True,
                                                  relation="本人").select_related("person").first()
        try:
            if head is not None:
                application_create(actor=committee, household=household, applicant=head.person, program="dibao",
                                   note="走访中发现，引导申请")
                break
        except ValidationError:
            continue
    batch_run(actor=User.objects.get(username="bureau"), program="dibao", month=timezone.localdate().strftime("%Y-%m"))


def _report(findings: dict) -> str:
    """One line per width, page kind and problem, with the roles (and their
    page, where it differs) that met it."""
    grouped: dict = defaultdict(list)
    for (width, role, path), problems in findings.items():
        for problem in problems:
            grouped[(width, _kind(path), problem)].append((role or "(signed out)", path))
    lines = []
    for (width, kind, problem), where in sorted(grouped.items(), key=lambda i: (i[0][0] != WIDE, i[0][1], i[0][2])):
        paths = {path for _, path in where}
        who = ", ".join(role for role, _ in where) if len(paths) == 1 else ", ".join(f"{r} {p}" for r, p in where)
        lines.append(f"{width}px {paths.pop() if len(paths) == 1 else kind} [{who}]: {problem}")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_in_a_browser_for_every_role(live_server, browser_page, holiday_table):
    # one demo district with an application and a batch, committed for the live server (flushed afterwards)
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    _work_in_progress()
    page, base = browser_page, live_server.url
    seed = int(os.environ.get("MINZHENG_TEST_SEED") or random.SystemRandom().randrange(1_000_000))
    print(f"\nbrowser crawl: seed {seed} (MINZHENG_TEST_SEED={seed} replays this run)")
    watch, auditor, same, sample = Watcher(page, base), Auditor(), Sameness(), RoleSample(seed)
    findings: dict = defaultdict(list)
    nav: dict[str, list[str]] = {}
    started = time.monotonic()

    # signed out: the login page, at both widths
    page.set_viewport_size({"width": WIDE, "height": 900})
    _sign_in(page, base, None)
    status = watch.open(page, f"{base}/login/")
    login = findings[(WIDE, None, "/login/")]
    if status != 200:
        login.append(f"page answered {status}")
    login.extend(_text_problems(page) + auditor.check(page, "/login/") + watch.take())

    visited = {role: _crawl_wide(page, watch, auditor, same, sample, base, role, findings, nav) for role in ROLES}
    wide_done = time.monotonic()

    page.set_viewport_size({"width": PHONE, "height": 844})
    _check_phone(page, watch, same, sample, base, None, ["/login/"], findings)
    for role in ROLES:
        _check_phone(page, watch, same, sample, base, role, nav.get(role, ["/"]), findings)

    print(f"\nbrowser crawl: {sum(visited.values())} page visits at {WIDE}px ({visited}), "
          f"{same.skipped} not rendered again (same markup), {sample.skipped} left to the role sample, {auditor.runs} axe audits ({auditor.seconds:.0f}s), {wide_done - started:.0f}s; "
          f"{sum(len(set(v)) for v in nav.values())} navigation pages at {PHONE}px, "
          f"{time.monotonic() - wide_done:.0f}s")
    thin = [role for role, n in visited.items() if n < 5]
    report = _report({k: v for k, v in findings.items() if v})
    print(report)
    assert not thin, f"reached fewer than 5 pages as {thin}"
    assert not report, f"browser crawl findings (seed {seed}; width page [roles]: what):\n" + report
