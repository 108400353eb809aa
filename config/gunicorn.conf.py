"""gunicorn settings for production (docs/deploy.md). Override with
GUNICORN_CMD_ARGS or environment variables; never `runserver` in production."""

import multiprocessing
import os

bind = os.environ.get("MINZHENG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MINZHENG_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("MINZHENG_THREADS", "2"))
timeout = int(os.environ.get("MINZHENG_TIMEOUT", "60"))  # long work runs as background jobs, not in requests
graceful_timeout = 30
max_requests = 2000  # recycle workers: bounded memory and database connections
max_requests_jitter = 200
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'  # no query string: it may hold a name
errorlog = "-"
forwarded_allow_ips = os.environ.get("MINZHENG_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
