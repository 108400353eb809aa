"""特殊困难老年人探访关爱: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["特殊困难老年人探访关爱"], auth=STAFF_AUTH)
