"""Production settings: every secret must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOCAL_AUDIT_KEY, LOCAL_DATA_KEY, LOCAL_INDEX_KEY, LOCAL_SECRET_KEY

for _name, _local in (
    ("MINZHENG_SECRET_KEY", LOCAL_SECRET_KEY),
    ("MINZHENG_DATA_KEY", LOCAL_DATA_KEY),
    ("MINZHENG_INDEX_KEY", LOCAL_INDEX_KEY),
    ("MINZHENG_AUDIT_KEY", LOCAL_AUDIT_KEY),
):
    if os.environ.get(_name, _local) == _local:
        raise ImproperlyConfigured(f"{_name} must be set to a real secret in production")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("MINZHENG_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
