"""``manage.py demo_data`` (``minzheng demo-data``): build the synthetic demo district,
with a progress bar by stage on a terminal (stderr) and plain log lines otherwise."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from minzheng.demo.generator import DemoDataError, generate_demo_data
from minzheng.jobs.services import TerminalProgress


class Command(BaseCommand):
    help = "生成确定性的松江区演示人口（居村委、家庭、人员、残疾证、迁移与死亡）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--persons", type=int, default=20_000, help="人数（默认 20000）")
        parser.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）")
        parser.add_argument("--replace", action="store_true", help="先删除已有演示数据再生成")
        parser.add_argument("--chunk-households", type=int, default=20_000, help="每批户数（默认 20000）")

    def handle(self, *args, **options) -> None:
        try:
            with TerminalProgress(self.stderr._out) as bar:
                summary = generate_demo_data(
                    persons=options["persons"], seed=options["seed"], replace=options["replace"],
                    chunk_households=options["chunk_households"], progress=bar.log, report=bar,
                )
        except DemoDataError as err:
            raise CommandError(str(err)) from err
        if summary.skipped:
            self.stdout.write(self.style.WARNING(summary.message))
            return
        self.stdout.write(self.style.SUCCESS(
            f"{summary.message} 人员 {summary.persons:,}，家庭 {summary.households:,}，"
            f"家庭成员关系 {summary.memberships:,}，残疾证 {summary.disabilities:,}，迁移 {summary.moves:,}，"
            f"居村委 {summary.committees}（新建 {summary.committees_created}）；"
            f"用时 {summary.seconds:.1f} 秒，{summary.rows_per_second:,.0f} 行/秒，峰值内存 {summary.peak_memory_mb:,.0f} MB"
        ))
