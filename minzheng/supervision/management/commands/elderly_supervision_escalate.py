"""``minzheng elderly supervision-escalate``: escalate every overdue
rectification order to the bureau, once (ADR 0030). Idempotent; meant for a
daily timer."""

from django.core.management.base import BaseCommand

from minzheng.supervision.services import orders_escalate


class Command(BaseCommand):
    help = "整改逾期上报：将逾期未整改完成的整改通知上报区民政局（每份只上报一次，可重复运行）"

    def handle(self, *args, **opts):
        count = orders_escalate(actor="cli")
        self.stdout.write(f"新上报逾期整改通知{count}份")
