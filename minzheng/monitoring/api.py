"""API endpoints of the monitoring app (mounted at /api/v1)."""

from ninja import Router

router = Router(tags=["动态监测"])
