"""``minzheng payments settle --program P --from YYYY-MM --to YYYY-MM [--confirm --as USER]``.

After a re-computation is stored (``minzheng policy recompute --confirm``):
compare what was paid in approved batches with what each month's current
run now entitles each beneficiary to (``payments.settlement``), and list
补差 / 追缴 / 需复核 / 无需处理. Writes nothing without ``--confirm``; with it,
top-ups go into the program's draft batch and charges into the receivables,
in one audited transaction by the named staff account.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.command_actor import confirming_actor
from minzheng.core.models import User
from minzheng.payments.labels import program_label
from minzheng.payments.settlement import (
    CHARGE,
    NOTHING,
    REVIEW,
    TOPUP,
    plan_label,
    settlement_apply,
    settlement_plan,
)
from policy.money import format_fen

MAX_LISTED = 500


class Command(BaseCommand):
    help = ("重新测算差额处理：比较已审批发放的月份实际发放与当月现行测算结果应发的金额，列出补差、追缴、需复核；"
            "不加 --confirm 不写入数据库")

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="项目代号，如 dibao、elderly_allowance、one_off:<代号>")
        parser.add_argument("--from", dest="first", required=True, help="起始月份 YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="截止月份 YYYY-MM（含）")
        parser.add_argument("--confirm", action="store_true",
                            help="确认处理：补差明细列入本项目的草稿批次，多发金额记入应追缴（记入审计日志）")
        parser.add_argument("--as", dest="username", help="确认处理的工作人员账号（与 --confirm 一起必填）")

    def handle(self, *args, **opts):
        actor = confirming_actor(confirm=opts["confirm"], username=opts["username"],
                                 without_confirm="只列出差额，不写入")
        try:
            if isinstance(actor, User):
                result = settlement_apply(actor=actor, program=opts["program"], first=opts["first"],
                                          last=opts["last"])
                plan = result.plan
            else:
                result, plan = None, settlement_plan(actor, program=opts["program"], first=opts["first"],
                                                     last=opts["last"])
        except (ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err

        self.stdout.write(f"重新测算差额处理：{program_label(plan.program)} {plan.first} 至 {plan.last}"
                          f"（比较的月份：{'、'.join(plan.months) or '无'}）")
        for month, note in plan.month_notes:
            self.stdout.write(f"  {month}：{note}")
        counts = plan.counts
        self.stdout.write(f"补差 {counts[TOPUP]} 笔，{format_fen(plan.topup_fen, grouping=True)} 元；"
                          f"追缴 {counts[CHARGE]} 笔，{format_fen(plan.charge_fen, grouping=True)} 元；"
                          f"需复核 {counts[REVIEW]} 笔；无需处理 {counts[NOTHING]} 笔；金额一致 {plan.unchanged} 笔")
        by_street = Counter((r.street_name, r.action) for r in plan.rows)
        for (street, action), n in sorted(by_street.items()):
            self.stdout.write(f"  {street} {action} {n}")
        listed = [r for r in plan.rows if r.action != NOTHING]
        if listed:
            self.stdout.write("\n所属月份 街镇 居村委 姓名 身份证号 已发放 在途 已记追缴 应发 差额（元） 处理 说明")
        for r in listed[:MAX_LISTED]:
            self.stdout.write(" ".join([r.month, r.street_name, r.committee_name, r.name, r.id_number_masked,
                                        *(format_fen(v) for v in (r.paid_fen, r.pending_fen, r.charged_fen,
                                                                  r.entitled_fen, r.difference_fen)),
                                        r.action, r.note]))
        if len(listed) > MAX_LISTED:
            self.stdout.write(f"……其余 {len(listed) - MAX_LISTED} 行请在“资金发放 → 重新测算差额处理”页查看并导出")
        for note in plan.notes:
            self.stdout.write(note)
        if result is None:
            self.stdout.write("\n" + plan_label(plan))
            if plan.actionable:
                self.stdout.write("未写入数据库。核对无误后，加 --confirm --as 账号 处理"
                                  "（补差须制单人员，追缴记账须区民政局工作人员）。")
            else:
                self.stdout.write("未写入数据库。")
            return
        done = []
        if result.topups:
            done.append(f"已加补差明细 {result.topups} 笔，{format_fen(result.topup_fen, grouping=True)} 元，"
                        f"列入批次 {result.batch.number}（须由另一位工作人员复核、再由第三位审批）")
        if result.charges:
            done.append(f"已记应追缴 {result.charges} 笔，{format_fen(result.charge_fen, grouping=True)} 元")
        self.stdout.write("\n" + ("；".join(done) if done else "没有需要处理的差额，未写入"))
