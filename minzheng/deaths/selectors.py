"""Reads of the death records, scoped (ADR 0023): a street sees the records of
its street (and the unmatched ones its window recorded), a committee its
committee, the bureau, the auditor and the funeral home the district.
Records of unmatched persons reported by the bureau, the funeral home or
department data belong to no street: district accounts only."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.core.models import User
from minzheng.core.permissions import can, require
from minzheng.core.scope import OutOfScope, restrict
from minzheng.deaths.checklist import SECTIONS as SECTIONS
from minzheng.deaths.checklist import ChecklistItem
from minzheng.deaths.checklist import checklist as _checklist
from minzheng.deaths.models import DeathRecord, DeathReport


def death_records(user: User) -> QuerySet[DeathRecord]:
    """The records ``user`` may see (``deaths.view``), newest death first."""
    require(user, "deaths.view")
    return restrict(DeathRecord.objects.all(), user).select_related("street", "committee", "person")


def death_record_get(user: User, pk: int) -> DeathRecord:
    """One record in ``user``'s scope; outside it or missing → 404."""
    record = death_records(user).filter(pk=pk).first()
    if record is None:
        raise OutOfScope("没有这条死亡登记")
    return record


def death_record_of_person(person_id: int) -> DeathRecord | None:
    """The death record of a registry person, if any (unscoped: for other apps' services)."""
    return DeathRecord.objects.filter(person_id=person_id).first()


def death_reports(record: DeathRecord) -> QuerySet[DeathReport]:
    return record.reports.order_by("recorded_at", "id")


def death_checklist(user: User, record: DeathRecord) -> dict[str, list[ChecklistItem]]:
    """The family checklist by section; the stopped benefits only with ``deaths.benefits_view``."""
    return _checklist(record, benefits_visible=can(user, "deaths.benefits_view"))
