"""One monthly monitor run at a time from the dashboard.

Replacing a month's results is irreversible and takes minutes, so a second
click (another tab, a reload that re-posts) must not start a second run
while the first is going (issue 9: "a second click cannot start a second
run"). Until runs become background jobs, the run stays synchronous and
this guard refuses a concurrent request instead of queuing it.

The guard is a lock in the configured cache (``cache.add`` is atomic) with
a timeout, so a crashed worker cannot block runs for ever; within one
process a thread lock backs it up for the local-memory cache.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache

LOCK_KEY = "monitoring:run-in-progress"
LOCK_SECONDS = 2 * 60 * 60
_local = threading.Lock()


@contextmanager
def one_run_at_a_time() -> Iterator[bool]:
    """Yields True if this request may run (and holds the lock until it ends), False if a run is going."""
    if not _local.acquire(blocking=False):
        yield False
        return
    try:
        if not cache.add(LOCK_KEY, True, LOCK_SECONDS):
            yield False
            return
        try:
            yield True
        finally:
            cache.delete(LOCK_KEY)
    finally:
        _local.release()
