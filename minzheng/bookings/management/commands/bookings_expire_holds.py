"""``minzheng bookings expire-holds``: expire the lapsed holds (暂留) and give
their places back. Idempotent; meant for a periodic timer (every few minutes)."""

from django.core.management.base import BaseCommand

from minzheng.bookings.jobs import EXPIRE_HOLDS_CODE
from minzheng.jobs.services import job_run_now


class Command(BaseCommand):
    help = "清理已超过暂留时间的预约，释放名额（可定时运行，重复运行无副作用）"

    def handle(self, *args, **opts):
        _, outcome = job_run_now(actor="cli", kind=EXPIRE_HOLDS_CODE, params={})
        self.stdout.write(outcome.summary)
