"""Periodic re-review (复核): the work list and recording a review.

The schedule (interval by program and household situation: dibao yearly or
every six months, 《最低生活保障审核确认办法》第三十一条) is in
``review_schedule.py``; ``rereview_dates_tighten`` brings dates scheduled
under the former, longer assumed intervals forward to the current ones.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from minzheng.casework.enrolments import enrolment_terminate
from minzheng.casework.models import (
    CaseStep,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    ReReview,
    ReReviewOutcome,
)
from minzheng.casework.review_schedule import has_able_member, next_review_date
from minzheng.core.audit import audit_record
from minzheng.core.models import User
from minzheng.core.months import month_of, month_shift
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers, restrict


def rereview_work_list(user: User, *, today: dt.date, horizon_days: int = 30) -> QuerySet[Enrolment]:
    """Active enrolments due for re-review within ``horizon_days`` (overdue first), scoped."""
    return (
        restrict(Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, next_review_on__isnull=False), user)
        .filter(next_review_on__lte=today + dt.timedelta(days=horizon_days))
        .select_related("household", "person", "committee", "street")
        .order_by("next_review_on", "id")
    )


@transaction.atomic
def rereview_record(*, actor: User, enrolment: Enrolment, outcome: str, findings: str,
                    reviewed_on: dt.date | None = None) -> ReReview:
    """Record a re-review. ``continue`` schedules the next one by the current
    household situation; ``terminate`` ends the benefit from next month."""
    require(actor, "casework.rereview")
    require_scope_covers(actor, street_code=enrolment.street_id, committee_code=enrolment.committee_id)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(f"保障状态为“{enrolment.get_status_display()}”，无需复核")
    if outcome not in ReReviewOutcome.values:
        raise ValidationError("复核结论应为“继续保障”或“停止保障”")
    if not findings.strip():
        raise ValidationError("请填写复核情况")
    reviewed_on = reviewed_on or dt.date.today()
    next_on = None
    if outcome == ReReviewOutcome.CONTINUE:
        able = has_able_member(household=enrolment.household, person=enrolment.person, on=reviewed_on)
        next_on = next_review_date(program=enrolment.program, able=able, start=reviewed_on)
        enrolment.has_able_member, enrolment.next_review_on = able, next_on
        enrolment.save(update_fields=["has_able_member", "next_review_on"])
        EnrolmentEvent.objects.create(enrolment=enrolment, kind="reviewed", reason="复核：继续保障",
                                      actor_name=actor.username, data={"next_review_on": str(next_on)})
    review = ReReview.objects.create(enrolment=enrolment, reviewed_on=reviewed_on, outcome=outcome,
                                     findings=findings.strip(), recorded_by=actor.username, next_review_on=next_on)
    audit_record(actor=actor, action="enrolment.rereview", object_type="Enrolment", object_id=enrolment.pk,
                 scope_code=enrolment.committee_id,
                 changes={"outcome": outcome, "reviewed_on": reviewed_on, "next_review_on": next_on})
    if outcome == ReReviewOutcome.TERMINATE:
        enrolment_terminate(actor=actor, enrolment=enrolment, reason=f"复核停保：{findings.strip()[:100]}",
                            effective_month=month_shift(month_of(reviewed_on), 1))
    return review


@transaction.atomic
def rereview_dates_tighten(*, actor: User | str) -> int:
    """Active enrolments: the next re-review becomes the earlier of the stored
    date and (last re-review, else the decision, else enrolment) + the current
    interval — a shorter interval applies at once, a longer one never
    postpones a review already due. Bureau staff or a system job. Returns
    the number moved."""
    require(actor, "casework.deadlines_refresh", allow_job=True)
    moved = 0
    active = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, next_review_on__isnull=False)
    for enrolment in active.order_by("id"):
        last = enrolment.rereviews.order_by("-reviewed_on", "-id").first()
        decided = (CaseStep.objects.filter(application_id=enrolment.application_id, action="decide")
                   .order_by("-id").first() if enrolment.application_id else None)
        base = (last.reviewed_on if last else decided.acted_on if decided else enrolment.created_at.date())
        due = next_review_date(program=enrolment.program, able=enrolment.has_able_member, start=base)
        if enrolment.next_review_on is not None and due < enrolment.next_review_on:
            before, enrolment.next_review_on = enrolment.next_review_on, due
            enrolment.save(update_fields=["next_review_on"])
            EnrolmentEvent.objects.create(enrolment=enrolment, kind="rescheduled", reason="复核间隔调整，下次复核日期提前",
                                          actor_name=getattr(actor, "username", str(actor)),
                                          data={"next_review_on": str(due), "before": str(before)})
            moved += 1
    audit_record(actor=actor, action="enrolment.rereview_dates_tighten", object_type="Enrolment",
                 changes={"moved": moved})
    return moved
