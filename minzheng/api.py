"""The HTTP API at ``/api/v1`` (django-ninja; OpenAPI docs at ``/api/docs``).

Each domain contributes a router; authentication is a bearer token from
``POST /api/v1/auth/token``. Everything is scoped to the token's user.
"""

from ninja import NinjaAPI

from minzheng.casework.api import router as casework_router
from minzheng.core.api import BearerAuth
from minzheng.core.api import router as auth_router
from minzheng.eligibility.api import router as eligibility_router
from minzheng.feeds.api import router as feeds_router
from minzheng.monitoring.api import router as monitoring_router
from minzheng.payments.api import router as payments_router
from minzheng.registry.api import router as registry_router
from minzheng.verification.api import router as verification_router

api = NinjaAPI(
    title="民政 Minzheng API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/v1/openapi.json",
    auth=BearerAuth(),
)
api.add_router("/v1/auth", auth_router)
api.add_router("/v1", registry_router)
api.add_router("/v1", eligibility_router)
api.add_router("/v1", feeds_router)
api.add_router("/v1", casework_router)
api.add_router("/v1", verification_router)
api.add_router("/v1", monitoring_router)
api.add_router("/v1", payments_router)
