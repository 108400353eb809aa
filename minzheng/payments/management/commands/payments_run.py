"""``minzheng payments run --program P --month YYYY-MM --as USER``: prepare the month's batch
(the preparer is a named staff account, never an anonymous job).

Runs here and now as a job of kind 生成发放批次 (recorded under that account,
and refused while the same program and month is being prepared, ADR 0017),
with a progress bar on a terminal (stderr) and plain progress lines otherwise."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.models import User
from minzheng.jobs.services import TerminalProgress, job_run_now
from minzheng.payments.jobs import PAYMENTS_BATCH_RUN
from minzheng.payments.labels import program_label
from policy.money import format_fen


class Command(BaseCommand):
    help = "生成某救助项目当月的发放批次（草稿）；重复运行不会生成第二个批次或第二笔发放"

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="项目代号，如 dibao、elderly_allowance、one_off:<代号>")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--as", dest="username", required=True,
                            help="制单人账号（必填：制单人不能复核或审批同一批次，须记录到人）")

    def handle(self, *args, **opts):
        actor = User.objects.filter(username=opts["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"账号 {opts['username']} 不存在或已停用")
        try:
            with TerminalProgress(self.stderr._out) as bar:
                _job, outcome = job_run_now(actor=actor, kind=PAYMENTS_BATCH_RUN.code, progress=bar,
                                            params={"program": opts["program"], "month": opts["month"]})
            result = outcome.value
        except (ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err
        batch = result.batch
        verb = "已生成" if result.created else ("已补充" if result.added else "已存在，未改动")
        self.stdout.write(f"{program_label(batch.program)} {batch.month} 批次 {batch.number} {verb}"
                          f"（状态：{batch.get_status_display()}）")
        self.stdout.write(f"本次新增 {result.added} 笔；批次合计 {batch.control_count} 笔，"
                          f"{format_fen(batch.control_total_fen)} 元（市级 {format_fen(batch.control_city_fen)}，"
                          f"区级 {format_fen(batch.control_district_fen)}）")
        for reason, n in result.skipped.items():
            self.stdout.write(f"未纳入：{reason} {n} 人")
