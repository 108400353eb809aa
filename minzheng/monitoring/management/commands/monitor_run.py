"""``minzheng monitor run --month YYYY-MM``: the monthly dynamic monitoring run.

Runs here and now (synchronously) as a job of kind 动态监测 (recorded, and
refused while the same month's batch or run is going, ADR 0017), with a
progress bar on a terminal and plain progress lines otherwise (on stderr;
the result as JSON on stdout)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.jobs.services import TerminalProgress, job_run_now
from minzheng.monitoring.jobs import MONITORING_RUN


class Command(BaseCommand):
    help = "动态监测与政策找人：全区政策测算，比对保障对象，生成线索、边缘名单、应退尽退核实、免申即享和风险跟进任务"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--today", help="执行日期 YYYY-MM-DD（默认今天；用于计算期限和停发）")
        parser.add_argument("--reuse-batch", action="store_true", help="沿用该月已有的批量测算结果，不重新测算")

    def handle(self, *args, **opts):
        params = {"month": opts["month"], "today": opts.get("today") or "", "reuse_batch": opts["reuse_batch"]}
        try:
            with TerminalProgress(self.stderr._out) as bar:
                job, outcome = job_run_now(actor="cli", kind=MONITORING_RUN.code, params=params, progress=bar)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        run = outcome.value
        self.stdout.write(json.dumps({"job": job.pk, "monitor_run": run.pk, "month": run.month,
                                      "decision_run": run.decision_run_id, "created": run.counts,
                                      "timings": run.timings}, ensure_ascii=False, indent=2))
