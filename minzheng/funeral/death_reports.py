"""The death report of a cremation: when an order's cremation is done
(火化完成), the death is reported to the deaths app (公民身故“一件事”, ADR 0023)
as the funeral home's cremation record — ``deaths.services.death_report(
source="funeral_home", reference=<order number>)`` — in the same transaction.
The deaths app merges reports by ID number (one record per deceased) and, the
first time the record is matched to a registry person, carries out the
consequences (registry, casework, payments) under its own system actor.

A cremation is reported once: when the deaths app already holds a cremation
record (殡仪馆火化记录) for the same ID number — e.g. the home's earlier,
paper-era report — the order links to that record and reports nothing again.
"""

from __future__ import annotations

from minzheng.core.personal_data import blind_index
from minzheng.deaths.models import DeathRecord, DeathReport, SourceKind
from minzheng.deaths.services import death_report
from minzheng.funeral.models import FuneralOrder


def death_report_for(*, actor, order: FuneralOrder, id_number: str) -> DeathRecord:
    """Report the death of the order's deceased; returns the death record."""
    reported = DeathReport.objects.filter(record__id_number_index=blind_index(id_number),
                                          source=SourceKind.FUNERAL_HOME).select_related("record").first()
    if reported is not None:
        return reported.record
    return death_report(actor=actor, source=SourceKind.FUNERAL_HOME, id_number=id_number, name=order.deceased_name,
                        death_date=order.death_date, reference=order.number, place=order.home.name,
                        note=f"殡仪服务订单 {order.number} 火化完成")
