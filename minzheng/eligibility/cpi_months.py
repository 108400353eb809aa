"""Which month's CPI figures apply to a benefit month (REFERENCE §9 价格临时补贴,
"Which CPI"; 发改价格〔2021〕1553号).

The price subsidy paid for month M is triggered by the CPI figures published
for month M − 1 (the 2022-09..2023-03 payments used the CPI of
2022-08..2023-02). The engine evaluates whatever figures its input carries;
the platform picks them from its CPI table, and every place that does so —
the monthly batch (``services.decision_run_month``), the calculator and the
API when no CPI is given (``evaluation.evaluate_payload``), the
re-computation (``recompute``) — asks ``cpi_source_month``. A stored run keeps
the figures and the month they came from (``DecisionRun.cpi`` /
``cpi_month``), so ``policy explain`` of an old run uses what that run used.
"""

from __future__ import annotations

from minzheng.core.months import month_label, month_shift

# Benefit month M uses the CPI published for M − CPI_LAG_MONTHS (REFERENCE §9).
CPI_LAG_MONTHS = 1


def cpi_source_month(benefit_month: str) -> str:
    """The CPI month (``YYYY-MM``) whose figures trigger the price subsidy of ``benefit_month``."""
    return month_shift(benefit_month, -CPI_LAG_MONTHS)


def cpi_payment_month(cpi_month: str) -> str:
    """The benefit month whose price subsidy the CPI recorded for ``cpi_month``
    triggers (the inverse of ``cpi_source_month``)."""
    return month_shift(cpi_month, CPI_LAG_MONTHS)


def cpi_used_text(cpi_month: str | None, cpi: dict | None) -> str:
    """What a stored run used, in staff's words: the CPI month and figures,
    that month's figures missing, or — a run from before the month was
    stored — 未记录 (never a guess)."""
    figures = f"（CPI同比 {cpi['all_yoy_pct']}%，食品价格同比 {cpi['food_yoy_pct']}%）" if cpi else ""
    if not cpi_month:
        return "所用CPI月份未记录" + figures
    if not cpi:
        return f"{month_label(cpi_month)}的CPI数据未录入，价格临时补贴无法测算"
    return f"{month_label(cpi_month)}的CPI数据{figures}"
