"""``minzheng monitor escalate``: escalate overdue leads and tasks to the street."""

import datetime as dt
import json

from django.core.management.base import BaseCommand

from minzheng.monitoring.monitor_runs import monitor_escalate


class Command(BaseCommand):
    help = "将超过期限仍未走访或办结的线索和任务上报街镇"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD（默认今天）")

    def handle(self, *args, **opts):
        today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        self.stdout.write(json.dumps(monitor_escalate(actor="cli", today=today), ensure_ascii=False))
