"""重大事项报告: an organization reports a major event; the section reviews it (ADR 0044).

* :func:`event_report` — the organization's own account (its own organization
  only: another is 404) or the section on its behalf reports an event of a kind
  of :class:`~.models.EventKind` (our list), dated, described, with the
  documents' names; the kinds about money (接受境外捐赠或资助、大额资金往来) must
  state the amount. The organization must be in business (正常). The event's
  date may lie up to a year ahead (事前报告 of a planned activity), never
  before the organization's registration.
* :func:`event_review` — the section: 已知悉 (closed), 需补充 (with the reasons:
  back to the organization) or 不予认可 (with the reasons: closed). Only a
  report waiting for review (已报告) can be reviewed; another state is a
  :class:`~minzheng.core.errors.StateConflict` (409 in the API).
* :func:`event_supplement` — the organization answers a 需补充: its
  supplement and further documents; the report waits for review again.

Each write: permission, validation, one transaction, one audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors
from minzheng.social_orgs.models import EventKind, EventStatus, MajorEvent, Organization, OrgStatus

ACTOR = User | str
MONEY_KINDS = (EventKind.FOREIGN_DONATION, EventKind.LARGE_FUNDS)
MAX_AMOUNT_FEN = 10**15  # as the register's capital: above any real sum, below BIGINT
DAYS_AHEAD = 366  # a planned event is reported up to a year ahead
MAX_ATTACHMENTS = 20
REVIEW_OUTCOMES = (EventStatus.ACKNOWLEDGED, EventStatus.SUPPLEMENT, EventStatus.NOT_ACCEPTED)


def _who(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _attachments(names: list[str] | None) -> list[str]:
    cleaned = [text_check(str(n).strip(), "附件名称", 100) for n in (names or []) if str(n).strip()]
    cleaned = list(dict.fromkeys(cleaned))
    if len(cleaned) > MAX_ATTACHMENTS:
        raise ValidationError(f"附件最多{MAX_ATTACHMENTS}份")
    return cleaned


def _audit(actor: ACTOR, action: str, event: MajorEvent, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type="MajorEvent", object_id=event.pk,
                 changes={"org_name": event.organization.name, "event_kind": event.kind, **changes})


def event_report(*, actor: ACTOR, organization: Organization, kind: str, title: str, event_on: dt.date,
                 description: str, today: dt.date, amount_fen: int | None = None,
                 attachments: list[str] | None = None) -> MajorEvent:
    """Report a major event of ``organization`` (see the module docstring for the rules)."""
    require(actor, "social_orgs.event_report", allow_job=True)
    if not isinstance(actor, str):
        organization = selectors.organization_get(actor, organization.pk)
    if kind not in EventKind.values:
        raise ValidationError("事项类别无效，应为：" + "、".join(EventKind.labels))
    if organization.status != OrgStatus.NORMAL:
        raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不能报告重大事项")
    title = text_check(str(title or "").strip(), "事项名称", 100)
    if not title:
        raise ValidationError("请填写事项名称")
    description = text_check(str(description or "").strip(), "事项内容", 5000)
    if not description:
        raise ValidationError("请填写事项内容（时间、地点、参与方、经过或安排）")
    day_check(event_on, "事项日期", earliest=organization.registered_on, latest=today + dt.timedelta(days=DAYS_AHEAD))
    if amount_fen is not None and (isinstance(amount_fen, bool) or not 0 <= amount_fen <= MAX_AMOUNT_FEN):
        raise ValidationError("涉及金额应为0至10万亿元之间的金额")
    if kind in MONEY_KINDS and amount_fen is None:
        raise ValidationError(f"“{EventKind(kind).label}”须填写涉及金额")
    names = _attachments(attachments)
    with transaction.atomic():
        event = MajorEvent.objects.create(organization=organization, kind=kind, title=title, event_on=event_on,
                                          description=description, amount_fen=amount_fen, attachments=names,
                                          reported_on=today, reported_by=_who(actor))
        _audit(actor, "social_orgs.event_report", event,
               {"event_on": event_on.isoformat(), "amount_fen": amount_fen, "documents": len(names)})
    return event


def event_review(*, actor: ACTOR, event: MajorEvent, outcome: str, reasons: str, on: dt.date,
                 today: dt.date) -> MajorEvent:
    """已知悉, or 需补充 / 不予认可 with reasons; only a report waiting for review."""
    require(actor, "social_orgs.event_review", allow_job=True)
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError("审查结果应为已知悉、需补充或不予认可")
    reasons = text_check(str(reasons or "").strip(), "审查意见", 2000)
    if outcome != EventStatus.ACKNOWLEDGED and not reasons:
        raise ValidationError(f"审查结果为“{EventStatus(outcome).label}”时须写明理由（需补充的内容或不予认可的依据）")
    with transaction.atomic():
        locked = MajorEvent.objects.select_for_update().select_related("organization").get(pk=event.pk)
        if locked.status != EventStatus.REPORTED:
            raise StateConflict(f"该报告状态为“{locked.get_status_display()}”，不能审查")
        day_check(on, "审查日期", earliest=locked.supplemented_on or locked.reported_on, latest=today)
        locked.status, locked.review_reasons, locked.reviewed_on, locked.reviewed_by = outcome, reasons, on, _who(actor)
        locked.save(update_fields=["status", "review_reasons", "reviewed_on", "reviewed_by"])
        _audit(actor, "social_orgs.event_review", locked,
               {"event_status": outcome, "reviewed_on": on.isoformat(), "reasons": reasons})
    return locked


def event_supplement(*, actor: ACTOR, event: MajorEvent, supplement: str, today: dt.date,
                     attachments: list[str] | None = None) -> MajorEvent:
    """The organization answers 需补充: its supplement (required) and further documents."""
    require(actor, "social_orgs.event_report", allow_job=True)
    if not isinstance(actor, str):
        event = selectors.event_get(actor, event.pk)
    supplement = text_check(str(supplement or "").strip(), "补充说明", 5000)
    if not supplement:
        raise ValidationError("请填写补充说明")
    added = _attachments(attachments)
    with transaction.atomic():
        locked = MajorEvent.objects.select_for_update().select_related("organization").get(pk=event.pk)
        if locked.status != EventStatus.SUPPLEMENT:
            raise StateConflict(f"该报告状态为“{locked.get_status_display()}”，只有“需补充”的报告可以补充")
        names = list(dict.fromkeys([*locked.attachments, *added]))
        if len(names) > MAX_ATTACHMENTS:
            raise ValidationError(f"附件最多{MAX_ATTACHMENTS}份")
        locked.supplement, locked.supplemented_on = supplement, today
        locked.attachments, locked.status = names, EventStatus.REPORTED
        locked.save(update_fields=["supplement", "supplemented_on", "attachments", "status"])
        _audit(actor, "social_orgs.event_supplement", locked, {"documents": len(names)})
    return locked
