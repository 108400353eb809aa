"""The front-end files this server serves from ``node_modules`` (installed by
``make assets`` from the pinned ``package.json``): an explicit list, not whole
package folders, so that production collects a few megabytes rather than
every build of every package. A page may use only files listed here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path → file under node_modules
VENDOR_FILES = {
    "vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts.min.js": "echarts/dist/echarts.min.js",
    "vendor/tabler/css/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "vendor/tabler/css/tabler.min.css.map": "@tabler/core/dist/css/tabler.min.css.map",
    "vendor/tabler/js/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "vendor/tabler/js/tabler.min.js.map": "@tabler/core/dist/js/tabler.min.js.map",
    "vendor/tom-select/css/tom-select.bootstrap5.min.css": "tom-select/dist/css/tom-select.bootstrap5.min.css",
    "vendor/tom-select/css/tom-select.bootstrap5.min.css.map":
        "tom-select/dist/css/tom-select.bootstrap5.min.css.map",
    "vendor/tom-select/js/tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "vendor/tom-select/js/tom-select.complete.min.js.map": "tom-select/dist/js/tom-select.complete.min.js.map",
}


def node_modules() -> Path:
    return Path(settings.BASE_DIR) / "node_modules"


class VendorFinder(BaseFinder):
    """A staticfiles finder for ``VENDOR_FILES``."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        target = VENDOR_FILES.get(path)
        if target is None:
            return [] if find_all else None
        full = node_modules() / target
        if not full.is_file():
            return [] if find_all else None
        return [str(full)] if find_all else str(full)

    def list(self, ignore_patterns: Any) -> Any:
        root = node_modules()
        for path, target in VENDOR_FILES.items():
            full = root / target
            if full.is_file():
                storage = FileSystemStorage(location=str(full.parent))
                storage.prefix = str(Path(path).parent)  # type: ignore[attr-defined]
                yield full.name, storage
