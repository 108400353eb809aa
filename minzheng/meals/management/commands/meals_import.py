"""``minzheng meals import FILE --canteen ID``: import a canteen's daily file
(CSV / XLSX / JSON, the template's Chinese headers) directly (ADR 0032): bad
rows quarantined, the same file twice changes nothing. Prints JSON counts."""

import json
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.file_import import ImportFileError
from minzheng.meals.services import meal_file_import


class Command(BaseCommand):
    help = "导入助餐点每日用餐记录文件（逐行校验，问题行单独列出；同一文件重复导入不改动）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径（.csv / .xlsx / .json）")
        parser.add_argument("--canteen", type=int, required=True, help="助餐点编号")
        parser.add_argument("--actor", default="cli", help="记入审计日志的操作人（默认 cli）")

    def handle(self, *args, **opts):
        path = opts["file"]
        if not os.path.isfile(path):
            raise CommandError(f"找不到文件：{path}")
        try:
            with open(path, "rb") as stream:
                meal_import, created = meal_file_import(actor=opts["actor"], canteen_id=opts["canteen"],
                                                        stream=stream, file_name=os.path.basename(path))
        except (ValidationError, ImportFileError) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err
        self.stdout.write(json.dumps({
            "import": meal_import.pk, "created": created, "rows": meal_import.rows_total,
            "recorded": meal_import.rows_recorded, "repeated": meal_import.rows_repeated,
            "quarantined": meal_import.rows_quarantined}, ensure_ascii=False))
