"""API endpoints of the verification app (mounted at /api/v1)."""

from ninja import Router

router = Router(tags=["经济状况核对"])
