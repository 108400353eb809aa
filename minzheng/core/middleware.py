"""Security headers the framework does not set by itself, and the refusal of NUL characters."""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse

from minzheng.core.bounds import max_request_bytes, max_upload_bytes

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


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class UploadSizeLimitHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: counts each file's bytes while the
    body is streamed and stops the upload (``StopUpload``; the rest of the body
    is skipped, never held) as soon as one file passes ``max_upload_bytes()``.
    ``RequestSizeLimitMiddleware`` then answers 413."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > max_upload_bytes():
            if self.request is not None:
                self.request.minzheng_upload_too_large = self.file_name or "上传的文件"
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


JSON_MAX_DEPTH = 64
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside
    strings do not count), without parsing it — a parser recurses once per
    level and a body nested 100,000 deep would exhaust the stack."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class RequestSizeLimitMiddleware:
    """Refuse, before the body is read, a request larger than the platform
    takes: a multipart body over ``MINZHENG_MAX_REQUEST_BYTES``, another body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (both answer 413 in Chinese); a file
    over ``max_upload_bytes()`` is stopped while streaming
    (``UploadSizeLimitHandler``, 413). And refuse a JSON body nested deeper
    than ``JSON_MAX_DEPTH`` (400 in Chinese, never a RecursionError)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _refusal(request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, "请求头 Content-Length 无效", 400)
        content_type = request.content_type or ""
        if content_type == "multipart/form-data":
            limit = max_request_bytes()
            if length > limit:
                return _refusal(request, f"上传的内容过大：一次提交不能超过 {_megabytes(limit)}，"
                                         f"每个文件不能超过 {_megabytes(max_upload_bytes())}", 413)
            try:
                request.POST  # noqa: B018 - parse now, through UploadSizeLimitHandler
            except RequestDataTooBig:
                return _refusal(request, f"提交的表单内容过大：文件以外的内容不能超过 "
                                         f"{_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}", 413)
            except (TooManyFieldsSent, TooManyFilesSent):
                return _refusal(request, "提交的字段或文件过多", 400)
            if name := getattr(request, "minzheng_upload_too_large", None):
                return _refusal(request, f"文件“{name}”过大：每个文件不能超过 {_megabytes(max_upload_bytes())}", 413)
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return _refusal(request, f"提交的内容过大：不能超过 {_megabytes(limit)}", 413)
        # the API parses any body as JSON, whatever its Content-Type says
        parsed_as_json = content_type.endswith("json") or (
            request.path.startswith("/api/") and content_type != "application/x-www-form-urlencoded")
        if parsed_as_json and json_depth(request.body) > JSON_MAX_DEPTH:
            return _refusal(request, f"JSON 内容嵌套过深：数组和对象最多嵌套 {JSON_MAX_DEPTH} 层", 400)
        return None


class ValidationErrorMiddleware:
    """The last net under hostile input: a ``ValidationError`` (a Chinese
    message about what was sent) that escapes a view — e.g. a selector that
    checks a year or month an API operation passes straight through — is
    answered 422 with its messages (JSON for the API, text for pages), never
    a 500. Views should still catch it and show it on the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ValidationError):
            return None
        message = "；".join(exception.messages)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "errors": exception.messages}, status=422,
                                json_dumps_params={"ensure_ascii": False})
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
