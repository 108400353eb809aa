"""``minzheng marriage clock --received YYYY-MM-DD``: the two last days of the
divorce cooling-off clock as JSON (民法典 art. 1077, 201, 203)."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.bounds import day_parse
from minzheng.marriage.clock import divorce_clock


class Command(BaseCommand):
    help = "计算离婚冷静期：撤回申请的最后一日和双方到场申领离婚证的最后一日"

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="婚姻登记机关收到离婚登记申请的日期 YYYY-MM-DD")

    def handle(self, *args, **opts):
        try:
            received: dt.date = day_parse(opts["received"], "收到申请日期")
            clock = divorce_clock(received)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(json.dumps(clock.as_json(), ensure_ascii=False))
