"""``--as`` for commands that write only with ``--confirm``."""

import pytest
from django.core.management.base import CommandError

from minzheng.core.command_actor import confirming_actor
from minzheng.core.models import User


@pytest.mark.django_db
def test_confirm_needs_an_active_account_and_as_needs_confirm():
    user = User.objects.create_user(username="clerk", password="x" * 12)
    assert confirming_actor(confirm=False, username=None, without_confirm="只比较") == "cli"
    assert confirming_actor(confirm=True, username="clerk", without_confirm="只比较") == user
    with pytest.raises(CommandError, match="须同时用 --as"):
        confirming_actor(confirm=True, username=None, without_confirm="只比较")
    with pytest.raises(CommandError, match="只在 --confirm 时使用；不加 --confirm 时只比较"):
        confirming_actor(confirm=False, username="clerk", without_confirm="只比较")
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="不存在或已停用"):
        confirming_actor(confirm=True, username="clerk", without_confirm="只比较")
