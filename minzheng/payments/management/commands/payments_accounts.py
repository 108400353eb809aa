"""``minzheng payments accounts --synthetic``: deterministic synthetic payee
accounts for the demo district (never for real data)."""

from django.core.management.base import BaseCommand, CommandError

from minzheng.payments.accounts import accounts_synthesise


class Command(BaseCommand):
    help = "为演示库中没有有效代发账户的在世人员生成确定性的合成银行账户（仅用于演示数据）"

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", action="store_true", help="确认生成合成账户")
        parser.add_argument("--seed", default="minzheng-demo")

    def handle(self, *args, **opts):
        if not opts["synthetic"]:
            raise CommandError("请加 --synthetic 确认：只为演示数据生成合成账户")
        n = accounts_synthesise(actor="cli", seed=opts["seed"])
        self.stdout.write(f"已生成 {n} 个合成代发账户（种子 {opts['seed']}）")
