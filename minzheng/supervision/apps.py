from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "minzheng.supervision"
    label = "supervision"
    verbose_name = "养老机构监管"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.supervision.figures import dashboard_figures
        from minzheng.supervision.models import Decision, ExclusionReason, InspectorKind

        register_value_labels("inspector_kind", InspectorKind.choices)
        register_value_labels("exclusion_reason", ExclusionReason.choices)
        register_value_labels("decision", Decision.choices)
        dashboard_section_register("supervision", order=30, action="supervision.view", provider=dashboard_figures)
        # 云监管 columns of the care_homes app: open_findings_by_facility and
        # overdue_orders_by_facility (selectors) — wired at the merge when
        # minzheng.care_homes.oversight.oversight_columns_register exists.
