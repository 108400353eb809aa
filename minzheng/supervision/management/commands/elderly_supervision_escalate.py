"""``minzheng elderly supervision-escalate``: escalate every overdue
rectification order to the bureau, once (ADR 0030), as a recorded job.
Idempotent; meant for a daily timer."""

from django.core.management.base import BaseCommand

from minzheng.jobs.services import job_run_now
from minzheng.supervision.jobs import ESCALATE_CODE


class Command(BaseCommand):
    help = "整改逾期上报：将逾期未整改完成的整改通知上报区民政局（每份只上报一次，可重复运行）"

    def handle(self, *args, **opts):
        _, outcome = job_run_now(actor="cli", kind=ESCALATE_CODE, params={})
        self.stdout.write(outcome.summary)
