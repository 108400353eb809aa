"""``minzheng registry import FILE [--skip-bad] [--rejects OUT.csv] [--as USER]``.

Runs here and now with a progress bar on a terminal (stderr) and plain
``HH:MM:SS stage done/total`` lines otherwise (``jobs.services.TerminalProgress``,
ADR 0017); the page runs the same import as a background job."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.core.models import User
from minzheng.jobs.services import TerminalProgress
from minzheng.registry import importing


class Command(BaseCommand):
    help = "从 CSV 或 XLSX 导入人员和家庭（先全部校验；默认有错误则全部不导入）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--skip-bad", action="store_true", help="导入正确的家庭，错误行写入拒收文件")
        parser.add_argument("--rejects", help="拒收行及原因的输出文件（默认 <文件名>.rejects.csv）")
        parser.add_argument("--as", dest="username", default="", help="以该账号身份导入（默认：第一个区民政局账号）")
        parser.add_argument("--template", action="store_true", help="只把模板写到 FILE（.csv 或 .xlsx）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if opts["template"]:
            path.write_bytes(importing.template_xlsx() if path.suffix == ".xlsx" else importing.template_csv())
            self.stdout.write(f"模板已写入 {path}")
            return
        actor = self._actor(opts["username"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        content = path.read_bytes()
        try:
            with TerminalProgress(self.stderr._out) as bar:
                report = importing.registry_import(actor=actor, filename=path.name, content=content,
                                                   skip_bad=opts["skip_bad"], progress=bar)
        except importing.ImportFileError as err:
            raise CommandError(str(err)) from err
        for problem in report.problems:
            self.stderr.write(problem.as_text())
        if report.committed:
            self.stdout.write(f"已导入 {report.imported_persons} 人、{report.imported_households} 户（共 {report.total_rows} 行）。")
            if report.problems:
                rejects = Path(opts["rejects"] or f"{path}.rejects.csv")
                importing.write_rejects(rejects, report, importing.read_rows(path.name, content))
                self.stdout.write(f"{len(report.rejected_rows)} 行未导入，原因见 {rejects}")
            return
        raise CommandError(f"发现 {len(report.problems)} 个问题（{len(report.rejected_rows)} 行），未导入任何数据。"
                           "可修正后重试，或使用 --skip-bad 只导入正确的家庭。")

    def _actor(self, username: str) -> User:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(role="bureau").order_by("id").first()
        if user is None:
            raise CommandError("找不到导入账号：请用 --as 指定，或先用 minzheng user create 创建区民政局账号")
        return user
