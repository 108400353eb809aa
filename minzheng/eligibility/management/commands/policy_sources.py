"""``minzheng policy sources [--output PATH|-]``: write docs/policy-sources.md.

Every parameter with its description, unit, values by date, sureness and
sources, generated from policy/parameters (``policy.sources``). The file is
committed; a test fails when it differs from fresh output.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from policy.sources import sources_markdown

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "policy-sources.md"


class Command(BaseCommand):
    help = "生成政策参数来源文档 docs/policy-sources.md（每个参数的说明、单位、按日期的取值、可靠程度和出处）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="输出文件（默认 docs/policy-sources.md；- 为标准输出）")

    def handle(self, *args, **opts):
        text = sources_markdown()
        if opts["output"] == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(opts["output"])
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写出 {path}")
