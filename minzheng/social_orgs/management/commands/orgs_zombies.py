"""``minzheng orgs zombies [--as-of YYYY-MM-DD]``: the organizations in being on the as-of date
that meet any of the zombie situations (REFERENCE § 13, ADR 0042), as JSON on standard output:
a list of ``{"uscc", "name", "reasons": [codes], "undetermined": [codes]}`` (codes stable
English: missed_reports, never_active, no_charter_activity, unreachable). ``undetermined``
lists the reasons that could not be concluded (the long period not entered: 参数缺失), also
said on standard error."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.bounds import day_parse, today
from minzheng.social_orgs import zombies
from minzheng.social_orgs.models import Organization


class Command(BaseCommand):
    help = "列出僵尸型社会组织（认定情形代码，JSON）"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", default="", help="查验日期（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        try:
            as_of = day_parse(options["as_of"], "查验日期") if options["as_of"] else today()
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        findings = zombies.detect(Organization.objects.all(), as_of)
        if zombies.period_in_force(as_of) is None:
            self.stderr.write("长期未开展章程规定的业务活动：期限未录入（参数缺失），该情形未作判断")
        rows = [{"uscc": f.organization.uscc, "name": f.organization.name, "reasons": f.reasons,
                 "undetermined": f.undetermined} for f in findings]
        self.stdout.write(json.dumps(rows, ensure_ascii=False))
