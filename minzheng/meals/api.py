"""老年人助餐: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["老年人助餐"], auth=STAFF_AUTH)
