from django.apps import AppConfig


class FuneralSubsidiesConfig(AppConfig):
    name = "minzheng.funeral_subsidies"
    label = "funeral_subsidies"
    verbose_name = "殡葬补贴"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.funeral_subsidies.models import (
            BurialKind,
            Eligibility,
            GrantKind,
            GrantStatus,
            PaymentMethod,
        )
        from minzheng.funeral_subsidies.services import grant_on_death, payment_programs_register
        from minzheng.registry.services import death_listener_register

        register_value_labels("grant_kind", GrantKind.choices)
        register_value_labels("burial_kind", BurialKind.choices)
        register_value_labels("status", GrantStatus.choices, object_type="FuneralGrant")
        register_value_labels("eligibility", Eligibility.choices, object_type="FuneralGrant")
        register_value_labels("payment_method", PaymentMethod.choices, object_type="FuneralGrant")
        death_listener_register(grant_on_death)
        from minzheng.deaths.services import checklist_contributor_register
        from minzheng.funeral_subsidies.checklist import family_subsidies

        checklist_contributor_register(family_subsidies)
        payment_programs_register()
