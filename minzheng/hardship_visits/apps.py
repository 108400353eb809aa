from django.apps import AppConfig


class HardshipVisitsConfig(AppConfig):
    name = "minzheng.hardship_visits"
    label = "hardship_visits"
    verbose_name = "特殊困难老年人探访关爱"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.hardship_visits.dashboard import section
        from minzheng.hardship_visits.models import VisitMode, VisitorKind

        register_value_labels("visit_mode", VisitMode.choices)
        register_value_labels("visitor_kind", VisitorKind.choices)
        dashboard_section_register("hardship_visits", order=70, action="hardship_visits.view", provider=section)
