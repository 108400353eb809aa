"""API endpoints of the casework app (mounted at /api/v1)."""

from ninja import Router

router = Router(tags=["救助申请与审核"])
