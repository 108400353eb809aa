"""Benchmark: a batch of N beneficiaries created, reviewed, approved and
exported (bank CSV, then the Excel ledger) on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres minzheng_pay_bench   # once
    .venv/bin/python bench/payments_batch.py --beneficiaries 50000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_pay_bench

Use a scratch database only: the script FLUSHES it. Setup (not timed)
synthesises N persons, a current DecisionRun with N eligible elderly-allowance
decisions, and N synthetic payee accounts directly (bulk COPY).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTH = "2025-08"
PROGRAM = "elderly_allowance"


def connect(database_url: str) -> None:
    if any(database_url.rstrip("/").endswith(f"/{name}") for name in ("test", "postgres")):
        raise SystemExit("refusing to use the test or postgres database: give a scratch database")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(ROOT / "var" / "bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup(n: int) -> dict:
    """Flush the scratch database and synthesise N beneficiaries (not timed)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from minzheng.core.bulk_copy import copy_rows
    from minzheng.core.models import Division, Role
    from minzheng.core.personal_data import blind_index
    from minzheng.core.services import committee_create, division_load_tree, user_create
    from minzheng.eligibility.models import Decision, DecisionRun, RunStatus
    from minzheng.payments.accounts import accounts_synthesise
    from minzheng.registry.models import Person

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    division_load_tree(actor="bench")
    streets = list(Division.objects.filter(level="street").order_by("code"))
    committees = [committee_create(actor="bench", street=s, code=f"{s.code}001", name=f"{s.name}第一居委会",
                                   village=False) for s in streets]
    users = {name: user_create(actor="bench", username=name, password="bench-pass-1", role=Role.BUREAU,
                               scope_code="310117") for name in ("maker", "checker", "approver")}
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for i in range(n):
            c = committees[i % len(committees)]
            number = f"31011719500101{i:06d}"[-18:]
            rows.append((f"老人{i}", f"laoren{i}", "lr", "v1:x", blind_index(number), number[:6] + "********" + number[-4:],
                         dt.date(1950, 1, 1), "M", "", True, c.parent_id, c.code, True, "retired", False, 0, 300000,
                         False, False, False, False, False, True, now, now))
        copy_rows(Person._meta.db_table, ("name", "name_pinyin", "name_initials", "id_number_enc", "id_number_index",
                                          "id_number_masked", "birth_date", "sex", "phone_enc", "hukou_shanghai",
                                          "street_id", "committee_id", "alive", "employment", "able_to_work",
                                          "monthly_income_fen", "pension_fen", "unemployment_insurance", "youfu",
                                          "orphan", "unsupported_child", "in_institution", "has_able_supporter",
                                          "created_at", "updated_at"), rows)
        run = DecisionRun.objects.create(month=MONTH, status=RunStatus.CURRENT, parameter_set="bench",
                                         rules_version="bench", actor="bench", finished_at=now)
        persons = list(Person.objects.values_list("pk", "street_id", "committee_id"))
        copy_rows(Decision._meta.db_table, ("run_id", "program", "household_id", "person_id", "street_id",
                                            "committee_id", "eligible", "amount_fen", "reason_mask"),
                  [(run.pk, PROGRAM, pk, pk, s, c, True, 15000 + (pk % 4) * 1500, 0) for pk, s, c in persons])
    accounts_synthesise(actor="bench", seed="bench")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"setup: {n} persons, decisions and accounts in {time.perf_counter() - started:.1f} s")
    return users


def timed(label: str, fn, timings: dict):
    started = time.perf_counter()
    result = fn()
    timings[label] = time.perf_counter() - started
    print(f"  {label:<28}{timings[label]:8.2f} s")
    return result


def run_batch(users: dict, timings: dict):
    from minzheng.payments.bank_files import batch_export
    from minzheng.payments.batches import batch_approve, batch_review, batch_run
    from minzheng.payments.models import FileKind

    result = timed("create (payments run)", lambda: batch_run(actor=users["maker"], program=PROGRAM, month=MONTH),
                   timings)
    batch = result.batch
    timed("review", lambda: batch_review(actor=users["checker"], batch=batch), timings)
    timed("approve", lambda: batch_approve(actor=users["approver"], batch=batch), timings)
    timed("export bank CSV", lambda: batch_export(actor=users["maker"], batch=batch), timings)
    timings["create+approve+export CSV"] = sum(timings[k] for k in ("create (payments run)", "review", "approve",
                                                                     "export bank CSV"))
    timed("export Excel ledger", lambda: batch_export(actor=users["maker"], batch=batch, kind=FileKind.LEDGER_XLSX),
          timings)
    batch.refresh_from_db()
    return batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beneficiaries", type=int, default=50_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/minzheng_pay_bench")
    args = parser.parse_args()
    connect(args.database_url)
    from django.db import connection

    users = setup(args.beneficiaries)
    timings: dict[str, float] = {}
    print(f"database {connection.vendor}; {args.beneficiaries} beneficiaries")
    batch = run_batch(users, timings)
    print(f"batch {batch.number}: {batch.control_count} lines, {batch.control_total_fen / 100:,.2f} yuan, "
          f"status {batch.status}")
    print(f"TOTAL create + review + approve + export CSV: {timings['create+approve+export CSV']:.2f} s "
          f"(target < 10 s); with the Excel ledger: "
          f"{timings['create+approve+export CSV'] + timings['export Excel ledger']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
