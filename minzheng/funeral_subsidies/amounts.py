"""The amount of each subsidy kind on a date: the parameter files first
(policy/parameters/funeral/), else a value staff entered citing its document
(``CitedValue``), else ``None`` — PARAMETER_MISSING, never zero.

``KindValue.basis()`` is what a grant stores as its amount basis (value,
effective date, provenance, whether it is verified: 此参数尚未核实 otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.funeral_subsidies.models import KIND_PARAMETERS, CitedValue, GrantKind
from policy import load_parameters

PARAMETER_MISSING = "PARAMETER_MISSING"
UNVERIFIED = "此参数尚未核实"


@dataclass(frozen=True)
class KindValue:
    """A kind's amount in force on a date (fen; per deceased or per urn)."""

    kind: str
    fen: int
    effective: dt.date
    origin: str  # 参数文件 | 工作人员录入
    parameter: str
    reference: str
    source: str
    sureness: str
    verified: bool
    note: str = ""
    cited_value_id: int | None = None

    def basis(self) -> dict:
        return {"parameter": self.parameter, "origin": self.origin, "value_fen": self.fen,
                "effective": self.effective.isoformat(), "reference": self.reference, "source": self.source,
                "sureness": self.sureness, "verified": self.verified, "note": self.note,
                "cited_value": self.cited_value_id}


def parameter_value(kind: str, on: dt.date) -> KindValue | None:
    """The parameter file's value in force on ``on`` (None when it has none)."""
    name = KIND_PARAMETERS[kind]
    value = load_parameters().get(name, on)
    if value is None:
        return None
    return KindValue(kind=kind, fen=value.fen, effective=value.effective, origin="参数文件", parameter=name,
                     reference=value.reference, source=value.source, sureness=value.sureness,
                     verified=value.verified, note=value.note)


def cited_value(kind: str, on: dt.date) -> KindValue | None:
    """The staff-entered value of ``kind`` in force on ``on``."""
    row = CitedValue.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        return None
    citation = f"{row.document_name}（{row.document_number}）"
    return KindValue(kind=kind, fen=row.amount_fen, effective=row.effective_from, origin="工作人员录入",
                     parameter=KIND_PARAMETERS[kind], reference=citation,
                     source=f"{row.entered_by} 于 {row.entered_at:%Y-%m-%d} 录入", sureness="cited",
                     verified=False, cited_value_id=row.pk)


def kind_value(kind: str, on: dt.date) -> KindValue | None:
    """The amount of ``kind`` on ``on``: parameter files, else a cited staff value, else None."""
    return parameter_value(kind, on) or cited_value(kind, on)


def missing_reason(kind: str) -> str:
    """The Chinese reason a grant of ``kind`` cannot be priced."""
    label = GrantKind(kind).label
    return f"参数缺失：{label}的金额尚无依据（政策参数文件无取值，也未录入有文号依据的金额）"
