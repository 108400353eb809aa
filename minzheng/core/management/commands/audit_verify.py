"""``minzheng audit verify``: walk the keyed chain and hold it against the
checkpoints outside the database; report the first problem."""

from django.core.management.base import BaseCommand, CommandError

from minzheng.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计日志：哈希链完整、与库外检查点一致（发现篡改、伪造、删除末尾和重新链接）"

    def handle(self, *args, **opts):
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"审计链完整：已校验 {report.checked} 条记录，与 {report.checkpoints} 个库外检查点一致。")
            return
        raise CommandError(
            f"审计链在第 {report.broken_at} 条记录处有问题：{report.reason}（此前 {report.checked} 条完好）"
        )
