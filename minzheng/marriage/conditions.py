"""The conditions a marriage registration must meet, each refused with a
Chinese reason naming the party (docs/adr/0022-marriage-registration.md).

* Valid resident ID numbers (GB 11643-1999, ``stdnum.cn.ric`` via the registry's
  ``parse_id_number``); sex and birth date are read from the number.
* 民法典 art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 — full years on
  the registration date (:func:`age_on`).
* 民法典 art. 1049 and 婚姻登记条例: marriage between a man and a woman — the two
  numbers must say different sexes.
* 民法典 art. 1041/1042 (monogamy, 禁止重婚): neither party currently married —
  per this system's own marriage records and the registry's marital status.
* 婚姻登记条例 as revised (国务院令第804号): each party signs the declaration of
  having no spouse and of having no direct or within-three-generation
  collateral blood relation with the other (art. 1048).
* Where a couple may register: :func:`place_allows`.
"""

from __future__ import annotations

import datetime as dt

from minzheng.marriage.models import Province

MIN_AGE = {"M": 22, "F": 20}  # 民法典 art. 1047
SEX_WORD = {"M": "男", "F": "女"}

NATIONWIDE_FROM = dt.date(2025, 5, 10)  # 婚姻登记条例 as revised, 国务院令第804号
CROSS_PROVINCE_PILOT_FROM = dt.date(2023, 6, 1)  # 跨省通办 pilot in Shanghai (REFERENCE §12; seed 2023 report)


def cn_day(day: dt.date) -> str:
    """``2025-02-05`` → ``2025年2月5日`` (how pages and refusals write a date)."""
    return f"{day.year}年{day.month}月{day.day}日"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in full years (周岁) on ``day``: the birthday itself completes the year
    (someone born on 29 February completes it on 1 March in a common year)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def age_refusal(*, role: str, name: str, sex: str, birth: dt.date, on: dt.date) -> str | None:
    """民法典 art. 1047: men from 22, women from 20 full years."""
    minimum = MIN_AGE[sex]
    age = age_on(birth, on)
    if age >= minimum:
        return None
    return (f"{role}{name}在登记日（{cn_day(on)}）未满{minimum}周岁（实足{age}周岁），"
            f"不符合《民法典》第一千零四十七条“{SEX_WORD[sex]}不得早于{minimum}周岁”的规定")


def place_allows(*, registered_on: dt.date, provinces: tuple[str, str]) -> str | None:
    """May this Shanghai office register the couple on ``registered_on``? ``None``
    if yes, else the Chinese reason.

    * From 2025-05-10, 婚姻登记条例 as revised (国务院令第804号): registration at any
      office nationwide — always yes.
    * 2023-06-01 to 2025-05-09, the cross-province pilot (跨省通办, REFERENCE §12):
      a party whose hukou is outside Shanghai could register at the office of
      their habitual residence — yes; such a registration counts as cross-province.
    * Before 2023-06-01: registration at the office of one party's hukou — a couple
      with no Shanghai party is refused.

    The pilot's own condition (a residence permit in Shanghai for the non-local
    party) is checked by the registrar on paper; it is not recorded here.
    """
    if registered_on >= NATIONWIDE_FROM or registered_on >= CROSS_PROVINCE_PILOT_FROM:
        return None
    if Province.SHANGHAI in provinces:
        return None
    return (f"登记日（{cn_day(registered_on)}）早于婚姻登记“跨省通办”试点（2023年6月1日起），"
            "当时须在一方常住户口所在地办理；双方户籍均不在本市，本处不能办理")


def is_cross_province(provinces: tuple[str, str]) -> bool:
    """Neither party's hukou is in Shanghai: the couples the cross-province pilot
    (跨省通办, from 2023-06-01) let register at the office of their habitual
    residence instead of one party's hukou office — the 跨省 figures of the
    yearly report ("跨省结婚登记953对 … 占同期…29.09%"). A couple with one
    Shanghai party could always register here, so it is not cross-province.
    From 2025-05-10 the same couples are counted as 异地 (registration anywhere),
    so the series continues (``marriage.statistics``)."""
    return all(p != Province.SHANGHAI for p in provinces)
