"""API endpoints of the payments app (mounted at /api/v1)."""

from ninja import Router

router = Router(tags=["资金发放"])
