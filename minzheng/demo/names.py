"""Chinese names: surnames by frequency, given names by sex and birth era.

Two surname tables: one for Shanghai-hukou residents (沈, 陆, 顾, 朱, 徐 are
much more common in Shanghai than nationally) and one for migrants (the
national ranking). Given names are one or two characters from pools that
shift with the birth decade (建国/秀英 in the 1950s, 子涵/梓轩 after 2010).
Everything is drawn with the caller's numpy generator, so names are
deterministic for a seed.
"""

from __future__ import annotations

import numpy as np

# (surname, relative frequency) — Shanghai ranking (approximate, per mille).
_SHANGHAI_SURNAMES = (
    ("张", 58), ("王", 56), ("陈", 52), ("李", 44), ("徐", 40), ("朱", 38), ("周", 34), ("沈", 32),
    ("陆", 30), ("顾", 28), ("吴", 27), ("黄", 24), ("杨", 23), ("刘", 22), ("金", 21), ("钱", 18),
    ("孙", 17), ("姚", 16), ("蒋", 15), ("胡", 15), ("曹", 14), ("倪", 13), ("施", 13), ("杨", 1),
    ("潘", 12), ("许", 12), ("马", 11), ("高", 10), ("蔡", 10), ("唐", 10), ("宋", 9), ("范", 9),
    ("汤", 9), ("俞", 9), ("郁", 8), ("龚", 8), ("严", 8), ("盛", 7), ("邱", 7), ("夏", 7),
    ("卫", 6), ("赵", 6), ("何", 6), ("吕", 6), ("戴", 6), ("凌", 5), ("奚", 5), ("浦", 5),
    ("瞿", 5), ("费", 5), ("封", 4), ("姜", 4), ("孔", 4), ("叶", 4), ("缪", 3), ("翁", 3),
    ("郭", 3), ("林", 3), ("董", 3), ("袁", 3), ("庄", 3), ("单", 2), ("曾", 2), ("柏", 1),
)
# National ranking (approximate, per mille), used for migrants.
_NATIONAL_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 46), ("杨", 45), ("黄", 25), ("赵", 24),
    ("吴", 21), ("周", 21), ("徐", 17), ("孙", 15), ("马", 15), ("朱", 13), ("胡", 13), ("郭", 12),
    ("何", 12), ("林", 12), ("高", 11), ("罗", 11), ("郑", 11), ("梁", 10), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("邓", 7), ("冯", 7), ("曹", 7), ("彭", 7), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("潘", 5), ("袁", 5), ("蔡", 5), ("蒋", 5), ("余", 5),
    ("于", 5), ("杜", 5), ("叶", 5), ("程", 5), ("魏", 4), ("苏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("卢", 4), ("姚", 4), ("沈", 4), ("钟", 4), ("姜", 4), ("崔", 4), ("谭", 4),
    ("陆", 3), ("范", 3), ("汪", 3), ("廖", 3), ("石", 3), ("金", 3), ("韦", 3), ("贾", 3),
    ("夏", 3), ("付", 3), ("方", 3), ("邹", 3), ("熊", 3), ("白", 3), ("孟", 3), ("秦", 3),
    ("邱", 3), ("侯", 3), ("江", 3), ("尹", 3), ("薛", 3), ("闫", 3), ("段", 2), ("雷", 2),
    ("覃", 1), ("翟", 1), ("查", 1), ("解", 1), ("仇", 1),
)

# Given-name characters by era (birth year < 1970, 1970-1994, 1995+), then sex.
_GIVEN = {
    ("old", "M"): "建国华明德荣根林福宝生兴伟忠文海祥金龙平清志强庆永财民勇发春宏康",
    ("old", "F"): "秀英兰芳珍凤玉华梅琴妹娣宝丽云桂英萍娟红美彩仙金月菊翠芬珠",
    ("mid", "M"): "伟强军磊勇杰涛斌超鹏俊峰浩明刚波辉健亮华飞毅晨东剑斌鑫宇",
    ("mid", "F"): "丽静敏燕艳霞娟婷芳玲雪琳莉晶慧佳倩颖蕾洁雯瑾怡蓉璐婧琼",
    ("new", "M"): "子浩宇轩梓睿泽辰俊博皓逸宸铭煜嘉晨一航昊奕文瑞天然恒锦",
    ("new", "F"): "子涵欣怡梓萱雨诗语思彤可馨若一佳悦琪妍心嘉依晨婉雅琳瑶",
}


def _table(pairs: tuple[tuple[str, int], ...]) -> tuple[np.ndarray, np.ndarray]:
    merged: dict[str, int] = {}
    for surname, weight in pairs:
        merged[surname] = merged.get(surname, 0) + weight
    names = np.array(list(merged))
    weights = np.array(list(merged.values()), dtype=float)
    return names, weights / weights.sum()


_SURNAME_TABLES = {True: _table(_SHANGHAI_SURNAMES), False: _table(_NATIONAL_SURNAMES)}
_POOLS = {key: np.array(list(dict.fromkeys(chars))) for key, chars in _GIVEN.items()}


def draw_surnames(rng: np.random.Generator, local: np.ndarray) -> np.ndarray:
    """One surname per person; ``local`` marks Shanghai-hukou people."""
    out = np.empty(len(local), dtype=object)
    for flag in (True, False):
        mask = local == flag
        names, probs = _SURNAME_TABLES[flag]
        out[mask] = rng.choice(names, size=int(mask.sum()), p=probs)
    return out


def draw_given_names(rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """One- or two-character given names by sex and birth era."""
    era = np.where(birth_year < 1970, "old", np.where(birth_year < 1995, "mid", "new"))
    two_chars = rng.random(len(sex)) < np.where(era == "mid", 0.55, 0.75)
    out = np.empty(len(sex), dtype=object)
    for (era_key, sex_key), pool in _POOLS.items():
        mask = (era == era_key) & (sex == sex_key)
        count = int(mask.sum())
        if not count:
            continue
        first = rng.choice(pool, size=count)
        second = rng.choice(pool, size=count)
        both = two_chars[mask]
        out[mask] = [a + b if two and a != b else a for a, b, two in zip(first, second, both, strict=True)]
    return out


def draw_names(
    rng: np.random.Generator, *, sex: np.ndarray, birth_year: np.ndarray, local: np.ndarray,
    surnames: np.ndarray | None = None,
) -> list[str]:
    """Full names; pass ``surnames`` to make children take a parent's surname."""
    family = surnames if surnames is not None else draw_surnames(rng, local)
    given = draw_given_names(rng, sex, birth_year)
    return [f + g for f, g in zip(family, given, strict=True)]
