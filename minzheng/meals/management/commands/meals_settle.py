"""``minzheng meals settle --month YYYY-MM [--canteen ID]``: the monthly
settlement of every canteen (or one), run directly (ADR 0032). A settled
canteen is left as it is; late records of settled months become adjustments
of this month. Prints JSON."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.meals.services import settlement_run, settlements_run_all


class Command(BaseCommand):
    help = "助餐月度结算（已结算的助餐点不改动；迟到的以前月份记录计入本月补报）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="结算月份 YYYY-MM")
        parser.add_argument("--canteen", type=int, default=0, help="只结算该助餐点（默认全部）")
        parser.add_argument("--actor", default="cli", help="记入审计日志的结算人（默认 cli）")

    def handle(self, *args, **opts):
        try:
            if opts["canteen"]:
                s, created = settlement_run(actor=opts["actor"], canteen_id=opts["canteen"], month=opts["month"])
                out = {"settlement": s.pk, "created": created, "meals": s.meals, "subsidised": s.subsidised_meals,
                       "subsidy_fen": s.subsidy_fen, "adjustment_fen": s.adjustment_fen, "total_fen": s.total_fen}
            else:
                out = settlements_run_all(actor=opts["actor"], month=opts["month"])
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps(out, ensure_ascii=False))
