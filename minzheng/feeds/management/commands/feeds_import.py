"""``minzheng feeds import --source CODE FILE [--as USER] [--received 2024-03-01T09:00]``.

Runs here and now with a progress bar on a terminal (stderr) and plain
``HH:MM:SS stage done/total`` lines otherwise (``jobs.services.TerminalProgress``,
ADR 0017); the page runs the same import as a background job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from minzheng.core.file_import import ImportFileError
from minzheng.core.models import Role, User
from minzheng.feeds.catalogue import sources
from minzheng.feeds.importing import feed_file_import
from minzheng.jobs.services import TerminalProgress


class Command(BaseCommand):
    help = "导入一个部门数据文件（CSV、XLSX、JSON 或 JSONL）：逐行校验，错误行隔离并说明原因，同一文件重复导入不产生变化"

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="数据来源代码：" + "、".join(sources()))
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="", help="以该账号身份导入（默认：第一个区民政局账号）")
        parser.add_argument("--received", default="", help="接收时间（ISO 格式，默认现在）")
        parser.add_argument("--chunk-rows", type=int, default=50_000)
        parser.add_argument("--complete", action="store_true",
                            help="全量数据：该来源在文件期间内的全部记录，未列出的人员视为查无记录")
        parser.add_argument("--period-from", default="", help="全量数据的期间起（YYYY-MM-DD，默认为记录的最早日期）")
        parser.add_argument("--period-to", default="", help="全量数据的期间止（YYYY-MM-DD）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        received = None
        if opts["received"]:
            try:
                received = dt.datetime.fromisoformat(opts["received"])
            except ValueError as err:
                raise CommandError("接收时间格式应为 YYYY-MM-DDTHH:MM") from err
            if timezone.is_naive(received):
                received = timezone.make_aware(received)
        actor = self._actor(opts["username"])
        period = None
        if opts["period_from"] or opts["period_to"]:
            try:
                period = (dt.date.fromisoformat(opts["period_from"]), dt.date.fromisoformat(opts["period_to"]))
            except ValueError as err:
                raise CommandError("--period-from 和 --period-to 须同时给出，格式为 YYYY-MM-DD") from err
        try:
            with path.open("rb") as stream, TerminalProgress(self.stderr._out) as bar:
                result = feed_file_import(actor=actor, source_code=opts["source"], filename=path.name,
                                          content=stream, received_at=received, chunk_rows=opts["chunk_rows"],
                                          complete_extract=opts["complete"], extract_period=period, progress=bar)
        except (ImportFileError, ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err
        f = result.file
        if result.already_imported:
            self.stdout.write(f"该文件已于 {timezone.localtime(f.imported_at):%Y-%m-%d %H:%M} 导入（文件编号 {f.pk}），本次未作任何改动。")
            return
        for problem in result.problems:
            self.stderr.write(problem.as_text())
        self.stdout.write(
            f"文件编号 {f.pk}：共 {f.total_rows} 行，有效 {f.good_rows} 行（新增记录 {f.new_records}，"
            f"已有记录 {f.duplicate_rows}），错误 {f.bad_rows} 行已隔离；未匹配人员 {f.unmatched_records} 条；"
            f"新增事件 {f.events_created} 个，登记死亡 {f.deaths_recorded} 人；用时 {f.seconds:.1f} 秒。"
        )

    def _actor(self, username: str) -> User:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(role=Role.BUREAU).order_by("id").first()
        if user is None:
            raise CommandError("找不到导入账号：请用 --as 指定，或先用 minzheng user create 创建区民政局账号")
        return user
