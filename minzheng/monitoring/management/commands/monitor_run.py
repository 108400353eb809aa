"""``minzheng monitor run --month YYYY-MM``: the monthly dynamic monitoring run."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.monitoring.monitor_runs import monitor_run_month


class Command(BaseCommand):
    help = "动态监测与政策找人：全区政策测算，比对保障对象，生成线索、边缘名单、应退尽退核实、免申即享和风险跟进任务"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--today", help="执行日期 YYYY-MM-DD（默认今天；用于计算期限和停发）")
        parser.add_argument("--reuse-batch", action="store_true", help="沿用该月已有的批量测算结果，不重新测算")

    def handle(self, *args, **opts):
        today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        try:
            run = monitor_run_month(actor="cli", month=opts["month"], today=today,
                                    run_batch=not opts["reuse_batch"], log=self.stderr.write)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps({"monitor_run": run.pk, "month": run.month, "decision_run": run.decision_run_id,
                                      "created": run.counts, "timings": run.timings}, ensure_ascii=False, indent=2))
