"""``manage.py casework_deadlines_recompute``: after the timings changed (the
national rules of REFERENCE §15, ADR 0015), recompute every open case's step
and overall deadline from the current program settings, and bring forward
the next re-review of active enrolments to the new cadence (dibao
第三十一条). Idempotent; audited."""

from django.core.management.base import BaseCommand

from minzheng.casework.deadlines import deadlines_refresh
from minzheng.casework.rereview import rereview_dates_tighten

JOB = "casework_deadlines_recompute"


class Command(BaseCommand):
    help = "按现行项目设置（国家规定的办理时限）重新计算全部在办申请的期限，并按新的复核间隔提前下次复核日期"

    def handle(self, *args, **opts):
        cases = deadlines_refresh(actor=JOB, all_open=True)
        enrolments = rereview_dates_tighten(actor=JOB)
        self.stdout.write(f"已重新计算 {cases} 件在办申请的期限；{enrolments} 个保障对象的下次复核日期已按新间隔提前。")
