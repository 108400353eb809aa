"""Who a management command acts as: ``--as USERNAME`` resolved to an active
staff account, so a write from the command line is audited to a person.

Commands that compare first and write only with ``--confirm``
(``policy recompute``, ``payments settle``) accept ``--as`` only together
with ``--confirm``; without it they act as ``"cli"`` and must not write.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from minzheng.core.models import User


def confirming_actor(*, confirm: bool, username: str | None, without_confirm: str) -> User | str:
    """The account a confirmed run writes as, or ``"cli"`` for a dry run.

    ``without_confirm`` is the Chinese sentence saying what the command does
    without ``--confirm`` (shown when ``--as`` is given alone)."""
    if not confirm:
        if username:
            raise CommandError(f"--as 只在 --confirm 时使用；不加 --confirm 时{without_confirm}")
        return "cli"
    if not username:
        raise CommandError("--confirm 须同时用 --as 指明办理的工作人员账号")
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise CommandError(f"账号 {username} 不存在或已停用")
    return found
