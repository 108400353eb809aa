"""Base settings for Minzheng.

Everything that differs between machines comes from the environment
(``DATABASE_URL`` and ``MINZHENG_*``). Local defaults are safe for a laptop
only; ``config.settings.production`` refuses to start without real secrets.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MINZHENG_VAR_DIR", BASE_DIR / "var"))

# Local-only defaults: never used in production (see production.py).
LOCAL_SECRET_KEY = "local-only-insecure-secret-key-for-make-run"
LOCAL_DATA_KEY = "bG9jYWwtb25seS1kYXRhLWtleS0zMi1ieXRlcyEhISE="  # 32 bytes, base64
LOCAL_INDEX_KEY = "local-only-blind-index-key"
LOCAL_AUDIT_KEY = "local-only-audit-chain-key"

SECRET_KEY = os.environ.get("MINZHENG_SECRET_KEY", LOCAL_SECRET_KEY)
DEBUG = os.environ.get("MINZHENG_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("MINZHENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Keys for personal data at rest: AES-GCM data key and HMAC blind-index key.
MINZHENG_DATA_KEY = os.environ.get("MINZHENG_DATA_KEY", LOCAL_DATA_KEY)
MINZHENG_INDEX_KEY = os.environ.get("MINZHENG_INDEX_KEY", LOCAL_INDEX_KEY)

# The audit trail (docs/adr/0013-audit-anchoring.md): the chain is an HMAC under a key that is
# not in the database, and its head is anchored after every commit in an append-only file
# outside the database (in production: a write-once directory or object store).
MINZHENG_AUDIT_KEY = os.environ.get("MINZHENG_AUDIT_KEY", LOCAL_AUDIT_KEY)
MINZHENG_AUDIT_CHECKPOINTS = Path(os.environ.get("MINZHENG_AUDIT_CHECKPOINTS",
                                                 VAR_DIR / "audit" / "checkpoints.jsonl"))

# Uploads (minzheng.core.middleware.RequestSizeLimitMiddleware): each file at most
# MINZHENG_MAX_UPLOAD_BYTES (20 MB), checked while the body streams; a multipart request at
# most MINZHENG_MAX_REQUEST_BYTES; other bodies (forms, JSON) at most DATA_UPLOAD_MAX_MEMORY_SIZE.
# Files above FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file, not held in memory.
MINZHENG_MAX_UPLOAD_BYTES = int(os.environ.get("MINZHENG_MAX_UPLOAD_MB", "20")) * 1024 * 1024
MINZHENG_MAX_REQUEST_BYTES = 3 * MINZHENG_MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "minzheng.core.middleware.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, never from a CDN
    "django.contrib.humanize",
    "axes",
    # The design system (docs/adr/0012-design-system.md): template components,
    # lists with sorting/filters/export, forms rendered one way.
    "django_cotton",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    # Background jobs (docs/adr/0017-background-jobs.md): the tasks framework
    # (backport of Django 6's django.tasks) and its database queue and worker.
    "django_tasks",
    "django_tasks_db",
    "minzheng.core",
    "minzheng.registry",
    "minzheng.eligibility",
    "minzheng.feeds",
    "minzheng.casework",
    "minzheng.verification",
    "minzheng.monitoring",
    "minzheng.payments",
    "minzheng.marriage",
    "minzheng.bookings",
    "minzheng.deaths",
    "minzheng.funeral_subsidies",
    "minzheng.cemeteries",
    "minzheng.funeral",
    "minzheng.sweeping",
    "minzheng.care_facilities",
    "minzheng.care_homes",
    "minzheng.supervision",
    "minzheng.caregivers",
    "minzheng.meals",
    "minzheng.elder_alerts",
    "minzheng.hardship_visits",
    "minzheng.homeless_rescue",
    "minzheng.home_adaptations",
    "minzheng.dementia_care",
    "minzheng.disability_services",
    "minzheng.children",
    "minzheng.minors_protection",
    "minzheng.charity",
    "minzheng.social_orgs",
    "minzheng.workbench",
    "minzheng.jobs",
    "minzheng.demo",
]

# Long operations run as jobs (minzheng.jobs) queued in the database and run by
# `minzheng worker` (`make run` starts one next to the web server). The test
# suite uses the same backend and runs the queue in-process (jobs.services.jobs_run_queued).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A failed job keeps its sealed upload (an import file) so it can be retried; this many days
# after the failure ``minzheng jobs purge-uploads`` (daily, docs/deploy.md) deletes it
# (ADR 0017, "Stored uploads: retention"). The one place this number is stated.
MINZHENG_JOB_UPLOAD_RETENTION_DAYS = int(os.environ.get("MINZHENG_JOB_UPLOAD_RETENTION_DAYS", "30"))

MIDDLEWARE = [
    "minzheng.core.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "minzheng.core.middleware.RequestSizeLimitMiddleware",
    "minzheng.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "minzheng.core.middleware.SecurityHeadersMiddleware",
    "minzheng.core.middleware.ValidationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minzheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minzheng.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'minzheng.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limit (django-axes): 5 failures per username+IP locks for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MINZHENG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Sessions expire after 8 idle hours and at browser close.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# API bearer tokens live this long.
MINZHENG_API_TOKEN_TTL = timedelta(hours=int(os.environ.get("MINZHENG_API_TOKEN_HOURS", "12")))

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "minzheng" / "static"]
# Front-end files from node_modules: an explicit list (core/vendor_files.py), never a CDN.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "minzheng.core.vendor_files.VendorFinder",
]

# Lists and forms: Tabler is Bootstrap 5, so the Bootstrap 5 packs render in its style.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_PAGE_RANGE = 5
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "minzheng.core.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "minzheng.core.request_log.JsonLinesFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "loggers": {
        "minzheng": {"handlers": ["console"], "level": os.environ.get("MINZHENG_LOG_LEVEL", "INFO")},
        # Unhandled errors (500) and refused requests: Django's own loggers, with the request id.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Static files are served by WhiteNoise straight from the app and vendor folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
