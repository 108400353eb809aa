"""``minzheng user create --username U --password P --role ROLE --scope CODE``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from minzheng.core.models import Role
from minzheng.core.services import user_create


class Command(BaseCommand):
    help = "创建工作人员账号（角色 + 辖区区划代码）"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--scope", required=True, help="区、街镇或居村委的区划代码")
        parser.add_argument("--name", default="", help="姓名（文书上署名用）")
        parser.add_argument("--post", default="", help="单位和职务（文书上署名用），如：岳阳街道社区事务受理服务中心 救助专员")

    def handle(self, *args, **opts):
        try:
            user = user_create(actor="cli", username=opts["username"], password=opts["password"],
                               role=opts["role"], scope_code=opts["scope"], full_name=opts["name"],
                               post=opts["post"])
        except ValidationError as err:
            raise CommandError("；".join(err.messages)) from err
        self.stdout.write(f"已创建账号 {user.username}（{user.get_role_display()}，辖区 {user.scope.name} {user.scope_id}）")
