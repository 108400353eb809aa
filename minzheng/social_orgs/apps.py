from django.apps import AppConfig


class SocialOrgsConfig(AppConfig):
    name = "minzheng.social_orgs"
    label = "social_orgs"
    verbose_name = "社会组织"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.social_orgs.models import (
            Conclusion,
            MatterKind,
            MatterStatus,
            OrgKind,
            OrgStatus,
            PartyStage,
            PartyStatus,
        )

        register_value_labels("org_kind", OrgKind.choices)
        register_value_labels("org_status", OrgStatus.choices)
        register_value_labels("party_status", PartyStatus.choices)
        register_value_labels("party_stage", PartyStage.choices)
        register_value_labels("matter_kind", MatterKind.choices)
        register_value_labels("matter_status", MatterStatus.choices)
        register_value_labels("conclusion", Conclusion.choices)
        self._events_and_dashboard()

    def _events_and_dashboard(self) -> None:
        """Major events, reminders (the bulk job) and the sector dashboard's sections (ADR 0044)."""
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.core.street_dashboards import section_register
        from minzheng.jobs.services import kind_register
        from minzheng.social_orgs import dashboard
        from minzheng.social_orgs.models import EventKind, EventStatus, ReminderChannel
        from minzheng.social_orgs.reminder_jobs import REMIND_ALL

        register_value_labels("event_kind", EventKind.choices)
        register_value_labels("event_status", EventStatus.choices)
        register_value_labels("reminder_channel", ReminderChannel.choices)
        kind_register(REMIND_ALL)
        for order, (key, provider) in enumerate((("in_business", dashboard.in_business),
                                                 ("matters", dashboard.matters_this_year),
                                                 ("filing", dashboard.filing_by_street))):
            section_register(dashboard.BOARD, key, order=order * 10, action="social_orgs.figures", provider=provider)
