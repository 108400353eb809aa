"""养老服务设施: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["养老服务设施"], auth=STAFF_AUTH)
