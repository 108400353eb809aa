"""``minzheng facilities import FILE [--today YYYY-MM-DD]``: import the facility
register from the template's .xlsx or .csv (ADR 0028) as the operator (actor
``cli``): good rows registered, bad rows quarantined. Prints the outcome as JSON
(the bad rows with their row number, column and reason)."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from minzheng.care_facilities.register_import import facilities_import
from minzheng.core.file_import import ImportFileError


class Command(BaseCommand):
    help = "导入养老服务设施登记表（.xlsx 或 .csv；有错误的行不导入并列出行号和原因）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="登记表文件（按导入模板填写）")
        parser.add_argument("--today", default="", help="执行日期 YYYY-MM-DD（默认今天；日期不能晚于它）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        try:
            today = dt.date.fromisoformat(opts["today"]) if opts["today"] else timezone.localdate()
        except ValueError as err:
            raise CommandError("执行日期格式应为 YYYY-MM-DD") from err
        try:
            result = facilities_import(actor="cli", filename=path.name, data=path.read_bytes(), today=today)
        except ImportFileError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps({
            "rows": result.rows, "created": [{"id": f.pk, "name": f.name} for f in result.created],
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in result.problems]},
            ensure_ascii=False))
