"""Production settings: every secret from the environment, checked at start
(docs/deploy.md). A weak, default or malformed key stops the process with a
message naming the variable — never a silent fallback."""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOCAL_AUDIT_KEY, LOCAL_DATA_KEY, LOCAL_INDEX_KEY, LOCAL_SECRET_KEY, LOGGING

MIN_SECRET_LENGTH = 32


def _require_secret(name: str, local: str) -> str:
    value = os.environ.get(name, "")
    if not value or value == local:
        raise ImproperlyConfigured(f"{name} must be set to a real secret in production")
    if len(value) < MIN_SECRET_LENGTH or len(set(value)) < 10:
        raise ImproperlyConfigured(f"{name} is too weak: use at least {MIN_SECRET_LENGTH} random characters")
    return value


for _name, _local in (
    ("MINZHENG_SECRET_KEY", LOCAL_SECRET_KEY),
    ("MINZHENG_INDEX_KEY", LOCAL_INDEX_KEY),
    ("MINZHENG_AUDIT_KEY", LOCAL_AUDIT_KEY),
):
    _require_secret(_name, _local)

_data_key = os.environ.get("MINZHENG_DATA_KEY", "")
if not _data_key or _data_key == LOCAL_DATA_KEY:
    raise ImproperlyConfigured("MINZHENG_DATA_KEY must be set to a real secret in production")
try:
    if len(base64.b64decode(_data_key, validate=True)) != 32:
        raise ValueError
except (ValueError, binascii.Error) as err:
    raise ImproperlyConfigured("MINZHENG_DATA_KEY must be 32 random bytes, base64-encoded (44 characters)") from err
if len({os.environ["MINZHENG_SECRET_KEY"], os.environ["MINZHENG_INDEX_KEY"], os.environ["MINZHENG_AUDIT_KEY"]}) < 3:
    raise ImproperlyConfigured("MINZHENG_SECRET_KEY, MINZHENG_INDEX_KEY and MINZHENG_AUDIT_KEY must differ")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("MINZHENG_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False  # collected files only (`minzheng collectstatic` at deploy)

# JSON lines for the log collector.
LOGGING["handlers"]["console"]["formatter"] = "json"
