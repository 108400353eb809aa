"""``minzheng marriage expire [--today YYYY-MM-DD]``: the daily job — divorce
applications whose appearance window has passed are deemed withdrawn
(民法典 art. 1077 ¶2). Recorded as a job (离婚申请到期视为撤回, ADR 0017);
idempotent: a second run the same day closes nothing."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.jobs.services import job_run_now


class Command(BaseCommand):
    help = "离婚登记申请到期处理：到场期限已过的申请视为撤回（每日运行，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="执行日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **opts):
        try:
            job, outcome = job_run_now(actor="cli", kind="marriage_expire", params={"today": opts["today"]})
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps({"job": job.pk, "deemed_withdrawn": outcome.value}, ensure_ascii=False))
