"""``minzheng policy export-inputs --month YYYY-MM --out DIR``: the month's
engine inputs as Parquet, one street at a time (``eligibility.parquet_export``,
ADR 0018), for ``minzheng policy spark-batch``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.eligibility.parquet_export import inputs_export


class Command(BaseCommand):
    help = "把某月政策测算的输入（家庭、人员、CPI、一次性补助、参数集）按街镇导出为 Parquet 文件，供 Spark 批量测算"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, help="导出目录（新目录、空目录或上一次导出的目录）")

    def handle(self, *args, **opts):
        try:
            summary = inputs_export(actor="cli", month=opts["month"], directory=opts["out"],
                                    log=lambda line: self.stderr.write(line) if opts["verbosity"] > 1 else None)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(f"{summary.month} 测算输入已导出到 {summary.directory}：{summary.streets} 个街镇，"
                          f"{summary.households} 户，{summary.persons} 人，参数集 {summary.parameter_set[:12]}…")
        if summary.households_facts_missing:
            self.stdout.write(f"另有 {summary.households_facts_missing} 户当月1日的收入或财产不明，未导出（与本地批量测算相同）")
