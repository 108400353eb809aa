"""``minzheng deaths from-feeds [--today YYYY-MM-DD]``: the daily job — the
department-data death events not yet processed become reports of source
部门数据 on the death records, with their consequences (ADR 0023). Recorded as a
job (部门死亡数据入库, ADR 0017); idempotent: a second run records nothing."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.jobs.services import job_run_now


class Command(BaseCommand):
    help = "部门死亡数据入库：部门数据中的死亡事件记入死亡登记并停发待遇（每日运行，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="执行日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **opts):
        try:
            job, outcome = job_run_now(actor="cli", kind="deaths_from_feeds", params={"today": opts["today"]})
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps({"job": job.pk, **outcome.value}, ensure_ascii=False))
