"""Security headers the framework does not set by itself, and the refusal of NUL characters."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

# Pages load scripts and styles only from this server (no CDN). Scripts: files
# only — no page has an inline script or event handler (static/js/*.js), so
# 'unsafe-inline' is not allowed for scripts and no nonce is needed; HTMX and
# ECharts need no eval. Styles keep 'unsafe-inline' for Bootstrap's and Tom
# Select's style attributes (positioning of menus and dialogs).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response


NUL_REFUSAL = "提交的内容中含有无法保存的控制字符（NUL），请删除后重新提交"


class RefuseNulBytesMiddleware:
    """Refuse a request whose query string, form fields or JSON body carry a
    NUL character: PostgreSQL cannot store it (a 500 otherwise, and SQLite
    would keep a value no other system reads). One check for every page and
    API operation; the answer is a Chinese 400 (JSON for the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            if request.path.startswith("/api/"):
                # in the API's one error model (``core.api.ApiError``)
                return JsonResponse({"detail": NUL_REFUSAL, "code": "bad_request", "problems": []}, status=400,
                                    json_dumps_params={"ensure_ascii": False})
            return HttpResponse(NUL_REFUSAL, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if (request.content_type or "").startswith("application/json"):
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any("\x00" in key or any("\x00" in value for value in request.POST.getlist(key))
                       for key in request.POST)
        return False
