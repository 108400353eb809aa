"""养老护理员: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["养老护理员"], auth=STAFF_AUTH)
