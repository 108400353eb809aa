"""``minzheng policy batch --month YYYY-MM``: evaluate the whole district.

Runs here and now (synchronously) as a job of kind 全区批量测算 (recorded,
and refused while the same month's batch or monitoring run is going,
ADR 0017), with a progress bar on a terminal (stderr) and plain progress
lines otherwise."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.models import Division
from minzheng.eligibility.cpi_months import cpi_used_text
from minzheng.eligibility.jobs import POLICY_BATCH
from minzheng.jobs.services import TerminalProgress, job_run_now
from policy import PROGRAMS
from policy.money import format_fen


class Command(BaseCommand):
    help = "对全区所有家庭计算当月各项政策，批量写入决定（替换该月上一次结果）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, **opts):
        try:
            with TerminalProgress(self.stderr._out) as bar:
                job, outcome = job_run_now(actor="cli", kind=POLICY_BATCH.code, params={"month": opts["month"]},
                                           progress=bar)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        run = outcome.value
        self.stdout.write(f"\n{run.month} 批量测算完成（作业 {job.pk}，批次 {run.pk}，参数集 {run.parameter_set[:12]}…，规则版本 {run.rules_version}）")
        self.stdout.write(f"价格临时补贴所用CPI：{cpi_used_text(run.cpi_month, run.cpi)}")
        self.stdout.write(f"{'项目':<34}{'符合户/人':>10}{'涉及人数':>10}{'金额（元）':>16}{'缺参数':>8}")
        for pid, c in run.program_counts.items():
            label = PROGRAMS[pid].label if pid in PROGRAMS else pid
            self.stdout.write(f"{pid:<24}{label[:6]:<10}{c['eligible']:>10}{c['persons']:>10}"
                              f"{format_fen(c['amount_fen'], grouping=True):>16}{c['parameter_missing']:>8}")
        names = dict(Division.objects.filter(code__in=list(run.street_counts)).values_list("code", "name"))
        programs = list(run.program_counts)
        self.stdout.write("\n按街镇（符合条件的户数/人数）：")
        self.stdout.write("街镇".ljust(10) + "".join(p[:10].rjust(11) for p in programs))
        for street, counts in run.street_counts.items():
            self.stdout.write(names.get(street, street).ljust(8) + "".join(str(counts.get(p, 0)).rjust(11) for p in programs))
        t = run.timings
        self.stdout.write(f"\n用时：读取 {t.get('read_s')} 秒，计算 {t.get('evaluate_s')} 秒，写入 {t.get('write_s')} 秒，"
                          f"快照 {t.get('snapshot_s')} 秒，清理旧结果 {t.get('cleanup_s')} 秒；共写入 {run.stored_rows} 行。")
