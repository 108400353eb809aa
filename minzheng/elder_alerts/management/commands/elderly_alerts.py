"""``minzheng elderly alerts scan --until "YYYY-MM-DD HH:MM"``: create the alerts
and visit/maintenance tasks the rules say are due up to that time, and print the
counts as JSON; running it again creates nothing new (ADR 0033).

Also ``minzheng elderly alerts import-calls FILE`` and ``… import-readings FILE``:
the call centre's and the sensors' feeds (CSV or JSONL), bad rows quarantined."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from minzheng.core.file_import import ImportFileError
from minzheng.elder_alerts import services


class Command(BaseCommand):
    help = "一键通和居家安全监测：scan 扫描生成提醒和任务；import-calls / import-readings 导入数据"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan", "import-calls", "import-readings"],
                            help="scan：扫描；import-calls：导入呼叫记录；import-readings：导入监测数据")
        parser.add_argument("file", nargs="?", default="", help="导入的文件（CSV 或 JSONL）")
        parser.add_argument("--until", default="", help="扫描截止时间 YYYY-MM-DD HH:MM（默认现在）")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "scan":
                until = timezone.now()
                if opts["until"]:
                    try:
                        until = timezone.make_aware(dt.datetime.strptime(opts["until"], "%Y-%m-%d %H:%M"))
                    except ValueError:
                        raise CommandError("截止时间格式应为 YYYY-MM-DD HH:MM") from None
                out = services.alerts_scan(actor="cli", until=until)
            else:
                if not opts["file"]:
                    raise CommandError("请给出要导入的文件")
                data = services.feed_read(opts["file"])
                importer = services.calls_import if opts["action"] == "import-calls" else services.readings_import
                run = importer(actor="cli", data=data, filename=opts["file"].rsplit("/", 1)[-1])
                out = {"文件": run.filename, "总行数": run.total_rows, "新增": run.imported_rows,
                       "补充": run.updated_rows, "已有（未变）": run.unchanged_rows, "隔离": run.rejected_rows,
                       "问题行": run.problems[:20]}
        except (ValidationError, ImportFileError) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err
        self.stdout.write(json.dumps(out, ensure_ascii=False))
