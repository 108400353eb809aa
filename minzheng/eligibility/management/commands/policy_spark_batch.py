"""``minzheng policy spark-batch --inputs DIR --month YYYY-MM --out DIR
[--master URL] [--shuffle]``: the month's batch on Apache Spark with the same policy
programs (``eligibility.spark_batch``, ADR 0018). ``local[*]`` by default;
any cluster by ``--master`` (or submit this command with ``spark-submit``)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.eligibility.spark_batch import CHUNK_ROWS, spark_batch_run, spark_session
from policy import PROGRAMS
from policy.money import format_fen


class Command(BaseCommand):
    help = "在 Apache Spark 上用同一套政策规则对导出的测算输入进行全市批量测算，结果写为 Parquet 文件"

    def add_arguments(self, parser):
        parser.add_argument("--inputs", required=True, help="policy export-inputs 导出的目录")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, help="测算结果目录")
        parser.add_argument("--master", default="local[*]", help="Spark 集群地址，默认本机 local[*]")
        parser.add_argument("--partitions", type=int, default=None, help="分区数（默认按并行度）")
        parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, help="每次调用政策引擎的人数上限")
        parser.add_argument("--shuffle", action="store_true",
                            help="即使测算输入已按户分好文件，也按户重新分区（通用方式，较慢）")

    def handle(self, *args, **opts):
        from pyspark.sql import SparkSession

        owned = SparkSession.getActiveSession() is None
        spark = spark_session(opts["master"])
        try:
            summary = spark_batch_run(inputs_dir=opts["inputs"], month=opts["month"], out_dir=opts["out"], spark=spark,
                                      partitions=opts["partitions"], chunk_rows=opts["chunk_rows"],
                                      shuffle=opts["shuffle"], log=self.stderr.write)
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        finally:
            if owned:
                spark.stop()
        self.stdout.write(f"{summary.month} Spark 批量测算完成：{summary.households} 户，{summary.persons} 人，"
                          f"写出 {summary.rows} 行决定到 {summary.directory}；参数集 {summary.parameter_set[:12]}…，"
                          f"规则版本 {summary.rules_version}")
        for pid, c in summary.program_counts.items():
            label = PROGRAMS[pid].label if pid in PROGRAMS else pid
            self.stdout.write(f"  {label}：符合 {c['eligible']}，金额 {format_fen(c['amount_fen'], grouping=True)} 元，"
                              f"缺参数 {c['parameter_missing']}")
        t = summary.timings
        self.stdout.write(f"用时：读取 {t['read_s']} 秒，分区计算并写出 {t['evaluate_write_s']} 秒，汇总 {t['summary_s']} 秒")
