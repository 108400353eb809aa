"""The caseload a bureau brings over from its old system at go-live, for the
demo district: enrolments of source ``other`` for most of those the month's
batch finds eligible for application programs.

Like a data migration, this bulk-writes casework's tables directly (the
demo app is the one data loader allowed to, ADR 0009); the decisions are
read through eligibility's read port.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from minzheng.casework.models import Enrolment, EnrolmentEvent, EnrolmentSource, EnrolmentStatus
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.eligibility.selectors import eligible_decisions_sql
from policy.months import Month


def _check_month(month: str) -> str:
    try:
        return str(Month.parse(month))
    except ValueError as err:
        raise ValidationError(f"月份“{month}”格式无效，应为 YYYY-MM") from err


def _json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


DEMO_CASELOAD_REASON = "演示数据：上线前原系统在册的保障对象"


def enrolments_seed_demo_caseload(*, actor: User | str, decision_run_id: int, month: str,
                                  programs: tuple[str, ...], share_percent: int = 85) -> int:
    """Demo district only: enrol about ``share_percent`` % of the households or
    persons the month's batch finds eligible for application programs, as the
    caseload a bureau brings over from its old system at go-live (source
    ``other``). The rest stay unenrolled, so monitoring finds them as leads —
    the situation "政策找人" exists for. The choice is a fixed hash of the
    household id, so the demo is the same on every machine. Set-wise; one
    audit entry."""
    month = _check_month(month)
    if not programs or not 0 <= share_percent <= 100:
        return 0
    table, events = Enrolment._meta.db_table, EnrolmentEvent._meta.db_table
    decisions, decision_params = eligible_decisions_sql(decision_run_id, programs)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        after_id = cursor.fetchone()[0]
        cursor.execute(
            f"""INSERT INTO {table} (program, household_id, person_id, street_id, committee_id, start_month,
                    end_month, status, status_reason, status_effective_month, source, application_id,
                    monthly_amount_fen, amount_basis, has_able_member, next_review_on, created_at)
                SELECT d.program, d.household_id, d.person_id, d.street_id, d.committee_id, %s, '', %s, %s, '', %s,
                       NULL, d.amount_fen, {_json_param()}, %s, NULL, %s
                FROM ({decisions}) d
                WHERE (d.household_id * 2654435761) %% 100 < %s
                  AND NOT EXISTS (SELECT 1 FROM {table} e WHERE e.household_id = d.household_id
                                  AND e.program = d.program
                                  AND (e.person_id = d.person_id OR (e.person_id IS NULL AND d.person_id IS NULL)))
                ORDER BY d.program, d.household_id, d.person_id""",
            [month, EnrolmentStatus.ACTIVE, DEMO_CASELOAD_REASON, EnrolmentSource.OTHER,
             json.dumps({"demo": True, "decision_run": decision_run_id}), False, now,
             *decision_params, share_percent],
        )
        created = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {events} (enrolment_id, kind, effective_month, reason, actor_name, recorded_at, data)
                SELECT e.id, 'enrolled', e.start_month, %s, %s, %s, {_json_param()}
                FROM {table} e WHERE e.id > %s AND e.source = %s""",
            [DEMO_CASELOAD_REASON, getattr(actor, "username", str(actor)), now, "{}", after_id,
             EnrolmentSource.OTHER],
        )
    audit_record(actor=actor, action="enrolment.seed_demo_caseload", object_type="Enrolment", object_id=month,
                 changes={"month": month, "decision_run": decision_run_id, "created": created,
                          "programs": list(programs), "share_percent": share_percent})
    return created
