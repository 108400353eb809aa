"""居家环境适老化改造: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["居家环境适老化改造"], auth=STAFF_AUTH)
