"""Crash safety: a real ``payments_run`` process killed with SIGKILL after
writing part of its lines leaves no batch; the re-run leaves exactly one
complete batch with correct totals, and a third run changes nothing.

Runs against its own file-based SQLite database (migrated and seeded by
subprocesses), independent of the test database: it runs once, on the SQLite
run of ``make test`` (skipped when the test database is PostgreSQL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
ELDERS = 30

SEED = f"""
import datetime as dt
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from minzheng.core.services import committee_create, division_load_tree
from minzheng.core.models import Division
from minzheng.registry import services as registry
from minzheng.registry.id_numbers import with_check_character
from minzheng.core.services import user_create
from minzheng.eligibility.services import decision_run_month
from minzheng.payments.accounts import accounts_synthesise
division_load_tree(actor="test")
committee_create(actor="test", street=Division.objects.get(code="310117001"), code="310117001001", name="谷阳居委会",
                 village=False)
bureau = user_create(actor="test", username="bureau", password="pass-12345", role="bureau", scope_code="310117")
for i in range({ELDERS}):
    number = with_check_character(f"310117195001{{i % 28 + 1:02d}}{{2 * i + 1:03d}}")
    person = registry.person_create(actor=bureau, name=f"老人{{i}}", id_number=number, committee_code="310117001001")
    registry.household_create(actor=bureau, head=person, address=f"谷阳路{{i}}号", start_date=dt.date(2020, 1, 1))
decision_run_month(actor="test", month="2025-08")
accounts_synthesise(actor="test", seed="crash")
"""


# The pause lives here, not in the production code: this script, run in the
# killed process, wraps the line writer so that it writes 10 lines, says so
# through a marker file and waits to be killed.
PAUSING_RUN = """
import time
from pathlib import Path
from django.core.management import call_command
import minzheng.payments.batches as batches
real = batches.copy_rows
def pausing(table, columns, rows):
    real(table, columns, rows[:10])
    Path({marker!r}).write_text("10")
    time.sleep(120)
    real(table, columns, rows[10:])
batches.copy_rows = pausing
call_command("payments_run", "--program", "elderly_allowance", "--month", "2025-08", "--as", "bureau")
"""


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "config.settings.local",
                "MINZHENG_VAR_DIR": str(db.parent)}, **extra)
    return env


def _manage(db: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(db, **extra), capture_output=True,
                          text=True, timeout=300)


def _state(db: Path) -> tuple[list[tuple], int, int]:
    with sqlite3.connect(db) as con:
        batches = con.execute("SELECT number, status, control_count, control_total_fen FROM payments_paymentbatch"
                              ).fetchall()
        count, total = con.execute("SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM payments_paymentline").fetchone()
    return batches, count, total


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor == "postgresql", reason="own SQLite database: runs on the SQLite run only")
def test_killed_batch_process_leaves_no_half_batch_and_rerun_completes(tmp_path):
    db = tmp_path / "crash.sqlite3"
    seeded = _manage(db, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    run = ["payments_run", "--program", "elderly_allowance", "--month", "2025-08", "--as", "bureau"]

    # given a run that pauses after writing 10 of its 30 lines
    marker = tmp_path / "paused"
    process = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", PAUSING_RUN.format(marker=str(marker))],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(db))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the run never reached the pause"
        time.sleep(0.1)
    assert marker.read_text() == "10"
    # when it is killed mid-run
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # then no batch and no line is visible
    assert _state(db) == ([], 0, 0)

    # when the command runs again, then exactly one complete batch
    again = _manage(db, *run)
    assert again.returncode == 0, again.stderr[-2000:]
    batches, count, total = _state(db)
    assert len(batches) == 1 and count == ELDERS
    number, status, control_count, control_total = batches[0]
    assert status == "draft" and (control_count, control_total) == (count, total) == (ELDERS, ELDERS * 15000)

    # and a third run changes nothing
    third = _manage(db, *run)
    assert third.returncode == 0 and "新增 0 笔" in third.stdout
    assert _state(db) == (batches, count, total)
