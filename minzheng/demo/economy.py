"""Employment, incomes, pensions and household assets — and the hardship share.

Incomes are monthly averages in fen, as the registry stores them. A person's
income for the means tests is ``monthly_income_fen + pension_fen``
(docs/calibration.md states this assumption); an employed person's
``monthly_income_fen`` is earned income (wages), of which the means tests
disregard 870 yuan a month (REFERENCE §1). Students (在校学生: most of 6-21,
a few up to 24) feed the engine's ``in_school``; some unemployed people
without the insurance benefit receive the unemployment subsidy (flag only).

Most households are comfortably above the low-income line or hold assets
above its limits. A small *hardship* share of hukou households is drawn on
purpose (risk-weighted: elderly living alone, a severely disabled member,
one parent with a child, villages) with a per-capita income below the dibao
standard (or below twice the standard for low-income households) and assets
within the limits. Any other household that would pass the low-income test
by chance has its savings raised above the limit, so the dibao and
low-income counts are governed by :data:`DIBAO_HOUSEHOLD_RATE` and
:data:`LOW_INCOME_HOUSEHOLD_RATE` alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minzheng.demo.conditions import Conditions
from minzheng.demo.population import (
    ELDERLY_SINGLE,
    NUCLEAR,
    PARENT_CHILD,
    THREE_GEN,
    Chunk,
)

EMPLOYMENT = ("employed", "unemployed", "retired", "student", "child", "inactive")
EMPLOYED, UNEMPLOYED, RETIRED, STUDENT, CHILD, INACTIVE = range(6)

CALIBRATION_STANDARD_YUAN = 1650  # dibao standard from 2025-07-01 (REFERENCE § 1)
CALIBRATION_DISREGARD_YUAN = 870  # earned-income disregard from 2023-07-01 (REFERENCE § 1)
DIBAO_HOUSEHOLD_RATE = 0.0066  # base share of hukou households drawn into dibao hardship
LOW_INCOME_HOUSEHOLD_RATE = 0.0027  # … and into low-income hardship
EXTREME_POVERTY_SHARE = 0.031  # of dibao hardship households that are a lone elder/disabled person
SEVERE_EMPLOYED = 0.20  # share of severely disabled 16-59 who work
MIN_WAGE_YUAN = 2690
UNEMPLOYMENT_BENEFIT_YUAN = 2175
# Unemployed without the insurance benefit who receive the 失业补助金 instead (a
# demo assumption; only the flag: no source gives the subsidy's amount).
UNEMPLOYMENT_SUBSIDY_SHARE = 0.25
ASSET_LIMIT_SMALL_YUAN = 33_000  # per person, households of 1-2
ASSET_LIMIT_YUAN = 30_000  # per person, households of 3+


@dataclass
class Economy:
    employment: np.ndarray
    able_to_work: np.ndarray
    income_fen: np.ndarray
    pension_fen: np.ndarray
    unemployment_insurance: np.ndarray
    unemployment_subsidy: np.ndarray
    youfu: np.ndarray
    in_institution: np.ndarray
    has_able_supporter: np.ndarray
    assets_fen: np.ndarray
    cars: np.ndarray
    homes: np.ndarray
    medical_fen: np.ndarray
    hardship: np.ndarray  # per household: 0 none, 1 dibao-level, 2 low-income-level


def _yuan_to_fen(yuan: np.ndarray) -> np.ndarray:
    return (np.round(yuan) * 100).astype(np.int64)


def draw_economy(rng: np.random.Generator, chunk: Chunk, cond: Conditions, village: np.ndarray) -> Economy:
    """``village`` marks households living in a village committee."""
    n = chunk.persons
    age, male, hukou = chunk.age, chunk.male, chunk.hukou
    u = rng.random(n)
    retire_age = np.where(male, 60, 55)
    working = (age >= 22) & (age < retire_age)
    employment = np.full(n, INACTIVE)
    employment[age < 6] = CHILD
    employment[(age >= 6) & (age < 16)] = STUDENT
    teen = (age >= 16) & (age < 22)
    employment[teen] = np.select([u[teen] < 0.75, u[teen] < 0.95], [STUDENT, EMPLOYED], INACTIVE)
    emp_p = np.where(hukou, 0.80, 0.88)
    employment[working] = np.select(
        [u[working] < emp_p[working], u[working] < emp_p[working] + 0.04], [EMPLOYED, UNEMPLOYED], INACTIVE
    )
    young_student = working & (age < 25) & (u > 0.97)
    employment[young_student] = STUDENT
    old = age >= retire_age
    pensioned_p = np.where(hukou, 0.97, 0.55)
    employment[old] = np.where(u[old] < pensioned_p[old], RETIRED, INACTIVE)
    still_working = old & (age < 65) & (rng.random(n) < 0.08)
    employment[still_working] = EMPLOYED
    severe_adult = cond.severe & (age >= 16) & (age < 60)
    employment[severe_adult] = np.where(rng.random(int(severe_adult.sum())) < SEVERE_EMPLOYED, EMPLOYED, INACTIVE)

    able = (age >= 16) & (age < 60) & ~cond.severe
    income = np.zeros(n)
    wage = np.maximum(rng.lognormal(np.log(7500), 0.55, n), MIN_WAGE_YUAN)
    income[employment == EMPLOYED] = wage[employment == EMPLOYED]
    ui = (employment == UNEMPLOYED) & (rng.random(n) < 0.4)
    income[ui] = UNEMPLOYMENT_BENEFIT_YUAN
    village_person = village[chunk.hh]
    pension_median = np.where(hukou, np.where(village_person, 1600, 4800), 3000)
    pension = np.where(employment == RETIRED, rng.lognormal(np.log(pension_median), 0.3), 0.0)
    youfu = hukou & (age >= 60) & (rng.random(n) < np.where(male, 0.008, 0.001))

    income_fen, pension_fen = _yuan_to_fen(income), _yuan_to_fen(pension)
    size = chunk.alive_size()
    hardship = _draw_hardship(rng, chunk, cond, village, size)
    in_institution = np.zeros(n, dtype=bool)
    supporter = ~(cond.orphan | cond.unsupported_child)
    _set_hardship_incomes(rng, chunk, hardship, size, employment, income_fen, pension_fen, ui)
    _set_extreme_poverty(rng, chunk, cond, hardship, size, income_fen, pension_fen, able, supporter, in_institution)

    assets, cars, homes, medical = _draw_assets(rng, chunk, hardship, size, employment, village)
    counted_fen = income_fen + pension_fen - np.where(employment == EMPLOYED,
                                                      np.minimum(income_fen, CALIBRATION_DISREGARD_YUAN * 100), 0)
    _lift_accidental_poverty(rng, chunk, hardship, size, counted_fen, assets, cars, homes)
    # drawn last (after the hardship incomes, which clear the insurance benefit of hardship members)
    subsidy = (employment == UNEMPLOYED) & ~ui & (rng.random(n) < UNEMPLOYMENT_SUBSIDY_SHARE)
    return Economy(
        employment=employment, able_to_work=able, income_fen=income_fen, pension_fen=pension_fen,
        unemployment_insurance=ui, unemployment_subsidy=subsidy, youfu=youfu, in_institution=in_institution, has_able_supporter=supporter,
        assets_fen=assets, cars=cars, homes=homes, medical_fen=medical, hardship=hardship,
    )


def _draw_hardship(rng, chunk: Chunk, cond: Conditions, village: np.ndarray, size: np.ndarray) -> np.ndarray:
    n_hh = chunk.households
    severe_hh = np.bincount(chunk.hh, weights=cond.severe & chunk.alive, minlength=n_hh) > 0
    risk = np.ones(n_hh)
    risk[chunk.kind == ELDERLY_SINGLE] *= 2.5
    risk[chunk.kind == PARENT_CHILD] *= 1.2
    risk[(chunk.kind == NUCLEAR) | (chunk.kind == THREE_GEN)] *= 0.5
    risk[severe_hh] *= 4.0
    risk[village] *= 1.5
    eligible = chunk.hh_hukou & (size > 0)
    draw = rng.random(n_hh)
    hardship = np.zeros(n_hh, dtype=np.int8)
    dibao_p = DIBAO_HOUSEHOLD_RATE * risk
    hardship[eligible & (draw < dibao_p)] = 1
    hardship[eligible & (draw >= dibao_p) & (draw < dibao_p + LOW_INCOME_HOUSEHOLD_RATE * risk)] = 2
    return hardship


def _set_hardship_incomes(rng, chunk, hardship, size, employment, income_fen, pension_fen, ui) -> None:
    """Spread a per-capita income below the line over the earning members."""
    hh_ids = np.flatnonzero(hardship > 0)
    if not len(hh_ids):
        return
    std = CALIBRATION_STANDARD_YUAN
    per_capita = np.where(
        hardship[hh_ids] == 1, rng.uniform(0.15, 0.97, len(hh_ids)) * std, rng.uniform(1.03, 1.95, len(hh_ids)) * std
    )
    total = np.zeros(chunk.households)
    total[hh_ids] = np.floor(per_capita * size[hh_ids])
    member = hardship[chunk.hh] > 0
    earner = member & chunk.alive & np.isin(employment, (EMPLOYED, UNEMPLOYED, RETIRED, INACTIVE))
    earner &= chunk.age >= 16
    earner_hh = np.bincount(chunk.hh, weights=earner, minlength=chunk.households)
    head = chunk.relation == 0
    earner |= member & head & (earner_hh[chunk.hh] == 0)  # at least the head
    weight = np.where(earner, rng.uniform(0.5, 1.5, chunk.persons), 0.0)
    weight_hh = np.bincount(chunk.hh, weights=weight, minlength=chunk.households)
    share = np.where(earner, weight / np.maximum(weight_hh[chunk.hh], 1e-9), 0.0)
    amount = np.floor(share * total[chunk.hh]) * 100  # fen, whole yuan
    retired = employment == RETIRED
    income_fen[member] = 0
    pension_fen[member] = 0
    ui[member] = False
    pension_fen[member & retired] = amount[member & retired]
    income_fen[member & ~retired] = amount[member & ~retired]
    working_earner = member & earner & ~retired & (chunk.age < 60)
    employment[working_earner & (employment == INACTIVE)] = EMPLOYED
    # the drawn per-capita income is the *counted* income the means tests use:
    # an employed earner's wages are that share plus the earned-income disregard
    # (REFERENCE §1, 870 yuan from 2023-07), so the household stays in its band
    income_fen[member & earner & (employment == EMPLOYED)] += CALIBRATION_DISREGARD_YUAN * 100


def _set_extreme_poverty(rng, chunk, cond, hardship, size, income_fen, pension_fen, able, supporter, in_inst) -> None:
    """A lone elder or severely disabled adult with no income and no supporter."""
    lone = (hardship[chunk.hh] == 1) & (size[chunk.hh] == 1) & chunk.alive & chunk.hukou
    lone &= (chunk.age >= 60) | cond.severe
    pick = lone & (rng.random(chunk.persons) < EXTREME_POVERTY_SHARE / 0.4)
    income_fen[pick] = 0
    pension_fen[pick] = 0
    able[pick] = False
    supporter[pick] = False
    in_inst[pick] = rng.random(int(pick.sum())) < 0.3


def asset_limit_fen(size: np.ndarray) -> np.ndarray:
    """Household monetary-asset limit: per-person limit × members (REFERENCE § 1)."""
    return np.where(size >= 3, ASSET_LIMIT_YUAN, ASSET_LIMIT_SMALL_YUAN) * 100 * size


def _draw_assets(rng, chunk, hardship, size, employment, village):
    n_hh = chunk.households
    members = np.maximum(size, 1)
    assets = _yuan_to_fen(rng.lognormal(np.log(60_000), 1.1, n_hh) * members)
    any_employed = np.bincount(chunk.hh, weights=employment == EMPLOYED, minlength=n_hh) > 0
    car_p = np.where(any_employed, 0.5, 0.12)
    cars = (rng.random(n_hh) < car_p).astype(np.int64) + (rng.random(n_hh) < car_p * 0.15)
    u = rng.random(n_hh)
    homes = np.where(chunk.hh_hukou, np.select([u < 0.75, u < 0.95], [1, 2], 3), np.select([u < 0.65, u < 0.98], [0, 1], 2))
    homes = np.where(village & chunk.hh_hukou, 1 + (u > 0.9), homes)
    medical = _yuan_to_fen(rng.lognormal(np.log(1200), 1.1, n_hh) * np.sqrt(members))
    big_bill = rng.random(n_hh) < 0.03
    medical[big_bill] = _yuan_to_fen(rng.uniform(30_000, 200_000, int(big_bill.sum())))

    poor = hardship > 0
    limit = asset_limit_fen(members)
    assets[poor] = (rng.uniform(0.0, 0.8, int(poor.sum())) * limit[poor] / 100).astype(np.int64) * 100
    cars[poor] = 0
    homes[poor] = np.where(rng.random(int(poor.sum())) < 0.85, 1, 0)
    return assets, cars.astype(np.int64), homes.astype(np.int64), medical


def _lift_accidental_poverty(rng, chunk, hardship, size, person_income_fen, assets, cars, homes) -> None:
    """Households not drawn into hardship that would pass the low-income test get savings above the limit
    (``person_income_fen``: the counted income, after the earned-income disregard)."""
    income = np.bincount(chunk.hh, weights=np.where(chunk.alive, person_income_fen, 0), minlength=chunk.households)
    line = 2 * CALIBRATION_STANDARD_YUAN * 100 * size
    passes = (hardship == 0) & (size > 0) & (income < line) & (cars == 0) & (homes <= 1)
    passes &= assets <= asset_limit_fen(np.maximum(size, 1))
    limit = asset_limit_fen(np.maximum(size, 1))
    assets[passes] = limit[passes] + _yuan_to_fen(rng.uniform(5_000, 150_000, int(passes.sum())))
