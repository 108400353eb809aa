"""``minzheng payments batch ACTION --number N --as USER``: move a batch along
草稿 → 已复核 → 已审批 → 已导出 → 已对账 from the command line.

ACTION: ``review``, ``approve``, ``export`` (``--out FILE`` for the bank CSV,
``--ledger FILE`` for the Excel ledger), ``returns FILE`` (the bank's return
file), ``reconcile``, ``show``; and for demonstrations only,
``simulate-returns --out FILE [--fail N]``, which writes the return file a
bank would send (every line paid but the first N). Maker-checker applies exactly as in the UI:
``--as`` names the staff account acting, and the preparer cannot approve.
``export`` runs as a job of kind 导出发放文件 under that account (recorded,
one export of a batch at a time, ADR 0017) with a progress bar on a terminal.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.models import User
from minzheng.jobs.services import TerminalProgress, job_run_now
from minzheng.payments.bank_files import file_bytes
from minzheng.payments.batches import batch_approve, batch_review
from minzheng.payments.jobs import PAYMENTS_EXPORT
from minzheng.payments.models import BankFile, FileKind, PaymentBatch
from minzheng.payments.reconciliation import batch_reconcile, reconcile
from minzheng.payments.returns import return_file_for, returns_import
from policy.money import format_fen

ACTIONS = ("show", "review", "approve", "export", "returns", "reconcile", "simulate-returns")


class Command(BaseCommand):
    help = "发放批次的复核、审批、导出、银行回盘导入和对账（与界面同样执行制单/复核/审批分离）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("file", nargs="?", help="returns：银行回盘文件")
        parser.add_argument("--number", required=True, help="批次号")
        parser.add_argument("--as", dest="username", default="", help="办理人账号（show 以外必填）")
        parser.add_argument("--out", help="export：银行代发文件（CSV）写到此处")
        parser.add_argument("--ledger", help="export：发放明细台账（Excel）写到此处")
        parser.add_argument("--note", default="")
        parser.add_argument("--fail", type=int, default=0, help="simulate-returns：前 N 笔模拟为失败（账户已销户）")

    def handle(self, *args, **opts):
        batch = PaymentBatch.objects.filter(number=opts["number"]).first()
        if batch is None:
            raise CommandError(f"批次 {opts['number']} 不存在")
        action = opts["action"]
        if action == "simulate-returns":
            if not opts["out"]:
                raise CommandError("simulate-returns 需要 --out")
            failures = {seq: "账户已销户" for seq in range(1, opts["fail"] + 1)}
            try:
                Path(opts["out"]).write_bytes(return_file_for(batch, failures))
            except BankFile.DoesNotExist as err:
                raise CommandError("该批次尚未导出银行代发文件") from err
            self.stdout.write(f"已写出模拟回盘（仅演示）{opts['out']}，其中失败 {opts['fail']} 笔")
            return
        try:
            if action != "show":
                actor = self._actor(opts["username"])
                self._act(action, actor, batch, opts)
        except (ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", None) or [str(err)])) from err
        self._show(PaymentBatch.objects.get(pk=batch.pk))

    def _act(self, action: str, actor: User, batch: PaymentBatch, opts: dict) -> None:
        if action == "review":
            batch_review(actor=actor, batch=batch, note=opts["note"])
        elif action == "approve":
            batch_approve(actor=actor, batch=batch, note=opts["note"])
        elif action == "export":
            for option, kind in (("out", FileKind.BANK_CSV), ("ledger", FileKind.LEDGER_XLSX)):
                if opts[option]:
                    with TerminalProgress(self.stderr._out) as bar:
                        _job, outcome = job_run_now(actor=actor, kind=PAYMENTS_EXPORT.code, progress=bar,
                                                    params={"batch": batch.pk, "file": kind})
                    bank_file = outcome.value
                    Path(opts[option]).write_bytes(file_bytes(bank_file))
                    self.stdout.write(f"已写出 {opts[option]}：{bank_file.line_count} 笔，{format_fen(bank_file.total_fen, grouping=True, unit='元')}")
            if not (opts["out"] or opts["ledger"]):
                raise CommandError("export 需要 --out 或 --ledger")
        elif action == "returns":
            if not opts["file"] or not Path(opts["file"]).is_file():
                raise CommandError("returns 需要银行回盘文件路径")
            path = Path(opts["file"])
            result = returns_import(actor=actor, batch=batch, filename=path.name, content=path.read_bytes())
            self.stdout.write(f"回盘导入：成功 {result.paid_count} 笔，失败 {result.failed_count} 笔")
        elif action == "reconcile":
            batch_reconcile(actor=actor, batch=batch, note=opts["note"])

    def _actor(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first() if username else None
        if user is None:
            raise CommandError("请用 --as 指定办理人账号（复核、审批、导出、对账都要记录到人）")
        return user

    def _show(self, batch: PaymentBatch) -> None:
        r = reconcile(batch)
        self.stdout.write(
            f"批次 {batch.number}（{batch.program} {batch.month}）状态：{batch.get_status_display()}；"
            f"应发 {r.approved['count']} 笔 {format_fen(r.approved['amount_fen'], grouping=True, unit='元')} = 成功 {format_fen(r.paid['amount_fen'], grouping=True, unit='元')} + "
            f"失败 {format_fen(r.failed['amount_fen'], grouping=True, unit='元')} + 已重发 {format_fen(r.reissued['amount_fen'], grouping=True, unit='元')}"
            f"（待回盘 {format_fen(r.not_returned['amount_fen'], grouping=True, unit='元')}）；{'已平衡' if r.balanced else '未平衡'}"
        )
