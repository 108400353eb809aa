"""``minzheng audit verify``: walk the hash chain, report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from minzheng.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链的完整性"

    def handle(self, *args, **opts):
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"审计链完整：已校验 {report.checked} 条记录。")
            return
        raise CommandError(
            f"审计链在第 {report.broken_at} 条记录处断开：{report.reason}（此前 {report.checked} 条完好）"
        )
