"""Benchmark: a bank return file of N lines (1 % failed) imported and the
batch reconciled (reconciliation report, closed-loop check, 已对账).

    .venv/bin/python bench/payments_returns.py --beneficiaries 50000 \
        --database-url postgres://postgres@127.0.0.1:5432/minzheng_pay_bench

Scratch database only: it is FLUSHED (see bench/payments_batch.py). The batch
is prepared and exported first (not timed); the return file is produced from
the exported bank file as the bank would send it (not timed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payments_batch import connect, run_batch, setup, timed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beneficiaries", type=int, default=50_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/minzheng_pay_bench")
    args = parser.parse_args()
    connect(args.database_url)
    from minzheng.payments.models import PaymentBatch
    from minzheng.payments.reconciliation import batch_reconcile, closed_loop_problems, reconcile
    from minzheng.payments.returns import return_file_for, returns_import

    users = setup(args.beneficiaries)
    print("preparing and exporting the batch (not timed):")
    batch = run_batch(users, {})
    failures = {seq: "账户已销户" if seq % 2 else "户名不符" for seq in range(1, batch.control_count + 1, 100)}
    content = return_file_for(batch, failures)
    print(f"return file: {len(content) / 1e6:.1f} MB, {batch.control_count} lines, {len(failures)} failed")
    timings: dict[str, float] = {}
    print("timed:")
    record = timed("import return file", lambda: returns_import(actor=users["maker"], batch=batch,
                                                               filename="return.csv", content=content), timings)
    result = timed("reconciliation report", lambda: reconcile(batch), timings)
    problems = timed("closed-loop check", lambda: closed_loop_problems(PaymentBatch.objects.filter(pk=batch.pk)),
                     timings)
    timed("reconcile (已对账)", lambda: batch_reconcile(actor=users["checker"], batch=batch), timings)
    total = sum(timings.values())
    print(f"paid {record.paid_count}, failed {record.failed_count}; approved {result.approved['amount_fen']} = "
          f"paid {result.paid['amount_fen']} + failed {result.failed['amount_fen']} fen; balanced {result.balanced}; "
          f"problems {problems}")
    print(f"TOTAL import + reconcile: {total:.2f} s (target < 10 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
