"""Text files from Chinese offices arrive as UTF-8 (often with a BOM, as
Excel saves it) or as GBK/GB18030 (older Excel and bank systems)."""

from __future__ import annotations

CHINESE_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_chinese_text(content: bytes) -> str | None:
    """The text in the first encoding that fits, or None when none does."""
    for encoding in CHINESE_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
