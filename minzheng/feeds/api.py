"""API endpoints of the feeds app (mounted at /api/v1)."""

from ninja import Router

router = Router(tags=["部门数据"])
