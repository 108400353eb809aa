"""The organization page's cards of major-event reports and annual-report reminders
(ADR 0044): an inclusion tag, so the register's page shows them without its view
knowing them. Read through the scoped selectors (the page already checked the
organization is the user's to see)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from minzheng.core.permissions import can
from minzheng.social_orgs import reminders, selectors
from minzheng.social_orgs.event_forms import ReminderForm

register = template.Library()
SHOWN = 10


@register.inclusion_tag("social_orgs/_organization_events.html", takes_context=True)
def organization_events(context: dict[str, Any], organization) -> dict[str, Any]:
    user = context["request"].user
    today = timezone.localdate()
    year = reminders.report_year(today)
    unfiled = reminders.unfiled(user, year).filter(pk=organization.pk).exists()
    return {
        "organization": organization, "year": year, "unfiled": unfiled,
        "events": selectors.events_visible(user).filter(organization=organization)[:SHOWN],
        "reminders": selectors.reminders_visible(user).filter(organization=organization)[:SHOWN],
        "can_report": can(user, "social_orgs.event_report") and organization.status == "normal",
        "can_remind": can(user, "social_orgs.remind") and unfiled,
        "remind_form": ReminderForm(), "csrf_token": context.get("csrf_token"),
    }
