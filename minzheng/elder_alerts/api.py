"""一键通和居家安全监测: the endpoints (mounted at /api/v1)."""

from ninja import Router

from minzheng.core.api import STAFF_AUTH

router = Router(tags=["一键通和居家安全监测"], auth=STAFF_AUTH)
