"""``minzheng policy load-spark --month YYYY-MM --spark DIR [--inputs DIR]
[--confirm --as USER]``: Spark's decisions stored as the month's run in the
database (``eligibility.spark_load``, ADR 0018). Without ``--confirm`` it
only checks them (parameter hash, rules version, reason codes, every row
against the inputs Spark evaluated) and writes nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.command_actor import confirming_actor
from minzheng.eligibility.spark_load import spark_run_load


class Command(BaseCommand):
    help = ("把 Spark 批量测算结果载入数据库，作为该月的测算结果（替换该月当前结果）；"
            "参数集须与现行参数相同；不加 --confirm 只核对，不写入数据库")

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--spark", required=True, help="policy spark-batch 的结果目录")
        parser.add_argument("--inputs", help="Spark 所用的测算输入目录（默认取结果说明文件中记录的目录）")
        parser.add_argument("--confirm", action="store_true",
                            help="确认：把 Spark 的结果存为该月新的测算结果（替换整月全区结果，记入审计日志）")
        parser.add_argument("--as", dest="username", help="确认写入的工作人员账号（与 --confirm 一起必填）")

    def handle(self, *args, **opts):
        actor = confirming_actor(confirm=opts["confirm"], username=opts["username"],
                                 without_confirm="只核对，不写入")
        try:
            result = spark_run_load(actor=actor, month=opts["month"], spark_dir=opts["spark"], inputs_dir=opts["inputs"],
                                    store=opts["confirm"], log=self.stderr.write)
        except (ValidationError, PermissionDenied) as err:
            raise CommandError("；".join(getattr(err, "messages", [str(err)]))) from err
        self.stdout.write(f"{result.month} Spark 测算结果核对无误：{result.households} 户，{result.persons} 人，"
                          f"{result.rows} 行决定；参数集 {result.parameter_set[:12]}…")
        if result.run is None:
            self.stdout.write("只核对，未写入数据库；确认载入请加 --confirm --as 账号。")
            return
        t = result.run.timings
        self.stdout.write(f"已存为 {result.month} 的测算批次 {result.run.pk}（写入 {result.run.written_rows} 行"
                          + (f"，其余与批次 {result.run.base_run_id} 相同" if result.run.base_run_id else "")
                          + f"）；用时：读取核对 {t.get('read_s')} 秒，比较 {t.get('compare_s')} 秒，"
                          f"写入 {t.get('write_s')} 秒，快照 {t.get('snapshot_s')} 秒")
