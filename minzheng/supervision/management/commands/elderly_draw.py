"""``minzheng elderly draw --plan ID --seed N``: the plan's 双随机 draw as JSON
(sorted keys, Chinese as is; ADR 0030). The same plan, pool and seed always
print the same JSON. Without ``--record`` it only prints; ``--record`` records
it (once per plan, audited); ``--verify`` re-runs the recorded draw from its
recorded snapshot and seed and compares."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.supervision import services
from minzheng.supervision.draw import draw_json
from minzheng.supervision.models import Plan


class Command(BaseCommand):
    help = "双随机抽取：按计划和随机种子输出抽取结果（JSON）；--record 记录，--verify 核验已记录的抽取"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="计划编号")
        parser.add_argument("--seed", type=int, help="随机种子（整数）")
        parser.add_argument("--record", action="store_true", help="记录抽取结果（每个计划一次）")
        parser.add_argument("--verify", action="store_true", help="核验已记录的抽取结果")

    def handle(self, *args, **opts):
        plan = Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"没有编号为{opts['plan']}的计划")
        try:
            if opts["verify"]:
                problems = services.draw_verify(plan)
                if opts["seed"] is not None and plan.seed is not None and opts["seed"] != plan.seed:
                    problems.append(f"给定的种子{opts['seed']}与记录的种子{plan.seed}不同")
                if problems:
                    raise CommandError("核验不通过：" + "；".join(problems))
                self.stdout.write(draw_json(plan.draw))
                self.stdout.write(f"核验通过：按记录的快照（SHA-256 {plan.snapshot_sha256}）和种子{plan.seed}重新抽取，结果一致")
                return
            if opts["seed"] is None:
                raise CommandError("请用 --seed 给出随机种子")
            if opts["record"]:
                plan = services.draw_record(actor="cli", plan=plan, seed=opts["seed"])
                self.stdout.write(draw_json(plan.draw))
                return
            self.stdout.write(draw_json(services.draw_preview(plan, opts["seed"])))
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
