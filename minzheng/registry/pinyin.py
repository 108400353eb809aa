"""Pinyin keys for name search (pypinyin), cached per character.

``张小明`` → full ``zhangxiaoming`` and initials ``zxm``. Surnames with a
special reading as a surname (e.g. 单 shan, 曾 zeng) use that reading for
the first character.
"""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin

_SURNAME_READINGS = {"单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao", "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "柏": "bai"}


@functools.lru_cache(maxsize=20000)
def _char_pinyin(char: str) -> str:
    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return reading[0].lower() if reading else ""


def name_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) for a Chinese name, lower case, no spaces."""
    syllables = []
    for position, char in enumerate(name.strip()):
        if position == 0 and char in _SURNAME_READINGS:
            syllables.append(_SURNAME_READINGS[char])
        elif char.isascii():
            if char.isalpha():
                syllables.append(char.lower())
        else:
            syllables.append(_char_pinyin(char))
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)
