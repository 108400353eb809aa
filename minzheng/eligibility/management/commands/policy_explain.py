"""``minzheng policy explain --month YYYY-MM --household ID [--trace]``.

Re-runs one household of a stored batch from the run's input snapshot and
shows that the engine reproduces every stored decision exactly.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.eligibility.explain import explain_stored_household


class Command(BaseCommand):
    help = "用批量测算时的输入快照重算一户，核对与存储的决定是否一致（可输出计算依据节点表）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True)
        parser.add_argument("--household", required=True, type=int)
        parser.add_argument("--trace", action="store_true")

    def handle(self, *args, **opts):
        try:
            explanation = explain_stored_household(month=opts["month"], household_id=opts["household"],
                                                   trace=opts["trace"])
        except LookupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(json.dumps(explanation.result, ensure_ascii=False, indent=2))
        if explanation.mismatches:
            raise CommandError("与存储的决定不一致：" + "；".join(explanation.mismatches))
        self.stdout.write(f"价格临时补贴按批次 {explanation.run_id} 存储的CPI重算：{explanation.cpi_text}")
        self.stdout.write(f"与批次 {explanation.run_id} 存储的 {explanation.compared} 条决定完全一致。")
