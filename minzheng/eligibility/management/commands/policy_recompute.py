"""``minzheng policy recompute --from YYYY-MM --to YYYY-MM [--program P]
[--street CODE] [--xlsx FILE] [--confirm --as USER]``.

After a parameter change: re-evaluate each month of the range with the
parameters now in force, compare with the month's stored decisions and list
who gains, loses or changes amount, per program and street
(``eligibility.recompute``). Writes nothing to the database without
``--confirm``; with it, stores a new run per month through the batch service
(audited, by the named account) and says what staff do next in payments
(「重新测算差额处理」: page, or ``minzheng payments settle``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.command_actor import confirming_actor
from minzheng.core.models import Division
from minzheng.core.months import month_label
from minzheng.eligibility.recompute import (
    BACKPAY,
    DRAFT_NOTE,
    PAYMENT_NOTES,
    RECOVER,
    REVIEW,
    SETTLE_NOTE,
    STORE_NOTE,
    Counts,
    changes_xlsx,
    recompute_months,
)
from minzheng.eligibility.selectors import program_label
from policy.money import format_fen


def _signed_yuan(fen: int) -> str:
    return ("+" if fen > 0 else "") + format_fen(fen, grouping=True)


class Command(BaseCommand):
    help = ("参数调整后重新测算一段月份：按现行参数重算全区并与已存储的测算结果比较，按项目和街镇列出新增享受、"
            "不再享受和金额变化；不加 --confirm 不写入数据库")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="起始月份 YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="截止月份 YYYY-MM（含）")
        parser.add_argument("--program", help="只比较一个项目，如 dibao、price_subsidy、one_off:<代号>")
        parser.add_argument("--street", help="只比较一个街镇（9位街镇代码）")
        parser.add_argument("--xlsx", help="把逐户逐人的差异明细写入该 Excel 文件")
        parser.add_argument("--confirm", action="store_true",
                            help="确认：把重新测算的结果存为各月新的测算结果（替换整月全区结果，记入审计日志）")
        parser.add_argument("--as", dest="username", help="确认写入的工作人员账号（与 --confirm 一起必填）")

    def handle(self, *args, **opts):
        actor = confirming_actor(confirm=opts["confirm"], username=opts["username"],
                                 without_confirm="只比较，不写入")
        scope = (f"项目：{program_label(opts['program']) if opts['program'] else '全部'}；"
                 f"街镇：{opts['street'] or '全部'}")
        self.stdout.write(f"重新测算 {opts['first']} 至 {opts['last']}（{scope}），使用现行政策参数。"
                          + ("确认写入：" + STORE_NOTE if opts["confirm"] else "只比较，不写入数据库。"))
        try:
            result = recompute_months(actor=actor, first=opts["first"], last=opts["last"], program=opts["program"],
                                      street=opts["street"], store=opts["confirm"], log=self._progress)
        except (ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err

        streets = dict(Division.objects.values_list("code", "name"))
        totals = Counts()
        actions: set[str] = set()
        for month in result.months:
            self.stdout.write(f"\n== {month_label(month.month)} ==")
            if not month.compared:
                self.stdout.write(f"  {month.note}，已跳过")
                continue
            same = "（参数集相同）" if month.stored_parameter_set == month.new_parameter_set else (
                f"（参数集 {month.stored_parameter_set[:12]}… → {month.new_parameter_set[:12]}…）")
            self.stdout.write(f"  与已存储的批次 {month.run_id} 比较{same}；价格临时补贴使用{month.cpi_text}")
            header = (f"  {'救助项目':<14}{'街镇':<10}{'新增享受':>6}{'不再享受':>6}{'金额变化':>6}"
                      f"{'差额合计（元）':>12}{'享受且未变':>8}{'需复核':>6}")
            self.stdout.write(header)
            for (program, street), c in sorted(month.counts.items()):
                self.stdout.write(f"  {program_label(program)[:14]:<14}{streets.get(street, street)[:10]:<10}"
                                  f"{c.gains:>10}{c.losses:>10}{c.changes:>10}{_signed_yuan(c.difference_fen):>18}"
                                  f"{c.unchanged:>12}{c.review:>8}")
                for name in ("gains", "losses", "changes", "difference_fen", "unchanged", "review"):
                    setattr(totals, name, getattr(totals, name) + getattr(c, name))
            if not month.changes:
                self.stdout.write("  本月无差异")
            actions.update(change.action for change in month.changes)
            if month.stored_run_id:
                self.stdout.write(f"  已存储为新的测算结果：批次 {month.stored_run_id}（替换批次 {month.run_id}）")

        self.stdout.write(f"\n合计：新增享受 {totals.gains}，不再享受 {totals.losses}，金额变化 {totals.changes}，"
                          f"差额合计 {_signed_yuan(totals.difference_fen)} 元（按月计），需复核 {totals.review}。")
        if opts["xlsx"]:
            rows = changes_xlsx(result, opts["xlsx"])
            self.stdout.write(f"已写出差异明细 {opts['xlsx']}（{rows} 行，身份证号已脱敏）")
        if not result.stored:
            self.stdout.write("未写入数据库。核对无误后，加 --confirm --as 账号 存储新的测算结果。")
        if actions:
            self.stdout.write("\n后续（资金发放）：" + ("新的测算结果已存储。" if result.stored else
                                                    "以下在存储新的测算结果后才会生效。"))
            for action in (BACKPAY, RECOVER, REVIEW):
                if action in actions:
                    self.stdout.write("- " + PAYMENT_NOTES[action])
            self.stdout.write("- " + DRAFT_NOTE)
            self.stdout.write("- " + SETTLE_NOTE)

    def _progress(self, message: str) -> None:
        self.stdout.write("  " + message)
