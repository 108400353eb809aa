"""``minzheng children-leads [--date YYYY-MM-DD]``: the sweep's leads from the
data (parents' deaths and disability certificates, children's certificates,
dibao and low-income households), idempotent, and the registry's engine facts
brought in line with the register for the day; prints the counts as JSON
(ADR 0035)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.children import services
from minzheng.core.bounds import day_parse


class Command(BaseCommand):
    help = "生成困境儿童摸底排查线索（可重复运行），并按名册同步人口库的孤儿、事实无人抚养标记"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="排查日期（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        try:
            today = day_parse(options["date"], "排查日期") if options["date"] else None
            counts = services.leads_generate(actor="children_leads", today=today)
            counts["engine_facts_changed"] = services.engine_facts_sync(actor="children_leads", today=today)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps(counts, ensure_ascii=False, sort_keys=True))
