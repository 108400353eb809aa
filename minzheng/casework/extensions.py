"""延长审核期限: the extension of the overall review period (dibao,
《最低生活保障审核确认办法》第二十二条: 30 working days from acceptance, 45 in
special cases).

Our reading of "special cases" (the rules name none): the program's
approving level (the district bureau for dibao — it answers for the whole
review) records the extension with its reason (at least
``MIN_REASON_CHARS`` characters), once per case, on or before the last day
of the 30-working-day period (an expired period cannot be extended after the
fact), on an accepted, open case. The overall deadline becomes 45 working
days from acceptance; the step deadline is unchanged. A ``CaseStep`` (no
status change) and an audit entry record it; the case page shows it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.casework.deadlines import MIN_EXTENSION_REASON_CHARS as MIN_REASON_CHARS
from minzheng.casework.deadlines import overall_deadline
from minzheng.casework.models import Application, CaseStep
from minzheng.casework.program_settings import program_setting
from minzheng.casework.transitions import STEP_LABELS, require_transition
from minzheng.core.audit import audit_record
from minzheng.core.models import User


@transaction.atomic
def application_extend(*, actor: User, application: Application, reasons: str,
                       on: dt.date | None = None) -> Application:
    """Record the extension (延长审核期限) with its reason; the overall deadline
    moves to ``extended_total_days`` (45) working days from acceptance."""
    on = on or dt.date.today()
    require_transition(actor, application, "extend", on)
    reasons = (reasons or "").strip()
    if len(reasons) < MIN_REASON_CHARS:
        raise ValidationError(f"请写明延长审核期限的理由（不少于{MIN_REASON_CHARS}个字）")
    setting = program_setting(application.program)
    before = application.overall_due_on
    assert application.accepted_on is not None  # checked by require_transition
    application.overall_due_on, note = overall_deadline(setting, application.accepted_on,
                                                        setting.extended_total_days)
    application.extended_on, application.extension_reason = on, reasons
    if note and not application.deadline_note:
        application.deadline_note = note
    application.save(update_fields=["overall_due_on", "extended_on", "extension_reason", "deadline_note",
                                    "updated_at"])
    CaseStep.objects.create(
        application=application, action="extend", label=STEP_LABELS["extend"], from_status=application.status,
        to_status=application.status, actor=actor, actor_name=actor.username, acted_on=on, was_due_on=before,
        reasons=reasons, data={"overall_due_on": str(application.overall_due_on),
                               "total_days": setting.extended_total_days})
    audit_record(actor=actor, action="application.extend", object_type="Application", object_id=application.pk,
                 scope_code=application.committee_id,
                 changes={"overall_due_on": [before, application.overall_due_on], "reasons": reasons, "on": on,
                          "total_days": [setting.total_days, setting.extended_total_days]})
    return application


__all__ = ["MIN_REASON_CHARS", "application_extend"]
