"""``minzheng policy compare --month YYYY-MM --spark DIR``: Spark's decisions
against the database's current run of the month (``eligibility.spark_compare``,
ADR 0018). Prints every difference (at most 50 in full); exits non-zero
(``CommandError``) when there is any."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.eligibility.spark_compare import spark_compare


class Command(BaseCommand):
    help = "比较 Spark 批量测算结果与数据库中该月当前的批量测算结果（应完全一致）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--spark", required=True, help="policy spark-batch 的结果目录")

    def handle(self, *args, **opts):
        try:
            result = spark_compare(opts["month"], opts["spark"])
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(f"{result.month}：数据库 {result.database_rows} 行，Spark {result.spark_rows} 行，"
                          f"{result.streets} 个街镇")
        if result.equal:
            self.stdout.write("结果完全一致：没有不同。")
            return
        for line in result.lines:
            self.stdout.write(line)
        raise CommandError(f"发现 {result.differences} 处不同")
