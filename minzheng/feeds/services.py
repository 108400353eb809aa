"""Writes of department data, the interface other apps use (ADR 0009).

The import itself lives in ``importing.py`` (streaming, chunked, staged; it
derives events through ``events.py``); this module only names it.
"""

from __future__ import annotations

from minzheng.feeds.importing import feed_file_import as feed_file_import
