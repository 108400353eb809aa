"""``minzheng visits refresh [--date YYYY-MM-DD]``: recompute the 探访关爱 list
from the registry and the enrolments (ADR 0034). Idempotent: a second run on the
same data changes nothing. Prints the counts as JSON."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.hardship_visits.services import targets_refresh


class Command(BaseCommand):
    help = "按人口库和保障对象重新生成特殊困难老年人探访关爱名单（重复运行无副作用）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天生成（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **opts):
        day = None
        if opts.get("date"):
            try:
                day = dt.date.fromisoformat(opts["date"])
            except ValueError as err:
                raise CommandError("日期格式应为 YYYY-MM-DD") from err
        run = targets_refresh(actor="cli", today=day)
        self.stdout.write(json.dumps({"日期": run.run_on.isoformat(), "新纳入": run.added, "移出": run.ended,
                                      "类别变化": run.changed, "名单人数": run.open_total}, ensure_ascii=False))
