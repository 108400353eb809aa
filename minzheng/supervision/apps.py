from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "minzheng.supervision"
    label = "supervision"
    verbose_name = "养老机构监管"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.services import kind_register
        from minzheng.supervision.figures import dashboard_figures
        from minzheng.supervision.jobs import ESCALATE
        from minzheng.supervision.models import Decision, ExclusionReason, InspectorKind

        kind_register(ESCALATE)
        register_value_labels("inspector_kind", InspectorKind.choices)
        register_value_labels("exclusion_reason", ExclusionReason.choices)
        register_value_labels("decision", Decision.choices)
        dashboard_section_register("supervision", order=30, action="supervision.view", provider=dashboard_figures)
        # 云监管 columns of the care_homes app (ADR 0029's registry, on its way in
        # from the care_homes branch): registered when the registry is there.
        try:
            from minzheng.care_homes.oversight import oversight_columns_register
        except ImportError:
            return
        from minzheng.supervision.selectors import (
            open_findings_by_facility,
            overdue_orders_by_facility,
        )

        oversight_columns_register("未关闭的检查发现", open_findings_by_facility, order=10)
        oversight_columns_register("逾期未整改", overdue_orders_by_facility, order=20)
