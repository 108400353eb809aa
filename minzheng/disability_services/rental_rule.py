"""The rehabilitation-aid community rental subsidy (康复辅具社区租赁服务补贴):
its dated parameters and the review of one rental against them (ADR 0037).

The seed asks only that the subsidy's review be "规范开展" (2024 plan 一(六));
REFERENCE gives no rule for it. Two parameters make the rule, each a
:class:`~minzheng.disability_services.models.CitedValue` staff enter with the
document's name and number:

* 租金补贴比例（%） — the share of the monthly rent the subsidy pays;
* 每人每月补贴上限（分） — the most it pays for one month.

Assumptions (stated in ADR 0037, to be confirmed by the bureau): the subsidy
for a rental is, per month of the rental, ``min(monthly rent × share, cap)``
(rounded half up to the fen), times the number of calendar months the rental
touches (a started month counts); the parameters are those in force on the
rental's first day; the disabled person must hold a certificate valid on
that day (the rental subsidy is for 持证残疾人). Without either value the
amount is PARAMETER_MISSING (参数缺失) — never zero, never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.disability_services.models import CitedValue, ParameterKind, Rental

PARAMETER_MISSING = "PARAMETER_MISSING"
UNVERIFIED = "此参数尚未核实"


@dataclass(frozen=True)
class ParameterValue:
    kind: str
    value: int
    effective: dt.date
    reference: str
    entered: str
    cited_value_id: int

    @property
    def label(self) -> str:
        return ParameterKind(self.kind).label

    def basis(self) -> dict:
        return {"parameter": self.kind, "value": self.value, "effective": self.effective.isoformat(),
                "reference": self.reference, "entered": self.entered, "verified": False,
                "cited_value": self.cited_value_id}


def parameter_value(kind: str, on: dt.date) -> ParameterValue | None:
    """The value of ``kind`` in force on ``on`` (staff-entered, cited), else None."""
    row = CitedValue.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        return None
    return ParameterValue(kind=kind, value=row.value, effective=row.effective_from,
                          reference=f"{row.document_name}（{row.document_number}）",
                          entered=f"{row.entered_by} 于 {row.entered_at:%Y-%m-%d} 录入", cited_value_id=row.pk)


def parameters_on(on: dt.date) -> dict[str, ParameterValue | None]:
    return {kind: parameter_value(kind, on) for kind in ParameterKind.values}


def missing_text(missing: list[str]) -> str:
    names = "、".join(ParameterKind(k).label for k in missing)
    return (f"参数缺失（{PARAMETER_MISSING}）：{names}尚无依据（未录入有文件名称和文号的取值），"
            "不能计算补贴金额；请区民政局在“补贴标准”页录入后再审核")


def months_touched(start: dt.date, end: dt.date) -> int:
    """Calendar months from ``start``'s to ``end``'s, both counted (2024-01-20..2024-03-02 → 3)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class Amount:
    """The subsidy of one rental, or why there is none (``missing`` parameter kinds)."""

    fen: int | None
    months: int
    per_month_fen: int | None
    missing: list[str]
    basis: dict

    @property
    def problem(self) -> str:
        return missing_text(self.missing) if self.missing else ""


def rental_amount(rental: Rental) -> Amount:
    """The subsidy for ``rental`` (which must have ended), from the parameters
    in force on its first day."""
    if rental.end_on is None:
        raise ValueError("rental not ended")
    months = months_touched(rental.start_on, rental.end_on)
    values = parameters_on(rental.start_on)
    missing = [kind for kind, value in values.items() if value is None]
    if missing:
        return Amount(None, months, None, missing, {})
    share, cap = values[ParameterKind.SHARE], values[ParameterKind.CAP]
    assert share is not None and cap is not None
    per_month = min((rental.monthly_rent_fen * share.value + 50) // 100, cap.value)
    basis = {"on": rental.start_on.isoformat(), "months": months, "monthly_rent_fen": rental.monthly_rent_fen,
             "per_month_fen": per_month, "share": share.basis(), "cap": cap.basis(),
             "formula": "每月补贴 = min(月租金 × 补贴比例, 每月上限)；补贴 = 每月补贴 × 租用月数"}
    return Amount(per_month * months, months, per_month, [], basis)


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"label": self.label, "ok": self.ok, "detail": self.detail}


def rental_checks(rental: Rental) -> list[Check]:
    """The review's points for one rental, each passed or not, with the facts."""
    from minzheng.registry.selectors import person_valid_disability

    person, start = rental.person, rental.start_on
    checks = []
    cert = person_valid_disability(person, start)
    checks.append(Check("租用开始时持有有效残疾人证", cert is not None,
                        f"残疾人证{cert.number or ''} {cert.get_grade_display()}{cert.get_kind_display()}残疾，"
                        f"有效期至{cert.valid_to.isoformat() if cert.valid_to else '长期'}" if cert is not None
                        else f"{start.isoformat()}没有有效的残疾人证"))
    died_before = person.death_date is not None and person.death_date < start
    checks.append(Check("租用开始时在世", not died_before,
                        f"死亡日期{person.death_date.isoformat()}" if person.death_date else "在世"))
    point = rental.point
    checks.append(Check("服务点在租用开始时提供服务", point.open_on(start),
                        f"{point.name}：{point.opened_on.isoformat()}起"
                        + (f"，{point.closed_on.isoformat()}止" if point.closed_on else "")))
    checks.append(Check("租用已结束（有结束日期）", rental.end_on is not None,
                        f"{start.isoformat()}至{rental.end_on.isoformat()}" if rental.end_on
                        else "尚未结束：请服务点登记结束（或本期结算）日期"))
    if rental.end_on is not None:
        amount = rental_amount(rental)
        checks.append(Check("补贴标准有依据", not amount.missing,
                            amount.problem or f"每月补贴{amount.per_month_fen / 100:.2f}元 × {amount.months}个月"))
    return checks
