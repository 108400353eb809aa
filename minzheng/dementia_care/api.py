"""认知障碍友好社区: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["认知障碍友好社区"], auth=STAFF_AUTH)
