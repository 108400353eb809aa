"""催报: reminders to organizations that have not filed their annual report (ADR 0044).

* The report year in hand is last year (:func:`report_year`): a report for Y is
  filed once Y has ended (ADR 0039).
* Who may be reminded for Y (:func:`unfiled`): the organizations due for Y
  (:func:`.selectors.due_organizations`), still in business (正常: a
  deregistered one files nothing) and without a report for Y.
* :func:`reminder_send` — one organization: 站内提醒 (shown on its account's home
  page and on its page) or 短信（登记）(an SMS the section sent, recorded). At
  most one reminder per organization, year and day, whatever the channel (a
  second is a :class:`~minzheng.core.errors.StateConflict`, 409 in the API; so
  is a report already filed).
* :func:`reminders_send_all` — every organization still unfiled (optionally of
  one kind), skipping those reminded today: safe to run twice, so the
  background job (:mod:`.reminder_jobs`) can be retried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet

from minzheng.core.audit import audit_record
from minzheng.core.bounds import EARLIEST_YEAR, text_check
from minzheng.core.errors import StateConflict
from minzheng.core.models import User
from minzheng.core.permissions import require
from minzheng.social_orgs import selectors
from minzheng.social_orgs.models import (
    AnnualReport,
    Organization,
    OrgKind,
    OrgStatus,
    ReminderChannel,
    ReportReminder,
)

ACTOR = User | str
BATCH = 500


def report_year(today: dt.date) -> int:
    """The report year in hand: last year's reports are being filed."""
    return today.year - 1


def _who(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _year_check(year: int, today: dt.date) -> int:
    if isinstance(year, bool) or not EARLIEST_YEAR <= int(year) < today.year:
        raise ValidationError(f"报告年度应在{EARLIEST_YEAR}年至{today.year - 1}年之间（本年度结束后才报送）")
    return int(year)


def unfiled(user: User | None, year: int) -> QuerySet[Organization]:
    """Organizations due for ``year``, in business, without a report for it (scoped to
    ``user``; None: the whole district, for jobs), with their reminders for the year
    counted (``reminder_count``) and the latest date (``last_reminded``)."""
    due = selectors.due_organizations(year).filter(status=OrgStatus.NORMAL)
    if user is not None:
        due = due.filter(pk__in=selectors.organizations_visible(user).values("pk"))
    filed = AnnualReport.objects.filter(year=year).values("organization_id")
    return due.exclude(pk__in=filed).select_related("street", "committee").annotate(
        reminder_count=Count("report_reminders", filter=Q(report_reminders__year=year)),
        last_reminded=Max("report_reminders__sent_on", filter=Q(report_reminders__year=year))).order_by("name")


def _channel_check(channel: str) -> str:
    if channel not in ReminderChannel.values:
        raise ValidationError("催报方式应为：" + "、".join(ReminderChannel.labels))
    return channel


def reminder_send(*, actor: ACTOR, organization: Organization, year: int, channel: str, today: dt.date,
                  note: str = "") -> ReportReminder:
    """Remind one organization of its unfiled report for ``year`` (rules: module docstring)."""
    require(actor, "social_orgs.remind", allow_job=True)
    if not isinstance(actor, str):
        organization = selectors.organization_get(actor, organization.pk)
    year = _year_check(year, today)
    channel = _channel_check(channel)
    note = text_check(str(note or "").strip(), "说明", 300)
    if not selectors.due_organizations(year).filter(pk=organization.pk).exists():
        raise ValidationError(f"该社会组织不需报送{year}年度报告（报告年度开始后成立，或当年已注销、撤销）")
    if organization.status != OrgStatus.NORMAL:
        raise ValidationError(f"该社会组织登记状态为“{organization.get_status_display()}”，不需催报")
    with transaction.atomic():
        if AnnualReport.objects.filter(organization=organization, year=year).exists():
            raise StateConflict(f"该社会组织已提交{year}年度报告，不需催报")
        if ReportReminder.objects.filter(organization=organization, year=year, sent_on=today).exists():
            raise StateConflict(f"今天已催报过该社会组织的{year}年度报告，同一天不重复催报")
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(organization=organization, year=year, sent_on=today,
                                                         channel=channel, sent_by=_who(actor), note=note)
        except IntegrityError as err:  # the same reminder sent at the same moment
            raise StateConflict(f"今天已催报过该社会组织的{year}年度报告，同一天不重复催报") from err
        audit_record(actor=actor, action="social_orgs.remind", object_type="Organization", object_id=organization.pk,
                     changes={"org_name": organization.name, "year": year, "reminder_channel": channel})
    return reminder


def reminders_send_all(*, actor: ACTOR, year: int, channel: str, today: dt.date, kind: str = "",
                       progress: Callable[[int, int], None] | None = None) -> int:
    """Remind every organization still unfiled for ``year`` (of ``kind`` when given)
    that was not reminded today; returns how many were reminded."""
    require(actor, "social_orgs.remind", allow_job=True)
    year = _year_check(year, today)
    channel = _channel_check(channel)
    if kind and kind not in OrgKind.values:
        raise ValidationError("类型无效，应为：" + "、".join(OrgKind.labels))
    rows = unfiled(None, year)
    if kind:
        rows = rows.filter(kind=kind)
    today_ids = ReportReminder.objects.filter(year=year, sent_on=today).values("organization_id")
    ids = list(rows.exclude(pk__in=today_ids).values_list("pk", flat=True))
    who, sent = _who(actor), 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with transaction.atomic():
            created = ReportReminder.objects.bulk_create(
                [ReportReminder(organization_id=pk, year=year, sent_on=today, channel=channel, sent_by=who,
                                note="批量催报") for pk in chunk], ignore_conflicts=True)
            sent += len(created)
            audit_record(actor=actor, action="social_orgs.remind", object_type="ReportReminder", object_id="bulk",
                         changes={"year": year, "reminder_channel": channel, "org_kind": kind or None,
                                  "reminders": len(chunk)})
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return sent
