"""Shared fixtures: a small district (two streets, three committees), one
account per role, a person factory that goes through the services, and a
Chromium page for the browser tests."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from minzheng.core.models import Division, Role, User
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.registry.id_numbers import with_check_character

_sequence = itertools.count(1)


def run_together(work, n: int) -> list[str]:
    """Run ``work(i)`` in ``n`` threads released at once; each closes its own connection."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = [""] * n

    def target(i: int) -> None:
        try:
            barrier.wait()
            work(i)
            outcomes[i] = "ok"
        except ValidationError as err:
            outcomes[i] = err.messages[0]
        except Exception as err:  # noqa: BLE001 - reported by the assertion, not swallowed
            outcomes[i] = f"error: {err!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def make_id_number(birth: dt.date, *, male: bool = True, area: str = "310117") -> str:
    """A valid, unique synthetic ID number for ``birth``."""
    n = next(_sequence) % 500
    order = 2 * n + (1 if male else 0)
    return with_check_character(f"{area}{birth:%Y%m%d}{order:03d}")


@pytest.fixture
def migration_executor(transactional_db):
    """A migration executor for tests that move the schema back and forth;
    afterwards, pass or fail, every app is migrated to its latest migration
    again (migrating an app back unapplies every app that depends on it, and
    the tests after this one need their tables)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield lambda: MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def audit_checkpoints(settings, tmp_path):
    """Each test anchors the audit chain in its own checkpoint file (the
    database is rolled back after a test; a shared file would outlive it)."""
    settings.MINZHENG_AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.jsonl"
    return settings.MINZHENG_AUDIT_CHECKPOINTS


@pytest.fixture
def district(db) -> dict[str, Division]:
    division_load_tree(actor="test")
    yueyang = Division.objects.get(code="310117001")
    sijing = Division.objects.get(code="310117102")
    return {
        "district": Division.objects.get(code="310117"),
        "yueyang": yueyang,
        "sijing": sijing,
        "c1": committee_create(actor="test", street=yueyang, code="310117001001", name="谷阳居委会", village=False),
        "c2": committee_create(actor="test", street=yueyang, code="310117001002", name="乐都居委会", village=False),
        "c3": committee_create(actor="test", street=sijing, code="310117102201", name="张泾村委会", village=True),
    }


@pytest.fixture
def users(district) -> dict[str, User]:
    spec = {
        "bureau": (Role.BUREAU, "310117"),
        "street": (Role.STREET, "310117001"),
        "other_street": (Role.STREET, "310117102"),
        "committee": (Role.COMMITTEE, "310117001001"),
        "advisor": (Role.ADVISOR, "310117001"),
        "auditor": (Role.AUDITOR, "310117"),
    }
    return {
        name: user_create(actor="test", username=name, password="pass-12345", role=role, scope_code=scope)
        for name, (role, scope) in spec.items()
    }


@pytest.fixture
def make_person(users):
    from minzheng.registry.services import person_create

    def _make(name: str = "张小明", birth: dt.date = dt.date(1980, 5, 17), committee: str = "310117001001",
              male: bool = True, **extra):
        return person_create(actor=users["bureau"], name=name, id_number=make_id_number(birth, male=male),
                             committee_code=committee, **extra)

    return _make


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def holiday_table(transactional_db):
    """The holiday table as a fresh migration leaves it (years from the
    ``chinesecalendar`` package), and the elderly-care reference tables too:
    a transactional test starts after an earlier one flushed every table,
    migration-seeded rows included, and the demo's marriage archive needs the
    working days of 2023 on, its elderly-care steps the catalogues and rules."""
    import importlib

    from django.apps import apps

    from minzheng.core.models import HolidayYear

    if not HolidayYear.objects.exists():
        importlib.import_module("minzheng.core.migrations.0003_seed_holidays_from_chinesecalendar").seed(apps, None)
    # the elderly-care reference data the demo builds on, seeded by data migrations too
    for module, model in ELDERCARE_SEEDS:
        if not apps.get_model(model).objects.exists():
            importlib.import_module(module).seed(apps, None)


# (data migration with a ``seed(apps, schema_editor)``, the model it fills) — restored after a flush
ELDERCARE_SEEDS = (
    ("minzheng.care_facilities.migrations.0003_seed_2024_targets", "care_facilities.PlanTarget"),
    ("minzheng.supervision.migrations.0002_seed_checklist", "supervision.ChecklistVersion"),
    ("minzheng.meals.migrations.0002_seed_songjiang_rates", "meals.SubsidyRate"),
    ("minzheng.elder_alerts.migrations.0002_seed_rules", "elder_alerts.AlertRule"),
    ("minzheng.hardship_visits.migrations.0002_seed_categories", "hardship_visits.VisitCategory"),
    ("minzheng.home_adaptations.migrations.0002_seed_catalogue_targets", "home_adaptations.CatalogueItem"),
    ("minzheng.dementia_care.migrations.0002_seed_tools_figures", "dementia_care.ScreeningTool"),
    ("minzheng.children.migrations.0002_seed_categories_checklist", "children.Category"),
    ("minzheng.homeless_rescue.migrations.0002_seed_kinds_2023_report", "homeless_rescue.FinderKind"),
)


@pytest.fixture
def browser_page():
    """Debian's Chromium (/usr/bin/chromium) through the playwright package; never
    ``playwright install``. Skips without Chromium unless MINZHENG_REQUIRE_BROWSER=1."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MINZHENG_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (make chromium) but /usr/bin/chromium is missing")
        pytest.skip("Debian chromium not installed; `make test` installs it")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15000)
        yield page
        # Playwright's event loop counts as running here, so Django kept this thread's
        # connections in async (context) storage: close them now, or they outlive the test.
        connections.close_all()
        browser.close()


@pytest.fixture
def heard(monkeypatch):
    """Every progress report a job makes, as (stage, done, total), in order
    (the job page's progress bar, ADR 0017)."""
    from minzheng.jobs.services import JobProgress

    reports: list[tuple[str, int | None, int | None]] = []
    original = JobProgress.__call__

    def record(self, stage, done=None, total=None):
        reports.append((stage, done, total))
        original(self, stage, done, total)

    monkeypatch.setattr(JobProgress, "__call__", record)
    return reports
