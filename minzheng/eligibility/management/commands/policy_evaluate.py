"""``minzheng policy evaluate FILE|- [--trace]``: one household, JSON in and out.

Bad input exits with code 2 and lists every problem.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from minzheng.eligibility.evaluation import evaluate_payload
from policy import InputError


class Command(BaseCommand):
    help = "计算一户家庭当月各项政策的资格和金额（输入输出均为 JSON）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON 文件路径，或 - 表示标准输入")
        parser.add_argument("--trace", action="store_true", help="输出计算依据：各结果的根节点编号和共享的节点表 trace_nodes")

    def handle(self, *args, **opts):
        source = sys.stdin.read() if opts["file"] == "-" else self._read(opts["file"])
        try:
            payload = json.loads(source)
        except json.JSONDecodeError as err:
            self._fail([{"field": "", "message": f"不是有效的 JSON：第{err.lineno}行第{err.colno}列 {err.msg}"}])
        try:
            result = evaluate_payload(payload, trace=opts["trace"])
        except InputError as err:
            self._fail(err.problems)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, name: str) -> str:
        path = Path(name)
        if not path.is_file():
            self._fail([{"field": "", "message": f"文件不存在：{name}"}])
        return path.read_text(encoding="utf-8")

    def _fail(self, problems):
        self.stderr.write(json.dumps({"error": "输入有误", "problems": problems}, ensure_ascii=False, indent=2))
        sys.exit(2)
