"""``minzheng feeds template --source CODE OUT.xlsx`` (or ``.csv`` / ``.json``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.feeds import template_files
from minzheng.feeds.catalogue import source_get, sources


class Command(BaseCommand):
    help = "写出某个部门数据来源的导入模板（中文表头、示例行和填写说明）"

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="数据来源代码：" + "、".join(sources()))
        parser.add_argument("out")

    def handle(self, *args, **opts):
        try:
            source = source_get(opts["source"])
        except KeyError as err:
            raise CommandError(str(err.args[0])) from err
        out = Path(opts["out"])
        writers = {".xlsx": template_files.template_xlsx, ".csv": template_files.template_csv,
                   ".json": template_files.template_json}
        writer = writers.get(out.suffix.lower())
        if writer is None:
            raise CommandError("模板文件应以 .xlsx、.csv 或 .json 结尾")
        out.write_bytes(writer(source))
        self.stdout.write(f"“{source.name}”模板已写入 {out}")
