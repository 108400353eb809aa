from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "minzheng.children"
    label = "children"
    verbose_name = "困境儿童"

    def ready(self) -> None:
        from minzheng.children.dashboard import section
        from minzheng.core.street_dashboards import section_register

        section_register("special_groups", "children", order=10, action="children.view", provider=section)
        from minzheng.children.models import (
            Capacity,
            CheckOutcome,
            EvidenceKind,
            GuardianRelation,
            LeadKind,
            LeadStatus,
            ServiceKind,
        )
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("evidence_kind", EvidenceKind.choices)
        register_value_labels("guardian_relation", GuardianRelation.choices)
        register_value_labels("guardian_capacity", Capacity.choices)
        register_value_labels("check_outcome", CheckOutcome.choices)
        register_value_labels("lead_kind", LeadKind.choices)
        register_value_labels("lead_status", LeadStatus.choices)
        register_value_labels("service_kind", ServiceKind.choices)
