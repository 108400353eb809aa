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

        from minzheng.social_orgs.grade_models import (
            ApplicationStatus,
            Grade,
            RewardStatus,
            SanctionKind,
        )
        from minzheng.social_orgs.grades import program_register

        register_value_labels("eval_grade", [*Grade.choices, ("none", "不予评定等级"), ("all", "全部等级")])
        register_value_labels("eval_status", ApplicationStatus.choices)
        register_value_labels("sanction_kind", SanctionKind.choices)
        register_value_labels("reward_status", RewardStatus.choices)
        # the grade reward (免申即享) is paid as a one-off payment to the organization (ADR 0041)
        program_register()
        # support funds (ADR 0043): the award's instalments are one-off payments to the organization
        from minzheng.payments.services import one_off_program_register
        from minzheng.social_orgs.fund_models import ApplicationStatus as FundStatus
        from minzheng.social_orgs.fund_models import FundKind, ReportConclusion
        from minzheng.social_orgs.support_funds import PAYMENT_PROGRAM, PAYMENT_PROGRAM_LABEL

        register_value_labels("fund_kind", FundKind.choices)
        register_value_labels("fund_status", FundStatus.choices)
        register_value_labels("report_conclusion", ReportConclusion.choices)
        one_off_program_register(PAYMENT_PROGRAM, PAYMENT_PROGRAM_LABEL)
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
