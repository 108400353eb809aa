from django.apps import AppConfig


class HomelessRescueConfig(AppConfig):
    name = "minzheng.homeless_rescue"
    label = "homeless_rescue"
    verbose_name = "流浪乞讨人员救助"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.core.street_dashboards import section_register
        from minzheng.homeless_rescue.dashboard import section
        from minzheng.homeless_rescue.models import (
            CampaignKind,
            Outcome,
            Sex,
            WarningKind,
            WarningLevel,
        )

        register_value_labels("rescue_outcome", Outcome.choices)
        register_value_labels("warning_kind", WarningKind.choices)
        register_value_labels("warning_level", WarningLevel.choices)
        register_value_labels("campaign_kind", CampaignKind.choices)
        register_value_labels("sex", Sex.choices, object_type="RescuedPerson")
        section_register("special_groups", "homeless_rescue", order=40, action="homeless_rescue.view", provider=section)
