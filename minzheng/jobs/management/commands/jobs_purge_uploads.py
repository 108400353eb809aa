"""``minzheng jobs purge-uploads [--dry-run]``: delete the stored uploads of
failed jobs whose retention has passed (``MINZHENG_JOB_UPLOAD_RETENTION_DAYS``,
30 days after the failure; ADR 0017). Run daily from cron (docs/deploy.md);
each deletion is audited ``job.upload_purge`` under 定时清理作业上传文件.
``--dry-run`` lists what would be deleted and changes nothing. Prints numbers
only (upload and job numbers, sizes, dates), never a file's name."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from minzheng.jobs.services import retention_days, uploads_purge


class Command(BaseCommand):
    help = "删除保留期满的失败作业上传文件（失败后保留天数见设置 MINZHENG_JOB_UPLOAD_RETENTION_DAYS）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将删除的文件，不删除")

    def handle(self, *args, **opts):
        dry_run = opts["dry_run"]
        items = uploads_purge(dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        for item in items:
            jobs = "、".join(str(pk) for pk in item.jobs) or "无（未能排队）"
            when = timezone.localtime(item.last_ended_at or item.uploaded_at)
            basis = "作业最后结束于" if item.last_ended_at else "上传于"
            self.stdout.write(f"{verb}上传文件 {item.upload_id}（{item.size_bytes} 字节；作业 {jobs}；{basis} {when:%Y-%m-%d %H:%M}）")
        total = sum(item.size_bytes for item in items)
        self.stdout.write(f"{verb} {len(items)} 个上传文件，共 {total} 字节（失败作业的上传文件保留 {retention_days()} 天）"
                          + ("；未作任何改动" if dry_run else ""))
